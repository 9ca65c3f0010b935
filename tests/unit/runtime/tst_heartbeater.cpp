// Activity heartbeats (throttling, latest details win, flush on completion, cancellation from the
// response, NotFound, deadline), signals from activities, and the cancellation token.

#include "temporal/worker/activitycontext.h"
#include "temporal/worker/internal/activitytaskrun.h"
#include "temporal/worker/internal/heartbeater.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <mutex>

using namespace Nebula;
using namespace Nebula::Temporal;
using namespace Nebula::Temporal::Internal;
using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Records what would have been sent and answers like a server would.
struct FakeTransport
{
    std::mutex mutex;
    QList<QJsonValue> heartbeats;
    QStringList signalNames;
    std::atomic<bool> cancelRequested = false;
    std::atomic<bool> notFound = false;

    Heartbeater::Transport transport()
    {
        Heartbeater::Transport t;
        t.heartbeat = [this](const std::string &, const Payloads &details, auto done) {
            {
                std::lock_guard lock(mutex);
                heartbeats << (details.payloads_size() ? *PayloadConverter::firstToJson(details)
                                                       : QJsonValue(QJsonValue::Undefined));
            }
            done(notFound ? grpc::Status(grpc::NOT_FOUND, "gone") : grpc::Status::OK, cancelRequested.load());
        };
        t.signal = [this](const auto &, const std::string &name, const Payloads &, auto done) {
            {
                std::lock_guard lock(mutex);
                signalNames << QString::fromStdString(name);
            }
            done(grpc::Status::OK);
        };
        return t;
    }
    int count()
    {
        std::lock_guard lock(mutex);
        return static_cast<int>(heartbeats.size());
    }
    QJsonValue last()
    {
        std::lock_guard lock(mutex);
        return heartbeats.isEmpty() ? QJsonValue() : heartbeats.last();
    }
};

ws::PollActivityTaskQueueResponse activityTask(const char *type, std::chrono::seconds heartbeatTimeout,
                                               std::chrono::milliseconds startToClose = 60s)
{
    ws::PollActivityTaskQueueResponse t;
    t.set_task_token("tok");
    t.mutable_activity_type()->set_name(type);
    t.set_activity_id("1");
    t.mutable_workflow_execution()->set_workflow_id("wf");
    t.mutable_workflow_execution()->set_run_id("run");
    t.set_attempt(2);
    t.mutable_heartbeat_timeout()->set_seconds(heartbeatTimeout.count());
    t.mutable_start_to_close_timeout()->set_seconds(startToClose.count() / 1000);
    t.mutable_start_to_close_timeout()->set_nanos(static_cast<int>((startToClose.count() % 1000) * 1000000));
    *t.mutable_heartbeat_details()->add_payloads() = PayloadConverter::fromJson(QJsonObject{{u"step"_s, 4}});
    return t;
}

} // namespace

