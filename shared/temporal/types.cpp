#include "temporal/types.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal {

QString workflowStatusName(WorkflowStatus status)
{
    switch (status) {
    case WorkflowStatus::Unspecified: return u"Unspecified"_s;
    case WorkflowStatus::Running: return u"Running"_s;
    case WorkflowStatus::Completed: return u"Completed"_s;
    case WorkflowStatus::Failed: return u"Failed"_s;
    case WorkflowStatus::Canceled: return u"Canceled"_s;
    case WorkflowStatus::Terminated: return u"Terminated"_s;
    case WorkflowStatus::ContinuedAsNew: return u"ContinuedAsNew"_s;
    case WorkflowStatus::TimedOut: return u"TimedOut"_s;
    }
    return u"Unspecified"_s;
}

WorkflowStatus workflowStatusFromInt(int value)
{
    if (value < 0 || value > static_cast<int>(WorkflowStatus::TimedOut))
        return WorkflowStatus::Unspecified;
    return static_cast<WorkflowStatus>(value);
}

} // namespace Nebula::Temporal
