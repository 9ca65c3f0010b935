// The main window with Temporal down (a closed loopback port): it opens, says so, shows what the
// local store knows and keeps retrying. No server is contacted.
#include "core/localstore.h"
#include "core/resourcesync.h"
#include "core/secretstore.h"
#include "guitest.h"
#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"
#include "ui/banner.h"
#include "ui/dashboardpage.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QDialog>
#include <QLineEdit>
#include <QSettings>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;

class TestMainWindow final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<QSettings> m_settings;
    ConsoleContext m_ctx;
    quint16 m_deadPort = 0;
    int m_n = 0;

    void seed(int count)
    {
        std::optional<bool> done;
        m_store->run<bool>(
            [count](StoreDb &db) -> Result<bool> {
                QList<RunRecord> runs;
                const auto base = QDateTime(QDate(2026, 1, 5), QTime(8, 0), Qt::UTC);
                const QStringList states{u"Completed"_s, u"Running"_s, u"Failed"_s, u"Completed"_s, u"Canceled"_s};
                for (int i = 0; i < count; ++i) {
                    RunRecord r;
                    r.resource = (i % 3 == 0 ? u"web-%1"_s : i % 3 == 1 ? u"api-%1"_s : u"db-%1"_s).arg(i, 2, 10, QChar(u'0'));
                    r.workflowId = u"resource/"_s + r.resource;
                    r.runId = u"run-%1"_s.arg(i);
                    r.workflowType = i == 3 ? u"DestroyResource"_s : u"ProvisionResource"_s;
                    r.status = states[i % states.size()];
                    r.startedAt = base.addSecs(i * 600);
                    r.closedAt = r.status == u"Running"_s ? QDateTime() : r.startedAt.addSecs(95);
                    r.startedBy = i % 2 ? u"olga"_s : u"admin"_s;
                    r.memo = QJsonObject{{u"type"_s, i % 4 == 1 ? u"ec2-instance"_s : u"local-webserver"_s},
                                         {u"region"_s, i % 4 == 1 ? u"eu-central-1"_s : u"local"_s},
                                         {u"size"_s, i % 4 == 1 ? u"t3.micro"_s : u"small"_s}};
                    if (r.status == u"Completed"_s && r.workflowType == u"ProvisionResource"_s)
                        r.result = QJsonObject{{u"ipAddress"_s, u"127.0.0.1"_s}, {u"url"_s, u"http://127.0.0.1:%1/"_s.arg(8080 + i)}};
                    if (r.status == u"Failed"_s)
                        r.failure = u"Ansible configure failed: nginx could not bind"_s;
                    runs << r;
                }
                if (auto w = db.upsertRuns(runs); !w)
                    return w.error();
                return true;
            },
            this, [&](const Result<bool> &r) { done = r.ok(); });
        QTRY_VERIFY(done.has_value());
        QVERIFY(*done);
    }

    std::unique_ptr<MainWindow> makeWindow(Role role)
    {
        auto w = std::make_unique<MainWindow>(&m_ctx, m_sessions->issue(u"olga"_s, role));
        w->resize(1200, 640);
        w->show();
        return w;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QTcpServer reserve;
        QVERIFY(reserve.listen(QHostAddress::LocalHost, 0));
        m_deadPort = reserve.serverPort();
    }

    void init()
    {
        m_store = std::make_unique<LocalStore>();
        std::optional<bool> opened;
        m_store->open(m_dir.filePath(u"s%1.sqlite"_s.arg(++m_n)), this, [&](const auto &r) { opened = r.ok(); });
        QTRY_VERIFY(opened.has_value() && *opened);
        m_secrets = std::make_unique<MemorySecretStore>();
        m_sessions = std::make_unique<SessionManager>(m_secrets.get());
        std::optional<bool> key;
        m_sessions->loadKey(this, [&](const Result<void> &r) { key = r.ok(); });
        QTRY_VERIFY(key.has_value() && *key);
        m_settings = std::make_unique<QSettings>(m_dir.filePath(u"s%1.ini"_s.arg(m_n)), QSettings::IniFormat);
        m_ctx = ConsoleContext{};
        m_ctx.store = m_store.get();
        m_ctx.secrets = m_secrets.get();
        m_ctx.sessions = m_sessions.get();
        m_ctx.qsettings = m_settings.get();
        m_ctx.settings.profiles.first().address = u"127.0.0.1:%1"_s.arg(m_deadPort);
        m_ctx.policy = {1000};
    }

    void cleanup()
    {
        m_store.reset();
    }

    void opensWithTemporalDownAndSaysSo()
    {
        auto w = makeWindow(Role::Operator);
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        QTRY_VERIFY_WITH_TIMEOUT(w->connectionText().contains(u"Reconnecting"_s), 20000);
        QVERIFY(!w->banner()->isHidden());
        QVERIFY(w->banner()->text().contains(u"not reachable"_s));
        QTRY_VERIFY(w->dashboard()->showsEmptyState());
        QVERIFY(w->action(u"actionNew"_s)->isEnabled());
        for (bool dark : {false, true}) {
            GuiTest::setTheme(dark);
            GuiTest::screenshot(w.get(), u"dashboard-empty"_s);
        }
        GuiTest::setTheme(false);
    }

    void viewersCannotCreate()
    {
        auto w = makeWindow(Role::Viewer);
        QVERIFY(!w->action(u"actionNew"_s)->isEnabled());
        QVERIFY(!w->action(u"actionUsers"_s)->isEnabled());
        w->newResource(); // the shortcut path: refused, no dialog
        QVERIFY(!w->findChild<QDialog *>(u"newResourceDialog"_s));
    }

    void storedRunsShowWhileOffline()
    {
        seed(14);
        auto w = makeWindow(Role::Admin);
        QTRY_COMPARE_WITH_TIMEOUT(w->dashboard()->model()->rowCount(), 14, 10000);
        QVERIFY(!w->dashboard()->showsEmptyState());
        const auto row = w->dashboard()->findRow(u"web-00"_s);
        QVERIFY(row);
        QCOMPARE(row->state, ResourceState::Ready);
        QCOMPARE(row->address, u"http://127.0.0.1:8080/"_s);
        // Filter as you type.
        QTest::keyClicks(w->dashboard()->filterField(), u"web-"_s);
        QCOMPARE(w->dashboard()->proxy()->rowCount(), 5);
        w->dashboard()->filterField()->clear();
        w->dashboard()->table()->selectRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(w->connectionText().contains(u"Reconnecting"_s), 20000);
        for (bool dark : {false, true}) {
            GuiTest::setTheme(dark);
            GuiTest::screenshot(w.get(), u"dashboard"_s);
        }
        GuiTest::setTheme(false);
    }

    void layoutIsRestored()
    {
        {
            auto w = makeWindow(Role::Operator);
            w->resize(900, 500);
            w->dashboard()->table()->setColumnWidth(0, 333);
            w->close();
        }
        QCOMPARE(ConsoleSettings::load(*m_settings).mainGeometry.isEmpty(), false);
        m_ctx.settings = ConsoleSettings::load(*m_settings);
        m_ctx.settings.profiles.first().address = u"127.0.0.1:%1"_s.arg(m_deadPort);
        auto again = std::make_unique<MainWindow>(&m_ctx, m_sessions->issue(u"olga"_s, Role::Operator));
        QCOMPARE(again->dashboard()->table()->columnWidth(0), 333);
        QCOMPARE(again->size(), QSize(900, 500));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
