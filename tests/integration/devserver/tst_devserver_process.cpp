// nebula-devserver as a process: CLI, port conflicts, health, auth, SIGTERM, and kill -9 in the
// middle of a run with a file database (nothing acknowledged is lost; the run continues).
#include "devserverprocess.h"

#include <grpcpp/generic/generic_stub.h>

#include <QFile>
#include <QTemporaryDir>

#include <future>

using namespace Nebula::DevServer::Testing;
namespace ws = temporal::api::workflowservice::v1;
namespace en = temporal::api::enums::v1;

namespace {

ws::StartWorkflowExecutionRequest startRequest(const std::string &id, const std::string &queue = "tq")
{
    ws::StartWorkflowExecutionRequest r;
    r.set_namespace_("default");
    r.set_workflow_id(id);
    r.mutable_workflow_type()->set_name("Wf");
    r.mutable_task_queue()->set_name(queue);
    r.set_identity("itest");
    return r;
}

ws::PollWorkflowTaskQueueResponse pollWorkflow(ws::WorkflowService::Stub &stub, const std::string &queue = "tq")
{
    ws::PollWorkflowTaskQueueRequest r;
    r.set_namespace_("default");
    r.mutable_task_queue()->set_name(queue);
    r.set_identity("itest-worker");
    ws::PollWorkflowTaskQueueResponse resp;
    auto ctx = context(20);
    stub.PollWorkflowTaskQueue(ctx.get(), r, &resp);
    return resp;
}

ws::PollActivityTaskQueueResponse pollActivity(ws::WorkflowService::Stub &stub, const std::string &queue = "tq")
{
    ws::PollActivityTaskQueueRequest r;
    r.set_namespace_("default");
    r.mutable_task_queue()->set_name(queue);
    r.set_identity("itest-worker");
    ws::PollActivityTaskQueueResponse resp;
    auto ctx = context(20);
    stub.PollActivityTaskQueue(ctx.get(), r, &resp);
    return resp;
}

grpc::Status completeTask(ws::WorkflowService::Stub &stub, const std::string &token,
                          std::vector<temporal::api::command::v1::Command> commands)
{
    ws::RespondWorkflowTaskCompletedRequest r;
    r.set_namespace_("default");
    r.set_task_token(token);
    for (auto &c : commands)
        *r.add_commands() = std::move(c);
    ws::RespondWorkflowTaskCompletedResponse resp;
    auto ctx = context();
    return stub.RespondWorkflowTaskCompleted(ctx.get(), r, &resp);
}

temporal::api::command::v1::Command scheduleActivity(int startToCloseSec)
{
    temporal::api::command::v1::Command c;
    c.set_command_type(en::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK);
    auto *a = c.mutable_schedule_activity_task_command_attributes();
    a->set_activity_id("1");
    a->mutable_activity_type()->set_name("Act");
    a->mutable_start_to_close_timeout()->set_seconds(startToCloseSec);
    a->mutable_retry_policy()->mutable_initial_interval()->set_nanos(100000000);
    return c;
}

temporal::api::command::v1::Command completeWorkflow()
{
    temporal::api::command::v1::Command c;
    c.set_command_type(en::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION);
    c.mutable_complete_workflow_execution_command_attributes();
    return c;
}

std::vector<int> eventTypes(ws::WorkflowService::Stub &stub, const std::string &id)
{
    ws::GetWorkflowExecutionHistoryRequest r;
    r.set_namespace_("default");
    r.mutable_execution()->set_workflow_id(id);
    ws::GetWorkflowExecutionHistoryResponse resp;
    auto ctx = context();
    stub.GetWorkflowExecutionHistory(ctx.get(), r, &resp);
    std::vector<int> out;
    for (const auto &e : resp.history().events())
        out.push_back(e.event_type());
    return out;
}

} // namespace

class TestDevServerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpAndVersion();
    void portInUse();
    void healthSystemInfoAndUnimplemented();
    void emptyLongPoll();
    void killNineMidRun();
    void killNineLosesNoAcknowledgedStart();
    void authorization();
    void sigtermShutsDownCleanly();
};

