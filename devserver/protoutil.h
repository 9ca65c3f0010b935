#pragma once

#include "timerqueue.h"

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace Nebula::DevServer {

using Micros = std::chrono::microseconds;

google::protobuf::Timestamp toTimestamp(TimePoint t);
TimePoint fromTimestamp(const google::protobuf::Timestamp &t);
google::protobuf::Duration toDuration(Micros d);
Micros fromDuration(const google::protobuf::Duration &d);
std::int64_t toMicros(TimePoint t);
TimePoint fromMicros(std::int64_t micros);
std::string newUuid();

// A status carrying `detail` (packed as Any) in grpc-status-details-bin, like
// Nebula::Temporal::makeStatus but with the Any's size computed before it is written.
grpc::Status detailedStatus(grpc::StatusCode code, const std::string &message,
                            const google::protobuf::Message &detail);

// Statuses with the detail messages the SDKs look for (spec §6).
grpc::Status invalidArgument(const std::string &message);
grpc::Status notFound(const std::string &message);
grpc::Status namespaceNotFound(const std::string &ns);
grpc::Status failedPrecondition(const std::string &message);
grpc::Status internalError(const std::string &message);

} // namespace Nebula::DevServer