class TestHeartbeater final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void throttleInterval()
    {
        QCOMPARE(Heartbeater::throttleInterval(0ms), 30000ms);
        QCOMPARE(Heartbeater::throttleInterval(10s), 8000ms);
        QCOMPARE(Heartbeater::throttleInterval(1000s), 60000ms);
    }

    void firstHeartbeatAtOnceThenLatestAfterInterval()
    {
        FakeTransport fake;
        Heartbeater hb(fake.transport());
        auto a = hb.add("tok", {}, CancellationToken(), 1s, std::nullopt); // interval 800 ms
        QElapsedTimer timer;
        timer.start();
        for (int i = 1; i <= 50; ++i)
            hb.heartbeat(a, i);
        QTRY_COMPARE_WITH_TIMEOUT(fake.count(), 1, 500);
        QCOMPARE(fake.last().toInt(), 1);
        // The rest is coalesced: one more heartbeat, with the latest details, after the interval.
        QTRY_COMPARE_WITH_TIMEOUT(fake.count(), 2, 3000);
        QVERIFY(timer.elapsed() >= 700);
        QCOMPARE(fake.last().toInt(), 50);
        QTest::qWait(1000); // nothing pending: nothing more is sent
        QCOMPARE(fake.count(), 2);
        hb.remove(a);
    }

    void flushSendsPendingDetailsAtOnce()
    {
        FakeTransport fake;
        Heartbeater hb(fake.transport());
        auto a = hb.add("tok", {}, CancellationToken(), 100s, std::nullopt); // interval 60 s
        hb.heartbeat(a, 1);
        QTRY_COMPARE(fake.count(), 1);
        hb.heartbeat(a, 2);
        hb.heartbeat(a, 3);
        QElapsedTimer timer;
        timer.start();
        hb.flush(a, 5s);
        QVERIFY(timer.elapsed() < 2000);
        QCOMPARE(fake.count(), 2);
        QCOMPARE(fake.last().toInt(), 3);
        QCOMPARE(hb.lastDetails(a)->toInt(), 3);
        hb.remove(a);
    }

    void cancelRequestedFromResponse()
    {
        FakeTransport fake;
        fake.cancelRequested = true;
        Heartbeater hb(fake.transport());
        CancellationToken token;
        auto a = hb.add("tok", {}, token, 10s, std::nullopt);
        QVERIFY(!token.isCancelled());
        hb.heartbeat(a, QJsonValue());
        QVERIFY(token.waitFor(5s));
        QCOMPARE(token.reason(), CancelReason::CancelRequested);
        hb.remove(a);
    }

    void notFoundCancels()
    {
        FakeTransport fake;
        fake.notFound = true;
        Heartbeater hb(fake.transport());
        CancellationToken token;
        auto a = hb.add("tok", {}, token, 10s, std::nullopt);
        hb.heartbeat(a, 1);
        QVERIFY(token.waitFor(5s));
        QCOMPARE(token.reason(), CancelReason::NotFound);
        hb.remove(a);
    }

    void deadlineCancels()
    {
        FakeTransport fake;
        Heartbeater hb(fake.transport());
        CancellationToken token;
        auto a = hb.add("tok", {}, token, 0s, Heartbeater::Clock::now() + 300ms);
        QVERIFY(!token.waitFor(100ms));
        QVERIFY(token.waitFor(3s));
        QCOMPARE(token.reason(), CancelReason::TimedOut);
        hb.remove(a);
    }

    void tokenCallbacksAndQtContext()
    {
        CancellationToken token;
        std::atomic<int> plain = 0;
        auto r1 = token.onCancel([&plain] { ++plain; });
        auto dropped = token.onCancel([&plain] { plain += 100; });
        dropped.reset(); // unregistered: must not run
        QObject receiver;
        int queued = 0;
        Qt::HANDLE threadOfSlot = nullptr;
        auto r2 = token.onCancel(&receiver, [&] {
            ++queued;
            threadOfSlot = QThread::currentThreadId();
        });
        // Cancel from another thread, as the heartbeat thread does.
        std::thread canceller([token] { token.cancel(CancelReason::WorkerShutdown); });
        canceller.join();
        QCOMPARE(plain.load(), 1);
        QTRY_COMPARE(queued, 1);
        QCOMPARE(threadOfSlot, QThread::currentThreadId());
        QCOMPARE(token.reason(), CancelReason::WorkerShutdown);
        QVERIFY(!token.cancel(CancelReason::CancelRequested)); // one-shot
        // Registering after cancellation runs at once.
        bool late = false;
        auto r3 = token.onCancel([&late] { late = true; });
        QVERIFY(late);
    }

    void activityRunReportsAndFlushes()
    {
        FakeTransport fake;
        Heartbeater hb(fake.transport());
        Registry registry;
        registry.registerActivity(u"Work"_s, [](ActivityContext &ctx, const QJsonArray &args) -> Result<QJsonValue> {
            if (ctx.info().attempt != 2 || ctx.info().heartbeatDetails.toObject().value(u"step"_s).toInt() != 4)
                return makeError(ErrorCode::Internal, u"bad info"_s);
            ctx.signalWorkflow(u"progress"_s, {1});
            ctx.signalWorkflow(u"progress"_s, {2});
            ctx.heartbeat(u"a"_s);
            ctx.heartbeat(u"b"_s);
            return QJsonValue(args.size());
        });
        ActivityTaskRun run(activityTask("Work", 100s), u"default"_s, u"me"_s, &hb);
        QVERIFY(run.info().deadline.isValid());
        auto outcome = run.execute(registry);
        QCOMPARE(outcome.kind, ActivityOutcome::Kind::Completed);
        // Both signals and the last details went out before the result.
        QCOMPARE(fake.signalNames, (QStringList{u"progress"_s, u"progress"_s}));
        QCOMPARE(fake.last().toString(), u"b"_s);
    }

    void activityErrorsMapToFailures()
    {
        Registry registry;
        registry.registerActivity(u"Bad"_s, [](ActivityContext &, const QJsonArray &) -> Result<QJsonValue> {
            Error e = makeError(ErrorCode::Validation, u"The region is unknown."_s, u"region=xx"_s);
            e.data.insert(u"nonRetryable"_s, true);
            return e;
        });
        registry.registerActivity(u"Throws"_s, [](ActivityContext &, const QJsonArray &) -> Result<QJsonValue> {
            throw std::runtime_error("oops");
        });
        ActivityTaskRun bad(activityTask("Bad", 0s), u"default"_s, u"me"_s, nullptr);
        auto o1 = bad.execute(registry);
        QCOMPARE(o1.kind, ActivityOutcome::Kind::Failed);
        QCOMPARE(o1.failed.failure().message(), "The region is unknown.");
        QCOMPARE(o1.failed.failure().application_failure_info().type(), "validation");
        QVERIFY(o1.failed.failure().application_failure_info().non_retryable());
        ActivityTaskRun throws(activityTask("Throws", 0s), u"default"_s, u"me"_s, nullptr);
        auto o2 = throws.execute(registry);
        QCOMPARE(o2.kind, ActivityOutcome::Kind::Failed);
        QCOMPARE(o2.failed.failure().message(), "Activity Throws threw: oops");
        QVERIFY(!o2.failed.failure().application_failure_info().non_retryable());
        ActivityTaskRun missing(activityTask("Missing", 0s), u"default"_s, u"me"_s, nullptr);
        QCOMPARE(missing.execute(registry).failed.failure().application_failure_info().type(), "ActivityNotRegistered");
    }

    // An activity blocked in a local QEventLoop (as around a QProcess) is woken by the token, and
    // returning Cancelled after a cancel request reports RespondActivityTaskCanceled.
    void cancellationWakesEventLoopActivity()
    {
        FakeTransport fake;
        fake.cancelRequested = true;
        Heartbeater hb(fake.transport());
        Registry registry;
        registry.registerActivity(u"Loop"_s, [](ActivityContext &ctx, const QJsonArray &) -> Result<QJsonValue> {
            QEventLoop loop;
            QObject context;
            auto reg = ctx.cancellationToken().onCancel(&context, [&loop] { loop.quit(); });
            QTimer::singleShot(50, &context, [&ctx] { ctx.heartbeat(u"working"_s); });
            QTimer::singleShot(10000, &context, [&loop] { loop.quit(); });
            loop.exec();
            if (ctx.isCancelled())
                return makeError(ErrorCode::Cancelled, u"Stopped on request."_s);
            return QJsonValue(u"finished"_s);
        });
        ActivityOutcome outcome;
        QThread *thread = QThread::create([&] {
            ActivityTaskRun run(activityTask("Loop", 5s), u"default"_s, u"me"_s, &hb);
            outcome = run.execute(registry);
        });
        QElapsedTimer timer;
        timer.start();
        thread->start();
        QVERIFY(thread->wait(8000));
        delete thread;
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(outcome.kind, ActivityOutcome::Kind::Canceled);
        QCOMPARE(outcome.canceled.task_token(), "tok");
    }
};

QTEST_GUILESS_MAIN(TestHeartbeater)
#include "tst_heartbeater.moc"
