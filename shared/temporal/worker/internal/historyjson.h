#pragma once

#include "common/result.h"

#include <temporal/api/history/v1/message.pb.h>

#include <QByteArray>

namespace Nebula::Temporal::Internal {

// Parses a history as exported by the temporal CLI or the Web UI (proto3 JSON of
// temporal.api.history.v1.History). Event types may be written "EVENT_TYPE_TIMER_FIRED" or
// "TimerFired"; unknown fields are ignored. A bare array of events is accepted too.
Result<temporal::api::history::v1::History> historyFromJson(const QByteArray &json);

} // namespace Nebula::Temporal::Internal
