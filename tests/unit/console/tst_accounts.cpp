#include "core/accounts.h"
#include "core/passwordhash.h"

#include <QTest>


// Verifies a Result and prints its error when it failed.
#define QVERIFY_OK(expr) \
    do { \
        const auto _r = (expr); \
        QVERIFY2(_r.ok(), _r.ok() ? "" : qPrintable(_r.error().toString())); \
    } while (false)

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;

class TestAccounts final : public QObject
{
    Q_OBJECT

private:
    const Accounts::Policy fast{1000}; // real hashing, fewer rounds: the logic is what is tested here
    const QDateTime t0 = QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);
    std::unique_ptr<StoreDb> m_db;

    int countAudit(const QString &action)
    {
        const auto entries = m_db->audit(1000);
        if (!entries)
            return -1;
        const QList<AuditEntry> &list = entries.value();
        return static_cast<int>(std::count_if(list.cbegin(), list.cend(),
                                              [&](const AuditEntry &e) { return e.action == action; }));
    }

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<StoreDb>();
        QVERIFY_OK(m_db->open(u":memory:"_s));
        QVERIFY_OK(Accounts::createFirstAdmin(*m_db, u"admin"_s, u"a long admin password"_s, t0, fast));
    }

    void firstAdminOnlyOnce()
    {
        auto again = Accounts::createFirstAdmin(*m_db, u"eve"_s, u"another long password"_s, t0, fast);
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(*m_db->userCount(), 1);
        QCOMPARE(countAudit(u"first-admin-created"_s), 1);
    }

    void firstAdminNeedsAPassword()
    {
        StoreDb fresh;
        QVERIFY(fresh.open(u":memory:"_s));
        QVERIFY(!Accounts::createFirstAdmin(fresh, u"admin"_s, QString(), t0, fast));
        QVERIFY(!Accounts::createFirstAdmin(fresh, u"admin"_s, u"short"_s, t0, fast));
        QVERIFY(!Accounts::createFirstAdmin(fresh, u"ad min"_s, u"a long admin password"_s, t0, fast));
        QCOMPARE(*fresh.userCount(), 0);
    }

    void loginSucceeds()
    {
        auto r = Accounts::login(*m_db, u"admin"_s, u"a long admin password"_s, t0, fast);
        QVERIFY(r);
        QVERIFY(r->ok);
        QCOMPARE(r->user.role, Role::Admin);
        QCOMPARE(countAudit(u"login"_s), 1);
        QCOMPARE((*m_db->findUser(u"admin"_s))->lastLoginAt, t0);
    }

    void failuresShareOneGenericMessage()
    {
        auto wrong = Accounts::login(*m_db, u"admin"_s, u"wrong password!!"_s, t0, fast);
        auto unknown = Accounts::login(*m_db, u"nobody"_s, u"wrong password!!"_s, t0, fast);
        QVERIFY(wrong && unknown);
        QVERIFY(!wrong->ok && !unknown->ok);
        QCOMPARE(wrong->message, Accounts::genericFailureMessage());
        QCOMPARE(unknown->message, wrong->message);
        QCOMPARE(countAudit(u"login-failed"_s), 2);
    }

    void delayGrowsAfterFiveFailures()
    {
        QCOMPARE(Accounts::delayAfter(4).count(), 0);
        QCOMPARE(Accounts::delayAfter(5).count(), 2);
        QCOMPARE(Accounts::delayAfter(6).count(), 4);
        QCOMPARE(Accounts::delayAfter(7).count(), 8);
        QCOMPARE(Accounts::delayAfter(100).count(), Accounts::MaxDelaySeconds);
    }

    void throttlingLocksTheAccount()
    {
        QDateTime now = t0;
        for (int i = 0; i < 4; ++i) {
            auto r = Accounts::login(*m_db, u"admin"_s, u"guess number "_s + QString::number(i), now, fast);
            QVERIFY(r && !r->ok && r->retryAfterSeconds == 0);
        }
        // The fifth failure locks for 2 s: even the right password is refused meanwhile.
        QVERIFY(!Accounts::login(*m_db, u"admin"_s, u"guess number 5"_s, now, fast)->ok);
        auto locked = Accounts::login(*m_db, u"admin"_s, u"a long admin password"_s, now.addSecs(1), fast);
        QVERIFY(locked && !locked->ok);
        QCOMPARE(locked->retryAfterSeconds, 1);
        QVERIFY(locked->message.contains(u"Wait 1 second"_s));
        QCOMPARE(countAudit(u"login-throttled"_s), 1);
        // After the lock a wrong guess locks for longer (4 s) ...
        now = now.addSecs(3);
        QVERIFY(!Accounts::login(*m_db, u"admin"_s, u"guess number 6"_s, now, fast)->ok);
        QCOMPARE(Accounts::login(*m_db, u"admin"_s, u"a long admin password"_s, now.addSecs(1), fast)->retryAfterSeconds, 3);
        // ... and the right password after the lock succeeds and clears the count.
        auto ok = Accounts::login(*m_db, u"admin"_s, u"a long admin password"_s, now.addSecs(5), fast);
        QVERIFY(ok && ok->ok);
        QCOMPARE(m_db->throttle(u"admin"_s)->failures, 0);
    }

    void unknownNamesAreThrottledToo()
    {
        for (int i = 0; i < 5; ++i)
            QVERIFY(!Accounts::login(*m_db, u"ghost"_s, u"x"_s, t0, fast)->ok);
        QVERIFY(Accounts::login(*m_db, u"ghost"_s, u"x"_s, t0, fast)->retryAfterSeconds > 0);
    }

    void adminManagesUsers()
    {
        QVERIFY_OK(Accounts::addUser(*m_db, u"admin"_s, u"olga"_s, u"operator password"_s, Role::Operator, t0, fast));
        QVERIFY_OK(Accounts::addUser(*m_db, u"admin"_s, u"vic"_s, u"viewer password"_s, Role::Viewer, t0, fast));
        auto dup = Accounts::addUser(*m_db, u"admin"_s, u"vic"_s, u"viewer password"_s, Role::Viewer, t0, fast);
        QVERIFY(!dup);
        QCOMPARE(dup.error().code, ErrorCode::AlreadyExists);
        // Non-admins cannot, whatever the UI shows.
        auto denied = Accounts::addUser(*m_db, u"olga"_s, u"mallory"_s, u"mallory password"_s, Role::Admin, t0, fast);
        QVERIFY(!denied);
        QCOMPARE(denied.error().code, ErrorCode::PermissionDenied);
        QVERIFY_OK(Accounts::changeRole(*m_db, u"admin"_s, u"vic"_s, Role::Operator, t0));
        QCOMPARE((*m_db->findUser(u"vic"_s))->role, Role::Operator);
        QVERIFY_OK(Accounts::resetPassword(*m_db, u"admin"_s, u"vic"_s, u"brand new password"_s, t0, fast));
        QVERIFY(Accounts::login(*m_db, u"vic"_s, u"brand new password"_s, t0, fast)->ok);
        QVERIFY(!Accounts::login(*m_db, u"vic"_s, u"viewer password"_s, t0, fast)->ok);
        QVERIFY(countAudit(u"user-add"_s) >= 3);
        QCOMPARE(countAudit(u"role-change"_s), 1);
        QCOMPARE(countAudit(u"password-reset"_s), 1);
    }

    void lastAdminStays()
    {
        auto r = Accounts::changeRole(*m_db, u"admin"_s, u"admin"_s, Role::Viewer, t0);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE((*m_db->findUser(u"admin"_s))->role, Role::Admin);
    }

    void resetLiftsALock()
    {
        QVERIFY_OK(Accounts::addUser(*m_db, u"admin"_s, u"olga"_s, u"operator password"_s, Role::Operator, t0, fast));
        for (int i = 0; i < 6; ++i)
            static_cast<void>(Accounts::login(*m_db, u"olga"_s, u"nope"_s, t0, fast));
        QVERIFY(Accounts::login(*m_db, u"olga"_s, u"operator password"_s, t0, fast)->retryAfterSeconds > 0);
        QVERIFY_OK(Accounts::resetPassword(*m_db, u"admin"_s, u"olga"_s, u"fresh password 1"_s, t0, fast));
        QVERIFY(Accounts::login(*m_db, u"olga"_s, u"fresh password 1"_s, t0, fast)->ok);
    }

    void oldHashesAreUpgradedOnLogin()
    {
        QVERIFY_OK(Accounts::addUser(*m_db, u"admin"_s, u"olga"_s, u"operator password"_s, Role::Operator, t0, Accounts::Policy{500}));
        QVERIFY(Accounts::login(*m_db, u"olga"_s, u"operator password"_s, t0, fast)->ok);
        QCOMPARE(PasswordHash::iterationsOf((*m_db->findUser(u"olga"_s))->passwordHash), 1000);
    }
};

QTEST_APPLESS_MAIN(TestAccounts)
#include "tst_accounts.moc"
