#pragma once

#include <google/protobuf/any.pb.h>
#include <grpcpp/support/status.h>

#include <optional>
#include <string>
#include <vector>

namespace google::protobuf {
class Message;
}

namespace Nebula::Temporal {

// Temporal carries typed error details (temporal.api.errordetails.v1.*) as a serialized
// google.rpc.Status {code=1, message=2, repeated Any details=3} in the grpc-status-details-bin
// trailer. googleapis' status.proto is not a Debian well-known type, so the three fields are
// encoded and decoded here directly.

// A status whose details hold `detail` packed as Any (type.googleapis.com/<full name>).
grpc::Status makeStatus(grpc::StatusCode code, const std::string &message,
                        const google::protobuf::Message *detail = nullptr);

// All Any details of a status (empty when there are none or they cannot be parsed).
std::vector<google::protobuf::Any> statusDetails(const grpc::Status &status);

// The first detail if it is of type T.
template <typename T>
std::optional<T> statusDetail(const grpc::Status &status)
{
    for (const auto &any : statusDetails(status)) {
        T message;
        if (any.Is<T>() && any.UnpackTo(&message))
            return message;
    }
    return std::nullopt;
}

// "temporal.api.errordetails.v1.NotFoundFailure" → "NotFoundFailure"; empty when none.
std::string firstDetailTypeName(const grpc::Status &status);

} // namespace Nebula::Temporal
