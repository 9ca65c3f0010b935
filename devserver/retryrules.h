#pragma once

#include "protoutil.h"

#include <temporal/api/command/v1/message.pb.h>
#include <temporal/api/common/v1/message.pb.h>
#include <temporal/api/failure/v1/message.pb.h>

#include <optional>
#include <string>

namespace Nebula::DevServer {

// Activity timeouts normalised as the real server does (spec §5): returns an error message
// (for BAD_SCHEDULE_ACTIVITY_ATTRIBUTES) or nothing when the attributes are usable.
std::optional<std::string>
normalizeActivityTimeouts(temporal::api::command::v1::ScheduleActivityTaskCommandAttributes *attrs,
                          Micros runTimeout);

// Fills the defaults of §5 into a retry policy (initial 1 s, coefficient 2, maximum 100 × initial).
void fillRetryDefaults(temporal::api::common::v1::RetryPolicy *policy);
std::optional<std::string> validateRetryPolicy(const temporal::api::common::v1::RetryPolicy &policy);

struct RetryDecision
{
    int retryState = 0; // temporal.api.enums.v1.RetryState; IN_PROGRESS (1) means "retry"
    Micros delay{0};
};

// What to do after attempt `attempt` failed with `failure` (timeoutType: 0 for a failure reported
// by the worker, else a temporal.api.enums.v1.TimeoutType). `deadline` is the schedule-to-close
// deadline or TimePoint::max().
RetryDecision decideRetry(const temporal::api::common::v1::RetryPolicy &policy, int attempt,
                          const temporal::api::failure::v1::Failure &failure, int timeoutType,
                          bool cancelRequested, TimePoint now, TimePoint deadline);

// "activity StartToClose timeout" with source "Server" and the last failure as cause.
temporal::api::failure::v1::Failure
makeTimeoutFailure(int timeoutType, const temporal::api::failure::v1::Failure *lastFailure,
                   const temporal::api::common::v1::Payloads *lastHeartbeatDetails);

} // namespace Nebula::DevServer
