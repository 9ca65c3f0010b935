#include "core/resourcerow.h"

#include "provisioning/contract.h"

#include <QCoreApplication>
#include <QHash>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

using Provisioning::DestroyWorkflowType;
using Temporal::WorkflowStatus;

ResourceState stateOf(const RunRecord &run)
{
    return stateOfRun(run.workflowType, run.status);
}

bool newer(const RunRecord &a, const RunRecord &b)
{
    if (a.startedAt != b.startedAt)
        return a.startedAt > b.startedAt;
    return a.runId > b.runId;
}

} // namespace

ResourceState stateOfRun(const QString &workflowType, const QString &s)
{
    const bool destroy = workflowType == DestroyWorkflowType;
    if (s == u"Running"_s)
        return destroy ? ResourceState::Destroying : ResourceState::Provisioning;
    if (s == u"Completed"_s)
        return destroy ? ResourceState::Destroyed : ResourceState::Ready;
    if (s == u"Canceled"_s)
        return ResourceState::Canceled;
    if (s == u"Failed"_s || s == u"TimedOut"_s || s == u"Terminated"_s)
        return destroy ? ResourceState::DestroyFailed : ResourceState::Failed;
    return ResourceState::Unknown;
}

QString resourceStateName(ResourceState state)
{
    switch (state) {
    case ResourceState::Unknown: return QCoreApplication::translate("ResourceState", "Unknown");
    case ResourceState::Provisioning: return QCoreApplication::translate("ResourceState", "Provisioning");
    case ResourceState::Ready: return QCoreApplication::translate("ResourceState", "Ready");
    case ResourceState::Failed: return QCoreApplication::translate("ResourceState", "Failed");
    case ResourceState::Canceled: return QCoreApplication::translate("ResourceState", "Canceled");
    case ResourceState::Destroying: return QCoreApplication::translate("ResourceState", "Destroying");
    case ResourceState::Destroyed: return QCoreApplication::translate("ResourceState", "Destroyed");
    case ResourceState::DestroyFailed: return QCoreApplication::translate("ResourceState", "Destroy failed");
    }
    return {};
}

StatusKind statusKindOf(ResourceState state)
{
    switch (state) {
    case ResourceState::Provisioning:
    case ResourceState::Destroying: return StatusKind::Running;
    case ResourceState::Ready:
    case ResourceState::Destroyed: return StatusKind::Succeeded;
    case ResourceState::Failed:
    case ResourceState::DestroyFailed: return StatusKind::Failed;
    case ResourceState::Canceled: return StatusKind::Canceled;
    case ResourceState::Unknown: break;
    }
    return StatusKind::Pending;
}

bool isActive(ResourceState state)
{
    return state == ResourceState::Provisioning || state == ResourceState::Destroying;
}

RunRecord runFromVisibility(const Temporal::WorkflowInfo &info)
{
    RunRecord run;
    run.workflowId = info.workflowId;
    run.runId = info.runId;
    run.resource = Provisioning::resourceNameFromWorkflowId(info.workflowId);
    run.workflowType = info.workflowType;
    run.status = Temporal::workflowStatusName(info.status);
    run.startedAt = info.startTime;
    run.closedAt = info.closeTime;
    run.memo = info.memo;
    run.startedBy = info.memo.value(u"requestedBy"_s).toString();
    return run;
}

QList<ResourceRow> mergeResources(const QList<ResourceRecord> &resources, const QList<RunRecord> &runs)
{
    QHash<QString, const RunRecord *> latest;
    QHash<QString, const RunRecord *> latestWithMemo;
    QHash<QString, const RunRecord *> latestProvisionResult;
    latest.reserve(runs.size());
    for (const auto &run : runs) {
        if (run.resource.isEmpty())
            continue;
        if (auto *&l = latest[run.resource]; !l || newer(run, *l))
            l = &run;
        if (!run.memo.isEmpty()) {
            if (auto *&m = latestWithMemo[run.resource]; !m || newer(run, *m))
                m = &run;
        }
        if (run.workflowType == Provisioning::ProvisionWorkflowType && !run.result.isEmpty()) {
            if (auto *&p = latestProvisionResult[run.resource]; !p || newer(run, *p))
                p = &run;
        }
    }

    QHash<QString, qsizetype> index;
    QList<ResourceRow> rows;
    rows.reserve(std::max(resources.size(), latest.size()));
    for (const auto &r : resources) {
        index.insert(r.name, rows.size());
        ResourceRow row;
        row.name = r.name;
        row.type = r.type;
        row.region = r.region;
        row.size = r.size;
        row.owner = r.owner;
        row.address = !r.url.isEmpty() ? r.url : r.ipAddress;
        row.lastRun = r.updatedAt;
        rows << row;
    }
    for (auto it = latest.cbegin(); it != latest.cend(); ++it) {
        if (!index.contains(it.key())) {
            index.insert(it.key(), rows.size());
            ResourceRow row;
            row.name = it.key();
            rows << row;
        }
    }
    for (auto &row : rows) {
        const RunRecord *run = latest.value(row.name);
        if (const RunRecord *m = latestWithMemo.value(row.name)) {
            const auto fill = [&](QString &field, const QString &key) {
                if (field.isEmpty())
                    field = m->memo.value(key).toString();
            };
            fill(row.type, u"type"_s);
            fill(row.region, u"region"_s);
            fill(row.size, u"size"_s);
            fill(row.owner, u"requestedBy"_s);
        }
        if (!run)
            continue;
        if (row.owner.isEmpty())
            row.owner = run->startedBy;
        row.state = stateOf(*run);
        row.lastRun = run->closedAt.isValid() ? run->closedAt : run->startedAt;
        row.workflowId = run->workflowId;
        row.runId = run->runId;
        row.workflowType = run->workflowType;
        row.failure = run->failure;
        if (row.state == ResourceState::Destroyed) {
            row.address.clear();
        } else if (const RunRecord *p = latestProvisionResult.value(row.name)) {
            const auto url = p->result.value(u"url"_s).toString();
            row.address = !url.isEmpty() ? url : p->result.value(u"ipAddress"_s).toString();
        }
    }
    return rows;
}

} // namespace Nebula::Console
