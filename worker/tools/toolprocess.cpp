#include "toolprocess.h"

#include "common/logging.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QStandardPaths>

#include <csignal>
#include <mutex>
#include <sys/types.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools {
namespace {

constexpr qsizetype MaxLineLength = 16 * 1024 * 1024;

std::shared_ptr<spdlog::logger> logger()
{
    static const auto log = Log::get("worker.tools");
    return log;
}

// Runs in the child between fork and exec: only async-signal-safe calls.
void prepareChild()
{
    ::setsid();
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // An inherited SIG_IGN survives exec; Python (Ansible) would then ignore our SIGINT.
    for (const int sig : {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE, SIGCHLD})
        std::signal(sig, SIG_DFL);
}

// Hands complete lines of `buffer` to `handler`, keeping an incomplete last line.
void deliverLines(QByteArray &buffer, const ToolProcess::LineHandler &handler, bool flush)
{
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = buffer.indexOf('\n', start);
        if (nl < 0)
            break;
        qsizetype end = nl;
        if (end > start && buffer.at(end - 1) == '\r')
            --end;
        if (handler)
            handler(QByteArrayView(buffer).sliced(start, end - start));
        start = nl + 1;
    }
    buffer.remove(0, start);
    if (flush && !buffer.isEmpty()) {
        if (handler)
            handler(QByteArrayView(buffer));
        buffer.clear();
    } else if (buffer.size() > MaxLineLength) {
        logger()->warn("dropping a tool output line longer than {} bytes", MaxLineLength);
        buffer.clear();
    }
}

QString resolveProgram(const QString &program, const QProcessEnvironment &env)
{
    if (program.contains(u'/'))
        return QFileInfo(program).isExecutable() ? program : QString();
    const QStringList paths = env.value(u"PATH"_s).split(u':', Qt::SkipEmptyParts);
    return QStandardPaths::findExecutable(program, paths);
}

} // namespace

ToolProcess::ToolProcess(QObject *parent) : QObject(parent), m_process(this), m_killTimer(this)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.setInputChannelMode(QProcess::ManagedInputChannel);
    m_process.setChildProcessModifier(&prepareChild);
    m_killTimer.setSingleShot(true);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &ToolProcess::handleStdout);
    connect(&m_process, &QProcess::readyReadStandardError, this, &ToolProcess::handleStderr);
    connect(&m_process, &QProcess::finished, this, &ToolProcess::handleFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &ToolProcess::handleError);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        logger()->warn("{} did not stop within the grace period; killing its process group",
                       m_command.displayName.toStdString());
        m_result.killed = true;
        signalGroup(SIGKILL);
    });
}

ToolProcess::~ToolProcess()
{
    m_process.disconnect(this);
    if (isRunning()) {
        logger()->warn("{} still running when its owner went away; killing its process group",
                       m_command.displayName.toStdString());
        signalGroup(SIGKILL);
        m_process.waitForFinished(5000);
    }
}

void ToolProcess::setStdoutHandler(LineHandler handler)
{
    m_onStdout = std::move(handler);
}

void ToolProcess::setStderrHandler(LineHandler handler)
{
    m_onStderr = std::move(handler);
}

QProcessEnvironment ToolProcess::restrictedEnvironment(const QHash<QString, QString> &extra)
{
    const QProcessEnvironment parent = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    for (const QString &key : parent.keys()) {
        if (key == u"PATH"_s || key == u"HOME"_s || key == u"LANG"_s || key == u"TMPDIR"_s
            || key.startsWith(u"LC_"_s))
            env.insert(key, parent.value(key));
    }
    if (!env.contains(u"PATH"_s))
        env.insert(u"PATH"_s, u"/usr/local/bin:/usr/bin:/bin"_s);
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

bool ToolProcess::isSecretName(QStringView name)
{
    const QString upper = name.toString().toUpper();
    return upper.startsWith(u"TF_VAR_"_s) || upper.contains(u"SECRET"_s)
           || upper.contains(u"TOKEN"_s) || upper.contains(u"PASSWORD"_s)
           || upper.contains(u"PASSPHRASE"_s) || upper.contains(u"KEY"_s)
           || upper.contains(u"CREDENTIAL"_s);
}

QStringList ToolProcess::allSecrets(const ToolCommand &command)
{
    QStringList secrets = command.secrets;
    for (auto it = command.environment.cbegin(); it != command.environment.cend(); ++it) {
        if (isSecretName(it.key()) && !it.value().isEmpty())
            secrets.append(it.value());
    }
    return secrets;
}

QString ToolProcess::redact(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets) {
        if (!secret.isEmpty())
            text.replace(secret, u"***"_s);
    }
    return text;
}

