#pragma once

#include "provisioning/contract.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace Nebula::Provisioning {

enum class StageStatus { Pending, Running, Succeeded, Failed, Canceled, Skipped };
QString stageStatusName(StageStatus status);
StageStatus stageStatusFromName(QStringView name);

// Stage ids of ProvisionResource, in order: plan → apply → configure → verify.
// DestroyResource has a single "destroy" stage.
inline constexpr QStringView StagePlan = u"plan";
inline constexpr QStringView StageApply = u"apply";
inline constexpr QStringView StageConfigure = u"configure";
inline constexpr QStringView StageVerify = u"verify";
inline constexpr QStringView StageDestroy = u"destroy";

// One line of tool output, already made readable (Terraform JSON UI message, Ansible task result).
struct ToolEvent
{
    QDateTime time;
    QString level; // "info", "warn", "error"
    QString text;

    QJsonObject toJson() const;
    static ToolEvent fromJson(const QJsonObject &json);
    bool operator==(const ToolEvent &) const = default;
};

struct StageProgress
{
    QString id;    // StagePlan, ...
    QString title; // "Terraform plan"
    StageStatus status = StageStatus::Pending;
    QDateTime startedAt;
    QDateTime finishedAt;
    int attempt = 0;  // 0 = not started; the activity attempt otherwise
    int percent = -1; // -1 = unknown
    QString message;  // the failure message, or a short summary ("2 to add, 0 to change")
    QList<ToolEvent> events; // the most recent events of this stage (bounded, see MaxStageEvents)

    QJsonObject toJson() const;
    static StageProgress fromJson(const QJsonObject &json);
};

inline constexpr int MaxStageEvents = 50;

// The answer of the `progress` query.
struct RunProgress
{
    QString workflowType; // ProvisionWorkflowType or DestroyWorkflowType
    QString resource;
    StageStatus status = StageStatus::Pending; // of the run as a whole
    QList<StageProgress> stages;
    QJsonObject outputs; // Terraform outputs once known
    std::optional<ProvisionResult> result;
    QString failedStage;   // set when status == Failed
    QString errorMessage;  // the failing stage's message
    QDateTime updatedAt;

    QJsonObject toJson() const;
    static RunProgress fromJson(const QJsonObject &json);

    // The provisioning stages, all pending.
    static RunProgress forProvision(const QString &resource);
    static RunProgress forDestroy(const QString &resource);

    StageProgress *stage(QStringView id);
    const StageProgress *stage(QStringView id) const;
};

// Appends an event, keeping at most MaxStageEvents (drops the oldest).
void appendEvent(StageProgress &stage, ToolEvent event);

} // namespace Nebula::Provisioning
