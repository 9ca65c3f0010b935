#include "terraformfailure.h"

#include <array>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools {
namespace {

bool isValidationSummary(const QString &summary)
{
    return summary == u"Invalid value for variable"_s
           || summary == u"No value for required variable"_s
           || summary == u"Invalid value for input variable"_s;
}

bool isConfigurationSummary(const QString &summary)
{
    static constexpr std::array<QStringView, 12> prefixes = {
        u"Invalid ", u"Unsupported ", u"Missing ", u"Duplicate ", u"Unterminated ",
        u"Reference to undeclared", u"Argument or block definition required",
        u"Module not installed", u"Plan file or auto-approve required", u"Unreadable module",
        u"Unsuitable value type", u"Incorrect attribute value type"};
    for (const QStringView prefix : prefixes) {
        if (summary.startsWith(prefix))
            return true;
    }
    return false;
}

QString firstLine(const QString &text)
{
    for (const QString &line : text.split(u'\n')) {
        const QString trimmed = line.trimmed();
        // Skip the box drawing Terraform puts around plain-text diagnostics.
        QString cleaned = trimmed;
        while (!cleaned.isEmpty()
               && (cleaned.front() == QChar(0x2577) || cleaned.front() == QChar(0x2502)
                   || cleaned.front() == QChar(0x2575) || cleaned.front() == u' '))
            cleaned.remove(0, 1);
        if (!cleaned.isEmpty())
            return cleaned;
    }
    return {};
}

} // namespace

Error classifyTerraformFailure(const TerraformJsonParser &parser, const ToolResult &result,
                               const FailureInfo &info)
{
    const QString what = info.tool + u' ' + info.command;
    if (result.cancelled) {
        return makeFailure(ErrorCode::Cancelled, FailureType::ToolCancelled, false,
                           result.killed ? u"%1 was cancelled and had to be killed after the "
                                           u"grace period; the state may need a new plan"_s.arg(what)
                                         : u"%1 was cancelled"_s.arg(what),
                           result.stderrText, info);
    }
    if (result.status == ToolResult::Status::FailedToStart
        || result.status == ToolResult::Status::NotStarted) {
        return makeFailure(ErrorCode::FailedPrecondition, FailureType::ToolStartFailed, false,
                           u"%1 could not start: %2"_s.arg(what, result.errorString), {}, info);
    }

    QStringList details;
    for (const TerraformDiagnostic &d : parser.errors())
        details.append(d.toText() + (d.address.isEmpty() ? QString() : u" ["_s + d.address + u']'));
    if (!result.stderrText.trimmed().isEmpty())
        details.append(u"stderr: "_s + result.stderrText.trimmed());
    const QString detail = details.join(u'\n');

    QString message;
    if (!parser.errors().isEmpty()) {
        const TerraformDiagnostic &first = parser.errors().constFirst();
        message = first.toText();
        if (!first.address.isEmpty())
            message += u" ("_s + first.address + u')';
    } else if (result.status == ToolResult::Status::Crashed) {
        message = u"%1 was killed by a signal"_s.arg(what);
    } else {
        message = firstLine(result.stderrText);
        if (message.isEmpty())
            message = u"%1 failed with exit code %2"_s.arg(what).arg(result.exitCode);
    }

    QString lower;
    for (const TerraformDiagnostic &d : parser.errors())
        lower += d.summary + u'\n' + d.detail + u'\n';
    lower = (lower + result.stderrText).toLower();

    if (result.status == ToolResult::Status::Crashed)
        return makeFailure(ErrorCode::Aborted, FailureType::ToolKilled, true, message, detail, info);
    if (lower.contains(u"error acquiring the state lock"_s))
        return makeFailure(ErrorCode::Aborted, FailureType::TerraformStateLocked, true, message,
                           detail, info);
    if (looksLikeCredentials(lower))
        return makeFailure(ErrorCode::Unauthenticated, FailureType::TerraformCredentialsError,
                           false, message, detail, info);
    if (looksTransient(lower))
        return makeFailure(ErrorCode::Unavailable, FailureType::TerraformTransientError, true,
                           message, detail, info);
    const auto &errors = parser.errors();
    if (std::any_of(errors.cbegin(), errors.cend(),
                    [](const auto &d) { return isValidationSummary(d.summary); }))
        return makeFailure(ErrorCode::Validation, FailureType::TerraformValidationError, false,
                           message, detail, info);
    if (std::any_of(errors.cbegin(), errors.cend(),
                    [](const auto &d) { return isConfigurationSummary(d.summary); }))
        return makeFailure(ErrorCode::InvalidArgument, FailureType::TerraformConfigurationError,
                           false, message, detail, info);
    return makeFailure(ErrorCode::Tool, FailureType::TerraformError, true, message, detail, info);
}

} // namespace Nebula::Tools
