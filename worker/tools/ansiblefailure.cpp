#include "ansiblefailure.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools {
namespace {

QString errorLine(const QString &stderrText)
{
    const QStringList lines = stderrText.split(u'\n');
    for (const QString &line : lines) {
        const QString t = line.trimmed();
        if (t.startsWith(u"ERROR!"_s) || t.startsWith(u"[ERROR]"_s))
            return t;
    }
    for (const QString &line : lines) {
        const QString t = line.trimmed();
        if (!t.isEmpty() && !t.startsWith(u"[WARNING]"_s) && !t.startsWith(u"[DEPRECATION"_s))
            return t;
    }
    return {};
}

} // namespace

std::optional<Error> classifyAnsibleRun(const AnsibleEventParser &parser, const ToolResult &result,
                                        const FailureInfo &info)
{
    const QString what = info.tool + u' ' + info.command;
    const QString stderrTail = result.stderrText.trimmed();
    if (result.cancelled) {
        return makeFailure(ErrorCode::Cancelled, FailureType::ToolCancelled, false,
                           result.killed ? u"%1 was cancelled and had to be killed after the "
                                           u"grace period"_s.arg(what)
                                         : u"%1 was cancelled"_s.arg(what),
                           stderrTail, info);
    }
    if (result.status == ToolResult::Status::FailedToStart
        || result.status == ToolResult::Status::NotStarted) {
        return makeFailure(ErrorCode::FailedPrecondition, FailureType::ToolStartFailed, false,
                           u"%1 could not start: %2"_s.arg(what, result.errorString), {}, info);
    }

    if (parser.hasStats()) {
        if (parser.totalUnreachable() > 0 || parser.totalFailures() > 0) {
            // Prefer an unreachable host: nothing after it ran there.
            const auto &failures = parser.failures();
            auto it = std::find_if(failures.cbegin(), failures.cend(),
                                   [](const AnsibleTaskFailure &f) { return f.unreachable; });
            if (it == failures.cend())
                it = failures.cbegin();
            QStringList lines;
            for (const AnsibleTaskFailure &f : failures) {
                lines.append(u"%1 %2 on %3: %4"_s.arg(
                    f.task, f.unreachable ? u"unreachable"_s : u"failed"_s, f.host, f.message));
            }
            if (!stderrTail.isEmpty())
                lines.append(u"stderr: "_s + stderrTail);
            const QString detail = lines.join(u'\n');
            if (parser.totalUnreachable() > 0) {
                const QString message =
                    it != failures.cend()
                        ? u"Host %1 is unreachable (task \"%2\"): %3"_s.arg(it->host, it->task,
                                                                            it->message)
                        : u"A host is unreachable"_s;
                return makeFailure(ErrorCode::Unavailable, FailureType::AnsibleHostUnreachable,
                                   true, oneLine(message, 2000), detail, info);
            }
            const QString message =
                it != failures.cend()
                    ? u"Task \"%1\" failed on %2: %3"_s.arg(it->task, it->host, it->message)
                    : u"A task failed"_s;
            const bool transient = it != failures.cend() && looksTransient(it->message.toLower());
            return makeFailure(ErrorCode::Tool,
                               transient ? FailureType::AnsibleTransientTaskFailure
                                         : FailureType::AnsibleTaskFailed,
                               transient, oneLine(message, 2000), detail, info);
        }
        if (result.succeeded())
            return std::nullopt;
    } else if (result.succeeded()) {
        return std::nullopt; // e.g. no hosts matched
    }

    const int code = result.status == ToolResult::Status::Exited ? result.exitCode : -1;
    QString message = errorLine(stderrTail);
    const auto fail = [&](ErrorCode ec, QStringView type, bool retryable, const QString &fallback) {
        return makeFailure(ec, type, retryable, message.isEmpty() ? fallback : message, stderrTail,
                           info);
    };
    switch (code) {
    case 1:
        return fail(ErrorCode::Tool, FailureType::AnsibleError, false,
                    u"%1 failed with an error (exit code 1)"_s.arg(what));
    case 2:
    case 5:
        return fail(ErrorCode::InvalidArgument, FailureType::AnsibleOptionsError, false,
                    u"%1 was given bad or incomplete options (exit code %2)"_s.arg(what).arg(code));
    case 3:
        return fail(ErrorCode::Unavailable, FailureType::AnsibleHostUnreachable, true,
                    u"A host is unreachable (exit code 3)"_s);
    case 4:
        return fail(ErrorCode::InvalidArgument, FailureType::AnsibleParserError, false,
                    u"%1 could not parse the playbook or inventory (exit code 4)"_s.arg(what));
    case 99:
        return fail(ErrorCode::Aborted, FailureType::AnsibleInterrupted, true,
                    u"%1 was interrupted (exit code 99)"_s.arg(what));
    default:
        break;
    }
    if (code < 0)
        message = u"%1 was killed by a signal"_s.arg(what);
    return fail(ErrorCode::Tool, FailureType::AnsibleError, true,
                u"%1 ended unexpectedly (exit code %2)"_s.arg(what).arg(code));
}

} // namespace Nebula::Tools
