#pragma once

// Error <-> temporal.api.failure.v1.Failure, in one place for activities and workflows.

#include "common/result.h"

#include <temporal/api/failure/v1/message.pb.h>
#include <temporal/api/history/v1/message.pb.h>

namespace Nebula::Temporal::Internal {

using Failure = temporal::api::failure::v1::Failure;

// An ApplicationFailure: message, type (failureType), non_retryable, and one json/plain detail
// {"code", "detail", "data"} so that our own Error survives the trip.
Failure toFailure(const Error &error);
// The inverse; a failure from another SDK keeps its message, type and decoded details.
Error fromFailure(const Failure &failure);

// What workflow code sees for an activity's closing event (Failed, TimedOut, Canceled).
Error activityError(const temporal::api::history::v1::HistoryEvent &event, const QString &activityType,
                    const QString &activityId);

} // namespace Nebula::Temporal::Internal
