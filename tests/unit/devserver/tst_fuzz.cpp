// Randomised request handling: mutated requests (from a corpus of real ones, real task tokens
// included) are sent to every RPC. Every call must be answered, nothing may crash (run it under
// the asan preset), and the engine must still run a workflow correctly afterwards.
#include "enginedriver.h"

#include <QRandomGenerator>

using namespace Nebula::DevServer;
using namespace Nebula::DevServer::Testing;

namespace {

const char *const Methods[] = {
    "StartWorkflowExecution", "SignalWithStartWorkflowExecution", "SignalWorkflowExecution",
    "RequestCancelWorkflowExecution", "TerminateWorkflowExecution", "PollWorkflowTaskQueue",
    "RespondWorkflowTaskCompleted", "RespondWorkflowTaskFailed", "RespondQueryTaskCompleted",
    "PollActivityTaskQueue", "RecordActivityTaskHeartbeat", "RecordActivityTaskHeartbeatById",
    "RespondActivityTaskCompleted", "RespondActivityTaskCompletedById", "RespondActivityTaskFailed",
    "RespondActivityTaskFailedById", "RespondActivityTaskCanceled", "RespondActivityTaskCanceledById",
    "ShutdownWorker", "QueryWorkflow", "GetWorkflowExecutionHistory", "DescribeWorkflowExecution",
    "ListWorkflowExecutions", "ListOpenWorkflowExecutions", "ListClosedWorkflowExecutions",
    "CountWorkflowExecutions", "DescribeTaskQueue", "GetSystemInfo", "DescribeNamespace", "ListNamespaces",
    "UpdateWorkflowExecution", "NoSuchMethod"};

std::string mutate(std::string s, QRandomGenerator &rng)
{
    const int n = rng.bounded(1, 8);
    for (int i = 0; i < n; ++i) {
        switch (rng.bounded(5)) {
        case 0: // flip a byte
            if (!s.empty())
                s[rng.bounded(static_cast<quint32>(s.size()))] = static_cast<char>(rng.bounded(256));
            break;
        case 1: // truncate
            if (!s.empty())
                s.resize(rng.bounded(static_cast<quint32>(s.size())));
            break;
        case 2: // insert random bytes
            s.insert(s.empty() ? 0 : rng.bounded(static_cast<quint32>(s.size())), std::string(rng.bounded(1, 16), static_cast<char>(rng.bounded(256))));
            break;
        case 3: // duplicate a chunk (protobuf: repeated / overriding fields)
            if (s.size() > 2) {
                const auto from = rng.bounded(static_cast<quint32>(s.size() - 1));
                const auto len = rng.bounded(1u, static_cast<quint32>(s.size() - from));
                s += s.substr(from, len);
            }
            break;
        default: // small varint fields with extreme values
            s += std::string("\x30\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
            break;
        }
    }
    return s;
}

} // namespace

class TestFuzz : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mutatedRequests();
};

void TestFuzz::mutatedRequests()
{
    EngineOptions o;
    o.taskLongPoll = std::chrono::milliseconds(300);
    o.historyLongPoll = std::chrono::milliseconds(300);
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, o);
    // Corpus: real requests, including live task tokens.
    std::vector<std::string> corpus;
    ws::StartWorkflowExecutionRequest start;
    start.set_namespace_("default");
    start.set_workflow_id("fuzz");
    start.mutable_workflow_type()->set_name("Wf");
    start.mutable_task_queue()->set_name("tq");
    start.mutable_workflow_task_timeout()->set_seconds(1);
    corpus.push_back(start.SerializeAsString());
    for (int i = 0; i < 5; ++i) {
        start.set_workflow_id("fuzz-" + std::to_string(i));
        QVERIFY(d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", start).ok());
        auto t = d.pollWorkflow();
        QVERIFY(t.ok());
        ws::RespondWorkflowTaskCompletedRequest c;
        c.set_namespace_("default");
        c.set_task_token(t.resp.task_token());
        *c.add_commands() = EngineDriver::scheduleActivity("a");
        *c.add_commands() = EngineDriver::startTimer("t", 50);
        corpus.push_back(c.SerializeAsString());
        QVERIFY(d.call<ws::RespondWorkflowTaskCompletedResponse>("RespondWorkflowTaskCompleted", c).ok());
        auto a = d.pollActivity();
        ws::RespondActivityTaskFailedRequest f;
        f.set_namespace_("default");
        f.set_task_token(a.resp.task_token());
        f.mutable_failure()->set_message("x");
        corpus.push_back(f.SerializeAsString());
        ws::GetWorkflowExecutionHistoryRequest h;
        h.set_namespace_("default");
        h.mutable_execution()->set_workflow_id(start.workflow_id());
        h.set_wait_new_event(true);
        corpus.push_back(h.SerializeAsString());
        ws::ListWorkflowExecutionsRequest l;
        l.set_namespace_("default");
        l.set_query("WorkflowType = 'Wf' AND (ExecutionStatus = 'Running' OR StartTime > '2020-01-01T00:00:00Z')");
        corpus.push_back(l.SerializeAsString());
        ws::QueryWorkflowRequest q;
        q.set_namespace_("default");
        q.mutable_execution()->set_workflow_id(start.workflow_id());
        q.mutable_query()->set_query_type("q");
        corpus.push_back(q.SerializeAsString());
    }
    QRandomGenerator rng(20261126);
    std::vector<std::shared_ptr<SyncCall>> calls;
    constexpr int Iterations = 3000;
    for (int i = 0; i < Iterations; ++i) {
        const char *method = Methods[rng.bounded(static_cast<quint32>(std::size(Methods)))];
        const std::string base = corpus[rng.bounded(static_cast<quint32>(corpus.size()))];
        const std::string bytes = rng.bounded(10) == 0 ? base : mutate(base, rng);
        auto c = std::make_shared<SyncCall>(Clock::now() + std::chrono::milliseconds(2500));
        d.service().dispatch(std::string("/temporal.api.workflowservice.v1.WorkflowService/") + method, bytes, {}, c);
        calls.push_back(c);
        if (calls.size() > 200) {
            for (auto &call : calls)
                QVERIFY2(call->wait(std::chrono::seconds(30)), "a call was never answered");
            calls.clear();
        }
    }
    for (auto &call : calls)
        QVERIFY2(call->wait(std::chrono::seconds(30)), "a call was never answered");
    // Still healthy: a fresh workflow runs to completion.
    QVERIFY(d.startWorkflow("after-fuzz", "clean-tq").ok());
    auto t = d.pollWorkflow("clean-tq");
    QVERIFY(t.ok());
    QVERIFY(d.complete(t.resp.task_token(), {EngineDriver::completeWorkflow()}).ok());
    QCOMPARE(d.eventTypes("after-fuzz").back(), int(en::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
}

QTEST_GUILESS_MAIN(TestFuzz)
#include "tst_fuzz.moc"
