#include "common/jwt.h"
#include "core/secretstore.h"
#include "core/session.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;


class TestSession final : public QObject
{
    Q_OBJECT

private:
    Result<void> load(SessionManager &s)
    {
        std::optional<Result<void>> out;
        s.loadKey(this, [&](const Result<void> &r) { out = r; });
        if (!QTest::qWaitFor([&]() { return out.has_value(); }, 5000))
            return makeError(ErrorCode::DeadlineExceeded, u"timeout"_s);
        return *out;
    }

private Q_SLOTS:
    void keyIsCreatedOnceAndReused()
    {
        MemorySecretStore secrets;
        SessionManager first(&secrets);
        QVERIFY(load(first));
        QVERIFY(first.key().size() >= 32);
        QCOMPARE(secrets.entries.value(SessionManager::KeyEntry), first.key());
        SessionManager second(&secrets);
        QVERIFY(load(second));
        QCOMPARE(second.key(), first.key());
    }

    void tokensCarryTheClaims()
    {
        MemorySecretStore secrets;
        SessionManager s(&secrets);
        QVERIFY(load(s));
        const auto now = QDateTime::currentDateTimeUtc();
        const auto session = s.issue(u"olga"_s, Role::Operator, std::chrono::seconds(3600), now);
        auto claims = Jwt::verify(session.token, s.key(), now);
        QVERIFY(claims);
        QCOMPARE(claims->subject, u"olga"_s);
        QCOMPARE(claims->role, u"operator"_s);
        QCOMPARE(claims->issuedAt.toSecsSinceEpoch(), now.toSecsSinceEpoch());
        QCOMPARE(claims->expiresAt.toSecsSinceEpoch(), now.toSecsSinceEpoch() + 3600);
        QVERIFY(s.verify(session.token));
        QVERIFY(!s.verify(session.token, now.addSecs(3601)));           // expired
        QByteArray tampered = session.token;
        tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
        QVERIFY(!s.verify(tampered));
        QVERIFY(!s.verify(Jwt::sign({u"olga"_s, u"admin"_s, now, now.addSecs(60), {}}, "some other key that is long enough")));
    }

    void rememberResumeForget()
    {
        MemorySecretStore secrets;
        secrets.pretendPersistent = true;
        SessionManager s(&secrets);
        QVERIFY(load(s));
        const auto session = s.issue(u"alice"_s, Role::Admin);
        std::optional<Result<void>> remembered;
        s.remember(session, this, [&](const Result<void> &r) { remembered = r; });
        QTRY_VERIFY(remembered.has_value());
        QVERIFY(*remembered);
        QVERIFY(secrets.entries.contains(SessionManager::RememberEntry));

        std::optional<Result<Session>> resumed;
        s.resume(this, [&](const Result<Session> &r) { resumed = r; });
        QTRY_VERIFY(resumed.has_value());
        QVERIFY(*resumed);
        QCOMPARE((*resumed)->user, u"alice"_s);

        std::optional<Result<void>> forgotten;
        s.forget(this, [&](const Result<void> &r) { forgotten = r; });
        QTRY_VERIFY(forgotten.has_value());
        QVERIFY(!secrets.entries.contains(SessionManager::RememberEntry));
        resumed.reset();
        s.resume(this, [&](const Result<Session> &r) { resumed = r; });
        QTRY_VERIFY(resumed.has_value());
        QVERIFY(!*resumed);
    }

    void noKeychainMeansEphemeralKeyAndNoRememberMe()
    {
        MemorySecretStore secrets;
        secrets.failWith = makeError(ErrorCode::Unavailable, u"No keychain is available."_s);
        SessionManager s(&secrets);
        QVERIFY(load(s));
        QVERIFY(s.hasKey());
        QVERIFY(!s.keyIsPersistent());
        QVERIFY(s.keyWarning().contains(u"Remember me"_s));
        std::optional<Result<void>> remembered;
        s.remember(s.issue(u"a"_s, Role::Viewer), this, [&](const Result<void> &r) { remembered = r; });
        QTRY_VERIFY(remembered.has_value());
        QVERIFY(!*remembered);
    }

    void exportedKeyIsOwnerOnly()
    {
        MemorySecretStore secrets;
        SessionManager s(&secrets);
        QVERIFY(load(s));
        QTemporaryDir dir;
        const QString path = dir.filePath(u"session.key"_s);
        {
            QFile pre(path); // an existing world-readable file gets tightened
            QVERIFY(pre.open(QIODevice::WriteOnly));
            pre.write("old");
            pre.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
        }
        QVERIFY(s.exportKey(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), s.key());
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QVERIFY(!s.exportKey(dir.filePath(u"missing-dir/key"_s)));
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
