#include "temporal/worker/registry.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal {
namespace {

QString nameProblem(const QString &kind, const QString &name)
{
    if (name.isEmpty())
        return u"A %1 was registered with an empty name."_s.arg(kind);
    if (name.startsWith(u"__temporal"_s))
        return u"The %1 name %2 uses the reserved prefix __temporal."_s.arg(kind, name);
    return {};
}

} // namespace

void Registry::registerWorkflow(const QString &name, WorkflowFunction function)
{
    if (const QString problem = nameProblem(u"workflow"_s, name); !problem.isEmpty())
        m_problems << problem;
    else if (m_workflows.contains(name))
        m_problems << u"The workflow %1 is registered twice."_s.arg(name);
    else if (!function)
        m_problems << u"The workflow %1 was registered without a function."_s.arg(name);
    else
        m_workflows.insert(name, std::move(function));
}

void Registry::registerActivity(const QString &name, ActivityFunction function)
{
    if (const QString problem = nameProblem(u"activity"_s, name); !problem.isEmpty())
        m_problems << problem;
    else if (m_activities.contains(name))
        m_problems << u"The activity %1 is registered twice."_s.arg(name);
    else if (!function)
        m_problems << u"The activity %1 was registered without a function."_s.arg(name);
    else
        m_activities.insert(name, std::move(function));
}

Result<void> Registry::validate() const
{
    if (m_problems.isEmpty())
        return {};
    return makeError(ErrorCode::InvalidArgument, m_problems.join(u' '));
}

const WorkflowFunction *Registry::workflow(const QString &name) const
{
    auto it = m_workflows.constFind(name);
    return it == m_workflows.constEnd() ? nullptr : &*it;
}

const ActivityFunction *Registry::activity(const QString &name) const
{
    auto it = m_activities.constFind(name);
    return it == m_activities.constEnd() ? nullptr : &*it;
}

QStringList Registry::workflowNames() const
{
    QStringList names = m_workflows.keys();
    names.sort();
    return names;
}

QStringList Registry::activityNames() const
{
    QStringList names = m_activities.keys();
    names.sort();
    return names;
}

} // namespace Nebula::Temporal
