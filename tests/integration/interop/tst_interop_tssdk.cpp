// Runs tests/integration/interop/main.js (official TS SDK client + worker) against a fresh
// nebula-devserver. Skips only when npm or node is not installed.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

class TestInteropTsSdk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void officialSdkRunsAgainstDevserver();
};

void TestInteropTsSdk::officialSdkRunsAgainstDevserver()
{
    const QString npm = QStandardPaths::findExecutable(QStringLiteral("npm"));
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (npm.isEmpty() || node.isEmpty())
        QSKIP("npm/node is not installed: skipping the Temporal TypeScript SDK interop test (apt-get install npm)");
    const QString source = qEnvironmentVariable("NEBULA_SOURCE_DIR") + QStringLiteral("/tests/integration/interop");
    const QString work = qEnvironmentVariable("NEBULA_BINARY_DIR") + QStringLiteral("/interop-node");
    QVERIFY(QDir().mkpath(work));
    for (const char *name : {"package.json", "main.js", "workflows.js", "activities.js"}) {
        const QString to = work + u'/' + QLatin1String(name);
        QFile::remove(to);
        QVERIFY2(QFile::copy(source + u'/' + QLatin1String(name), to), name);
    }
    // npm install once per package.json content (the stamp holds the content that was installed).
    QFile pkg(work + QStringLiteral("/package.json"));
    QVERIFY(pkg.open(QIODevice::ReadOnly));
    const QByteArray wanted = pkg.readAll();
    QFile stamp(work + QStringLiteral("/node_modules/.nebula-installed"));
    const bool installed = stamp.open(QIODevice::ReadOnly) && stamp.readAll() == wanted;
    stamp.close();
    if (!installed) {
        QProcess install;
        install.setWorkingDirectory(work);
        install.setProcessChannelMode(QProcess::MergedChannels);
        install.start(npm, {QStringLiteral("install"), QStringLiteral("--no-audit"), QStringLiteral("--no-fund"),
                            QStringLiteral("--no-package-lock")});
        QVERIFY(install.waitForFinished(10 * 60 * 1000));
        QVERIFY2(install.exitCode() == 0, install.readAll().constData());
        QVERIFY(stamp.open(QIODevice::WriteOnly));
        stamp.write(wanted);
        stamp.close();
    }

    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const int port = probe.serverPort();
    probe.close();
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(qEnvironmentVariable("NEBULA_BINARY_DIR") + QStringLiteral("/devserver/nebula-devserver"),
                 {QStringLiteral("--port"), QString::number(port), QStringLiteral("--db"), QStringLiteral(":memory:")});
    QByteArray serverOutput;
    QTRY_VERIFY_WITH_TIMEOUT((serverOutput += server.readAll()).contains("listening on"), 15000);

    QProcess script;
    script.setWorkingDirectory(work);
    script.setProcessChannelMode(QProcess::MergedChannels);
    script.start(node, {QStringLiteral("main.js"), QStringLiteral("127.0.0.1:%1").arg(port)});
    const bool finished = script.waitForFinished(5 * 60 * 1000);
    const QByteArray output = script.readAll();
    if (!finished)
        script.kill();
    server.terminate();
    server.waitForFinished(10000);
    serverOutput += server.readAll();
    if (!finished || script.exitCode() != 0)
        qWarning().noquote() << "interop output:\n" << output << "\ndevserver output:\n" << serverOutput.right(20000);
    QVERIFY2(finished, "the interop script did not finish in 5 minutes");
    QCOMPARE(script.exitCode(), 0);
    QVERIFY(output.contains("[interop] PASS"));
}

QTEST_GUILESS_MAIN(TestInteropTsSdk)
#include "tst_interop_tssdk.moc"
