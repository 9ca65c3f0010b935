// Retry arithmetic and activity timeout normalisation (docs/temporal-protocol.md §5).
#include "retryrules.h"

#include <temporal/api/enums/v1/workflow.pb.h>

#include <QTest>

using namespace Nebula::DevServer;
using namespace std::chrono;
namespace en = temporal::api::enums::v1;

class TestRetryRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalisation();
    void normalisationErrors();
    void defaultsAndValidation();
    void backoff_data();
    void backoff();
    void finalStates();
};

void TestRetryRules::normalisation()
{
    temporal::api::command::v1::ScheduleActivityTaskCommandAttributes a;
    a.mutable_schedule_to_close_timeout()->set_seconds(60);
    a.mutable_start_to_close_timeout()->set_seconds(120);
    a.mutable_heartbeat_timeout()->set_seconds(90);
    QVERIFY(!normalizeActivityTimeouts(&a, Micros(0)));
    QCOMPARE(a.schedule_to_start_timeout().seconds(), 60);
    QCOMPARE(a.start_to_close_timeout().seconds(), 60);
    QCOMPARE(a.heartbeat_timeout().seconds(), 60);

    temporal::api::command::v1::ScheduleActivityTaskCommandAttributes b;
    b.mutable_start_to_close_timeout()->set_seconds(10);
    QVERIFY(!normalizeActivityTimeouts(&b, seconds(30)));
    QCOMPARE(b.schedule_to_close_timeout().seconds(), 30);
    QCOMPARE(b.schedule_to_start_timeout().seconds(), 30);
    QCOMPARE(b.start_to_close_timeout().seconds(), 10);

    temporal::api::command::v1::ScheduleActivityTaskCommandAttributes c;
    c.mutable_start_to_close_timeout()->set_seconds(10);
    QVERIFY(!normalizeActivityTimeouts(&c, Micros(0)));
    QCOMPARE(c.schedule_to_close_timeout().seconds(), 0); // unlimited
    QCOMPARE(c.schedule_to_start_timeout().seconds(), 0);
}

void TestRetryRules::normalisationErrors()
{
    temporal::api::command::v1::ScheduleActivityTaskCommandAttributes a;
    const auto err = normalizeActivityTimeouts(&a, Micros(0));
    QVERIFY(err);
    QVERIFY(err->find("StartToCloseTimeout") != std::string::npos);
    a.mutable_start_to_close_timeout()->set_seconds(-1);
    QVERIFY(normalizeActivityTimeouts(&a, Micros(0)));
}

void TestRetryRules::defaultsAndValidation()
{
    temporal::api::common::v1::RetryPolicy p;
    fillRetryDefaults(&p);
    QCOMPARE(p.initial_interval().seconds(), 1);
    QCOMPARE(p.backoff_coefficient(), 2.0);
    QCOMPARE(p.maximum_interval().seconds(), 100);
    QCOMPARE(p.maximum_attempts(), 0);
    QVERIFY(!validateRetryPolicy(p));
    p.set_backoff_coefficient(0.5);
    QVERIFY(validateRetryPolicy(p));
    p.set_backoff_coefficient(2);
    p.mutable_maximum_interval()->set_seconds(0);
    p.mutable_maximum_interval()->set_nanos(1000);
    QVERIFY(validateRetryPolicy(p));
    p.mutable_maximum_interval()->set_seconds(10);
    p.set_maximum_attempts(-1);
    QVERIFY(validateRetryPolicy(p));
}

void TestRetryRules::backoff_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("expectedMs");
    QTest::newRow("1") << 1 << qint64(1000);
    QTest::newRow("2") << 2 << qint64(2000);
    QTest::newRow("3") << 3 << qint64(4000);
    QTest::newRow("capped") << 10 << qint64(100000);
}

void TestRetryRules::backoff()
{
    QFETCH(int, attempt);
    QFETCH(qint64, expectedMs);
    temporal::api::common::v1::RetryPolicy p;
    fillRetryDefaults(&p);
    temporal::api::failure::v1::Failure f;
    f.mutable_application_failure_info()->set_type("Error");
    const auto d = decideRetry(p, attempt, f, 0, false, Clock::now(), TimePoint::max());
    QCOMPARE(d.retryState, int(en::RETRY_STATE_IN_PROGRESS));
    QCOMPARE(duration_cast<milliseconds>(d.delay).count(), expectedMs);
}

void TestRetryRules::finalStates()
{
    temporal::api::common::v1::RetryPolicy p;
    fillRetryDefaults(&p);
    p.add_non_retryable_error_types("Fatal");
    temporal::api::failure::v1::Failure f;
    f.mutable_application_failure_info()->set_type("Fatal");
    const auto now = Clock::now();
    QCOMPARE(decideRetry(p, 1, f, 0, false, now, TimePoint::max()).retryState, int(en::RETRY_STATE_NON_RETRYABLE_FAILURE));
    f.mutable_application_failure_info()->set_type("Error");
    f.mutable_application_failure_info()->set_non_retryable(true);
    QCOMPARE(decideRetry(p, 1, f, 0, false, now, TimePoint::max()).retryState, int(en::RETRY_STATE_NON_RETRYABLE_FAILURE));
    f.mutable_application_failure_info()->set_non_retryable(false);
    QCOMPARE(decideRetry(p, 1, f, 0, true, now, TimePoint::max()).retryState, int(en::RETRY_STATE_CANCEL_REQUESTED));
    p.set_maximum_attempts(3);
    QCOMPARE(decideRetry(p, 3, f, 0, false, now, TimePoint::max()).retryState, int(en::RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED));
    p.set_maximum_attempts(0);
    QCOMPARE(decideRetry(p, 1, f, 0, false, now, now + milliseconds(500)).retryState, int(en::RETRY_STATE_TIMEOUT));
    QCOMPARE(decideRetry(p, 1, {}, en::TIMEOUT_TYPE_SCHEDULE_TO_START, false, now, TimePoint::max()).retryState,
             int(en::RETRY_STATE_TIMEOUT));
    QCOMPARE(decideRetry(p, 1, {}, en::TIMEOUT_TYPE_START_TO_CLOSE, false, now, TimePoint::max()).retryState,
             int(en::RETRY_STATE_IN_PROGRESS));
    p.add_non_retryable_error_types("TemporalTimeout:StartToClose");
    QCOMPARE(decideRetry(p, 1, {}, en::TIMEOUT_TYPE_START_TO_CLOSE, false, now, TimePoint::max()).retryState,
             int(en::RETRY_STATE_NON_RETRYABLE_FAILURE));
    // next_retry_delay wins over the policy.
    f.mutable_application_failure_info()->mutable_next_retry_delay()->set_seconds(7);
    QCOMPARE(duration_cast<seconds>(decideRetry(p, 1, f, 0, false, now, TimePoint::max()).delay).count(), 7);
    const auto tf = makeTimeoutFailure(en::TIMEOUT_TYPE_HEARTBEAT, &f, nullptr);
    QCOMPARE(tf.message(), std::string("activity Heartbeat timeout"));
    QCOMPARE(tf.source(), std::string("Server"));
    QCOMPARE(tf.cause().application_failure_info().type(), std::string("Error"));
}

QTEST_APPLESS_MAIN(TestRetryRules)
#include "tst_retryrules.moc"
