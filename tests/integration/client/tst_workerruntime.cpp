// The worker runtime against a real nebula-devserver process: workflows with activities, queries
// answered by the running worker and by another worker (full replay), cancellation with a
// detached clean-up activity, activity failures, reconnection, and graceful shutdown.

#include "devserverprocess.h"

#include "temporal/connection.h"
#include "temporal/temporalclient.h"
#include "temporal/worker/failure.h"
#include "temporal/worker/worker.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <atomic>

using namespace Nebula;
using namespace Nebula::Temporal;
using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace {

ActivityOptions shortActivity()
{
    ActivityOptions o;
    o.startToCloseTimeout = 30s;
    RetryPolicy retry;
    retry.initialInterval = 100ms;
    retry.maximumAttempts = 3;
    o.retryPolicy = retry;
    return o;
}

WorkflowTask<Result<QJsonValue>> planApply(WorkflowContext &ctx, QJsonArray args)
{
    // Queries are answered after the function returns too: state lives outside the coroutine frame.
    auto state = std::make_shared<QJsonObject>(QJsonObject{{u"stage"_s, u"plan"_s}});
    ctx.setQueryHandler(u"state"_s, [state](const QJsonArray &) -> Result<QJsonValue> { return QJsonValue(*state); });
    auto plan = co_await ctx.executeActivity(u"TerraformPlan"_s, args, shortActivity());
    if (!plan)
        co_return plan.error();
    state->insert(u"stage"_s, u"apply"_s);
    // (A braced QJsonArray inside co_await trips GCC 12: build it first.)
    const QJsonArray applyArgs{*plan};
    auto apply = co_await ctx.executeActivity(u"TerraformApply"_s, applyArgs, shortActivity());
    if (!apply)
        co_return apply.error();
    state->insert(u"stage"_s, u"done"_s);
    QJsonObject result;
    result.insert(u"plan"_s, *plan);
    result.insert(u"apply"_s, *apply);
    co_return QJsonValue(result);
}

WorkflowTask<Result<QJsonValue>> cancellable(WorkflowContext &ctx, QJsonArray)
{
    ActivityOptions o = shortActivity();
    o.heartbeatTimeout = 2s;
    auto r = co_await ctx.executeActivity(u"Long"_s, {}, o);
    if (!r && isCancellation(r.error())) {
        ActivityOptions cleanup = shortActivity();
        cleanup.detached = true;
        auto c = co_await ctx.executeActivity(u"Cleanup"_s, {}, cleanup);
        if (!c)
            co_return c.error();
        co_return cancelledError();
    }
    co_return r;
}

template <typename T>
Result<T> wait(std::function<void(TemporalClient::Callback<T>)> call, int timeoutMs = 20000)
{
    std::optional<Result<T>> result;
    call([&result](const Result<T> &r) { result = r; });
    QDeadlineTimer deadline(timeoutMs);
    while (!result && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!result)
        return makeError(ErrorCode::DeadlineExceeded, u"the test timed out waiting for a callback"_s);
    return *result;
}

} // namespace

class TestWorkerRuntime final : public QObject
{
    Q_OBJECT

    std::unique_ptr<Testing::DevServerProcess> m_server;
    std::unique_ptr<TemporalClient> m_client;
    std::shared_ptr<Connection> m_connection;
    QString m_queue;
    std::atomic<int> m_longStarted = 0;
    std::atomic<int> m_cleanups = 0;
    std::atomic<CancelReason> m_longReason = CancelReason::None;