void TestDevServerProcess::helpAndVersion()
{
    QProcess p;
    p.start(devserverBinary(), {QStringLiteral("--help")});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray help = p.readAllStandardOutput();
    for (const char *opt : {"--port", "--bind", "--db", "--namespace", "--log-level", "--log-format", "--auth-keys",
                            "--jwt-key-file"})
        QVERIFY2(help.contains(opt), opt);
    p.start(devserverBinary(), {QStringLiteral("--version")});
    QVERIFY(p.waitForFinished(10000));
    QVERIFY(p.readAllStandardOutput().startsWith("nebula-devserver "));
    p.start(devserverBinary(), {QStringLiteral("--port"), QStringLiteral("x")});
    QVERIFY(p.waitForFinished(10000));
    QVERIFY(p.exitCode() != 0);
    QVERIFY(p.readAllStandardError().contains("--port"));
}

void TestDevServerProcess::portInUse()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    DevServerProcess server({QStringLiteral("--db"), QStringLiteral(":memory:")}, taken.serverPort());
    QVERIFY(server.process().waitForFinished(15000));
    QVERIFY(server.process().exitCode() != 0);
    server.process().waitForReadyRead(100);
    const QString expected = QStringLiteral("port %1 on 127.0.0.1 is in use; pass --port").arg(taken.serverPort());
    QVERIFY2(QString::fromUtf8(server.output() + server.process().readAllStandardError()).contains(expected),
             server.output().constData());
}

void TestDevServerProcess::healthSystemInfoAndUnimplemented()
{
    DevServerProcess server({QStringLiteral("--db"), QStringLiteral(":memory:"), QStringLiteral("--namespace"),
                             QStringLiteral("extra")});
    QVERIFY2(server.waitListening(), server.output().constData());
    auto stub = server.stub();
    ws::GetSystemInfoResponse info;
    auto ctx = context();
    QVERIFY(stub->GetSystemInfo(ctx.get(), {}, &info).ok());
    QVERIFY(info.capabilities().sdk_metadata());
    QVERIFY(!info.capabilities().eager_workflow_start());
    ws::DescribeNamespaceRequest dn;
    dn.set_namespace_("extra");
    ws::DescribeNamespaceResponse dnr;
    ctx = context();
    QVERIFY(stub->DescribeNamespace(ctx.get(), dn, &dnr).ok());
    QVERIFY(!dnr.namespace_info().capabilities().worker_heartbeats());
    dn.set_namespace_("missing");
    ctx = context();
    QCOMPARE(stub->DescribeNamespace(ctx.get(), dn, &dnr).error_code(), grpc::StatusCode::NOT_FOUND);
    ws::UpdateWorkflowExecutionRequest up;
    ws::UpdateWorkflowExecutionResponse upr;
    ctx = context();
    const auto st = stub->UpdateWorkflowExecution(ctx.get(), up, &upr);
    QCOMPARE(st.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    QVERIFY(st.error_message().find("UpdateWorkflowExecution") != std::string::npos);

    // grpc.health.v1.Health/Check{service} -> {status: SERVING (1)}, spoken as raw protobuf.
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server.port()), grpc::InsecureChannelCredentials());
    grpc::GenericStub generic(channel);
    const std::string service = "temporal.api.workflowservice.v1.WorkflowService";
    std::string request = std::string("\x0a", 1) + static_cast<char>(service.size()) + service;
    grpc::Slice slice(request.data(), request.size());
    grpc::ByteBuffer requestBuffer(&slice, 1);
    grpc::ByteBuffer responseBuffer;
    grpc::ClientContext hctx;
    hctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    std::promise<grpc::Status> done;
    generic.UnaryCall(&hctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &requestBuffer, &responseBuffer,
                      [&done](grpc::Status s) { done.set_value(s); });
    QVERIFY(done.get_future().get().ok());
    std::vector<grpc::Slice> slices;
    QVERIFY(responseBuffer.Dump(&slices).ok());
    std::string response;
    for (const auto &s : slices)
        response.append(reinterpret_cast<const char *>(s.begin()), s.size());
    QCOMPARE(response, std::string("\x08\x01", 2));
}

