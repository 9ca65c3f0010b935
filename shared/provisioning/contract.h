#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QString>

// The provisioning contract between nebula-console and nebula-worker: workflow and query names, the
// task queue, the workflow id scheme and the JSON shapes of inputs and results. docs/contract.md
// describes the same shapes for other clients (temporal CLI, Web UI, official SDKs).
namespace Nebula::Provisioning {

inline constexpr QStringView ProvisionWorkflowType = u"ProvisionResource";
inline constexpr QStringView DestroyWorkflowType = u"DestroyResource";
inline constexpr QStringView DefaultTaskQueue = u"nebula-provision";
inline constexpr QStringView ProgressQueryName = u"progress";
inline constexpr QStringView WorkflowIdPrefix = u"resource/";

// "resource/<name>": one id per resource, so a resource has at most one provisioning or destroying
// run at a time (the server rejects a second start while one runs) and its latest run is its state.
QString workflowIdFor(const QString &resourceName);
// The resource name of a NebulaOps workflow id, or an empty string when the id is not one of ours.
QString resourceNameFromWorkflowId(const QString &workflowId);

// Input of DestroyResource.
struct DestroyRequest
{
    QString name;
    QString requestedBy;

    QJsonObject toJson() const;
    static Result<DestroyRequest> fromJson(const QJsonValue &json);
};

// Result of ProvisionResource.
struct ProvisionResult
{
    QString name;
    QString type;
    QString ipAddress;
    QString url;        // empty when the resource serves no URL
    QString sshCommand; // empty when there is no SSH access (local target)
    QString instanceId;
    QJsonObject outputs; // every Terraform output, as `terraform output -json` values

    QJsonObject toJson() const;
    static ProvisionResult fromJson(const QJsonObject &json);
    bool operator==(const ProvisionResult &) const = default;
};

// Result of DestroyResource.
struct DestroyResult
{
    QString name;
    bool existed = false; // false when there was nothing to destroy (idempotent destroy)

    QJsonObject toJson() const;
    static DestroyResult fromJson(const QJsonObject &json);
};

} // namespace Nebula::Provisioning