    std::unique_ptr<Worker> makeWorker(WorkerOptions o = {})
    {
        o.taskQueue = m_queue;
        o.gracefulShutdownTimeout = 5s;
        auto w = std::make_unique<Worker>(m_connection, o);
        w->registerWorkflow(u"PlanApply"_s, &planApply);
        w->registerWorkflow(u"Cancellable"_s, &cancellable);
        w->registerActivity(u"TerraformPlan"_s, [](ActivityContext &, const QJsonArray &args) -> Result<QJsonValue> {
            const QString name = args.at(0).toObject().value(u"name"_s).toString();
            if (name == u"invalid"_s)
                return nonRetryable(makeError(ErrorCode::Validation, u"The resource name invalid is reserved."_s));
            return QJsonValue(QJsonObject{{u"planned"_s, name}});
        });
        w->registerActivity(u"TerraformApply"_s, [](ActivityContext &, const QJsonArray &) -> Result<QJsonValue> {
            return QJsonValue(u"applied"_s);
        });
        w->registerActivity(u"Long"_s, [this](ActivityContext &ctx, const QJsonArray &) -> Result<QJsonValue> {
            ++m_longStarted;
            auto token = ctx.cancellationToken();
            for (int i = 0; i < 600 && !token.isCancelled(); ++i) {
                ctx.heartbeat(i);
                token.waitFor(100ms);
            }
            m_longReason = token.reason();
            if (token.isCancelled())
                return cancelledError(u"Long stopped."_s);
            return QJsonValue(u"finished"_s);
        });
        w->registerActivity(u"Cleanup"_s, [this](ActivityContext &, const QJsonArray &) -> Result<QJsonValue> {
            ++m_cleanups;
            return QJsonValue(u"cleaned"_s);
        });
        return w;
    }

    Result<StartResult> start(const QString &type, const QString &id, const QJsonArray &args)
    {
        StartWorkflowRequest req;
        req.workflowId = id;
        req.workflowType = type;
        req.taskQueue = m_queue;
        req.args = args;
        return wait<StartResult>([&](auto cb) { m_client->startWorkflow(req, this, cb); });
    }