void TestDevServerProcess::emptyLongPoll()
{
    DevServerProcess server({QStringLiteral("--db"), QStringLiteral(":memory:")});
    QVERIFY(server.waitListening());
    auto stub = server.stub();
    ws::PollWorkflowTaskQueueRequest r;
    r.set_namespace_("default");
    r.mutable_task_queue()->set_name("nobody-here");
    ws::PollWorkflowTaskQueueResponse resp;
    auto ctx = context(4); // held until about a second before the deadline, then empty
    const auto begin = std::chrono::steady_clock::now();
    QVERIFY(stub->PollWorkflowTaskQueue(ctx.get(), r, &resp).ok());
    QVERIFY(resp.task_token().empty());
    QVERIFY(std::chrono::steady_clock::now() - begin >= std::chrono::milliseconds(2500));
}

void TestDevServerProcess::killNineMidRun()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QStringList args{QStringLiteral("--db"), dir.filePath(QStringLiteral("devserver.db"))};
    std::string runId;
    {
        DevServerProcess server(args);
        QVERIFY2(server.waitListening(), server.output().constData());
        auto stub = server.stub();
        ws::StartWorkflowExecutionResponse started;
        auto ctx = context();
        QVERIFY(stub->StartWorkflowExecution(ctx.get(), startRequest("wf-kill"), &started).ok());
        runId = started.run_id();
        auto task = pollWorkflow(*stub);
        QVERIFY(!task.task_token().empty());
        QVERIFY(completeTask(*stub, task.task_token(), {scheduleActivity(2)}).ok());
        auto act = pollActivity(*stub); // started, then the server dies
        QVERIFY(!act.task_token().empty());
        QCOMPARE(act.attempt(), 1);
        server.process().kill(); // SIGKILL
        QVERIFY(server.process().waitForFinished(5000));
        const QByteArray logLine = QByteArray("workflow started: workflowId=wf-kill runId=") + QByteArray::fromStdString(runId);
        QVERIFY(server.output().contains(logLine));
    }
    DevServerProcess server(args);
    QVERIFY2(server.waitListening(), server.output().constData());
    auto stub = server.stub();
    QCOMPARE(eventTypes(*stub, "wf-kill").size(), 5u);
    // The attempt that was running when the server died times out (2 s) and is retried.
    auto act = pollActivity(*stub);
    QVERIFY(!act.task_token().empty());
    QCOMPARE(act.attempt(), 2);
    QCOMPARE(act.workflow_execution().run_id(), runId);
    ws::RespondActivityTaskCompletedRequest done;
    done.set_namespace_("default");
    done.set_task_token(act.task_token());
    ws::RespondActivityTaskCompletedResponse doneResp;
    auto ctx = context();
    QVERIFY(stub->RespondActivityTaskCompleted(ctx.get(), done, &doneResp).ok());
    auto task = pollWorkflow(*stub);
    QVERIFY(!task.task_token().empty());
    QVERIFY(completeTask(*stub, task.task_token(), {completeWorkflow()}).ok());
    const std::vector<int> expected{1, 5, 6, 7, 10, 11, 12, 5, 6, 7, 2};
    QCOMPARE(eventTypes(*stub, "wf-kill"), expected);
    QTRY_VERIFY_WITH_TIMEOUT(server.output().contains("workflow completed: workflowId=wf-kill"), 5000);
}

