#pragma once

#include "temporal/temporalclient.h"

#include <QJsonValue>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

// Real processes for integration tests: nebula-devserver on a free loopback port and any number
// of nebula-worker processes, each in its own process group, all killed (group-wide) when the
// fixture goes away, even when a test fails half-way.
namespace Nebula::Testing {

// A TCP port on 127.0.0.1 that was free a moment ago.
int freeLoopbackPort();
QString binaryPath(const char *envName, const QString &relativeToBuild);

class ManagedProcess
{
public:
    ManagedProcess(QString name, QString program, QStringList arguments, QString logFile,
                   QProcessEnvironment environment = QProcessEnvironment::systemEnvironment());
    ~ManagedProcess(); // SIGKILL to the whole group

    bool start();
    void terminate(int graceMs = 20000); // SIGTERM, wait, then SIGKILL (group-wide)
    void kill();                         // SIGKILL to the process group, at once
    bool isRunning() const;
    qint64 pid() const { return m_process.processId(); }
    QString log() const;
    const QString &name() const { return m_name; }

private:
    QString m_name;
    QString m_program;
    QStringList m_arguments;
    QString m_logFile;
    QProcessEnvironment m_environment;
    QProcess m_process;
};

class Stack
{
public:
    Stack();
    ~Stack();

    QString dir() const { return m_dir.path(); }
    int port() const { return m_port; }
    QString address() const;

    // Starts nebula-devserver with a file database in dir() and waits until it accepts calls.
    bool startDevServer(const QStringList &extraArguments = {});
    ManagedProcess *devServer() const { return m_devserver.get(); }
    // Starts a nebula-worker with its own data dir (dir()/worker-<n> unless given).
    ManagedProcess *startWorker(const QStringList &extraArguments = {}, const QString &dataDir = {});
    QString workerDataDir(int index) const;

    Temporal::TemporalClient &client();
    // Everything the processes logged, for QVERIFY2 messages.
    QString logs() const;

private:
    QTemporaryDir m_dir;
    int m_port = 0;
    std::unique_ptr<ManagedProcess> m_devserver;
    std::vector<std::unique_ptr<ManagedProcess>> m_workers;
    std::unique_ptr<Temporal::TemporalClient> m_client;
};

// Blocking helpers for tests only (they spin a local event loop; never use this in the product).
Result<QJsonValue> waitForResult(Temporal::TemporalClient &client, const QString &workflowId, int timeoutMs,
                                 Temporal::WorkflowOutcome *outcome = nullptr);
Result<QJsonValue> query(Temporal::TemporalClient &client, const QString &workflowId, const QString &name,
                         int timeoutMs = 10000);
Result<QString> start(Temporal::TemporalClient &client, const QString &type, const QString &workflowId,
                      const QJsonValue &input, const QString &taskQueue = QStringLiteral("nebula-provision"));
Result<void> cancel(Temporal::TemporalClient &client, const QString &workflowId);
// An HTTP GET on 127.0.0.1: status code (0 when the connection failed) and body.
std::pair<int, QByteArray> httpGet(const QString &url, int timeoutMs = 5000);

} // namespace Nebula::Testing
