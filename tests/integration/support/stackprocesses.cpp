#include "stackprocesses.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Testing {

int freeLoopbackPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

QString binaryPath(const char *envName, const QString &relativeToBuild)
{
    const QString fromEnv = qEnvironmentVariable(envName);
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QDir(qEnvironmentVariable("NEBULA_BINARY_DIR")).filePath(relativeToBuild);
}

ManagedProcess::ManagedProcess(QString name, QString program, QStringList arguments, QString logFile,
                               QProcessEnvironment environment)
    : m_name(std::move(name)), m_program(std::move(program)), m_arguments(std::move(arguments)),
      m_logFile(std::move(logFile)), m_environment(std::move(environment))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_logFile, QIODevice::Append);
    m_process.setProcessEnvironment(m_environment);
    // Its own process group, so that killing it also kills terraform, ansible and nginx children
    // that stayed in the group.
    m_process.setChildProcessModifier([] { ::setpgid(0, 0); });
}

ManagedProcess::~ManagedProcess()
{
    kill();
}

bool ManagedProcess::start()
{
    m_process.start(m_program, m_arguments);
    return m_process.waitForStarted(10000);
}

bool ManagedProcess::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

void ManagedProcess::terminate(int graceMs)
{
    if (!isRunning())
        return;
    ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(graceMs))
        kill();
}

void ManagedProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    const auto pid = static_cast<pid_t>(m_process.processId());
    if (pid > 0) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
    }
    m_process.waitForFinished(5000);
}

QString ManagedProcess::log() const
{
    QFile f(m_logFile);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

Stack::Stack()
{
    m_dir.setAutoRemove(qEnvironmentVariableIsEmpty("NEBULA_KEEP_TEST_DIRS"));
}

Stack::~Stack()
{
    // Workers first: they may have tools running that talk to the server.
    for (auto &w : m_workers)
        w->kill();
    m_workers.clear();
    m_client.reset();
    if (m_devserver)
        m_devserver->kill();
    // Local instances started by Ansible run nginx outside the worker's process group (it
    // daemonizes): stop every nginx whose pid file lives under our directory.
    const auto workerDirs = QDir(m_dir.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &sub : workerDirs) {
        QDir inst(m_dir.filePath(sub + u"/instances"_s));
        for (const QString &name : inst.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile pidFile(inst.filePath(name + u"/run/nginx.pid"_s));
            if (pidFile.open(QIODevice::ReadOnly)) {
                const int pid = pidFile.readAll().trimmed().toInt();
                // nginx daemonizes into its own session: the master's pid is its group id.
                if (pid > 1) {
                    ::kill(-pid, SIGKILL);
                    ::kill(pid, SIGKILL);
                }
            }
        }
    }
}

QString Stack::address() const
{
    return u"127.0.0.1:%1"_s.arg(m_port);
}

bool Stack::startDevServer(const QStringList &extraArguments)
{
    m_port = freeLoopbackPort();
    m_devserver = std::make_unique<ManagedProcess>(
        u"devserver"_s, binaryPath("NEBULA_DEVSERVER", u"devserver/nebula-devserver"_s),
        QStringList{u"--bind"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(m_port), u"--db"_s,
                    m_dir.filePath(u"devserver.db"_s)} + extraArguments,
        m_dir.filePath(u"devserver.log"_s));
    if (!m_devserver->start())
        return false;
    const QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(m_port));
        if (socket.waitForConnected(200))
            return true;
        if (!m_devserver->isRunning())
            return false;
        QThread::msleep(50);
    }
    return false;
}

QString Stack::workerDataDir(int index) const
{
    return m_dir.filePath(u"worker-%1"_s.arg(index));
}