void TestDevServerProcess::killNineLosesNoAcknowledgedStart()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QStringList args{QStringLiteral("--db"), dir.filePath(QStringLiteral("devserver.db"))};
    int acknowledged = 0;
    {
        DevServerProcess server(args);
        QVERIFY(server.waitListening());
        auto stub = server.stub();
        for (int i = 0; i < 200; ++i) {
            ws::StartWorkflowExecutionResponse resp;
            auto ctx = context();
            if (stub->StartWorkflowExecution(ctx.get(), startRequest("ack-" + std::to_string(i)), &resp).ok())
                ++acknowledged;
        }
        server.process().kill(); // right after the last acknowledgement
        QVERIFY(server.process().waitForFinished(5000));
    }
    QCOMPARE(acknowledged, 200);
    DevServerProcess server(args);
    QVERIFY(server.waitListening());
    auto stub = server.stub();
    ws::CountWorkflowExecutionsRequest count;
    count.set_namespace_("default");
    count.set_query("WorkflowId STARTS_WITH 'ack-' AND ExecutionStatus = 'Running'");
    ws::CountWorkflowExecutionsResponse countResp;
    auto ctx = context();
    QVERIFY(stub->CountWorkflowExecutions(ctx.get(), count, &countResp).ok());
    QCOMPARE(countResp.count(), acknowledged);
}

void TestDevServerProcess::authorization()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile keys(dir.filePath(QStringLiteral("keys")));
    QVERIFY(keys.open(QIODevice::WriteOnly));
    keys.write("reader reader-token-0123456789\noperator operator-token-0123456789\n");
    keys.close();
    QFile jwtKey(dir.filePath(QStringLiteral("jwt.key")));
    QVERIFY(jwtKey.open(QIODevice::WriteOnly));
    jwtKey.write("a-long-enough-shared-secret-key\n");
    jwtKey.close();
    DevServerProcess server({QStringLiteral("--db"), QStringLiteral(":memory:"), QStringLiteral("--auth-keys"),
                             keys.fileName(), QStringLiteral("--jwt-key-file"), jwtKey.fileName()});
    QVERIFY2(server.waitListening(), server.output().constData());
    auto stub = server.stub();
    ws::DescribeWorkflowExecutionRequest d;
    d.set_namespace_("default");
    d.mutable_execution()->set_workflow_id("x");
    ws::DescribeWorkflowExecutionResponse dr;
    auto ctx = context();
    QCOMPARE(stub->DescribeWorkflowExecution(ctx.get(), d, &dr).error_code(), grpc::StatusCode::UNAUTHENTICATED);
    ctx = context(10, "reader-token-0123456789");
    QCOMPARE(stub->DescribeWorkflowExecution(ctx.get(), d, &dr).error_code(), grpc::StatusCode::NOT_FOUND);
    ws::StartWorkflowExecutionResponse sr;
    ctx = context(10, "reader-token-0123456789");
    QCOMPARE(stub->StartWorkflowExecution(ctx.get(), startRequest("auth-wf"), &sr).error_code(),
             grpc::StatusCode::PERMISSION_DENIED);
    ctx = context(10, "operator-token-0123456789");
    QVERIFY(stub->StartWorkflowExecution(ctx.get(), startRequest("auth-wf"), &sr).ok());
    QVERIFY(!server.output().contains("operator-token")); // secrets never logged
}

void TestDevServerProcess::sigtermShutsDownCleanly()
{
    DevServerProcess server({QStringLiteral("--db"), QStringLiteral(":memory:"), QStringLiteral("--log-format"),
                             QStringLiteral("json")});
    QVERIFY(server.waitListening());
    auto stub = server.stub();
    // A long poll in flight must not hold the shutdown up.
    auto pending = std::async(std::launch::async, [&stub] {
        ws::PollActivityTaskQueueRequest r;
        r.set_namespace_("default");
        r.mutable_task_queue()->set_name("idle");
        ws::PollActivityTaskQueueResponse resp;
        auto ctx = context(60);
        return stub->PollActivityTaskQueue(ctx.get(), r, &resp);
    });
    QTRY_VERIFY_WITH_TIMEOUT(server.process().state() == QProcess::Running, 1000);
    server.process().terminate(); // SIGTERM
    QVERIFY(server.process().waitForFinished(10000));
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);
    QVERIFY(pending.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    server.process().waitForReadyRead(100);
    QVERIFY(server.output().contains("{\"")); // JSON log lines
}

QTEST_GUILESS_MAIN(TestDevServerProcess)
#include "tst_devserver_process.moc"
