#include "common/jwt.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;

class TestJwt final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signAndVerify();
    void knownVector();
    void rejects_data();
    void rejects();
};

static const QDateTime Now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

static Jwt::Claims claims()
{
    return Jwt::Claims{u"alice"_s, u"operator"_s, Now, Now.addSecs(3600), {}};
}

void TestJwt::signAndVerify()
{
    const QByteArray key = "0123456789abcdef0123456789abcdef";
    const auto token = Jwt::sign(claims(), key);
    QCOMPARE(token.count('.'), 2);
    const auto verified = Jwt::verify(token, key, Now.addSecs(10));
    QVERIFY(verified.ok());
    QCOMPARE(verified->subject, u"alice"_s);
    QCOMPARE(verified->role, u"operator"_s);
    QCOMPARE(verified->expiresAt, Now.addSecs(3600));
}

void TestJwt::knownVector()
{
    // RFC 7515 appendix A.1-style check with an independent HS256 implementation's output:
    // header {"alg":"HS256","typ":"JWT"}, payload {"sub":"1234567890","name":"John Doe","iat":1516239022}
    // signed with "your-256-bit-secret" (the widely published jwt.io example). It has no exp claim,
    // so verification must refuse it for that reason and no other.
    const QByteArray token =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    const auto r = Jwt::verify(token, "your-256-bit-secret", Now);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().detail.contains(u"no exp claim"_s), qPrintable(r.error().detail));
    const auto wrongKey = Jwt::verify(token, "another-secret", Now);
    QVERIFY(wrongKey.error().detail.contains(u"signature"_s));
}

void TestJwt::rejects_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("detail");
    const QByteArray key = "0123456789abcdef0123456789abcdef";
    const QByteArray good = Jwt::sign(claims(), key);
    const auto parts = good.split('.');
    QTest::newRow("expired") << good << Now.addSecs(3600 + 31) << u"expired"_s;
    QTest::newRow("tampered payload") << parts[0] + '.' + Jwt::sign(Jwt::Claims{u"alice"_s, u"admin"_s, Now, Now.addSecs(3600), {}}, "x").split('.')[1] + '.' + parts[2]
                                      << Now << u"signature"_s;
    QTest::newRow("alg none") << QByteArray("eyJhbGciOiJub25lIn0.") + parts[1] + '.' << Now << u"algorithm"_s;
    QTest::newRow("two parts") << parts[0] + '.' + parts[1] << Now << u"three"_s;
    QTest::newRow("garbage") << QByteArray("!!!.???.###") << Now << u"base64url"_s;
    QTest::newRow("future iat") << good << Now.addSecs(-3600) << u"future"_s;
}

void TestJwt::rejects()
{
    QFETCH(QByteArray, token);
    QFETCH(QDateTime, now);
    QFETCH(QString, detail);
    const auto r = Jwt::verify(token, "0123456789abcdef0123456789abcdef", now);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Unauthenticated);
    QVERIFY2(r.error().detail.contains(detail), qPrintable(r.error().detail));
    QVERIFY(!Jwt::verify(token, QByteArray(), now).ok());
}

QTEST_APPLESS_MAIN(TestJwt)
#include "tst_jwt.moc"
