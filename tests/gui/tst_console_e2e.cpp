// End to end through the console's own windows: a real nebula-devserver (requiring bearer tokens,
// verifying the console's session JWT with an exported key) and a real nebula-worker (terraform,
// ansible-playbook, nginx) on a free loopback port with temporary data directories. The console
// provisions a local-webserver resource, the run view shows the URL, the URL answers; then the
// console destroys it.
#include "core/localstore.h"
#include "core/secretstore.h"
#include "guitest.h"
#include "models/logmodel.h"
#include "provisioning/progress.h"
#include "stackprocesses.h"
#include "temporal/temporalclient.h"
#include "ui/dashboardpage.h"
#include "ui/mainwindow.h"
#include "ui/newresourcedialog.h"
#include "ui/runstatusview.h"

#include <QAction>
#include <QDir>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;
using namespace Nebula::Testing;

class TestConsoleE2E final : public QObject
{
    Q_OBJECT

private:
    template <typename T>
    static T *waitForWidget(const std::function<T *()> &find, int ms = 10000)
    {
        T *w = nullptr;
        static_cast<void>(QTest::qWaitFor([&]() { return (w = find()) != nullptr; }, ms));
        return w;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (QStandardPaths::findExecutable(u"terraform"_s).isEmpty() && QStandardPaths::findExecutable(u"tofu"_s).isEmpty())
            QSKIP("neither terraform nor tofu is installed");
        if (QStandardPaths::findExecutable(u"ansible-playbook"_s).isEmpty())
            QSKIP("ansible-playbook is not installed");
        if (QStandardPaths::findExecutable(u"nginx"_s).isEmpty() && !QFile::exists(u"/usr/sbin/nginx"_s))
            QSKIP("nginx is not installed");
    }

    void provisionShowsAnAnsweringUrlThenDestroy()
    {
        Stack stack;
        const QString dir = stack.dir();

        // The console's session key, exported for the dev server exactly as an operator would.
        LocalStore store;
        std::optional<bool> opened;
        store.open(dir + u"/console.sqlite"_s, this, [&](const auto &r) { opened = r.ok(); });
        QTRY_VERIFY(opened.has_value() && *opened);
        MemorySecretStore secrets;
        SessionManager sessions(&secrets);
        std::optional<bool> key;
        sessions.loadKey(this, [&](const Result<void> &r) { key = r.ok(); });
        QTRY_VERIFY(key.has_value() && *key);
        QVERIFY(sessions.exportKey(dir + u"/session.key"_s));
        const QByteArray workerToken = QByteArray::number(QRandomGenerator::system()->generate64(), 16) + "-worker";
        {
            QFile keys(dir + u"/auth-keys"_s);
            QVERIFY(keys.open(QIODevice::WriteOnly));
            keys.write("worker " + workerToken + "\n");
            QFile wk(dir + u"/worker.key"_s);
            QVERIFY(wk.open(QIODevice::WriteOnly));
            wk.write(workerToken);
        }
        QVERIFY2(stack.startDevServer({u"--auth-keys"_s, dir + u"/auth-keys"_s, u"--jwt-key-file"_s, dir + u"/session.key"_s}),
                 qPrintable(stack.logs()));
        QVERIFY2(stack.startWorker({u"--api-key-file"_s, dir + u"/worker.key"_s, u"--infrastructure-dir"_s,
                                    qEnvironmentVariable("NEBULA_INFRASTRUCTURE_DIR")}),
                 qPrintable(stack.logs()));

        QSettings qsettings(dir + u"/console.ini"_s, QSettings::IniFormat);
        ConsoleContext ctx;
        ctx.store = &store;
        ctx.secrets = &secrets;
        ctx.sessions = &sessions;
        ctx.qsettings = &qsettings;
        ctx.settings.profiles.first().address = stack.address();
        ctx.settings.profiles.first().authMode = AuthMode::SessionToken;
        ctx.settings.refreshSeconds = 1;
        ctx.policy = {1000};
        MainWindow window(&ctx, sessions.issue(u"olga"_s, Role::Operator));
        window.resize(1200, 760);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY2_WITH_TIMEOUT(window.connectionText().startsWith(u"Connected"_s), qPrintable(window.connectionText() + stack.logs()), 30000);
        QTRY_VERIFY2_WITH_TIMEOUT(window.workersText().contains(u"1 worker"_s), qPrintable(window.workersText()), 60000);

        // Ctrl+N, fill the form, Create.
        const QString name = u"e2e-web-%1"_s.arg(QRandomGenerator::global()->bounded(100000, 999999));
        window.action(u"actionNew"_s)->trigger();
        auto *dialog = waitForWidget<NewResourceDialog>([&]() { return window.findChild<NewResourceDialog *>(); });
        QVERIFY(dialog);
        QTest::keyClicks(dialog->nameField(), name);
        QVERIFY(dialog->createButton()->isEnabled());
        GuiTest::screenshot(dialog, u"e2e-new-resource"_s);
        QTest::mouseClick(dialog->createButton(), Qt::LeftButton);

        auto *view = waitForWidget<RunStatusView>([&]() { return window.runView(name); }, 20000);
        QVERIFY2(view, qPrintable(stack.logs()));

        // Keep every distinct `progress` answer as a recording (for the recorded-answer tests).
        const QString recordDir = qEnvironmentVariable("NEBULA_BINARY_DIR") + u"/recorded-progress"_s;
        QDir().mkpath(recordDir);
        QSet<QByteArray> seen;
        bool answersHadEvents = false;
        QTimer recorder;
        recorder.setInterval(700);
        connect(&recorder, &QTimer::timeout, this, [&]() {
            window.client()->queryWorkflow({u"resource/"_s + name, {}}, u"progress"_s, {}, this, [&](const Result<QJsonValue> &r) {
                if (!r || !r->isObject())
                    return;
                auto o = r->toObject();
                o.remove(u"updatedAt"_s);
                for (const auto &stage : o.value(u"stages"_s).toArray())
                    answersHadEvents = answersHadEvents || !stage.toObject().value(u"events"_s).toArray().isEmpty();
                const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Indented);
                if (!seen.contains(json)) {
                    seen.insert(json);
                    QFile f(recordDir + u"/progress-%1.json"_s.arg(seen.size(), 3, 10, QChar(u'0')));
                    if (f.open(QIODevice::WriteOnly))
                        f.write(QJsonDocument(r->toObject()).toJson(QJsonDocument::Indented));
                }
            });
        });
        recorder.start();

