#pragma once

#include "ansibleeventparser.h"
#include "common/result.h"
#include "toolfailure.h"
#include "toolprocess.h"

#include <optional>

namespace Nebula::Tools {

// Decides the outcome of an ansible-playbook run from the final stats (not the exit code alone:
// 4 means both "parser error" and "unreachable", rescued failures exit 0). nullopt = success.
//   cancelled by us                  -> ToolCancelled, non-retryable
//   stats: unreachable host          -> AnsibleHostUnreachable, retryable
//   stats: failed task               -> AnsibleTaskFailed, non-retryable (AnsibleTransientTaskFailure,
//                                       retryable, when its msg looks like network trouble)
//   no stats, by exit code: 4 parser error, 5 / 2 bad options, 1 error -> non-retryable;
//   99 interrupted (not by us), 3 unreachable, 250 unexpected, others -> retryable
// The message names the failing task and host and carries the module's msg; without stats, the
// first ERROR line of stderr.
std::optional<Error> classifyAnsibleRun(const AnsibleEventParser &parser, const ToolResult &result,
                                        const FailureInfo &info);

} // namespace Nebula::Tools
