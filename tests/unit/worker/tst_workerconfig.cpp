#include "workerconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Nebula::Worker::WorkerConfig;

class TestWorkerConfig final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void helpAndVersion();
    void precedence();
    void configFile();
    void badInput_data();
    void badInput();
    void apiKeyComesFromAFile();

private:
    static Nebula::Result<WorkerConfig> parse(const QStringList &args, const QProcessEnvironment &env = {},
                                              QString *text = nullptr)
    {
        QString dummy;
        return WorkerConfig::fromArguments(QStringList{u"nebula-worker"_s} + args, env, text ? text : &dummy);
    }
    QTemporaryDir m_dir;
};

void TestWorkerConfig::defaults()
{
    const auto c = parse({});
    QVERIFY2(c, qPrintable(c.errorMessage()));
    QCOMPARE(c->connection.address, u"127.0.0.1:7233"_s);
    QCOMPARE(c->connection.nameSpace, u"default"_s);
    QCOMPARE(c->worker.taskQueue, u"nebula-provision"_s);
    QCOMPARE(c->role, WorkerConfig::Role::All);
    QVERIFY(QFileInfo(c->activities.infrastructureDir + u"/terraform/modules/local-webserver/main.tf"_s).exists());
    QVERIFY(QDir::isAbsolutePath(c->activities.dataDir));
}

void TestWorkerConfig::helpAndVersion()
{
    QString text;
    QVERIFY(parse({u"--help"_s}, {}, &text));
    QVERIFY(text.contains(u"--task-queue"_s));
    QVERIFY(text.contains(u"--terraform"_s));
    text.clear();
    QVERIFY(parse({u"--version"_s}, {}, &text));
    QVERIFY(text.startsWith(u"nebula-worker "_s));
}

void TestWorkerConfig::precedence()
{
    QProcessEnvironment env;
    env.insert(u"TEMPORAL_ADDRESS"_s, u"envhost:7233"_s);
    env.insert(u"TEMPORAL_NAMESPACE"_s, u"envns"_s);
    env.insert(u"AWS_PROFILE"_s, u"ops"_s);
    env.insert(u"UNRELATED_SECRET"_s, u"x"_s);
    auto c = parse({}, env);
    QVERIFY(c);
    QCOMPARE(c->connection.address, u"envhost:7233"_s);
    QCOMPARE(c->connection.nameSpace, u"envns"_s);
    // Only what the tools need is passed through to them.
    QCOMPARE(c->activities.toolEnvironment.value(u"AWS_PROFILE"_s), u"ops"_s);
    QVERIFY(!c->activities.toolEnvironment.contains(u"UNRELATED_SECRET"_s));
    c = parse({u"--address"_s, u"flaghost:1234"_s}, env);
    QVERIFY(c);
    QCOMPARE(c->connection.address, u"flaghost:1234"_s);
    QCOMPARE(c->connection.nameSpace, u"envns"_s);
}

void TestWorkerConfig::configFile()
{
    const QString file = m_dir.filePath(u"worker.conf"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[temporal]\naddress = filehost:7233\ntask-queue = q1\n[worker]\nmax-activities = 3\nrole = activities\n"
            "heartbeat-timeout = 7\n[log]\nformat = json\n");
    f.close();
    QProcessEnvironment env;
    env.insert(u"TEMPORAL_ADDRESS"_s, u"envhost:7233"_s);
    auto c = parse({u"--config"_s, file}, env);
    QVERIFY2(c, qPrintable(c.errorMessage()));
    QCOMPARE(c->configFile, file);
    QCOMPARE(c->connection.address, u"envhost:7233"_s); // environment beats the file
    QCOMPARE(c->worker.taskQueue, u"q1"_s);
    QCOMPARE(c->worker.maxConcurrentActivities, 3);
    QCOMPARE(c->role, WorkerConfig::Role::Activities);
    QCOMPARE(c->timings.heartbeatTimeout, std::chrono::milliseconds(7000));
    QCOMPARE(c->log.format, Nebula::Log::Format::Json);
    c = parse({u"--config"_s, file, u"--task-queue"_s, u"q2"_s});
    QCOMPARE(c->worker.taskQueue, u"q2"_s); // flags beat the file
}

void TestWorkerConfig::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("fileText"); // written to a config file passed with --config, if set
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown flag") << QStringList{u"--frobnicate"_s} << QString() << u"Unknown option 'frobnicate'"_s;
    QTest::newRow("positional") << QStringList{u"start"_s} << QString() << u"Unexpected argument \"start\""_s;
    QTest::newRow("max-activities 0") << QStringList{u"--max-activities"_s, u"0"_s} << QString()
                                      << u"max-activities must be a whole number from 1 to 256"_s;
    QTest::newRow("max-activities text") << QStringList{u"--max-activities"_s, u"many"_s} << QString() << u"not \"many\""_s;
    QTest::newRow("bad address") << QStringList{u"--address"_s, u"nohostport"_s} << QString() << u"is not HOST:PORT"_s;
    QTest::newRow("bad log level") << QStringList{u"--log-level"_s, u"loud"_s} << QString() << u"Unknown log level \"loud\""_s;
    QTest::newRow("bad log format") << QStringList{u"--log-format"_s, u"xml"_s} << QString() << u"use text or json"_s;
    QTest::newRow("bad role") << QStringList{u"--role"_s, u"boss"_s} << QString() << u"Unknown role \"boss\""_s;
    QTest::newRow("missing config") << QStringList{u"--config"_s, u"/nonexistent/worker.conf"_s} << QString()
                                    << u"does not exist or cannot be read"_s;
    QTest::newRow("unknown setting") << QStringList() << u"[worker]\nmax-activites = 3\n"_s << u"Unknown setting \"worker/max-activites\""_s;
    QTest::newRow("bad infrastructure dir") << QStringList{u"--infrastructure-dir"_s, u"/nonexistent"_s} << QString()
                                            << u"has no terraform/modules"_s;
    QTest::newRow("unreadable key") << QStringList{u"--ssh-private-key"_s, u"/nonexistent/id"_s} << QString()
                                    << u"cannot be read"_s;
    QTest::newRow("tls key without cert") << QStringList{u"--tls-key"_s, u"/etc/hostname"_s} << QString() << u"needs both"_s;
}

void TestWorkerConfig::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, fileText);
    QFETCH(QString, message);
    if (!fileText.isEmpty()) {
        const QString file = m_dir.filePath(u"bad.conf"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(fileText.toUtf8());
        f.close();
        args << u"--config"_s << file;
    }
    const auto c = parse(args);
    QVERIFY(!c);
    QVERIFY2(c.error().message.contains(message), qPrintable(c.error().message));
}

void TestWorkerConfig::apiKeyComesFromAFile()
{
    const QString file = m_dir.filePath(u"api-key"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("s3cret-key\n");
    f.close();
    const auto c = parse({u"--api-key-file"_s, file});
    QVERIFY(c);
    QCOMPARE(c->connection.apiKey, u"s3cret-key"_s);
    // Keys are never flags (they would show in the process list).
    QVERIFY(!parse({u"--api-key"_s, u"x"_s}));
}

QTEST_GUILESS_MAIN(TestWorkerConfig)
#include "tst_workerconfig.moc"
