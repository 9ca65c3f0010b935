#include "provisioning/contract.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Provisioning {

QString workflowIdFor(const QString &resourceName)
{
    return WorkflowIdPrefix.toString() + resourceName;
}

QString resourceNameFromWorkflowId(const QString &workflowId)
{
    const QString prefix = WorkflowIdPrefix.toString();
    if (!workflowId.startsWith(prefix) || workflowId.size() == prefix.size())
        return {};
    return workflowId.mid(prefix.size());
}

QJsonObject DestroyRequest::toJson() const
{
    return {{u"name"_s, name}, {u"requestedBy"_s, requestedBy}};
}

Result<DestroyRequest> DestroyRequest::fromJson(const QJsonValue &json)
{
    // Also accept a bare string, so `temporal workflow start --input '"demo"'` works.
    if (json.isString())
        return DestroyRequest{json.toString(), {}};
    if (!json.isObject() || !json.toObject().value(u"name"_s).isString())
        return makeError(ErrorCode::Parse,
                         u"DestroyResource expects {\"name\": \"<resource>\"} or the resource name as a string."_s);
    const auto o = json.toObject();
    return DestroyRequest{o.value(u"name"_s).toString(), o.value(u"requestedBy"_s).toString()};
}

QJsonObject ProvisionResult::toJson() const
{
    return {{u"name"_s, name},           {u"type"_s, type},
            {u"ipAddress"_s, ipAddress}, {u"url"_s, url},
            {u"sshCommand"_s, sshCommand}, {u"instanceId"_s, instanceId},
            {u"outputs"_s, outputs}};
}

ProvisionResult ProvisionResult::fromJson(const QJsonObject &json)
{
    ProvisionResult r;
    r.name = json.value(u"name"_s).toString();
    r.type = json.value(u"type"_s).toString();
    r.ipAddress = json.value(u"ipAddress"_s).toString();
    r.url = json.value(u"url"_s).toString();
    r.sshCommand = json.value(u"sshCommand"_s).toString();
    r.instanceId = json.value(u"instanceId"_s).toString();
    r.outputs = json.value(u"outputs"_s).toObject();
    return r;
}

QJsonObject DestroyResult::toJson() const
{
    return {{u"name"_s, name}, {u"existed"_s, existed}};
}

DestroyResult DestroyResult::fromJson(const QJsonObject &json)
{
    return {json.value(u"name"_s).toString(), json.value(u"existed"_s).toBool()};
}

} // namespace Nebula::Provisioning
