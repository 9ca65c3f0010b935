// The dashboard with 10,000 resources: store round trip and merge (store thread), model load into a
// shown, sorted table (UI thread), one filter keystroke at a time, and the process RSS.
#include "core/resourcerow.h"
#include "core/storedb.h"
#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"
#include "ui/dashboardpage.h"
#include "ui/theme.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula::Console;

namespace {

long rssKiB()
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const auto &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

QList<RunRecord> makeRuns(int n)
{
    const QStringList prefixes{u"web"_s, u"api"_s, u"db"_s, u"cache"_s, u"edge"_s, u"batch"_s};
    const QStringList statuses{u"Completed"_s, u"Completed"_s, u"Running"_s, u"Failed"_s, u"Canceled"_s};
    const QStringList owners{u"admin"_s, u"olga"_s, u"bob"_s, u"ci"_s};
    const auto base = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    QList<RunRecord> runs;
    runs.reserve(n);
    for (int i = 0; i < n; ++i) {
        RunRecord r;
        r.resource = u"%1-%2"_s.arg(prefixes[i % prefixes.size()]).arg(i, 5, 10, QChar(u'0'));
        r.workflowId = u"resource/"_s + r.resource;
        r.runId = u"run-%1"_s.arg(i);
        r.workflowType = u"ProvisionResource"_s;
        r.status = statuses[i % statuses.size()];
        r.startedAt = base.addSecs(i * 60);
        r.closedAt = r.status == u"Running"_s ? QDateTime() : r.startedAt.addSecs(90);
        r.startedBy = owners[i % owners.size()];
        r.memo = QJsonObject{{u"type"_s, i % 3 ? u"local-webserver"_s : u"ec2-instance"_s},
                             {u"region"_s, i % 3 ? u"local"_s : u"eu-central-1"_s},
                             {u"size"_s, i % 3 ? u"small"_s : u"t3.micro"_s}, {u"requestedBy"_s, r.startedBy}};
        if (r.status == u"Completed"_s)
            r.result = QJsonObject{{u"ipAddress"_s, u"127.0.0.1"_s}, {u"url"_s, u"http://127.0.0.1:%1/"_s.arg(20000 + i % 40000)}};
        runs << r;
    }
    return runs;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;
    Theme::apply(app, ThemeChoice::Light);
    const long rssStart = rssKiB();

    // Store thread work: write the runs once, then what each refresh does (read + merge).
    QTemporaryDir dir;
    StoreDb db;
    if (!db.open(dir.filePath(u"bench.sqlite"_s)))
        return 1;
    const auto runs = makeRuns(n);
    QElapsedTimer t;
    t.start();
    if (!db.upsertRuns(runs))
        return 1;
    const qint64 writeMs = t.elapsed();
    t.restart();
    const auto storedResources = *db.resources();
    const auto storedRuns = *db.runs();
    const auto rows = mergeResources(storedResources, storedRuns);
    const qint64 readMergeMs = t.elapsed();

    // UI thread: load into the shown, sorted dashboard and paint.
    DashboardPage page;
    page.resize(1200, 700);
    page.show();
    QCoreApplication::processEvents();
    t.restart();
    page.setRows(rows);
    page.table()->viewport()->repaint();
    const qint64 loadMs = t.elapsed();

    // Update with one changed row (what an auto-refresh does).
    auto changed = rows;
    changed[n / 2].state = ResourceState::Failed;
    t.restart();
    page.setRows(changed);
    page.table()->viewport()->repaint();
    const qint64 updateMs = t.elapsed();

    // Filter keystrokes, typed one character at a time, then erased.
    const QString typed = u"web-0123"_s;
    qint64 worst = 0, total = 0;
    int strokes = 0;
    for (int i = 1; i <= typed.size(); ++i) {
        t.restart();
        page.filterField()->setText(typed.left(i));
        page.table()->viewport()->repaint();
        const auto ms = t.elapsed();
        std::printf("  keystroke \"%s\": %lld ms, %d rows shown\n", qPrintable(typed.left(i)), static_cast<long long>(ms),
                    page.proxy()->rowCount());
        worst = std::max(worst, ms);
        total += ms;
        ++strokes;
    }
    for (qsizetype i = typed.size() - 1; i >= 0; --i) {
        t.restart();
        page.filterField()->setText(typed.left(i));
        page.table()->viewport()->repaint();
        const auto ms = t.elapsed();
        std::printf("  erase to \"%s\": %lld ms, %d rows shown\n", qPrintable(typed.left(i)), static_cast<long long>(ms),
                    page.proxy()->rowCount());
        worst = std::max(worst, ms);
        total += ms;
        ++strokes;
    }
    const long rssEnd = rssKiB();
    std::printf("dashboard with %d resources:\n"
                "  store write (once, one transaction): %lld ms\n"
                "  store read + merge (store thread, each refresh): %lld ms\n"
                "  load into the sorted, painted table (UI thread): %lld ms (target <= 300 ms)\n"
                "  refresh with one changed row (UI thread): %lld ms\n"
                "  filter keystroke: mean %.1f ms, worst %lld ms over %d keystrokes (target <= 30 ms)\n"
                "  RSS: %ld MiB at start, %ld MiB with the dashboard loaded (target <= 150 MB)\n",
                n, static_cast<long long>(writeMs), static_cast<long long>(readMergeMs), static_cast<long long>(loadMs),
                static_cast<long long>(updateMs), static_cast<double>(total) / strokes, static_cast<long long>(worst), strokes,
                rssStart / 1024, rssEnd / 1024);
    const bool ok = loadMs <= 300 && worst <= 30 && rssEnd / 1024 <= 150;
    return ok ? 0 : 2;
}
