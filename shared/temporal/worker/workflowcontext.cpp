#include "temporal/worker/workflowcontext.h"

#include "temporal/worker/internal/workflowrun.h"

namespace Nebula::Temporal {

const WorkflowRunInfo &WorkflowContext::info() const
{
    return m_run->info();
}

QDateTime WorkflowContext::now() const
{
    return m_run->now();
}

bool WorkflowContext::isReplaying() const
{
    return m_run->isReplaying();
}

WorkflowFuture<Result<QJsonValue>> WorkflowContext::executeActivity(const QString &activityType,
                                                                    const QJsonArray &args,
                                                                    const ActivityOptions &options)
{
    return m_run->executeActivity(activityType, args, options);
}

WorkflowFuture<Result<void>> WorkflowContext::sleep(std::chrono::milliseconds duration)
{
    return m_run->sleep(duration);
}

WorkflowFuture<bool> WorkflowContext::waitCondition(std::function<bool()> predicate)
{
    return m_run->waitCondition(std::move(predicate));
}

void WorkflowContext::spawn(WorkflowTask<void> task)
{
    m_run->spawn(std::move(task));
}

void WorkflowContext::setQueryHandler(const QString &name, QueryHandler handler)
{
    m_run->setQueryHandler(name, std::move(handler));
}

void WorkflowContext::setSignalHandler(const QString &name, SignalHandler handler)
{
    m_run->setSignalHandler(name, std::move(handler));
}

bool WorkflowContext::isCancelRequested() const
{
    return m_run->isCancelRequested();
}

QString WorkflowContext::cancelReason() const
{
    return m_run->cancelReason();
}

quint64 WorkflowContext::random()
{
    return m_run->random();
}

double WorkflowContext::randomReal()
{
    return static_cast<double>(m_run->random() >> 11) * 0x1.0p-53;
}

QUuid WorkflowContext::randomUuid()
{
    const quint64 hi = m_run->random();
    const quint64 lo = m_run->random();
    QByteArray bytes(16, '\0');
    for (int i = 0; i < 8; ++i) {
        bytes[i] = static_cast<char>(hi >> (56 - 8 * i));
        bytes[8 + i] = static_cast<char>(lo >> (56 - 8 * i));
    }
    bytes[6] = static_cast<char>((static_cast<quint8>(bytes[6]) & 0x0f) | 0x40); // version 4
    bytes[8] = static_cast<char>((static_cast<quint8>(bytes[8]) & 0x3f) | 0x80); // RFC 4122 variant
    return QUuid::fromRfc4122(bytes);
}

} // namespace Nebula::Temporal
