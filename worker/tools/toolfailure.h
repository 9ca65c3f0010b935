#pragma once

#include "common/result.h"

#include <QString>
#include <QStringList>

namespace Nebula::Tools {

// Failures of tool runs are Nebula::Error values whose `data` says how an activity should fail:
//   data["type"]         failure type for the Temporal ApplicationFailure, e.g.
//                        "TerraformConfigurationError", "AnsibleHostUnreachable", "ToolCancelled"
//   data["nonRetryable"] true when retrying cannot help (invalid configuration, validation,
//                        credentials, a failed Ansible task, cancellation)
//   data["tool"], data["command"], data["exitCode"] for logs and the progress view.
// `message` is the tool's own error text (Terraform diagnostic summary + detail, the failed
// Ansible task and its msg); `detail` has everything else (all diagnostics, stderr tail).
namespace FailureType {
inline constexpr QStringView ToolNotFound = u"ToolNotFound";
inline constexpr QStringView ToolStartFailed = u"ToolStartFailed";
inline constexpr QStringView ToolCancelled = u"ToolCancelled";
inline constexpr QStringView ToolKilled = u"ToolKilled";
inline constexpr QStringView WorkspaceError = u"WorkspaceError";
inline constexpr QStringView TerraformTransientError = u"TerraformTransientError";
inline constexpr QStringView TerraformStateLocked = u"TerraformStateLocked";
inline constexpr QStringView TerraformConfigurationError = u"TerraformConfigurationError";
inline constexpr QStringView TerraformValidationError = u"TerraformValidationError";
inline constexpr QStringView TerraformCredentialsError = u"TerraformCredentialsError";
inline constexpr QStringView TerraformError = u"TerraformError";
inline constexpr QStringView AnsibleTaskFailed = u"AnsibleTaskFailed";
inline constexpr QStringView AnsibleTransientTaskFailure = u"AnsibleTransientTaskFailure";
inline constexpr QStringView AnsibleHostUnreachable = u"AnsibleHostUnreachable";
inline constexpr QStringView AnsibleParserError = u"AnsibleParserError";
inline constexpr QStringView AnsibleOptionsError = u"AnsibleOptionsError";
inline constexpr QStringView AnsibleInterrupted = u"AnsibleInterrupted";
inline constexpr QStringView AnsibleError = u"AnsibleError";
} // namespace FailureType

struct FailureInfo
{
    QString tool;    // "terraform", "tofu", "ansible-playbook"
    QString command; // "plan", "apply", "configure.yml"
    int exitCode = -1;
};

Error makeFailure(ErrorCode code, QStringView type, bool retryable, QString message,
                  QString detail = {}, const FailureInfo &info = {});

// True unless the error is marked non-retryable (Temporal's default is to retry).
bool isRetryable(const Error &error);
// data["type"], or the error code name when the error did not come from a tool runner.
QString failureType(const Error &error);

// Network trouble, timeouts, throttling: worth retrying.
bool looksTransient(QStringView lowerText);
// Missing or rejected credentials: not worth retrying.
bool looksLikeCredentials(QStringView lowerText);

} // namespace Nebula::Tools
