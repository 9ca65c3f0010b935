#include "core/localstore.h"
#include "guitest.h"
#include "ui/banner.h"
#include "ui/loginwindow.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;

class TestLoginWindow final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LocalStore> m_store;
    int m_stores = 0;

    void openStore()
    {
        m_store = std::make_unique<LocalStore>();
        std::optional<Result<StoreDb::OpenReport>> opened;
        m_store->open(m_dir.filePath(u"store%1.sqlite"_s.arg(++m_stores)), this,
                      [&](const Result<StoreDb::OpenReport> &r) { opened = r; });
        QTRY_VERIFY(opened.has_value());
        QVERIFY(*opened);
    }

    void createAdmin(const QString &password)
    {
        std::optional<bool> done;
        m_store->run<UserRecord>(
            [password](StoreDb &db) { return Accounts::createFirstAdmin(db, u"admin"_s, password, QDateTime::currentDateTimeUtc(), {1000}); },
            this, [&](const Result<UserRecord> &r) { done = r.ok(); });
        QTRY_VERIFY(done.has_value());
        QVERIFY(*done);
    }

    void typeAndSubmit(LoginWindow &w, const QString &user, const QString &password)
    {
        w.userField()->setText(user);
        w.passwordField()->setText(password);
        QTest::mouseClick(w.submitButton(), Qt::LeftButton);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }
    void init() { openStore(); }
    void cleanup() { m_store.reset(); }

    void firstRunCreatesTheAdmin()
    {
        LoginWindow w(m_store.get(), {1000});
        w.setMode(LoginWindow::Mode::FirstRun);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(!w.submitButton()->isEnabled()); // no password yet: nothing to create
        w.passwordField()->setText(u"a long admin password"_s);
        QVERIFY(!w.submitButton()->isEnabled()); // confirmation missing
        w.confirmField()->setText(u"a long admin passwore"_s);
        QVERIFY(!w.submitButton()->isEnabled());
        w.confirmField()->setText(u"a long admin password"_s);
        QVERIFY(w.submitButton()->isEnabled());
        for (bool dark : {false, true}) {
            GuiTest::setTheme(dark);
            GuiTest::screenshot(&w, u"first-run"_s);
        }
        GuiTest::setTheme(false);
        QSignalSpy loggedIn(&w, &LoginWindow::loggedIn);
        QTest::mouseClick(w.submitButton(), Qt::LeftButton);
        QVERIFY(loggedIn.wait(10000));
        QCOMPARE(loggedIn.first().first().value<UserRecord>().role, Role::Admin);
    }

    void loginSucceedsWithTheRightPassword()
    {
        createAdmin(u"a long admin password"_s);
        LoginWindow w(m_store.get(), {1000});
        w.setMode(LoginWindow::Mode::Login);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        for (bool dark : {false, true}) {
            GuiTest::setTheme(dark);
            w.userField()->setText(u"admin"_s);
            GuiTest::screenshot(&w, u"login"_s);
        }
        GuiTest::setTheme(false);
        QSignalSpy loggedIn(&w, &LoginWindow::loggedIn);
        w.rememberBox()->setChecked(true);
        typeAndSubmit(w, u"admin"_s, u"a long admin password"_s);
        QVERIFY(loggedIn.wait(10000));
        QCOMPARE(loggedIn.first().first().value<UserRecord>().name, u"admin"_s);
        QCOMPARE(loggedIn.first().at(1).toBool(), true);
        QVERIFY(w.passwordField()->text().isEmpty()); // never kept around
    }

    void failureShowsOneGenericMessage()
    {
        createAdmin(u"a long admin password"_s);
        LoginWindow w(m_store.get(), {1000});
        w.setMode(LoginWindow::Mode::Login);
        w.show();
        QSignalSpy loggedIn(&w, &LoginWindow::loggedIn);
        typeAndSubmit(w, u"admin"_s, u"wrong password"_s);
        QTRY_VERIFY(!w.banner()->isHidden());
        const QString wrongPassword = w.banner()->text();
        QCOMPARE(wrongPassword, Accounts::genericFailureMessage());
        w.banner()->hide();
        typeAndSubmit(w, u"nobody"_s, u"wrong password"_s);
        QTRY_VERIFY(!w.banner()->isHidden());
        QCOMPARE(w.banner()->text(), wrongPassword); // same words for an unknown user
        QCOMPARE(loggedIn.count(), 0);
        GuiTest::screenshot(&w, u"login-failed"_s);
    }

    void fiveFailuresThrottle()
    {
        createAdmin(u"a long admin password"_s);
        LoginWindow w(m_store.get(), {1000});
        w.setMode(LoginWindow::Mode::Login);
        w.show();
        for (int i = 0; i < Accounts::FreeAttempts; ++i) {
            w.banner()->hide();
            typeAndSubmit(w, u"admin"_s, u"guess %1"_s.arg(i));
            QTRY_VERIFY(!w.banner()->isHidden() && !w.isBusy());
        }
        w.banner()->hide();
        QSignalSpy loggedIn(&w, &LoginWindow::loggedIn);
        typeAndSubmit(w, u"admin"_s, u"a long admin password"_s);
        QTRY_VERIFY(!w.banner()->isHidden() && !w.isBusy());
        QCOMPARE(w.banner()->kind(), Banner::Kind::Warning);
        QVERIFY(w.banner()->text().contains(u"Too many failed attempts"_s));
        QCOMPARE(loggedIn.count(), 0);
    }

    // The real cost (600,000 PBKDF2 rounds) runs off the UI thread: the event loop keeps turning.
    void windowStaysResponsiveWhileHashing()
    {
        LoginWindow w(m_store.get(), {});
        w.setMode(LoginWindow::Mode::FirstRun);
        w.show();
        w.passwordField()->setText(u"a long admin password"_s);
        w.confirmField()->setText(u"a long admin password"_s);
        int ticks = 0;
        QTimer timer;
        timer.setInterval(10);
        connect(&timer, &QTimer::timeout, this, [&]() { ++ticks; });
        timer.start();
        QSignalSpy loggedIn(&w, &LoginWindow::loggedIn);
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(w.submitButton(), Qt::LeftButton);
        QVERIFY(w.isBusy());
        QVERIFY(loggedIn.wait(20000));
        const auto elapsed = clock.elapsed();
        qInfo("600k PBKDF2 took %lld ms; the UI timer ticked %d times meanwhile", static_cast<long long>(elapsed), ticks);
        QVERIFY(ticks >= elapsed / 10 / 3); // most ticks arrived: nothing blocked the loop for long
    }
};

QTEST_MAIN(TestLoginWindow)
#include "tst_loginwindow.moc"
