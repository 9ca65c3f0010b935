#pragma once

#include "temporal/worker/workflowcontext.h"

#include <QJsonArray>

#include <chrono>

namespace Nebula::Worker {

// Activity type names (the worker registers the implementations in activities/).
namespace ActivityName {
inline constexpr QStringView TerraformPlan = u"TerraformPlan";
inline constexpr QStringView TerraformApply = u"TerraformApply";
inline constexpr QStringView AnsibleConfigure = u"AnsibleConfigure";
inline constexpr QStringView VerifyResource = u"VerifyResource";
inline constexpr QStringView TerraformDestroy = u"TerraformDestroy";
} // namespace ActivityName

// Timeouts and retries of the provisioning activities. Tests shorten them.
struct WorkflowTimings
{
    std::chrono::milliseconds heartbeatTimeout{std::chrono::seconds(10)};
    std::chrono::milliseconds planTimeout{std::chrono::minutes(15)};
    std::chrono::milliseconds applyTimeout{std::chrono::minutes(60)};
    std::chrono::milliseconds configureTimeout{std::chrono::minutes(30)};
    std::chrono::milliseconds verifyTimeout{std::chrono::minutes(3)};
    std::chrono::milliseconds retryInitialInterval{std::chrono::seconds(2)};
    std::chrono::milliseconds retryMaximumInterval{std::chrono::seconds(60)};
    int maximumAttempts = 4;
};

// ProvisionResource(spec): plan → apply → configure → verify, answering the `progress` query
// from state rebuilt out of history (activity results and the activities' progress signals).
// Result: ProvisionResult JSON. A failing stage fails the workflow with the tool's own message;
// a cancel request stops the running tool and ends the run as canceled.
Temporal::WorkflowTask<Result<QJsonValue>> provisionResource(Temporal::WorkflowContext &ctx, QJsonArray args,
                                                             WorkflowTimings timings);

// DestroyResource({name}): terraform destroy of the resource's state and removal of its working
// data. Destroying a resource that does not exist succeeds (existed: false).
Temporal::WorkflowTask<Result<QJsonValue>> destroyResource(Temporal::WorkflowContext &ctx, QJsonArray args,
                                                           WorkflowTimings timings);

} // namespace Nebula::Worker
