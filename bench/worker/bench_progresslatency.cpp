// How fast a tool's output reaches the `progress` query: nebula-devserver + nebula-worker + real
// terraform, whose apply prints a timestamped line every 200 ms. The client polls the query every
// 50 ms and records, for each line, the delay between the tool printing it and the query showing
// it. Target: p95 <= 1 s (issue #4). Prints the distribution; asserts nothing.
#include "stackprocesses.h"

#include "provisioning/progress.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <set>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;

namespace {

QString tickerInfrastructure(const QString &dir, int ticks)
{
    const QString source = qEnvironmentVariable("NEBULA_SOURCE_DIR") + u"/infrastructure"_s;
    QDirIterator it(source, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        if (file.contains(u"__pycache__"_s))
            continue;
        const QString target = dir + file.mid(source.size());
        QDir().mkpath(QFileInfo(target).path());
        QFile::copy(file, target);
        QFile::setPermissions(target, QFile(file).permissions());
    }
    QFile ticker(dir + u"/terraform/modules/local-webserver/ticker.tf"_s);
    ticker.open(QIODevice::WriteOnly);
    ticker.write(u"resource \"terraform_data\" \"ticker\" {\n"
                 u"  provisioner \"local-exec\" {\n"
                 u"    command = \"for i in $(seq 1 %1); do echo tick $(date +%s%3N); sleep 0.2; done\"\n"
                 u"  }\n"
                 u"}\n"_s.arg(ticks).toUtf8());
    return dir;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int ticks = 100;
    Testing::Stack stack;
    const QString infra = tickerInfrastructure(stack.dir() + u"/infra"_s, ticks);
    if (!stack.startDevServer() || !stack.startWorker({u"--infrastructure-dir"_s, infra})) {
        std::fprintf(stderr, "could not start the stack\n%s\n", qPrintable(stack.logs()));
        return 1;
    }
    const QString id = u"resource/bench-progress"_s;
    const QJsonObject spec{{u"name"_s, u"bench-progress"_s}, {u"type"_s, u"local-webserver"_s},
                           {u"region"_s, u"local"_s}, {u"size"_s, u"small"_s}};
    if (!Testing::start(stack.client(), u"ProvisionResource"_s, id, spec)) {
        std::fprintf(stderr, "start failed\n");
        return 1;
    }
    static const QRegularExpression tick(u"tick (\\d{13})"_s);
    std::set<qint64> seen;
    std::vector<qint64> latencies;
    QElapsedTimer total;
    total.start();
    int queries = 0;
    while (total.elapsed() < 180000) {
        const auto answer = Testing::query(stack.client(), id, u"progress"_s, 5000);
        ++queries;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (answer) {
            const auto p = Provisioning::RunProgress::fromJson(answer->toObject());
            for (const auto &stage : p.stages) {
                for (const auto &e : stage.events) {
                    const auto m = tick.match(e.text);
                    if (m.hasMatch() && seen.insert(m.captured(1).toLongLong()).second && stage.id == u"apply"_s)
                        latencies.push_back(now - m.captured(1).toLongLong());
                }
            }
            if (p.status != Provisioning::StageStatus::Running && p.status != Provisioning::StageStatus::Pending)
                break;
        }
        QThread::msleep(50);
    }
    if (latencies.empty()) {
        std::fprintf(stderr, "no tool output reached the query\n%s\n", qPrintable(stack.logs()));
        return 1;
    }
    std::sort(latencies.begin(), latencies.end());
    const auto pct = [&](double q) {
        return latencies[std::min(latencies.size() - 1, static_cast<size_t>(q * static_cast<double>(latencies.size())))];
    };
    std::printf("tool output -> progress query: %zu lines seen over %d queries\n", latencies.size(), queries);
    std::printf("  p50 %lld ms   p95 %lld ms   max %lld ms   (target p95 <= 1000 ms)\n",
                static_cast<long long>(pct(0.50)), static_cast<long long>(pct(0.95)),
                static_cast<long long>(latencies.back()));
    return 0;
}
