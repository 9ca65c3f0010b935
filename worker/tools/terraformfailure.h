#pragma once

#include "common/result.h"
#include "terraformjsonparser.h"
#include "toolfailure.h"
#include "toolprocess.h"

namespace Nebula::Tools {

// Turns a failed Terraform command into an Error (see toolfailure.h for its data):
//   cancelled by us              -> ToolCancelled, non-retryable
//   state lock held              -> TerraformStateLocked, retryable
//   missing/rejected credentials -> TerraformCredentialsError, non-retryable
//   network, timeouts, throttling, provider download -> TerraformTransientError, retryable
//   variable validation          -> TerraformValidationError, non-retryable
//   invalid configuration        -> TerraformConfigurationError, non-retryable
//   anything else                -> TerraformError, retryable
// The message is the first error diagnostic (summary: detail); without diagnostics, the first
// line of stderr.
Error classifyTerraformFailure(const TerraformJsonParser &parser, const ToolResult &result,
                               const FailureInfo &info);

} // namespace Nebula::Tools
