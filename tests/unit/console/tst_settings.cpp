#include "core/consolesettings.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula::Console;

class TestSettings final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void roundTrip()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"console.ini"_s);
        ConsoleSettings s;
        ConnectionProfile cloud;
        cloud.name = u"Cloud"_s;
        cloud.address = u"acme.tmprl.cloud:7233"_s;
        cloud.nameSpace = u"acme.prod"_s;
        cloud.tls = true;
        cloud.tlsCaFile = u"/etc/ssl/ca.pem"_s;
        cloud.tlsServerName = u"acme.tmprl.cloud"_s;
        cloud.authMode = AuthMode::ApiKey;
        cloud.taskQueue = u"provision-prod"_s;
        cloud.webUiUrl = u"https://cloud.temporal.io"_s;
        s.profiles << cloud;
        s.currentProfile = u"Cloud"_s;
        s.theme = ThemeChoice::Dark;
        s.lastUser = u"alice"_s;
        s.refreshSeconds = 9;
        s.mainGeometry = QByteArray("\x01\x02geometry", 10);
        s.mainState = "state";
        s.dashboardHeader = "header";
        {
            QSettings q(file, QSettings::IniFormat);
            s.save(q);
        }
        QSettings q(file, QSettings::IniFormat);
        const auto back = ConsoleSettings::load(q);
        QCOMPARE(back.profiles.size(), 2);
        QVERIFY(back.profiles[1] == cloud);
        QCOMPARE(back.profile().name, u"Cloud"_s);
        QCOMPARE(back.theme, ThemeChoice::Dark);
        QCOMPARE(back.lastUser, u"alice"_s);
        QCOMPARE(back.refreshSeconds, 9);
        QCOMPARE(back.mainGeometry, s.mainGeometry);
        QCOMPARE(back.mainState, s.mainState);
        QCOMPARE(back.dashboardHeader, s.dashboardHeader);
        // No secret ever lands in the file.
        QFile raw(file);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(!raw.readAll().toLower().contains("apikey="));
    }

    void defaultsWhenEmpty()
    {
        QTemporaryDir dir;
        QSettings q(dir.filePath(u"empty.ini"_s), QSettings::IniFormat);
        const auto s = ConsoleSettings::load(q);
        QCOMPARE(s.profiles.size(), 1);
        QCOMPARE(s.profile().address, u"127.0.0.1:7233"_s);
        QCOMPARE(s.profile().taskQueue, u"nebula-provision"_s);
        QCOMPARE(s.profile().authMode, AuthMode::None);
        QCOMPARE(s.theme, ThemeChoice::System);
    }

    void unknownCurrentProfileFallsBackToFirst()
    {
        ConsoleSettings s;
        s.currentProfile = u"gone"_s;
        QCOMPARE(s.profile().name, u"Local"_s);
    }

    void webUiLinkEncodesTheId()
    {
        ConnectionProfile p;
        p.webUiUrl = u"http://localhost:8233/"_s;
        QCOMPARE(p.webUiLink(u"resource/web-1"_s, u"0b1c"_s),
                 u"http://localhost:8233/namespaces/default/workflows/resource%2Fweb-1/0b1c/history"_s);
        QCOMPARE(p.webUiLink(u"resource/web-1"_s, {}), u"http://localhost:8233/namespaces/default/workflows/resource%2Fweb-1"_s);
    }

    void credentialFollowsTheAuthMode()
    {
        ConnectionProfile p;
        QVERIFY(p.toConnectionOptions(u"secret"_s).apiKey.isEmpty());
        p.authMode = AuthMode::SessionToken;
        QCOMPARE(p.toConnectionOptions(u"jwt"_s).apiKey, u"jwt"_s);
        p.authMode = AuthMode::ApiKey;
        QCOMPARE(p.toConnectionOptions(u"key"_s).apiKey, u"key"_s);
        QCOMPARE(authModeFromName(authModeName(AuthMode::SessionToken)), AuthMode::SessionToken);
        QCOMPARE(authModeFromName(u"bogus"_s), AuthMode::None);
    }
};

QTEST_APPLESS_MAIN(TestSettings)
#include "tst_settings.moc"
