#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <functional>
#include <stop_token>

namespace Nebula::Tools {

// What to run. Never a shell string: the program gets exactly `arguments`.
struct ToolCommand
{
    QString program; // absolute path, or a name looked up in the child's PATH
    QStringList arguments;
    QString workingDirectory;
    // Added to the allow-listed base environment (PATH, HOME, LANG, LC_*, TMPDIR); nothing else
    // of the worker's environment reaches the tool. A value here replaces the base value.
    QHash<QString, QString> environment;
    // Values redacted ("***") from stderr text, logs and events: secret variables, credentials.
    // Environment values whose names look secret (see isSecretName) are added automatically.
    QStringList secrets;
    // After cancel(): how long the tool may take to stop on SIGINT before the process group is
    // killed with SIGKILL.
    std::chrono::milliseconds gracePeriod = std::chrono::seconds(30);
    qsizetype stderrLimit = 64 * 1024; // bytes of stderr kept (the tail)
    QString displayName;               // for logs, e.g. "terraform apply"
};

struct ToolResult
{
    enum class Status { NotStarted, FailedToStart, Exited, Crashed };
    Status status = Status::NotStarted;
    int exitCode = -1;       // when Exited
    bool cancelled = false;  // cancel() was called before the tool ended
    bool killed = false;     // SIGKILL was needed (grace period over, or the owner went away)
    QString errorString;     // why it could not start
    QString stderrText;      // the tail of stderr, secrets redacted
    bool stderrTruncated = false;
    qint64 elapsedMs = 0;

    bool succeeded() const { return status == Status::Exited && exitCode == 0 && !cancelled; }
};

// Runs one tool as a child process in its own session and process group, with SIGINT and the
// signal mask reset to defaults, and a restricted environment. Stdout and stderr are read
// separately, line by line: stdout lines go to the stdout handler (the tool's event stream),
// stderr is kept in a bounded buffer for error messages (and optionally passed line by line to a
// second handler for raw logs). Cancellation sends SIGINT to the whole group, then SIGKILL after
// the grace period; destroying a running ToolProcess kills the group at once.
//
// Asynchronous use: connect finished(), then start(). Blocking use (activity threads): run().
class ToolProcess : public QObject
{
    Q_OBJECT

public:
    using LineHandler = std::function<void(QByteArrayView line)>;

    explicit ToolProcess(QObject *parent = nullptr);
    ~ToolProcess() override;

    void setStdoutHandler(LineHandler handler);
    void setStderrHandler(LineHandler handler);

    // Starts the command; finished() follows exactly once (also when the program cannot start).
    void start(const ToolCommand &command);
    // Graceful stop: SIGINT to the process group, SIGKILL to the group after the grace period.
    void cancel();
    // Immediate SIGKILL to the process group.
    void kill();

    bool isRunning() const;
    bool isFinished() const { return m_finished; }
    qint64 processId() const { return m_pid; } // also the process group id; 0 before start
    const ToolResult &result() const { return m_result; }

    // Runs `command` to completion on the calling thread, spinning a local event loop (so the
    // handlers are called on this thread). A stop request on `stop` (from any thread) cancels the
    // tool as cancel() does. For activity threads, never for a GUI thread.
    static ToolResult run(const ToolCommand &command, const LineHandler &onStdoutLine,
                          std::stop_token stop = {}, const LineHandler &onStderrLine = {});

    // The allow-listed part of the current environment plus `extra`.
    static QProcessEnvironment restrictedEnvironment(const QHash<QString, QString> &extra);
    // Names whose values are never logged: *SECRET*, *TOKEN*, *PASSWORD*, *KEY*, TF_VAR_*, ...
    static bool isSecretName(QStringView name);
    // command.secrets plus the values of command.environment whose names look secret.
    static QStringList allSecrets(const ToolCommand &command);
    // Replaces every occurrence of each secret (non-empty) with "***".
    static QString redact(QString text, const QStringList &secrets);

Q_SIGNALS:
    void finished(const Nebula::Tools::ToolResult &result);

private:
    void handleStdout();
    void handleStderr();
    void handleFinished(int exitCode, QProcess::ExitStatus status);
    void handleError(QProcess::ProcessError error);
    void signalGroup(int signal);
    void finish();

    QProcess m_process;
    QTimer m_killTimer;
    QElapsedTimer m_clock;
    ToolCommand m_command;
    ToolResult m_result;
    LineHandler m_onStdout;
    LineHandler m_onStderr;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderrLineBuffer;
    QByteArray m_stderrTail;
    qint64 m_pid = 0;
    bool m_finished = false;
};

} // namespace Nebula::Tools
