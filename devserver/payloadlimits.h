#pragma once

#include <temporal/api/common/v1/message.pb.h>

#include <cstddef>
#include <optional>
#include <string>

namespace Nebula::DevServer {

// The real server's defaults: ids, names and identities up to 1000 characters; a payload blob
// (the serialized Payloads of one field) up to 2 MiB.
inline constexpr std::size_t MaxIdLength = 1000;
inline constexpr std::size_t MaxBlobBytes = 2 * 1024 * 1024;

bool payloadsTooLarge(const temporal::api::common::v1::Payloads &payloads);
bool payloadTooLarge(const temporal::api::common::v1::Payload &payload);
std::string payloadTooLargeMessage(const std::string &what);

// Only system search attributes and the dev server's predefined custom ones are accepted.
std::optional<std::string>
validateSearchAttributes(const temporal::api::common::v1::SearchAttributes &attributes);
bool isKnownSearchAttribute(const std::string &name);

} // namespace Nebula::DevServer
