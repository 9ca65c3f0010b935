// Worker runtime benchmarks against a real nebula-devserver on loopback.
//
//   bench_runtime [--devserver PATH] [--workflows N] [--concurrency C] [--sequential N] [--idle-only]
//
// 1. sequential: one workflow running N no-op activities one after the other; per activity: wall
//    time (activity + workflow task round trips through the server) and this process's CPU time.
// 2. throughput: N workflows of 3 sequential no-op activities, C in flight; workflows/s.
// 3. idle RSS of a process that only runs a started Worker (--idle-only, measured after 5 s).

#include "common/logging.h"
#include "temporal/connection.h"
#include "temporal/temporalclient.h"
#include "temporal/worker/worker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUuid>

#include <sys/resource.h>

#include <cstdio>

using namespace Nebula;
using namespace Nebula::Temporal;
using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long rssKiB()
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return done();
}

ActivityOptions noop()
{
    ActivityOptions o;
    o.startToCloseTimeout = 30s;
    return o;
}

WorkflowTask<Result<QJsonValue>> sequence(WorkflowContext &ctx, QJsonArray args)
{
    const int n = args.at(0).toInt(3);
    for (int i = 0; i < n; ++i) {
        auto r = co_await ctx.executeActivity(u"Noop"_s, {}, noop());
        if (!r)
            co_return r.error();
    }
    co_return QJsonValue(n);
}

std::unique_ptr<Worker> makeWorker(std::shared_ptr<Connection> connection, const QString &queue)
{
    WorkerOptions o;
    o.taskQueue = queue;
    o.maxConcurrentWorkflowTasks = 8;
    o.maxConcurrentActivities = 16;
    o.workflowTaskPollers = 2;
    o.activityTaskPollers = 4;
    o.gracefulShutdownTimeout = 2s;
    auto w = std::make_unique<Worker>(connection, o);
    w->registerWorkflow(u"Sequence"_s, &sequence);
    w->registerActivity(u"Noop"_s, [](ActivityContext &, const QJsonArray &) -> Result<QJsonValue> { return QJsonValue(); });
    return w;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Log::Options logOptions;
    logOptions.level = spdlog::level::warn;
    Log::setup(logOptions);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"devserver"_s, u"nebula-devserver binary"_s, u"path"_s,
                      QCoreApplication::applicationDirPath() + u"/../../devserver/nebula-devserver"_s});
    parser.addOption({u"address"_s, u"Use a running server instead (host:port)"_s, u"address"_s});
    parser.addOption({u"workflows"_s, u"Workflows in the throughput run"_s, u"n"_s, u"1000"_s});
    parser.addOption({u"concurrency"_s, u"Workflows in flight"_s, u"n"_s, u"64"_s});
    parser.addOption({u"sequential"_s, u"Activities in the sequential run"_s, u"n"_s, u"300"_s});
    parser.addOption({u"idle-only"_s, u"Only start a worker and report its RSS after 5 s"_s});
    parser.process(app);

    QProcess server;
    QString address = parser.value(u"address"_s);
    if (address.isEmpty()) {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const int port = probe.serverPort();
        probe.close();
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start(parser.value(u"devserver"_s), {u"--port"_s, QString::number(port), u"--bind"_s, u"127.0.0.1"_s,
                                                    u"--db"_s, u":memory:"_s, u"--log-level"_s, u"error"_s});
        address = u"127.0.0.1:%1"_s.arg(port);
        const bool up = waitUntil([&] {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(port));
            return s.waitForConnected(100);
        }, 15000);
        if (!up) {
            std::fprintf(stderr, "cannot start %s\n", qPrintable(parser.value(u"devserver"_s)));
            return 1;
        }
    }
    ConnectionOptions co;
    co.address = address;
    auto client = TemporalClient::create(co);
    if (!client) {
        std::fprintf(stderr, "%s\n", qPrintable((client.error().message)));
        return 1;
    }
    auto connection = (*client)->connection();
    const QString queue = u"bench-"_s + QUuid::createUuid().toString(QUuid::Id128);
    auto worker = makeWorker(connection, queue);
    if (auto ok = worker->start(); !ok) {
        std::fprintf(stderr, "%s\n", qPrintable(ok.error().message));
        return 1;
    }

    if (parser.isSet(u"idle-only"_s)) {
        waitUntil([] { return false; }, 5000);
        std::printf("idle RSS of a worker process: %.1f MiB\n", static_cast<double>(rssKiB()) / 1024.0);
        worker->shutdown();
        server.kill();
        server.waitForFinished();
        return 0;
    }

    auto runOne = [&](const QString &id, int activities, std::function<void(bool)> done) {
        StartWorkflowRequest req;
        req.workflowId = id;
        req.workflowType = u"Sequence"_s;
        req.taskQueue = queue;
        req.args = {activities};
        (*client)->startWorkflow(req, &app, [&, id, done](const Result<StartResult> &started) {
            if (!started) {
                std::fprintf(stderr, "start failed: %s\n", qPrintable(started.error().message));
                done(false);
                return;
            }
            (*client)->waitForOutcome(WorkflowRef{id, {}}, &app, [done](const Result<WorkflowOutcome> &o) {
                done(o.ok() && o->status == WorkflowStatus::Completed);
            });
        });
    };

    // 1. Sequential activities.
    const int sequential = parser.value(u"sequential"_s).toInt();
    {
        bool finished = false, ok = false;
        QElapsedTimer wall;
        const double cpu0 = cpuSeconds();
        wall.start();
        runOne(u"seq"_s, sequential, [&](bool r) { finished = true; ok = r; });
        waitUntil([&] { return finished; }, 600000);
        const double ms = static_cast<double>(wall.nsecsElapsed()) / 1e6;
        const double cpu = (cpuSeconds() - cpu0) * 1000.0;
        std::printf("sequential: %d no-op activities %s in %.0f ms: %.2f ms wall per activity "
                    "(activity task + workflow task round trip), %.2f ms worker-process CPU per activity\n",
                    sequential, ok ? "completed" : "FAILED", ms, ms / sequential, cpu / sequential);
    }

    // 2. Throughput.
    const int total = parser.value(u"workflows"_s).toInt();
    const int concurrency = parser.value(u"concurrency"_s).toInt();
    int started = 0, completed = 0, failed = 0;
    std::function<void()> launch = [&] {
        const QString id = u"tp-%1"_s.arg(started++);
        runOne(id, 3, [&](bool ok) {
            ok ? ++completed : ++failed;
            if (started < total)
                launch();
        });
    };
    QElapsedTimer wall;
    const double cpu0 = cpuSeconds();
    wall.start();
    for (int i = 0; i < concurrency && started < total; ++i)
        launch();
    waitUntil([&] { return completed + failed == total; }, 600000);
    const double secs = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    std::printf("throughput: %d workflows of 3 no-op activities (%d in flight): %d completed, %d failed in "
                "%.2f s = %.0f workflows/s; this process (worker + client) used %.2f s CPU\n",
                total, concurrency, completed, failed, secs, completed / secs, cpuSeconds() - cpu0);
    std::printf("RSS after the runs: %.1f MiB\n", static_cast<double>(rssKiB()) / 1024.0);
    worker->shutdown();
    server.kill();
    server.waitForFinished();
    return failed == 0 ? 0 : 2;
}
