#include "retryrules.h"

#include <temporal/api/enums/v1/workflow.pb.h>

#include <algorithm>
#include <cmath>

namespace Nebula::DevServer {

using namespace temporal::api;

namespace {

bool positive(const google::protobuf::Duration &d)
{
    return fromDuration(d).count() > 0;
}

} // namespace

std::optional<std::string>
normalizeActivityTimeouts(command::v1::ScheduleActivityTaskCommandAttributes *a, Micros runTimeout)
{
    for (const auto *d : {&a->schedule_to_close_timeout(), &a->schedule_to_start_timeout(),
                          &a->start_to_close_timeout(), &a->heartbeat_timeout()}) {
        if (fromDuration(*d).count() < 0)
            return "a timeout of the activity is negative";
    }
    const Micros s2c = fromDuration(a->schedule_to_close_timeout());
    const Micros s2s = fromDuration(a->schedule_to_start_timeout());
    const Micros stc = fromDuration(a->start_to_close_timeout());
    if (s2c.count() > 0) {
        *a->mutable_schedule_to_start_timeout() = toDuration(s2s.count() > 0 ? std::min(s2s, s2c) : s2c);
        *a->mutable_start_to_close_timeout() = toDuration(stc.count() > 0 ? std::min(stc, s2c) : s2c);
    } else if (stc.count() > 0) {
        *a->mutable_schedule_to_close_timeout() = toDuration(runTimeout);
        if (s2s.count() <= 0)
            *a->mutable_schedule_to_start_timeout() = toDuration(runTimeout);
    } else {
        return "A valid StartToCloseTimeout or ScheduleToCloseTimeout must be set on the activity";
    }
    if (runTimeout.count() > 0) {
        for (auto *d : {a->mutable_schedule_to_close_timeout(), a->mutable_schedule_to_start_timeout(),
                        a->mutable_start_to_close_timeout()}) {
            if (!positive(*d) || fromDuration(*d) > runTimeout)
                *d = toDuration(runTimeout);
        }
        if (fromDuration(a->heartbeat_timeout()) > runTimeout)
            *a->mutable_heartbeat_timeout() = toDuration(runTimeout);
    }
    const Micros hb = fromDuration(a->heartbeat_timeout());
    const Micros stcNow = fromDuration(a->start_to_close_timeout());
    if (hb.count() > 0 && stcNow.count() > 0 && hb > stcNow)
        *a->mutable_heartbeat_timeout() = toDuration(stcNow);
    return std::nullopt;
}

void fillRetryDefaults(common::v1::RetryPolicy *p)
{
    if (!positive(p->initial_interval()))
        *p->mutable_initial_interval() = toDuration(std::chrono::seconds(1));
    if (p->backoff_coefficient() == 0)
        p->set_backoff_coefficient(2.0);
    if (!positive(p->maximum_interval()))
        *p->mutable_maximum_interval() = toDuration(fromDuration(p->initial_interval()) * 100);
}

std::optional<std::string> validateRetryPolicy(const common::v1::RetryPolicy &p)
{
    if (fromDuration(p.initial_interval()).count() < 0)
        return "InitialInterval cannot be negative on retry policy.";
    if (p.backoff_coefficient() < 1 || !std::isfinite(p.backoff_coefficient()))
        return "BackoffCoefficient cannot be less than 1 on retry policy.";
    if (fromDuration(p.maximum_interval()).count() < 0)
        return "MaximumInterval cannot be negative on retry policy.";
    if (positive(p.maximum_interval())
        && fromDuration(p.maximum_interval()) < fromDuration(p.initial_interval()))
        return "MaximumInterval cannot be less than InitialInterval on retry policy.";
    if (p.maximum_attempts() < 0)
        return "MaximumAttempts cannot be negative on retry policy.";
    return std::nullopt;
}

RetryDecision decideRetry(const common::v1::RetryPolicy &policy, int attempt,
                          const failure::v1::Failure &f, int timeoutType, bool cancelRequested,
                          TimePoint now, TimePoint deadline)
{
    using namespace enums::v1;
    if (cancelRequested)
        return {RETRY_STATE_CANCEL_REQUESTED, {}};
    if (timeoutType == TIMEOUT_TYPE_SCHEDULE_TO_START || timeoutType == TIMEOUT_TYPE_SCHEDULE_TO_CLOSE)
        return {RETRY_STATE_TIMEOUT, {}};
    const auto listed = [&policy](const std::string &type) {
        return std::find(policy.non_retryable_error_types().begin(),
                         policy.non_retryable_error_types().end(), type)
               != policy.non_retryable_error_types().end();
    };
    if (timeoutType == TIMEOUT_TYPE_START_TO_CLOSE && listed("TemporalTimeout:StartToClose"))
        return {RETRY_STATE_NON_RETRYABLE_FAILURE, {}};
    if (timeoutType == TIMEOUT_TYPE_HEARTBEAT && listed("TemporalTimeout:Heartbeat"))
        return {RETRY_STATE_NON_RETRYABLE_FAILURE, {}};
    if (timeoutType == 0) {
        if (f.has_application_failure_info()
            && (f.application_failure_info().non_retryable() || listed(f.application_failure_info().type())))
            return {RETRY_STATE_NON_RETRYABLE_FAILURE, {}};
        if (f.has_canceled_failure_info() || f.has_terminated_failure_info()
            || (f.has_server_failure_info() && f.server_failure_info().non_retryable()))
            return {RETRY_STATE_NON_RETRYABLE_FAILURE, {}};
    }
    if (policy.maximum_attempts() > 0 && attempt >= policy.maximum_attempts())
        return {RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED, {}};
    Micros delay{0};
    if (f.has_application_failure_info() && f.application_failure_info().has_next_retry_delay()) {
        delay = fromDuration(f.application_failure_info().next_retry_delay());
    } else {
        const double initial = static_cast<double>(fromDuration(policy.initial_interval()).count());
        const double coeff = policy.backoff_coefficient() < 1 ? 2.0 : policy.backoff_coefficient();
        double us = initial * std::pow(coeff, std::max(0, attempt - 1));
        const auto maxInterval = fromDuration(policy.maximum_interval());
        if (maxInterval.count() > 0)
            us = std::min(us, static_cast<double>(maxInterval.count()));
        us = std::min(us, 1e15);
        delay = Micros(static_cast<std::int64_t>(us));
    }
    if (delay.count() < 0)
        delay = Micros(0);
    if (deadline != TimePoint::max() && now + delay >= deadline)
        return {RETRY_STATE_TIMEOUT, {}};
    return {RETRY_STATE_IN_PROGRESS, delay};
}

failure::v1::Failure makeTimeoutFailure(int timeoutType, const failure::v1::Failure *lastFailure,
                                        const common::v1::Payloads *lastHeartbeatDetails)
{
    const char *name = "Unspecified";
    switch (timeoutType) {
    case enums::v1::TIMEOUT_TYPE_START_TO_CLOSE: name = "StartToClose"; break;
    case enums::v1::TIMEOUT_TYPE_SCHEDULE_TO_START: name = "ScheduleToStart"; break;
    case enums::v1::TIMEOUT_TYPE_SCHEDULE_TO_CLOSE: name = "ScheduleToClose"; break;
    case enums::v1::TIMEOUT_TYPE_HEARTBEAT: name = "Heartbeat"; break;
    default: break;
    }
    failure::v1::Failure f;
    f.set_message(std::string("activity ") + name + " timeout");
    f.set_source("Server");
    auto *info = f.mutable_timeout_failure_info();
    info->set_timeout_type(static_cast<enums::v1::TimeoutType>(timeoutType));
    if (lastHeartbeatDetails && lastHeartbeatDetails->payloads_size() > 0)
        *info->mutable_last_heartbeat_details() = *lastHeartbeatDetails;
    if (lastFailure && (!lastFailure->message().empty() || lastFailure->failure_info_case() != 0))
        *f.mutable_cause() = *lastFailure;
    return f;
}

} // namespace Nebula::DevServer