    Result<WorkflowOutcome> outcome(const QString &id)
    {
        return wait<WorkflowOutcome>([&](auto cb) { m_client->waitForOutcome(WorkflowRef{id, {}}, this, cb); }, 30000);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<Testing::DevServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(u"cannot start "_s + Testing::DevServerProcess::binary() + u": "_s + m_server->log()));
        ConnectionOptions o;
        o.address = m_server->address();
        auto client = TemporalClient::create(o);
        QVERIFY(client.ok());
        m_client = std::move(*client);
        m_connection = m_client->connection();
        m_queue = u"rt-"_s + QUuid::createUuid().toString(QUuid::Id128);
        m_longStarted = 0;
        m_cleanups = 0;
        m_longReason = CancelReason::None;
    }

    void cleanup()
    {
        if (QTest::currentTestFailed() && m_server)
            qWarning("devserver log:\n%s", qPrintable(m_server->log()));
        m_client.reset();
        m_connection.reset();
        m_server.reset();
    }

    void duplicateRegistrationFailsAtStart()
    {
        WorkerOptions o;
        o.taskQueue = m_queue;
        Worker w(m_connection, o);
        w.registerWorkflow(u"PlanApply"_s, &planApply);
        w.registerWorkflow(u"PlanApply"_s, &cancellable);
        auto ok = w.start();
        QVERIFY(!ok);
        QVERIFY2(ok.error().message.contains(u"PlanApply is registered twice"_s), qPrintable(ok.error().message));
    }

    void completesWorkflowAndAnswersQueries()
    {
        auto worker = makeWorker();
        QVERIFY(worker->start().ok());
        QVERIFY(start(u"PlanApply"_s, u"wf-ok"_s, {QJsonObject{{u"name"_s, u"web-1"_s}}}).ok());
        auto out = outcome(u"wf-ok"_s);
        QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message));
        QCOMPARE(out->status, WorkflowStatus::Completed);
        QCOMPARE(out->result.toObject().value(u"apply"_s).toString(), u"applied"_s);
        QCOMPARE(out->result.toObject().value(u"plan"_s).toObject().value(u"planned"_s).toString(), u"web-1"_s);

        auto state = wait<QJsonValue>([&](auto cb) { m_client->queryWorkflow(WorkflowRef{u"wf-ok"_s, {}}, u"state"_s, {}, this, cb); });
        QVERIFY2(state.ok(), qPrintable(state.ok() ? QString() : state.error().message));
        QCOMPARE(state->toObject().value(u"stage"_s).toString(), u"done"_s);

        // Another worker process (a fresh cache) answers by replaying the full history.
        worker->shutdown();
        auto other = makeWorker();
        QVERIFY(other->start().ok());
        auto again = wait<QJsonValue>([&](auto cb) { m_client->queryWorkflow(WorkflowRef{u"wf-ok"_s, {}}, u"state"_s, {}, this, cb); });
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message));
        QCOMPARE(again->toObject().value(u"stage"_s).toString(), u"done"_s);
        auto unknown = wait<QJsonValue>([&](auto cb) { m_client->queryWorkflow(WorkflowRef{u"wf-ok"_s, {}}, u"nope"_s, {}, this, cb); });
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error().detail.contains(u"no query handler named nope"_s)
                     || unknown.error().message.contains(u"no query handler named nope"_s),
                 qPrintable(unknown.error().message + u" / "_s + unknown.error().detail));
    }

    void activityFailureFailsWorkflowWithItsMessage()
    {
        auto worker = makeWorker();
        QVERIFY(worker->start().ok());
        QVERIFY(start(u"PlanApply"_s, u"wf-bad"_s, {QJsonObject{{u"name"_s, u"invalid"_s}}}).ok());
        auto out = outcome(u"wf-bad"_s);
        QVERIFY(out.ok());
        QCOMPARE(out->status, WorkflowStatus::Failed);
        QCOMPARE(out->failureMessage, u"The resource name invalid is reserved."_s);
        QCOMPARE(out->failureType, u"validation"_s);
    }

    void cancellationCancelsActivityAndRunsCleanup()
    {
        auto worker = makeWorker();
        QVERIFY(worker->start().ok());
        QVERIFY(start(u"Cancellable"_s, u"wf-cancel"_s, {}).ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_longStarted.load() > 0, 15000);
        auto cancelled = wait<void>([&](auto cb) { m_client->requestCancelWorkflow(WorkflowRef{u"wf-cancel"_s, {}}, u"test"_s, this, cb); });
        QVERIFY(cancelled.ok());
        auto out = outcome(u"wf-cancel"_s);
        QVERIFY(out.ok());
        QCOMPARE(out->status, WorkflowStatus::Canceled);
        QCOMPARE(m_longReason.load(), CancelReason::CancelRequested);
        QCOMPARE(m_cleanups.load(), 1);
    }

    void reportsOutageAndReconnects()
    {
        auto worker = makeWorker();
        QSignalSpy status(worker.get(), &Worker::statusChanged);
        QVERIFY(worker->start().ok());
        QTRY_COMPARE(worker->status(), Worker::Status::Polling);
        const int port = m_server->port();
        m_server->kill();
        QTRY_COMPARE_WITH_TIMEOUT(worker->status(), Worker::Status::ServerUnavailable, 15000);
        m_server = std::make_unique<Testing::DevServerProcess>(port);
        QVERIFY(m_server->start());
        // Polls succeed again (the backoff is capped at 10 s).
        QTRY_COMPARE_WITH_TIMEOUT(worker->status(), Worker::Status::Polling, 20000);
        QVERIFY(start(u"PlanApply"_s, u"wf-after"_s, {QJsonObject{{u"name"_s, u"x"_s}}}).ok());
        QCOMPARE(outcome(u"wf-after"_s)->status, WorkflowStatus::Completed);
        QVERIFY(status.count() >= 2);
    }

    void shutdownCancelsActivitiesAfterGracePeriod()
    {
        WorkerOptions o;
        auto worker = makeWorker(o);
        QVERIFY(worker->start().ok());
        QVERIFY(start(u"Cancellable"_s, u"wf-shutdown"_s, {}).ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_longStarted.load() > 0, 15000);
        QElapsedTimer timer;
        timer.start();
        worker->shutdown(); // grace 5 s, then the token fires
        QVERIFY(timer.elapsed() >= 4500);
        QVERIFY(timer.elapsed() < 15000);
        QCOMPARE(m_longReason.load(), CancelReason::WorkerShutdown);
        QCOMPARE(worker->status(), Worker::Status::Stopped);
        QCOMPARE(worker->runningActivities(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWorkerRuntime)
#include "tst_workerruntime.moc"
