#pragma once

#include "core/storerecords.h"
#include "temporal/types.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace Nebula::Console {

// What the dashboard shows about a resource: its spec and the state of its latest run.
enum class ResourceState { Unknown, Provisioning, Ready, Failed, Canceled, Destroying, Destroyed, DestroyFailed };

// The five status icons (resources/icons/status-*.svg).
enum class StatusKind { Pending, Running, Succeeded, Failed, Canceled };

QString resourceStateName(ResourceState state); // "Ready", "Provisioning", ...
StatusKind statusKindOf(ResourceState state);
bool isActive(ResourceState state); // a run is in progress
// The resource state a run leaves behind: its workflow type and Temporal status name.
ResourceState stateOfRun(const QString &workflowType, const QString &status);

struct ResourceRow
{
    QString name;
    QString type;
    QString region;
    QString size;
    ResourceState state = ResourceState::Unknown;
    QString address; // URL, else IP address
    QDateTime lastRun;
    QString owner;
    QString workflowId;
    QString runId;
    QString workflowType;
    QString failure;

    bool operator==(const ResourceRow &) const = default;
};

// A visibility record as a run record (resource name from the workflow id, spec from the memo);
// runs that are not NebulaOps resource workflows give an empty resource name.
RunRecord runFromVisibility(const Temporal::WorkflowInfo &info);

// One row per resource: the union of locally known resources and runs, each with its latest run.
QList<ResourceRow> mergeResources(const QList<ResourceRecord> &resources, const QList<RunRecord> &runs);

} // namespace Nebula::Console
