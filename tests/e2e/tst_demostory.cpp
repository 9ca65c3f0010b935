// The demo story of README.md, as a user lives it: the first start asks for the admin account,
// the admin logs in, provisions "demo-webserver", watches it succeed, opens its URL, destroys it.
// Runs the real console composition (ConsoleApplication) in a real X server (Xvfb) against real
// nebula-devserver and nebula-worker processes, terraform, ansible-playbook and nginx.
#include "stackprocesses.h"

#include "ui/consoleapplication.h"
#include "models/logmodel.h"
#include "ui/dashboardpage.h"
#include "ui/loginwindow.h"
#include "ui/mainwindow.h"
#include "ui/newresourcedialog.h"
#include "ui/runstatusview.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;
using namespace Nebula::Testing;

class TestDemoStory final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void demoStory();

private:
    void shot(QWidget *widget, const QString &step);
    int m_step = 0;
};

void TestDemoStory::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (QGuiApplication::platformName() != u"xcb"_s)
        QSKIP("this test runs in a real X server: start it through ctest (xvfb-run)");
    if (QStandardPaths::findExecutable(u"terraform"_s).isEmpty() && QStandardPaths::findExecutable(u"tofu"_s).isEmpty())
        QSKIP("neither terraform nor tofu is installed");
    if (QStandardPaths::findExecutable(u"ansible-playbook"_s).isEmpty())
        QSKIP("ansible-playbook is not installed");
}

void TestDemoStory::shot(QWidget *widget, const QString &step)
{
    const QString dir = qEnvironmentVariable("NEBULA_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    // What a person would see: the window as the X server shows it, frame contents included.
    QApplication::processEvents();
    const QString file = u"%1/demo-%2-%3.png"_s.arg(dir).arg(++m_step, 2, 10, QChar(u'0')).arg(step);
    QVERIFY2(widget->grab().save(file), qPrintable(file));
}

void TestDemoStory::demoStory()
{
    Stack stack;
    QVERIFY2(stack.startDevServer(), qPrintable(stack.logs()));
    QVERIFY2(stack.startWorker(), qPrintable(stack.logs()));

    // A fresh user: no store, no accounts; a settings file naming this stack's address.
    const QString settingsPath = stack.dir() + u"/console.ini"_s;
    {
        QSettings s(settingsPath, QSettings::IniFormat);
        s.beginWriteArray(u"Connection/Profiles"_s, 1);
        s.setArrayIndex(0);
        s.setValue(u"name"_s, u"local"_s);
        s.setValue(u"address"_s, stack.address());
        s.endArray();
        s.setValue(u"Connection/Current"_s, u"local"_s);
        s.setValue(u"Dashboard/RefreshSeconds"_s, 1);
    }
    ConsoleOptions options;
    options.storePath = stack.dir() + u"/console.sqlite"_s;
    options.settingsPath = settingsPath;
    options.memoryKeychain = true;
    ConsoleApplication console(*qApp, options);
    console.start();

    // 1. First start: create the admin account.
    QTRY_VERIFY_WITH_TIMEOUT(console.loginWindow() && console.loginWindow()->isVisible(), 20000);
    LoginWindow *login = console.loginWindow();
    QVERIFY(QTest::qWaitForWindowExposed(login));
    QTRY_VERIFY(login->confirmField() && login->confirmField()->isVisible());
    shot(login, u"first-run"_s);
    const QString password = u"correct horse battery staple 42"_s;
    login->userField()->clear();
    QTest::keyClicks(login->userField(), u"admin"_s);
    QTest::keyClicks(login->passwordField(), password);
    QTest::keyClicks(login->confirmField(), password);
    QTRY_VERIFY(login->submitButton()->isEnabled());
    QTest::mouseClick(login->submitButton(), Qt::LeftButton);

    // 2. Log in (the console may open the main window right after creating the admin).
    QTRY_VERIFY_WITH_TIMEOUT(console.mainWindow() || (login->isVisible() && !login->confirmField()->isVisible()), 60000);
    if (!console.mainWindow()) {
        shot(login, u"login"_s);
        login->passwordField()->clear();
        if (login->userField()->text().isEmpty())
            QTest::keyClicks(login->userField(), u"admin"_s);
        QTest::keyClicks(login->passwordField(), password);
        QTest::mouseClick(login->submitButton(), Qt::LeftButton);
    }
    QTRY_VERIFY_WITH_TIMEOUT(console.mainWindow() && console.mainWindow()->isVisible(), 60000);
    MainWindow *window = console.mainWindow();
    window->resize(1280, 800);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QTRY_VERIFY2_WITH_TIMEOUT(window->connectionText().startsWith(u"Connected"_s), qPrintable(window->connectionText()), 30000);
    QTRY_VERIFY2_WITH_TIMEOUT(window->workersText().contains(u"1 worker"_s), qPrintable(window->workersText()), 60000);
    shot(window, u"dashboard-empty"_s);

    // 3. New resource "demo-webserver".
    window->action(u"actionNew"_s)->trigger();
    NewResourceDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window->findChild<NewResourceDialog *>()) != nullptr);
    QTest::keyClicks(dialog->nameField(), u"demo-webserver"_s);
    QTRY_VERIFY(dialog->createButton()->isEnabled());
    shot(dialog, u"new-resource"_s);
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);

    // 4. Watch the stages.
    RunStatusView *view = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((view = window->runView(u"demo-webserver"_s)) != nullptr, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(view->logModel()->rowCount() > 0 || !view->failureText().isEmpty(), 120000);
    shot(window, u"running"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(!view->resultText(u"url"_s).isEmpty() || !view->failureText().isEmpty(),
                              qPrintable(view->headline() + u"\n"_s + stack.logs()), 400000);
    QVERIFY2(view->failureText().isEmpty(), qPrintable(view->failureText() + stack.logs()));
    shot(window, u"succeeded"_s);

    // 5. The URL answers with the page naming the resource.
    const QString url = view->resultText(u"url"_s);
    const auto [status, body] = httpGet(url);
    QCOMPARE(status, 200);
    QVERIFY(body.contains("demo-webserver"));
    window->tabs()->setCurrentIndex(0);
    QTRY_VERIFY_WITH_TIMEOUT(window->dashboard()->findRow(u"demo-webserver"_s), 30000);
    shot(window, u"dashboard-provisioned"_s);

    // 6. Destroy, confirming the dialog; the instance is gone. (Destroy is offered once the view has
    // seen the provisioning run close; before that it offers to cancel the run.)
    window->tabs()->setCurrentWidget(view);
    QTRY_VERIFY2_WITH_TIMEOUT(view->isClosed(), qPrintable(view->headline()), 60000);
    view->destroyResource();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = view->findChild<QMessageBox *>()) != nullptr);
    shot(box, u"destroy-confirm"_s);
    QAbstractButton *destroy = nullptr;
    for (auto *b : box->buttons()) {
        if (box->buttonRole(b) == QMessageBox::DestructiveRole)
            destroy = b;
    }
    QVERIFY(destroy);
    QTest::mouseClick(destroy, Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(view->headline().contains(u"Destroyed"_s), qPrintable(view->headline() + stack.logs()), 300000);
    shot(window, u"destroyed"_s);
    QCOMPARE(httpGet(url, 2000).first, 0);
    QTRY_VERIFY_WITH_TIMEOUT(QDir(stack.workerDataDir(0) + u"/instances"_s).isEmpty(), 10000);
    QVERIFY(!QFileInfo::exists(stack.workerDataDir(0) + u"/resources/demo-webserver"_s));
}

QTEST_MAIN(TestDemoStory)
#include "tst_demostory.moc"
