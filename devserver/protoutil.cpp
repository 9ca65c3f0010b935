#include "protoutil.h"

#include "temporal/grpcstatus.h"

#include <temporal/api/errordetails/v1/message.pb.h>

#include <google/protobuf/any.pb.h>

#include <QUuid>

namespace Nebula::DevServer {

google::protobuf::Timestamp toTimestamp(TimePoint t)
{
    const std::int64_t us = toMicros(t);
    google::protobuf::Timestamp ts;
    std::int64_t secs = us / 1000000;
    std::int64_t rem = us % 1000000;
    if (rem < 0) {
        rem += 1000000;
        --secs;
    }
    ts.set_seconds(secs);
    ts.set_nanos(static_cast<std::int32_t>(rem * 1000));
    return ts;
}

TimePoint fromTimestamp(const google::protobuf::Timestamp &t)
{
    return fromMicros(t.seconds() * 1000000 + t.nanos() / 1000);
}

google::protobuf::Duration toDuration(Micros d)
{
    google::protobuf::Duration out;
    out.set_seconds(d.count() / 1000000);
    out.set_nanos(static_cast<std::int32_t>((d.count() % 1000000) * 1000));
    return out;
}

Micros fromDuration(const google::protobuf::Duration &d)
{
    // Clamp absurd values (a fuzzer's Duration{seconds=INT64_MAX}) to about 100 years.
    constexpr std::int64_t MaxSeconds = 100LL * 365 * 24 * 3600;
    const std::int64_t secs = std::clamp<std::int64_t>(d.seconds(), -MaxSeconds, MaxSeconds);
    return Micros(secs * 1000000 + d.nanos() / 1000);
}

std::int64_t toMicros(TimePoint t)
{
    return std::chrono::duration_cast<Micros>(t.time_since_epoch()).count();
}

TimePoint fromMicros(std::int64_t micros)
{
    return TimePoint(std::chrono::duration_cast<Clock::duration>(Micros(micros)));
}

std::string newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
}

grpc::Status detailedStatus(grpc::StatusCode code, const std::string &message,
                            const google::protobuf::Message &detail)
{
    return Nebula::Temporal::makeStatus(code, message, &detail);
}

grpc::Status invalidArgument(const std::string &message)
{
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

grpc::Status notFound(const std::string &message)
{
    temporal::api::errordetails::v1::NotFoundFailure detail;
    return detailedStatus(grpc::StatusCode::NOT_FOUND, message, detail);
}

grpc::Status namespaceNotFound(const std::string &ns)
{
    temporal::api::errordetails::v1::NamespaceNotFoundFailure detail;
    detail.set_namespace_(ns);
    return detailedStatus(grpc::StatusCode::NOT_FOUND, "Namespace " + ns + " is not found.", detail);
}

grpc::Status failedPrecondition(const std::string &message)
{
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, message);
}

grpc::Status internalError(const std::string &message)
{
    return grpc::Status(grpc::StatusCode::INTERNAL, message);
}

} // namespace Nebula::DevServer
