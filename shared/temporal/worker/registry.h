#pragma once

#include "common/result.h"
#include "temporal/worker/activitycontext.h"
#include "temporal/worker/workflowcontext.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace Nebula::Temporal {

// Workflows and activities by explicit name. Registering a name twice (or an empty name, or one
// with the reserved "__temporal" prefix) is remembered and reported by validate(), so that
// Worker::start() fails at start-up naming the problem.
class Registry
{
public:
    void registerWorkflow(const QString &name, WorkflowFunction function);
    void registerActivity(const QString &name, ActivityFunction function);

    Result<void> validate() const;

    const WorkflowFunction *workflow(const QString &name) const;
    const ActivityFunction *activity(const QString &name) const;
    QStringList workflowNames() const;
    QStringList activityNames() const;
    bool hasWorkflows() const { return !m_workflows.isEmpty(); }
    bool hasActivities() const { return !m_activities.isEmpty(); }

private:
    QHash<QString, WorkflowFunction> m_workflows;
    QHash<QString, ActivityFunction> m_activities;
    QStringList m_problems;
};

} // namespace Nebula::Temporal