        QTRY_VERIFY2_WITH_TIMEOUT(!view->resultText(u"url"_s).isEmpty() || !view->failureText().isEmpty(),
                                  qPrintable(view->headline() + u"\n"_s + stack.logs()), 400000);
        recorder.stop();
        QVERIFY2(view->failureText().isEmpty(), qPrintable(view->failureText() + u"\n"_s + stack.logs()));
        const QString url = view->resultText(u"url"_s);
        QVERIFY(url.startsWith(u"http://127.0.0.1:"_s));
        const auto [status, body] = httpGet(url);
        QCOMPARE(status, 200);
        QVERIFY(body.contains(name.toUtf8()));
        // The log pane shows whatever tool events the worker reports in its progress answers.
        if (answersHadEvents)
            QTRY_VERIFY(view->logModel()->rowCount() > 0);
        else
            qWarning("the worker's progress answers carried no tool events: the log pane stays empty");
        for (bool dark : {false, true}) {
            GuiTest::setTheme(dark);
            GuiTest::screenshot(&window, u"e2e-run-succeeded"_s);
        }
        GuiTest::setTheme(false);

        // The dashboard learns the result too.
        window.tabs()->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->findRow(name) && window.dashboard()->findRow(name)->address == url, 30000);

        // Destroy through the view, confirming the dialog (once the provisioning run has closed:
        // the result shows up in the progress answer a moment before the run completes).
        window.tabs()->setCurrentWidget(view);
        QTRY_VERIFY_WITH_TIMEOUT(view->isClosed(), 30000);
        view->destroyResource();
        auto *box = waitForWidget<QMessageBox>([&]() { return view->findChild<QMessageBox *>(); });
        QVERIFY(box);
        QAbstractButton *destroy = nullptr;
        for (auto *b : box->buttons())
            if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                destroy = b;
        QVERIFY(destroy);
        QTest::mouseClick(destroy, Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(view->headline().contains(u"Destroyed"_s), qPrintable(view->headline() + stack.logs()), 300000);
        QCOMPARE(httpGet(url, 2000).first, 0);

        // The audit log has the provision and the destroy.
        std::optional<QList<AuditEntry>> audit;
        store.run<QList<AuditEntry>>([](StoreDb &db) { return db.audit(100); }, this, [&](const auto &r) { audit = r ? *r : QList<AuditEntry>{}; });
        QTRY_VERIFY(audit.has_value());
        QStringList actions;
        for (const auto &e : *audit)
            actions << e.action;
        QVERIFY2(actions.contains(u"provision"_s) && actions.contains(u"destroy"_s), qPrintable(actions.join(u',')));
    }
};

QTEST_MAIN(TestConsoleE2E)
#include "tst_console_e2e.moc"
