// Runs against a real Secret Service: run-with-keyring.sh starts a private D-Bus session and an
// unlocked gnome-keyring in a temporary HOME. Skips (with the reason) only when none can start.
#include "core/secretstore.h"
#include "core/session.h"

#include <QProcessEnvironment>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;

class TestKeychain final : public QObject
{
    Q_OBJECT

private:
    QString m_service = u"NebulaOps-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);

    template <typename T, typename Start>
    std::optional<T> call(Start start)
    {
        std::optional<T> out;
        start([&](const T &r) { out = r; });
        static_cast<void>(QTest::qWaitFor([&]() { return out.has_value(); }, 20000));
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto env = QProcessEnvironment::systemEnvironment();
        if (env.value(u"NEBULA_KEYRING"_s) != u"ready"_s)
            QSKIP(qPrintable(u"No Secret Service could be started: "_s
                             + env.value(u"NEBULA_KEYRING_REASON"_s, u"run this test through run-with-keyring.sh"_s)));
        KeychainSecretStore probe(m_service);
        auto w = call<Result<void>>([&](auto cb) { probe.write(u"probe"_s, "x", this, cb); });
        QVERIFY2(w.has_value(), "the keychain did not answer");
        if (!*w)
            QSKIP(qPrintable(u"The Secret Service refused a write: "_s + w->error().message + u" "_s + w->error().detail));
    }

    void writeReadRemove()
    {
        KeychainSecretStore store(m_service);
        const QByteArray secret("s3cr3t\0with-binary\xff", 19);
        auto w = call<Result<void>>([&](auto cb) { store.write(u"api-key/Local"_s, secret, this, cb); });
        QVERIFY(w && *w);
        auto r = call<Result<QByteArray>>([&](auto cb) { store.read(u"api-key/Local"_s, this, cb); });
        QVERIFY(r && *r);
        QCOMPARE(**r, secret);
        auto d = call<Result<void>>([&](auto cb) { store.remove(u"api-key/Local"_s, this, cb); });
        QVERIFY(d && *d);
        auto gone = call<Result<QByteArray>>([&](auto cb) { store.read(u"api-key/Local"_s, this, cb); });
        QVERIFY(gone && !*gone);
        QCOMPARE(gone->error().code, ErrorCode::NotFound);
        auto again = call<Result<void>>([&](auto cb) { store.remove(u"api-key/Local"_s, this, cb); });
        QVERIFY(again && *again); // removing a missing entry is fine
    }

    void sessionKeySurvivesAndRememberMeWorks()
    {
        KeychainSecretStore store(m_service);
        QByteArray key;
        {
            SessionManager s(&store);
            auto loaded = call<Result<void>>([&](auto cb) { s.loadKey(this, cb); });
            QVERIFY(loaded && *loaded);
            QVERIFY(s.keyIsPersistent());
            key = s.key();
            auto rem = call<Result<void>>([&](auto cb) { s.remember(s.issue(u"alice"_s, Role::Operator), this, cb); });
            QVERIFY(rem && *rem);
        }
        SessionManager again(&store); // "the next start"
        auto loaded = call<Result<void>>([&](auto cb) { again.loadKey(this, cb); });
        QVERIFY(loaded && *loaded);
        QCOMPARE(again.key(), key);
        auto resumed = call<Result<Session>>([&](auto cb) { again.resume(this, cb); });
        QVERIFY(resumed && *resumed);
        QCOMPARE((*resumed)->user, u"alice"_s);
        QCOMPARE((*resumed)->role, Role::Operator);
        auto forgot = call<Result<void>>([&](auto cb) { again.forget(this, cb); });
        QVERIFY(forgot && *forgot);
        auto none = call<Result<Session>>([&](auto cb) { again.resume(this, cb); });
        QVERIFY(none && !*none);
    }

    void cleanupTestCase()
    {
        KeychainSecretStore store(m_service);
        for (const auto &k : {u"probe"_s, SessionManager::KeyEntry, SessionManager::RememberEntry})
            call<Result<void>>([&](auto cb) { store.remove(k, this, cb); });
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
