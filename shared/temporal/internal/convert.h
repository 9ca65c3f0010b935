#pragma once

// Protobuf <-> value-type conversions shared by the client (and the worker runtime).

#include "temporal/types.h"

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <temporal/api/history/v1/message.pb.h>
#include <temporal/api/workflow/v1/message.pb.h>

#include <chrono>

namespace Nebula::Temporal::Internal {

QDateTime toDateTime(const google::protobuf::Timestamp &ts);
google::protobuf::Timestamp toTimestamp(const QDateTime &time);
google::protobuf::Duration toDuration(std::chrono::milliseconds ms);
std::chrono::milliseconds fromDuration(const google::protobuf::Duration &d);

WorkflowInfo toWorkflowInfo(const temporal::api::workflow::v1::WorkflowExecutionInfo &info);
HistoryEvent toHistoryEvent(const temporal::api::history::v1::HistoryEvent &event);
// "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED" → "WorkflowExecutionStarted"
QString eventTypeName(int eventType);
QString fromStd(const std::string &s);

} // namespace Nebula::Temporal::Internal
