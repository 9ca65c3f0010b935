// TemporalClient against an in-process gRPC server implementing a few WorkflowService methods:
// retry on UNAVAILABLE then success, deadline exceeded, ALREADY_EXISTS with the typed detail
// (runId), NOT_FOUND, and the callback delivered on the caller's thread.

#include "temporal/connection.h"
#include "temporal/grpcstatus.h"
#include "temporal/temporalclient.h"

#include <temporal/api/errordetails/v1/message.pb.h>

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <QTest>
#include <QThread>

#include <atomic>
#include <optional>
#include <thread>

using namespace Nebula;
using namespace Nebula::Temporal;
using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace {

namespace ws = temporal::api::workflowservice::v1;

class FakeService final : public WorkflowService::Service
{
public:
    std::atomic<int> unavailableLeft = 0;
    std::atomic<int> systemInfoCalls = 0;

    grpc::Status GetSystemInfo(grpc::ServerContext *, const ws::GetSystemInfoRequest *,
                               ws::GetSystemInfoResponse *resp) override
    {
        ++systemInfoCalls;
        if (unavailableLeft > 0) {
            --unavailableLeft;
            return grpc::Status(grpc::UNAVAILABLE, "warming up");
        }
        resp->set_server_version("9.9.9");
        return grpc::Status::OK;
    }

    grpc::Status DescribeWorkflowExecution(grpc::ServerContext *ctx, const ws::DescribeWorkflowExecutionRequest *req,
                                           ws::DescribeWorkflowExecutionResponse *) override
    {
        if (req->execution().workflow_id() == "slow") {
            // Sleep past the caller's deadline (until it cancels).
            for (int i = 0; i < 100 && !ctx->IsCancelled(); ++i)
                std::this_thread::sleep_for(50ms);
            return grpc::Status(grpc::DEADLINE_EXCEEDED, "too slow");
        }
        return Nebula::Temporal::makeStatus(grpc::NOT_FOUND, "workflow not found for ID: " + req->execution().workflow_id());
    }

    grpc::Status StartWorkflowExecution(grpc::ServerContext *, const ws::StartWorkflowExecutionRequest *req,
                                        ws::StartWorkflowExecutionResponse *resp) override
    {
        if (req->workflow_id() == "taken") {
            temporal::api::errordetails::v1::WorkflowExecutionAlreadyStartedFailure detail;
            detail.set_run_id("run-existing");
            detail.set_start_request_id("req-1");
            return Nebula::Temporal::makeStatus(grpc::ALREADY_EXISTS,
                                                "Workflow execution is already running. WorkflowId: taken, RunId: run-existing.",
                                                &detail);
        }
        if (req->workflow_type().name().empty())
            return grpc::Status(grpc::INVALID_ARGUMENT, "WorkflowType is not set on request.");
        resp->set_run_id("run-new");
        resp->set_started(true);
        return grpc::Status::OK;
    }
};

template <typename T>
std::optional<Result<T>> waitFor(std::optional<Result<T>> &slot, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!slot && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return slot;
}

} // namespace

class TestTemporalClient final : public QObject
{
    Q_OBJECT