ManagedProcess *Stack::startWorker(const QStringList &extraArguments, const QString &dataDir)
{
    const int index = static_cast<int>(m_workers.size());
    const QString data = dataDir.isEmpty() ? workerDataDir(index) : dataDir;
    QStringList args{u"--address"_s, address(), u"--data-dir"_s, data, u"--identity"_s,
                     u"worker-%1"_s.arg(index), u"--log-level"_s, u"debug"_s};
    args += extraArguments;
    auto process = std::make_unique<ManagedProcess>(
        u"worker-%1"_s.arg(index), binaryPath("NEBULA_WORKER", u"worker/nebula-worker"_s), args,
        m_dir.filePath(u"worker-%1.log"_s.arg(index)));
    if (!process->start())
        return nullptr;
    m_workers.push_back(std::move(process));
    return m_workers.back().get();
}

Temporal::TemporalClient &Stack::client()
{
    if (!m_client) {
        Temporal::ConnectionOptions options;
        options.address = address();
        options.identity = u"integration-test"_s;
        auto created = Temporal::TemporalClient::create(options);
        m_client = std::move(created.value());
    }
    return *m_client;
}

QString Stack::logs() const
{
    QString out;
    if (m_devserver)
        out += u"--- devserver\n"_s + m_devserver->log().right(4000);
    for (const auto &w : m_workers)
        out += u"\n--- "_s + w->name() + u"\n"_s + w->log().right(8000);
    return out;
}

namespace {

template <typename T, typename Call>
Result<T> blocking(int timeoutMs, Call call)
{
    std::optional<Result<T>> result;
    QObject context;
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    call(&context, [&](const Result<T> &r) {
        result = r;
        loop.quit();
    });
    if (!result)
        loop.exec();
    if (!result)
        return makeError(ErrorCode::DeadlineExceeded, u"the test waited %1 ms in vain"_s.arg(timeoutMs));
    return *result;
}

} // namespace

Result<QJsonValue> waitForResult(Temporal::TemporalClient &client, const QString &workflowId, int timeoutMs,
                                 Temporal::WorkflowOutcome *outcome)
{
    auto r = blocking<Temporal::WorkflowOutcome>(timeoutMs, [&](QObject *ctx, auto cb) {
        client.waitForOutcome({workflowId, {}}, ctx, cb);
    });
    if (!r)
        return r.error();
    if (outcome)
        *outcome = *r;
    if (r->status != Temporal::WorkflowStatus::Completed)
        return makeError(ErrorCode::Unknown, u"%1: %2"_s.arg(Temporal::workflowStatusName(r->status), r->failureMessage));
    return r->result;
}

Result<QJsonValue> query(Temporal::TemporalClient &client, const QString &workflowId, const QString &name, int timeoutMs)
{
    return blocking<QJsonValue>(timeoutMs + 1000, [&](QObject *ctx, auto cb) {
        Temporal::CallOptions call;
        call.timeout = std::chrono::milliseconds(timeoutMs);
        client.queryWorkflow({workflowId, {}}, name, {}, ctx, cb, call);
    });
}

Result<QString> start(Temporal::TemporalClient &client, const QString &type, const QString &workflowId,
                      const QJsonValue &input, const QString &taskQueue)
{
    Temporal::StartWorkflowRequest request;
    request.workflowId = workflowId;
    request.workflowType = type;
    request.taskQueue = taskQueue;
    request.args = QJsonArray{input};
    auto r = blocking<Temporal::StartResult>(15000, [&](QObject *ctx, auto cb) { client.startWorkflow(request, ctx, cb); });
    if (!r)
        return r.error();
    return r->runId;
}

Result<void> cancel(Temporal::TemporalClient &client, const QString &workflowId)
{
    auto r = blocking<bool>(15000, [&](QObject *ctx, auto cb) {
        client.requestCancelWorkflow({workflowId, {}}, u"test"_s, ctx, [cb](const Result<void> &v) {
            cb(v ? Result<bool>(true) : Result<bool>(v.error()));
        });
    });
    if (!r)
        return r.error();
    return {};
}

std::pair<int, QByteArray> httpGet(const QString &url, int timeoutMs)
{
    QNetworkAccessManager network;
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    delete reply;
    return {status, body};
}

} // namespace Nebula::Testing