void ToolProcess::start(const ToolCommand &command)
{
    Q_ASSERT_X(m_pid == 0 && !m_finished, "ToolProcess::start", "a ToolProcess runs once");
    m_command = command;
    if (m_command.displayName.isEmpty())
        m_command.displayName = QFileInfo(command.program).fileName();
    m_command.secrets = allSecrets(command);
    const QProcessEnvironment env = restrictedEnvironment(command.environment);
    const QString program = resolveProgram(command.program, env);
    m_clock.start();
    if (program.isEmpty()) {
        m_result.status = ToolResult::Status::FailedToStart;
        m_result.errorString = u"%1 was not found or is not executable"_s.arg(command.program);
        // Queued, so that finished() never arrives before start() returns.
        QMetaObject::invokeMethod(this, &ToolProcess::finish, Qt::QueuedConnection);
        return;
    }
    m_process.setProcessEnvironment(env);
    m_process.setWorkingDirectory(command.workingDirectory);
    logger()->info("starting {} in {}", m_command.displayName.toStdString(),
                   command.workingDirectory.toStdString());
    logger()->debug("{} {}", program.toStdString(),
                    redact(command.arguments.join(u' '), m_command.secrets).toStdString());
    m_process.start(program, command.arguments, QIODevice::ReadOnly);
    m_pid = m_process.processId();
}

bool ToolProcess::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

void ToolProcess::cancel()
{
    if (m_finished || m_result.cancelled)
        return;
    m_result.cancelled = true;
    if (!isRunning())
        return;
    logger()->info("cancelling {} (SIGINT to process group {}, grace period {} ms)",
                   m_command.displayName.toStdString(), m_pid, m_command.gracePeriod.count());
    signalGroup(SIGINT);
    m_killTimer.start(m_command.gracePeriod);
}

void ToolProcess::kill()
{
    if (!isRunning())
        return;
    m_result.killed = true;
    signalGroup(SIGKILL);
}

void ToolProcess::signalGroup(int signal)
{
    if (m_pid <= 0)
        return;
    // The child called setsid(), so its pid is the process group id. Grandchildren (local-exec
    // commands, Ansible module processes) are in that group too.
    if (::kill(-static_cast<pid_t>(m_pid), signal) != 0 && isRunning())
        ::kill(static_cast<pid_t>(m_pid), signal);
}

void ToolProcess::handleStdout()
{
    m_stdoutBuffer += m_process.readAllStandardOutput();
    deliverLines(m_stdoutBuffer, m_onStdout, false);
}

void ToolProcess::handleStderr()
{
    const QByteArray chunk = m_process.readAllStandardError();
    m_stderrTail += chunk;
    if (m_stderrTail.size() > m_command.stderrLimit) {
        m_stderrTail.remove(0, m_stderrTail.size() - m_command.stderrLimit);
        m_result.stderrTruncated = true;
    }
    if (m_onStderr) {
        m_stderrLineBuffer += chunk;
        deliverLines(m_stderrLineBuffer, m_onStderr, false);
    }
}

void ToolProcess::handleFinished(int exitCode, QProcess::ExitStatus status)
{
    handleStdout();
    handleStderr();
    deliverLines(m_stdoutBuffer, m_onStdout, true);
    deliverLines(m_stderrLineBuffer, m_onStderr, true);
    m_result.status = status == QProcess::NormalExit ? ToolResult::Status::Exited
                                                     : ToolResult::Status::Crashed;
    m_result.exitCode = status == QProcess::NormalExit ? exitCode : -1;
    if (m_result.cancelled || m_result.killed) {
        // Whatever of the group survived the leader (e.g. a provisioner's child) goes too.
        signalGroup(SIGKILL);
    }
    finish();
}

void ToolProcess::handleError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return;
    m_result.status = ToolResult::Status::FailedToStart;
    m_result.errorString = m_process.errorString();
    QMetaObject::invokeMethod(this, &ToolProcess::finish, Qt::QueuedConnection);
}

void ToolProcess::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_killTimer.stop();
    m_result.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    m_result.stderrText = redact(QString::fromUtf8(m_stderrTail), m_command.secrets);
    if (m_result.status == ToolResult::Status::FailedToStart) {
        logger()->error("{} could not start: {}", m_command.displayName.toStdString(),
                        m_result.errorString.toStdString());
    } else {
        logger()->info("{} ended: {} {}{}{} after {} ms", m_command.displayName.toStdString(),
                       m_result.status == ToolResult::Status::Exited ? "exit code" : "crashed",
                       m_result.exitCode, m_result.cancelled ? ", cancelled" : "",
                       m_result.killed ? ", killed" : "", m_result.elapsedMs);
    }
    Q_EMIT finished(m_result);
}

ToolResult ToolProcess::run(const ToolCommand &command, const LineHandler &onStdoutLine,
                            std::stop_token stop, const LineHandler &onStderrLine)
{
    if (stop.stop_requested()) {
        ToolResult result;
        result.cancelled = true;
        return result;
    }
    ToolProcess process;
    process.setStdoutHandler(onStdoutLine);
    process.setStderrHandler(onStderrLine);
    QEventLoop loop;
    connect(&process, &ToolProcess::finished, &loop, &QEventLoop::quit);
    process.start(command);
    {
        // The callback runs on the requesting thread; cancel() must run on ours. The callback
        // is unregistered (waiting for a running one) before `process` goes away, and events
        // queued to a destroyed object are discarded.
        std::stop_callback onStop(stop, [&process] {
            QMetaObject::invokeMethod(&process, &ToolProcess::cancel, Qt::QueuedConnection);
        });
        if (!process.isFinished())
            loop.exec();
    }
    return process.result();
}

} // namespace Nebula::Tools
