// Benchmarks for nebula-devserver, run against the real binary with a file-backed database:
//  1. StartWorkflowExecution latency on loopback (sequential, p50/p90/p99);
//  2. completed workflows per second for a workflow of 3 sequential no-op activities, driven by
//     C++ threads playing the worker (raw WorkflowService stub, full history on every task);
//  3. the server's RSS with 10,000+ closed workflows stored.
// Usage: bench_devserver [--workflows N] [--concurrency C] [--latency-samples S] [--server PATH]
#include <temporal/api/workflowservice/v1/service.grpc.pb.h>

#include <grpcpp/grpcpp.h>

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace ws = temporal::api::workflowservice::v1;
namespace en = temporal::api::enums::v1;
using Clock = std::chrono::steady_clock;

namespace {

std::unique_ptr<grpc::ClientContext> ctx(int seconds)
{
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return c;
}

ws::StartWorkflowExecutionRequest startRequest(const std::string &id, const std::string &queue)
{
    ws::StartWorkflowExecutionRequest r;
    r.set_namespace_("default");
    r.set_workflow_id(id);
    r.mutable_workflow_type()->set_name("ThreeActivities");
    r.mutable_task_queue()->set_name(queue);
    r.set_identity("bench");
    return r;
}

long rssKb(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int workflows = 10000;
    int concurrency = 8;
    int latencySamples = 1000;
    QString serverPath = QStringLiteral(NEBULA_DEVSERVER_PATH);
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--workflows")
            workflows = args[i + 1].toInt();
        else if (args[i] == u"--concurrency")
            concurrency = args[i + 1].toInt();
        else if (args[i] == u"--latency-samples")
            latencySamples = args[i + 1].toInt();
        else if (args[i] == u"--server")
            serverPath = args[i + 1];
    }
    QTemporaryDir dir;
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const int port = probe.serverPort();
    probe.close();
    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(serverPath, {QStringLiteral("--port"), QString::number(port), QStringLiteral("--db"),
                              dir.filePath(QStringLiteral("bench.db")), QStringLiteral("--log-level"), QStringLiteral("warn")});
    if (!server.waitForReadyRead(15000)) {
        std::fprintf(stderr, "bench: the devserver did not start (%s)\n", qPrintable(serverPath));
        return 1;
    }
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
    auto stub = ws::WorkflowService::NewStub(channel);
    std::printf("nebula-devserver benchmark: %d workflows x 3 activities, %d worker threads of each kind, "
                "%d start-latency samples, file DB\n",
                workflows, concurrency, latencySamples);

    // 1. Start latency.
    std::vector<double> latencies;
    for (int i = 0; i < latencySamples; ++i) {
        ws::StartWorkflowExecutionResponse resp;
        auto c = ctx(10);
        const auto t0 = Clock::now();
        const auto s = stub->StartWorkflowExecution(c.get(), startRequest("lat-" + std::to_string(i), "latency"), &resp);
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!s.ok()) {
            std::fprintf(stderr, "start failed: %s\n", s.error_message().c_str());
            return 1;
        }
    }
    std::printf("StartWorkflowExecution latency: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms\n", percentile(latencies, 0.5),
                percentile(latencies, 0.9), percentile(latencies, 0.99));
    for (int i = 0; i < latencySamples; ++i) {
        ws::TerminateWorkflowExecutionRequest t;
        t.set_namespace_("default");
        t.mutable_workflow_execution()->set_workflow_id("lat-" + std::to_string(i));
        ws::TerminateWorkflowExecutionResponse tr;
        auto c = ctx(10);
        stub->TerminateWorkflowExecution(c.get(), t, &tr);
    }

    // 2. Throughput: 3 sequential no-op activities per workflow.
    std::atomic<int> completed{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const auto begin = Clock::now();
    threads.emplace_back([&] {
        auto s = ws::WorkflowService::NewStub(channel);
        for (int i = 0; i < workflows; ++i) {
            ws::StartWorkflowExecutionResponse resp;
            auto c = ctx(10);
            s->StartWorkflowExecution(c.get(), startRequest("wf-" + std::to_string(i), "bench"), &resp);
        }
    });
    for (int w = 0; w < concurrency; ++w) {
        threads.emplace_back([&] { // workflow worker
            auto s = ws::WorkflowService::NewStub(channel);
            while (!stop) {
                ws::PollWorkflowTaskQueueRequest p;
                p.set_namespace_("default");
                p.mutable_task_queue()->set_name("bench");
                p.set_identity("bench-wf");
                ws::PollWorkflowTaskQueueResponse task;
                auto c = ctx(3);
                if (!s->PollWorkflowTaskQueue(c.get(), p, &task).ok() || task.task_token().empty())
                    continue;
                int done = 0;
                for (const auto &e : task.history().events())
                    done += e.event_type() == en::EVENT_TYPE_ACTIVITY_TASK_COMPLETED;
                ws::RespondWorkflowTaskCompletedRequest r;
                r.set_namespace_("default");
                r.set_task_token(task.task_token());
                r.set_identity("bench-wf");
                auto *cmd = r.add_commands();
                if (done < 3) {
                    cmd->set_command_type(en::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK);
                    auto *a = cmd->mutable_schedule_activity_task_command_attributes();
                    a->set_activity_id(std::to_string(done + 1));
                    a->mutable_activity_type()->set_name("Noop");
                    a->mutable_start_to_close_timeout()->set_seconds(30);
                } else {
                    cmd->set_command_type(en::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION);
                    cmd->mutable_complete_workflow_execution_command_attributes();
                }
                ws::RespondWorkflowTaskCompletedResponse rr;
                auto c2 = ctx(10);
                if (s->RespondWorkflowTaskCompleted(c2.get(), r, &rr).ok() && done >= 3 && ++completed >= workflows)
                    stop = true;
            }
        });
        threads.emplace_back([&] { // activity worker
            auto s = ws::WorkflowService::NewStub(channel);
            while (!stop) {
                ws::PollActivityTaskQueueRequest p;
                p.set_namespace_("default");
                p.mutable_task_queue()->set_name("bench");
                p.set_identity("bench-act");
                ws::PollActivityTaskQueueResponse task;
                auto c = ctx(3);
                if (!s->PollActivityTaskQueue(c.get(), p, &task).ok() || task.task_token().empty())
                    continue;
                ws::RespondActivityTaskCompletedRequest r;
                r.set_namespace_("default");
                r.set_task_token(task.task_token());
                ws::RespondActivityTaskCompletedResponse rr;
                auto c2 = ctx(10);
                s->RespondActivityTaskCompleted(c2.get(), r, &rr);
            }
        });
    }
    for (auto &t : threads)
        t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    std::printf("Throughput: %d workflows (3 activities each) completed in %.1f s = %.0f workflows/s\n",
                completed.load(), seconds, completed.load() / seconds);

    // 3. Memory with everything closed.
    const long rss = rssKb(server.processId());
    const qint64 dbBytes = QFileInfo(dir.filePath(QStringLiteral("bench.db"))).size()
                           + QFileInfo(dir.filePath(QStringLiteral("bench.db-wal"))).size();
    std::printf("Server RSS with %d closed workflows stored: %.1f MB (database %.1f MB)\n", workflows + latencySamples,
                static_cast<double>(rss) / 1024.0, static_cast<double>(dbBytes) / 1e6);
    server.terminate();
    server.waitForFinished(10000);
    return 0;
}