    FakeService m_service;
    std::unique_ptr<grpc::Server> m_server;
    std::unique_ptr<TemporalClient> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        int port = 0;
        grpc::ServerBuilder builder;
        builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
        builder.RegisterService(&m_service);
        m_server = builder.BuildAndStart();
        QVERIFY(m_server);
        QVERIFY(port > 0);
        ConnectionOptions o;
        o.address = u"127.0.0.1:%1"_s.arg(port);
        auto client = TemporalClient::create(o);
        QVERIFY(client.ok());
        m_client = std::move(*client);
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_server->Shutdown(std::chrono::system_clock::now() + 2s);
    }

    void retriesUnavailableThenSucceeds()
    {
        m_service.unavailableLeft = 3;
        m_service.systemInfoCalls = 0;
        std::optional<Result<SystemInfo>> result;
        m_client->getSystemInfo(this, [&](const Result<SystemInfo> &r) { result = r; });
        QVERIFY(waitFor(result, 15000));
        QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().message));
        QCOMPARE((*result)->serverVersion, u"9.9.9"_s);
        QCOMPARE(m_service.systemInfoCalls.load(), 4);
    }

    void givesUpWhenTheRetryBudgetIsSpent()
    {
        m_service.unavailableLeft = 1000;
        std::optional<Result<SystemInfo>> result;
        CallOptions call;
        call.retryBudget = 500ms;
        m_client->getSystemInfo(this, [&](const Result<SystemInfo> &r) { result = r; }, call);
        QVERIFY(waitFor(result, 15000));
        QVERIFY(!result->ok());
        QCOMPARE(result->error().code, ErrorCode::Unavailable);
        m_service.unavailableLeft = 0;
    }

    void deadlineExceeded()
    {
        std::optional<Result<WorkflowDescription>> result;
        CallOptions call;
        call.timeout = 300ms;
        QElapsedTimer timer;
        timer.start();
        m_client->describeWorkflow(WorkflowRef{u"slow"_s, {}}, this,
                                   [&](const Result<WorkflowDescription> &r) { result = r; }, call);
        QVERIFY(waitFor(result, 10000));
        QVERIFY(!result->ok());
        QCOMPARE(result->error().code, ErrorCode::DeadlineExceeded);
        QVERIFY(timer.elapsed() < 3000);
    }

    void alreadyExistsCarriesRunId()
    {
        std::optional<Result<StartResult>> result;
        StartWorkflowRequest req;
        req.workflowId = u"taken"_s;
        req.workflowType = u"T"_s;
        req.taskQueue = u"q"_s;
        m_client->startWorkflow(req, this, [&](const Result<StartResult> &r) { result = r; });
        QVERIFY(waitFor(result, 10000));
        QVERIFY(!result->ok());
        QCOMPARE(result->error().code, ErrorCode::AlreadyExists);
        QVERIFY2(result->error().detail.contains(u"WorkflowExecutionAlreadyStartedFailure"_s),
                 qPrintable(result->error().detail));
        QCOMPARE(result->error().data.value(u"runId"_s).toString(), u"run-existing"_s);
    }

    void notFoundAndInvalidArgument()
    {
        std::optional<Result<WorkflowDescription>> missing;
        m_client->describeWorkflow(WorkflowRef{u"nope"_s, {}}, this,
                                   [&](const Result<WorkflowDescription> &r) { missing = r; });
        QVERIFY(waitFor(missing, 10000));
        QCOMPARE(missing->error().code, ErrorCode::NotFound);
        QVERIFY(missing->error().detail.contains(u"DescribeWorkflowExecution"_s));

        std::optional<Result<StartResult>> invalid;
        StartWorkflowRequest req;
        req.workflowId = u"x"_s;
        req.taskQueue = u"q"_s;
        m_client->startWorkflow(req, this, [&](const Result<StartResult> &r) { invalid = r; });
        QVERIFY(waitFor(invalid, 10000));
        QCOMPARE(invalid->error().code, ErrorCode::InvalidArgument);
        QVERIFY(invalid->error().message.contains(u"WorkflowType is not set"_s));
    }

    void callbackArrivesOnCallersThread()
    {
        QThread thread;
        thread.start();
        QObject context;
        context.moveToThread(&thread);
        std::atomic<QThread *> callbackThread = nullptr;
        std::atomic<bool> done = false;
        QMetaObject::invokeMethod(&context, [&] {
            m_client->getSystemInfo(&context, [&](const Result<SystemInfo> &) {
                callbackThread = QThread::currentThread();
                done = true;
            });
        }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 10000);
        QCOMPARE(callbackThread.load(), &thread);
        QMetaObject::invokeMethod(&context, [&context] { context.moveToThread(QCoreApplication::instance()->thread()); },
                                  Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(5000));
    }
};

QTEST_GUILESS_MAIN(TestTemporalClient)
#include "tst_temporalclient.moc"
