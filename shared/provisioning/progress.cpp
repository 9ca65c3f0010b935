#include "provisioning/progress.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Provisioning {
namespace {

QString timeToJson(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime timeFromJson(const QJsonValue &v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

StageProgress makeStage(QStringView id, const QString &title)
{
    StageProgress s;
    s.id = id.toString();
    s.title = title;
    return s;
}

} // namespace

QString stageStatusName(StageStatus status)
{
    switch (status) {
    case StageStatus::Pending: return u"pending"_s;
    case StageStatus::Running: return u"running"_s;
    case StageStatus::Succeeded: return u"succeeded"_s;
    case StageStatus::Failed: return u"failed"_s;
    case StageStatus::Canceled: return u"canceled"_s;
    case StageStatus::Skipped: return u"skipped"_s;
    }
    return u"pending"_s;
}

StageStatus stageStatusFromName(QStringView name)
{
    for (auto s : {StageStatus::Pending, StageStatus::Running, StageStatus::Succeeded,
                   StageStatus::Failed, StageStatus::Canceled, StageStatus::Skipped}) {
        if (stageStatusName(s) == name)
            return s;
    }
    return StageStatus::Pending;
}

QJsonObject ToolEvent::toJson() const
{
    return {{u"time"_s, timeToJson(time)}, {u"level"_s, level}, {u"text"_s, text}};
}

ToolEvent ToolEvent::fromJson(const QJsonObject &json)
{
    return {timeFromJson(json.value(u"time"_s)), json.value(u"level"_s).toString(),
            json.value(u"text"_s).toString()};
}

QJsonObject StageProgress::toJson() const
{
    QJsonArray evs;
    for (const auto &e : events)
        evs.append(e.toJson());
    return {{u"id"_s, id},
            {u"title"_s, title},
            {u"status"_s, stageStatusName(status)},
            {u"startedAt"_s, timeToJson(startedAt)},
            {u"finishedAt"_s, timeToJson(finishedAt)},
            {u"attempt"_s, attempt},
            {u"percent"_s, percent},
            {u"message"_s, message},
            {u"events"_s, evs}};
}

StageProgress StageProgress::fromJson(const QJsonObject &json)
{
    StageProgress s;
    s.id = json.value(u"id"_s).toString();
    s.title = json.value(u"title"_s).toString();
    s.status = stageStatusFromName(json.value(u"status"_s).toString());
    s.startedAt = timeFromJson(json.value(u"startedAt"_s));
    s.finishedAt = timeFromJson(json.value(u"finishedAt"_s));
    s.attempt = json.value(u"attempt"_s).toInt();
    s.percent = json.value(u"percent"_s).toInt(-1);
    s.message = json.value(u"message"_s).toString();
    for (const auto &e : json.value(u"events"_s).toArray())
        s.events.append(ToolEvent::fromJson(e.toObject()));
    return s;
}

QJsonObject RunProgress::toJson() const
{
    QJsonArray st;
    for (const auto &s : stages)
        st.append(s.toJson());
    return {{u"workflowType"_s, workflowType},
            {u"resource"_s, resource},
            {u"status"_s, stageStatusName(status)},
            {u"stages"_s, st},
            {u"outputs"_s, outputs},
            {u"result"_s, result ? QJsonValue(result->toJson()) : QJsonValue()},
            {u"failedStage"_s, failedStage},
            {u"error"_s, errorMessage},
            {u"updatedAt"_s, timeToJson(updatedAt)}};
}

RunProgress RunProgress::fromJson(const QJsonObject &json)
{
    RunProgress p;
    p.workflowType = json.value(u"workflowType"_s).toString();
    p.resource = json.value(u"resource"_s).toString();
    p.status = stageStatusFromName(json.value(u"status"_s).toString());
    for (const auto &s : json.value(u"stages"_s).toArray())
        p.stages.append(StageProgress::fromJson(s.toObject()));
    p.outputs = json.value(u"outputs"_s).toObject();
    if (json.value(u"result"_s).isObject())
        p.result = ProvisionResult::fromJson(json.value(u"result"_s).toObject());
    p.failedStage = json.value(u"failedStage"_s).toString();
    p.errorMessage = json.value(u"error"_s).toString();
    p.updatedAt = timeFromJson(json.value(u"updatedAt"_s));
    return p;
}

RunProgress RunProgress::forProvision(const QString &resource)
{
    RunProgress p;
    p.workflowType = ProvisionWorkflowType.toString();
    p.resource = resource;
    p.stages = {makeStage(StagePlan, u"Terraform plan"_s), makeStage(StageApply, u"Terraform apply"_s),
                makeStage(StageConfigure, u"Ansible configure"_s), makeStage(StageVerify, u"Verify"_s)};
    return p;
}

RunProgress RunProgress::forDestroy(const QString &resource)
{
    RunProgress p;
    p.workflowType = DestroyWorkflowType.toString();
    p.resource = resource;
    p.stages = {makeStage(StageDestroy, u"Terraform destroy"_s)};
    return p;
}

StageProgress *RunProgress::stage(QStringView id)
{
    for (auto &s : stages) {
        if (s.id == id)
            return &s;
    }
    return nullptr;
}

const StageProgress *RunProgress::stage(QStringView id) const
{
    return const_cast<RunProgress *>(this)->stage(id);
}

void appendEvent(StageProgress &stage, ToolEvent event)
{
    stage.events.append(std::move(event));
    if (stage.events.size() > MaxStageEvents)
        stage.events.remove(0, stage.events.size() - MaxStageEvents);
}

} // namespace Nebula::Provisioning
