#include "temporal/worker/activitycontext.h"

#include "temporal/worker/internal/activitytaskrun.h"

namespace Nebula::Temporal {

const ActivityInfo &ActivityContext::info() const
{
    return m_run->info();
}

void ActivityContext::heartbeat(const QJsonValue &details)
{
    m_run->heartbeat(details);
}

CancellationToken ActivityContext::cancellationToken() const
{
    return m_run->token();
}

bool ActivityContext::isCancelled() const
{
    return m_run->token().isCancelled();
}

void ActivityContext::signalWorkflow(const QString &signalName, const QJsonArray &args)
{
    m_run->signalWorkflow(signalName, args);
}

} // namespace Nebula::Temporal
