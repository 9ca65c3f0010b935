#include "payloadlimits.h"

#include <array>
#include <string_view>

namespace Nebula::DevServer {

bool payloadsTooLarge(const temporal::api::common::v1::Payloads &payloads)
{
    return payloads.ByteSizeLong() > MaxBlobBytes;
}

bool payloadTooLarge(const temporal::api::common::v1::Payload &payload)
{
    return payload.ByteSizeLong() > MaxBlobBytes;
}

std::string payloadTooLargeMessage(const std::string &what)
{
    return "The " + what + " exceeds the size limit of " + std::to_string(MaxBlobBytes)
           + " bytes (2 MiB); store large data outside the workflow and pass a reference.";
}

bool isKnownSearchAttribute(const std::string &name)
{
    static constexpr std::array<std::string_view, 16> Known{
        "TemporalChangeVersion", "BinaryChecksums", "BuildIds", "BatcherUser", "TemporalScheduledStartTime",
        "TemporalScheduledById", "TemporalSchedulePaused", "TemporalNamespaceDivision",
        "TemporalWorkerDeploymentVersion", "TemporalWorkflowVersioningBehavior", "TemporalWorkerDeployment",
        "CustomKeywordField", "CustomStringField", "CustomTextField", "CustomIntField", "CustomBoolField"};
    static constexpr std::array<std::string_view, 3> More{"CustomDoubleField", "CustomDatetimeField",
                                                          "TemporalPauseInfo"};
    for (auto k : Known)
        if (k == name)
            return true;
    for (auto k : More)
        if (k == name)
            return true;
    return false;
}

std::optional<std::string>
validateSearchAttributes(const temporal::api::common::v1::SearchAttributes &attributes)
{
    for (const auto &[name, value] : attributes.indexed_fields()) {
        if (!isKnownSearchAttribute(name))
            return "Namespace has no search attribute " + name
                   + "; nebula-devserver accepts the system attributes and CustomKeywordField, "
                     "CustomStringField, CustomTextField, CustomIntField, CustomDoubleField, "
                     "CustomBoolField, CustomDatetimeField.";
        if (payloadTooLarge(value))
            return "Search attribute " + name + " exceeds the size limit.";
    }
    return std::nullopt;
}

} // namespace Nebula::DevServer
