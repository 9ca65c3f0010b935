#include "temporal/worker/internal/activitytaskrun.h"

#include "common/logging.h"
#include "temporal/internal/convert.h"
#include "temporal/payloadconverter.h"
#include "temporal/worker/failure.h"
#include "temporal/worker/internal/failureconvert.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal::Internal {

using namespace std::chrono_literals;

namespace {

QString exceptionText()
{
    try {
        throw;
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return u"an exception that is not a std::exception"_s;
    }
}

} // namespace

ActivityTaskRun::ActivityTaskRun(const ws::PollActivityTaskQueueResponse &task, QString nameSpace,
                                 QString identity, Heartbeater *heartbeater)
    : m_task(task), m_nameSpace(std::move(nameSpace)), m_identity(std::move(identity)), m_heartbeater(heartbeater)
{
    m_info.nameSpace = m_nameSpace;
    m_info.workflowId = QString::fromStdString(task.workflow_execution().workflow_id());
    m_info.runId = QString::fromStdString(task.workflow_execution().run_id());
    m_info.workflowType = QString::fromStdString(task.workflow_type().name());
    m_info.activityId = QString::fromStdString(task.activity_id());
    m_info.activityType = QString::fromStdString(task.activity_type().name());
    m_info.attempt = task.attempt() > 0 ? task.attempt() : 1;
    if (task.heartbeat_details().payloads_size() > 0) {
        if (auto details = PayloadConverter::firstToJson(task.heartbeat_details()))
            m_info.heartbeatDetails = *details;
    } else {
        m_info.heartbeatDetails = QJsonValue(QJsonValue::Undefined);
    }
    m_info.scheduledTime = toDateTime(task.scheduled_time());
    m_info.currentAttemptScheduledTime = toDateTime(task.current_attempt_scheduled_time());
    m_info.startedTime = task.has_started_time() ? toDateTime(task.started_time()) : QDateTime::currentDateTimeUtc();
    m_info.heartbeatTimeout = fromDuration(task.heartbeat_timeout());
    m_info.taskToken = QByteArray::fromStdString(task.task_token());

    // The attempt's deadline: start-to-close from the start, schedule-to-close from the first schedule.
    std::optional<Heartbeater::Clock::time_point> deadline;
    const auto nowWall = QDateTime::currentDateTimeUtc();
    const auto nowSteady = Heartbeater::Clock::now();
    auto consider = [&](const QDateTime &at) {
        if (!at.isValid())
            return;
        if (!m_info.deadline.isValid() || at < m_info.deadline)
            m_info.deadline = at;
    };
    if (task.has_start_to_close_timeout() && fromDuration(task.start_to_close_timeout()).count() > 0)
        consider(m_info.startedTime.addMSecs(fromDuration(task.start_to_close_timeout()).count()));
    if (task.has_schedule_to_close_timeout() && fromDuration(task.schedule_to_close_timeout()).count() > 0
        && m_info.scheduledTime.isValid())
        consider(m_info.scheduledTime.addMSecs(fromDuration(task.schedule_to_close_timeout()).count()));
    if (m_info.deadline.isValid())
        deadline = nowSteady + std::chrono::milliseconds(std::max<qint64>(0, nowWall.msecsTo(m_info.deadline)));
    if (m_heartbeater)
        m_outbox = m_heartbeater->add(task.task_token(), task.workflow_execution(), m_token, m_info.heartbeatTimeout,
                                      deadline);
}

ActivityTaskRun::~ActivityTaskRun()
{
    if (m_heartbeater && m_outbox)
        m_heartbeater->remove(m_outbox);
}

void ActivityTaskRun::heartbeat(const QJsonValue &details)
{
    if (m_heartbeater)
        m_heartbeater->heartbeat(m_outbox, details);
}

void ActivityTaskRun::signalWorkflow(const QString &name, const QJsonArray &args)
{
    if (m_heartbeater)
        m_heartbeater->signal(m_outbox, name, args);
}

int ActivityTaskRun::heartbeatsSent() const
{
    return m_heartbeater ? m_heartbeater->sentCount(m_outbox) : 0;
}

ActivityOutcome ActivityTaskRun::execute(const Registry &registry)
{
    Result<QJsonValue> result = QJsonValue();
    const ActivityFunction *function = registry.activity(m_info.activityType);
    auto args = PayloadConverter::toJsonArgs(m_task.input());
    if (!function) {
        result = applicationError(u"Activity type %1 is not registered with this worker (registered: %2)."_s
                                      .arg(m_info.activityType, registry.activityNames().join(u", "_s)),
                                  u"ActivityNotRegistered"_s);
    } else if (!args) {
        result = nonRetryable(args.error());
    } else {
        ActivityContext context(this);
        try {
            result = (*function)(context, *args);
        } catch (...) {
            result = applicationError(u"Activity %1 threw: %2"_s.arg(m_info.activityType, exceptionText()),
                                      u"ActivityException"_s);
        }
    }

    std::optional<QJsonValue> lastDetails;
    if (m_heartbeater) {
        m_heartbeater->flush(m_outbox, 10s);
        lastDetails = m_heartbeater->lastDetails(m_outbox);
    }
    ActivityOutcome outcome;
    const std::string token = m_task.task_token();
    if (result) {
        outcome.kind = ActivityOutcome::Kind::Completed;
        outcome.completed.set_task_token(token);
        outcome.completed.set_identity(m_identity.toStdString());
        outcome.completed.set_namespace_(m_nameSpace.toStdString());
        *outcome.completed.mutable_result()->add_payloads() = PayloadConverter::fromJson(*result);
        return outcome;
    }
    outcome.message = result.error().message;
    if (isCancellation(result.error()) && m_token.reason() == CancelReason::CancelRequested) {
        outcome.kind = ActivityOutcome::Kind::Canceled;
        outcome.canceled.set_task_token(token);
        outcome.canceled.set_identity(m_identity.toStdString());
        outcome.canceled.set_namespace_(m_nameSpace.toStdString());
        if (lastDetails && !lastDetails->isUndefined())
            *outcome.canceled.mutable_details()->add_payloads() = PayloadConverter::fromJson(*lastDetails);
        return outcome;
    }
    outcome.kind = ActivityOutcome::Kind::Failed;
    outcome.failed.set_task_token(token);
    outcome.failed.set_identity(m_identity.toStdString());
    outcome.failed.set_namespace_(m_nameSpace.toStdString());
    *outcome.failed.mutable_failure() = toFailure(result.error());
    if (lastDetails && !lastDetails->isUndefined())
        *outcome.failed.mutable_last_heartbeat_details()->add_payloads() = PayloadConverter::fromJson(*lastDetails);
    return outcome;
}

} // namespace Nebula::Temporal::Internal
