#include "core/passwordhash.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula::Console;

class TestPasswordHash final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultIsSlowEnough()
    {
        QVERIFY(PasswordHash::DefaultIterations >= 600000);
        const QString h = PasswordHash::hash(u"correct horse battery"_s);
        QVERIFY(h.startsWith(u"pbkdf2-sha256$600000$"_s));
        QCOMPARE(PasswordHash::iterationsOf(h), 600000);
        QVERIFY(PasswordHash::verify(u"correct horse battery"_s, h));
    }
    void saltIsFreshAndFormatIsFourParts()
    {
        const QString a = PasswordHash::hash(u"same password"_s, 1000);
        const QString b = PasswordHash::hash(u"same password"_s, 1000);
        QVERIFY(a != b);
        const auto parts = a.split(u'$');
        QCOMPARE(parts.size(), 4);
        QCOMPARE(QByteArray::fromBase64(parts[2].toLatin1()).size(), PasswordHash::SaltBytes);
        QCOMPARE(QByteArray::fromBase64(parts[3].toLatin1()).size(), PasswordHash::HashBytes);
    }
    void wrongPasswordsFail_data()
    {
        QTest::addColumn<QString>("candidate");
        QTest::newRow("empty") << QString();
        QTest::newRow("case") << u"Same password"_s;
        QTest::newRow("prefix") << u"same passwor"_s;
        QTest::newRow("suffix") << u"same password "_s;
        QTest::newRow("unicode") << u"same pаssword"_s; // Cyrillic a
    }
    void wrongPasswordsFail()
    {
        QFETCH(QString, candidate);
        const QString h = PasswordHash::hash(u"same password"_s, 1000);
        QVERIFY(!PasswordHash::verify(candidate, h));
    }
    void malformedStoredValuesNeverMatch_data()
    {
        QTest::addColumn<QString>("stored");
        QTest::newRow("empty") << QString();
        QTest::newRow("plain") << u"same password"_s;
        QTest::newRow("scheme") << u"md5$1000$AAAA$AAAA"_s;
        QTest::newRow("iterations") << u"pbkdf2-sha256$abc$AAAA$AAAA"_s;
        QTest::newRow("zero") << u"pbkdf2-sha256$0$AAAA$AAAA"_s;
        QTest::newRow("parts") << u"pbkdf2-sha256$1000$AAAA"_s;
        QTest::newRow("no hash") << u"pbkdf2-sha256$1000$AAAA$"_s;
    }
    void malformedStoredValuesNeverMatch()
    {
        QFETCH(QString, stored);
        QVERIFY(!PasswordHash::verify(u"same password"_s, stored));
        QVERIFY(!PasswordHash::verify(QString(), stored));
    }
};

QTEST_APPLESS_MAIN(TestPasswordHash)
#include "tst_passwordhash.moc"
