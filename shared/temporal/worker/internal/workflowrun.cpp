#include "temporal/worker/internal/workflowrun.h"

#include "temporal/internal/convert.h"
#include "temporal/payloadconverter.h"
#include "temporal/worker/failure.h"
#include "temporal/worker/internal/failureconvert.h"

#include <temporal/api/enums/v1/command_type.pb.h>
#include <temporal/api/enums/v1/event_type.pb.h>

#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal::Internal {

namespace enums = temporal::api::enums::v1;

namespace {

QString camelFromEnum(const std::string &name, std::string_view prefix)
{
    std::string_view rest(name);
    if (rest.substr(0, prefix.size()) == prefix)
        rest.remove_prefix(prefix.size());
    QString out;
    bool upper = true;
    for (char c : rest) {
        if (c == '_') {
            upper = true;
            continue;
        }
        const QChar ch = QChar::fromLatin1(c);
        out += upper ? ch.toUpper() : ch.toLower();
        upper = false;
    }
    return out;
}

quint64 fnv1a(const QByteArray &bytes)
{
    quint64 h = 14695981039346656037ULL;
    for (char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

QString exceptionText(const std::exception_ptr &p)
{
    try {
        std::rethrow_exception(p);
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return u"an exception that is not a std::exception"_s;
    }
}

bool isCommandEvent(int type)
{
    switch (type) {
    case enums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
    case enums::EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED:
    case enums::EVENT_TYPE_TIMER_STARTED:
    case enums::EVENT_TYPE_TIMER_CANCELED:
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
    case enums::EVENT_TYPE_MARKER_RECORDED:
    case enums::EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
    case enums::EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
    case enums::EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
    case enums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
    case enums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        return true;
    default:
        return false;
    }
}

// The command type whose dual event `eventType` is.
int dualCommand(int eventType)
{
    switch (eventType) {
    case enums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: return enums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK;
    case enums::EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED: return enums::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK;
    case enums::EVENT_TYPE_TIMER_STARTED: return enums::COMMAND_TYPE_START_TIMER;
    case enums::EVENT_TYPE_TIMER_CANCELED: return enums::COMMAND_TYPE_CANCEL_TIMER;
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: return enums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION;
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: return enums::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION;
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED: return enums::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION;
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: return enums::COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION;
    case enums::EVENT_TYPE_MARKER_RECORDED: return enums::COMMAND_TYPE_RECORD_MARKER;
    case enums::EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: return enums::COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES;
    case enums::EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED: return enums::COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES;
    case enums::EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: return enums::COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION;
    case enums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: return enums::COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION;
    case enums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: return enums::COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION;
    default: return enums::COMMAND_TYPE_UNSPECIFIED;
    }
}

QString describeEvent(const HistoryEvent &e, bool withId)
{
    QString what;
    if (e.has_activity_task_scheduled_event_attributes()) {
        const auto &a = e.activity_task_scheduled_event_attributes();
        what = u"activity type "_s + QString::fromStdString(a.activity_type().name());
        if (withId)
            what += u", activity id "_s + QString::fromStdString(a.activity_id());
    } else if (e.has_activity_task_cancel_requested_event_attributes()) {
        what = u"scheduled event %1"_s.arg(e.activity_task_cancel_requested_event_attributes().scheduled_event_id());
    } else if (e.has_timer_started_event_attributes()) {
        what = u"timer id "_s + QString::fromStdString(e.timer_started_event_attributes().timer_id());
    } else if (e.has_timer_canceled_event_attributes()) {
        what = u"timer id "_s + QString::fromStdString(e.timer_canceled_event_attributes().timer_id());
    } else if (e.has_marker_recorded_event_attributes()) {
        what = u"marker "_s + QString::fromStdString(e.marker_recorded_event_attributes().marker_name());
    }
    const QString name = eventName(e);
    return what.isEmpty() ? name : name + u" ("_s + what + u')';
}

QString describeCommand(const Command &c, bool withId)
{
    QString what;
    if (c.has_schedule_activity_task_command_attributes()) {
        const auto &a = c.schedule_activity_task_command_attributes();
        what = u"activity type "_s + QString::fromStdString(a.activity_type().name());
        if (withId)
            what += u", activity id "_s + QString::fromStdString(a.activity_id());
    } else if (c.has_request_cancel_activity_task_command_attributes()) {
        what = u"scheduled event %1"_s.arg(c.request_cancel_activity_task_command_attributes().scheduled_event_id());
    } else if (c.has_start_timer_command_attributes()) {
        what = u"timer id "_s + QString::fromStdString(c.start_timer_command_attributes().timer_id());
    } else if (c.has_cancel_timer_command_attributes()) {
        what = u"timer id "_s + QString::fromStdString(c.cancel_timer_command_attributes().timer_id());
    }
    const QString name = commandName(c);
    return what.isEmpty() ? name : name + u" ("_s + what + u')';
}

// Whether a command event records exactly this command (same kind, ids and types).
bool sameCommand(const HistoryEvent &e, const Command &c, bool *idDiffers)
{
    *idDiffers = false;
    if (dualCommand(e.event_type()) != c.command_type())
        return false;
    switch (e.event_type()) {
    case enums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const auto &a = e.activity_task_scheduled_event_attributes();
        const auto &b = c.schedule_activity_task_command_attributes();
        *idDiffers = a.activity_id() != b.activity_id();
        return a.activity_type().name() == b.activity_type().name() && !*idDiffers;
    }
    case enums::EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED:
        return e.activity_task_cancel_requested_event_attributes().scheduled_event_id()
               == c.request_cancel_activity_task_command_attributes().scheduled_event_id();
    case enums::EVENT_TYPE_TIMER_STARTED:
        return e.timer_started_event_attributes().timer_id() == c.start_timer_command_attributes().timer_id();
    case enums::EVENT_TYPE_TIMER_CANCELED:
        return e.timer_canceled_event_attributes().timer_id() == c.cancel_timer_command_attributes().timer_id();
    default:
        return true;
    }
}

} // namespace

QString eventName(const HistoryEvent &event)
{
    return camelFromEnum(enums::EventType_Name(event.event_type()), "EVENT_TYPE_");
}

QString commandName(const Command &command)
{
    return camelFromEnum(enums::CommandType_Name(command.command_type()), "COMMAND_TYPE_");
}

WorkflowRun::WorkflowRun(const Registry &registry, QString nameSpace) : m_registry(registry)
{
    m_info.nameSpace = std::move(nameSpace);
    m_context = std::make_unique<WorkflowContext>(this);
}

WorkflowRun::~WorkflowRun()
{
    // Coroutine frames first: they hold futures and refer to the context.
    m_conditions.clear();
    m_spawned.clear();
    m_root = {};
}

void WorkflowRun::setExecution(const QString &workflowId, const QString &runId)
{
    m_info.workflowId = workflowId;
    m_info.runId = runId;
}

Error WorkflowRun::taskError(bool nondeterministic, const QString &message)
{
    m_failure = TaskFailure{nondeterministic, message};
    Error e = makeError(nondeterministic ? ErrorCode::FailedPrecondition : ErrorCode::Internal, message);
    e.data.insert(u"nondeterministic"_s, nondeterministic);
    return e;
}

Result<void> WorkflowRun::apply(const std::vector<const HistoryEvent *> &events)
{
    for (size_t i = 0; i < events.size(); ++i) {
        const HistoryEvent &event = *events[i];
        if (event.event_id() != m_lastEventId + 1)
            return taskError(false, u"History is not contiguous: expected event %1, got event %2."_s
                                        .arg(m_lastEventId + 1)
                                        .arg(event.event_id()));
        if (auto ok = applyOne(events, i); !ok)
            return ok;
        m_lastEventId = event.event_id();
    }
    return {};
}

Result<void> WorkflowRun::finishReplay()
{
    return checkNoUnmatchedCommands(nullptr);
}

Result<void> WorkflowRun::applyOne(const std::vector<const HistoryEvent *> &events, size_t index)
{
    const HistoryEvent &event = *events[index];
    const int type = event.event_type();
    if (isCommandEvent(type))
        return matchCommandEvent(event);
    switch (type) {
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        return onStarted(event);
    case enums::EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        return checkNoUnmatchedCommands(&event);
    case enums::EVENT_TYPE_WORKFLOW_TASK_STARTED: {
        if (auto ok = checkNoUnmatchedCommands(&event); !ok)
            return ok;
        if (index + 1 == events.size())
            return activate(event, false);
        if (events[index + 1]->event_type() == enums::EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
            return activate(event, true);
        return {}; // a failed or timed-out task: its jobs run with the next one
    }
    case enums::EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        m_matchable = m_commands.size();
        m_lastCompletedEventId = event.event_id();
        return {};
    case enums::EVENT_TYPE_WORKFLOW_TASK_FAILED:
    case enums::EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        return {};
    case enums::EVENT_TYPE_ACTIVITY_TASK_STARTED:
        return onActivityEvent(event, event.activity_task_started_event_attributes().scheduled_event_id());
    case enums::EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        return onActivityEvent(event, event.activity_task_completed_event_attributes().scheduled_event_id());
    case enums::EVENT_TYPE_ACTIVITY_TASK_FAILED:
        return onActivityEvent(event, event.activity_task_failed_event_attributes().scheduled_event_id());
    case enums::EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        return onActivityEvent(event, event.activity_task_timed_out_event_attributes().scheduled_event_id());
    case enums::EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        return onActivityEvent(event, event.activity_task_canceled_event_attributes().scheduled_event_id());
    case enums::EVENT_TYPE_TIMER_FIRED:
        return onTimerFired(event);
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: {
        const auto &a = event.workflow_execution_signaled_event_attributes();
        auto args = PayloadConverter::toJsonArgs(a.input());
        if (!args)
            return taskError(false, u"Event %1: cannot decode the input of signal %2: %3"_s
                                        .arg(event.event_id())
                                        .arg(QString::fromStdString(a.signal_name()), args.error().message));
        m_jobs.push_back([this, name = QString::fromStdString(a.signal_name()), input = *args] {
            onSignal(name, input);
        });
        return {};
    }
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        m_jobs.push_back([this, reason = QString::fromStdString(
                                    event.workflow_execution_cancel_requested_event_attributes().cause())] {
            onCancelRequested(reason);
        });
        return {};
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        m_closed = true;
        return {};
    default:
        if (event.worker_may_ignore())
            return {};
        return taskError(false, u"Event %1 %2 is not supported by this worker runtime."_s
                                    .arg(event.event_id())
                                    .arg(eventName(event)));
    }
}

Result<void> WorkflowRun::matchCommandEvent(const HistoryEvent &event)
{
    if (m_matchable == 0) {
        return nondeterminism(u"[TMPRL1100] Nondeterminism error: event %1 %2 has no matching command: "
                              u"the workflow produced no further command for the workflow task completed in "
                              u"event %3"_s.arg(event.event_id())
                                  .arg(describeEvent(event, false))
                                  .arg(m_lastCompletedEventId));
    }
    const PendingCommand &front = m_commands.front();
    bool idDiffers = false;
    if (!sameCommand(event, front.command, &idDiffers)) {
        return nondeterminism(u"[TMPRL1100] Nondeterminism error: event %1 %2 does not match the command %3 "
                              u"the workflow produced"_s.arg(event.event_id())
                                  .arg(describeEvent(event, idDiffers), describeCommand(front.command, idDiffers)));
    }
    switch (event.event_type()) {
    case enums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        auto &a = m_activities[front.activitySeq];
        if (a.state == MachineState::Created)
            a.state = MachineState::Scheduled;
        a.scheduledEventId = event.event_id();
        m_activityByScheduledId[event.event_id()] = a.seq;
        break;
    }
    case enums::EVENT_TYPE_TIMER_STARTED: {
        auto &t = m_timers[front.timerSeq];
        if (t.state == MachineState::Created)
            t.state = MachineState::Scheduled;
        t.startedEventId = event.event_id();
        break;
    }
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
        m_closed = true;
        break;
    default:
        break;
    }
    m_commands.pop_front();
    --m_matchable;
    return {};
}

Result<void> WorkflowRun::checkNoUnmatchedCommands(const HistoryEvent *at)
{
    if (m_matchable == 0)
        return {};
    const QString command = describeCommand(m_commands.front().command, false);
    if (!at) {
        return nondeterminism(u"[TMPRL1100] Nondeterminism error: the command %1 the workflow produced is "
                              u"missing from history, which ends after the workflow task completed in event %2"_s
                                  .arg(command)
                                  .arg(m_lastCompletedEventId));
    }
    return nondeterminism(u"[TMPRL1100] Nondeterminism error: the command %1 the workflow produced is missing "
                          u"from history: event %2 %3 follows the commands of the workflow task completed in "
                          u"event %4"_s.arg(command)
                              .arg(at->event_id())
                              .arg(eventName(*at))
                              .arg(m_lastCompletedEventId));
}

Result<void> WorkflowRun::onStarted(const HistoryEvent &event)
{
    const auto &a = event.workflow_execution_started_event_attributes();
    m_info.workflowType = QString::fromStdString(a.workflow_type().name());
    m_info.taskQueue = QString::fromStdString(a.task_queue().name());
    m_info.attempt = a.attempt() > 0 ? a.attempt() : 1;
    m_info.originalRunId = QString::fromStdString(a.original_execution_run_id());
    m_info.firstRunId = QString::fromStdString(a.first_execution_run_id());
    m_info.startTime = toDateTime(event.event_time());
    if (m_info.workflowId.isEmpty())
        m_info.workflowId = QString::fromStdString(a.workflow_id());
    if (m_info.runId.isEmpty())
        m_info.runId = m_info.originalRunId;
    const QString seed = m_info.originalRunId.isEmpty() ? m_info.runId : m_info.originalRunId;
    m_random.seed(fnv1a(seed.toUtf8()));
    m_now = m_info.startTime;

    auto input = PayloadConverter::toJsonArgs(a.input());
    if (!input)
        return taskError(false, u"Cannot decode the input of workflow %1: %2"_s.arg(m_info.workflowType,
                                                                                    input.error().message));
    m_input = *input;
    const WorkflowFunction *function = m_registry.workflow(m_info.workflowType);
    if (!function) {
        return taskError(false, u"Workflow type %1 is not registered with this worker (registered: %2)."_s
                                    .arg(m_info.workflowType, m_registry.workflowNames().join(u", "_s)));
    }
    m_started = true;
    m_jobs.push_back([this, function] {
        m_root = (*function)(*m_context, m_input);
        m_root.start();
    });
    return {};
}

Result<void> WorkflowRun::onActivityEvent(const HistoryEvent &event, qint64 scheduledEventId)
{
    auto it = m_activityByScheduledId.find(scheduledEventId);
    if (it == m_activityByScheduledId.end()) {
        return nondeterminism(u"[TMPRL1100] Nondeterminism error: event %1 %2 refers to scheduled event %3, "
                              u"which is not an activity the workflow scheduled"_s.arg(event.event_id())
                                  .arg(eventName(event))
                                  .arg(scheduledEventId));
    }
    ActivityMachine &activity = m_activities[it->second];
    if (event.event_type() == enums::EVENT_TYPE_ACTIVITY_TASK_STARTED)
        return {};
    if (activity.hasOutcome) {
        return nondeterminism(u"[TMPRL1100] Nondeterminism error: event %1 %2 closes activity %3, which "
                              u"already closed"_s.arg(event.event_id())
                                  .arg(eventName(event), activity.activityId));
    }
    activity.hasOutcome = true;
    Result<QJsonValue> result = QJsonValue();
    if (event.has_activity_task_completed_event_attributes()) {
        auto value = PayloadConverter::firstToJson(event.activity_task_completed_event_attributes().result());
        if (value)
            result = *value;
        else
            result = value.error();
    } else {
        result = activityError(event, activity.type, activity.activityId);
    }
    m_jobs.push_back([this, seq = activity.seq, result] {
        auto &a = m_activities[seq];
        a.state = MachineState::Resolved;
        a.future.resolve(result);
    });
    return {};
}

Result<void> WorkflowRun::onTimerFired(const HistoryEvent &event)
{
    const auto &a = event.timer_fired_event_attributes();
    auto it = m_timerById.find(QString::fromStdString(a.timer_id()));
    if (it == m_timerById.end() || m_timers[*it].startedEventId != a.started_event_id()) {
        return nondeterminism(u"[TMPRL1100] Nondeterminism error: event %1 TimerFired (timer id %2) refers to "
                              u"a timer the workflow did not start"_s.arg(event.event_id())
                                  .arg(QString::fromStdString(a.timer_id())));
    }
    TimerMachine &timer = m_timers[*it];
    if (timer.hasOutcome)
        return {};
    timer.hasOutcome = true;
    m_jobs.push_back([this, seq = timer.seq] {
        auto &t = m_timers[seq];
        t.state = MachineState::Resolved;
        t.future.resolve(Result<void>());
    });
    return {};
}

Result<void> WorkflowRun::activate(const HistoryEvent &started, bool replaying)
{
    m_now = toDateTime(started.event_time());
    m_replaying = replaying;
    m_lastStartedEventId = started.event_id();
    auto jobs = std::move(m_jobs);
    m_jobs.clear();
    try {
        for (auto &job : jobs) {
            job();
            unblockConditions();
        }
        unblockConditions();
    } catch (...) {
        return taskError(false, u"Workflow %1 threw: %2"_s.arg(m_info.workflowType,
                                                               exceptionText(std::current_exception())));
    }
    if (auto e = m_root.exception())
        return taskError(false, u"Workflow %1 threw: %2"_s.arg(m_info.workflowType, exceptionText(e)));
    for (const auto &task : m_spawned) {
        if (auto e = task.exception())
            return taskError(false, u"A coroutine spawned by workflow %1 threw: %2"_s.arg(m_info.workflowType,
                                                                                            exceptionText(e)));
    }
    if (m_root.isDone() && !m_closeCommandProduced)
        produceCloseCommand();
    return {};
}

void WorkflowRun::produceCloseCommand()
{
    Result<QJsonValue> result = m_root.takeResult();
    Command c;
    if (result) {
        c.set_command_type(enums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION);
        *c.mutable_complete_workflow_execution_command_attributes()->mutable_result()->add_payloads() =
            PayloadConverter::fromJson(*result);
    } else if (isCancellation(result.error()) && m_cancelRequested) {
        c.set_command_type(enums::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION);
        c.mutable_cancel_workflow_execution_command_attributes();
    } else {
        c.set_command_type(enums::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION);
        *c.mutable_fail_workflow_execution_command_attributes()->mutable_failure() = toFailure(result.error());
    }
    m_commands.push_back(PendingCommand{std::move(c), 0, 0});
    m_closeCommandProduced = true;
}

void WorkflowRun::unblockConditions()
{
    bool progress = true;
    while (progress) {
        progress = false;
        for (size_t i = 0; i < m_conditions.size(); ++i) {
            if (m_conditions[i].predicate()) {
                auto future = m_conditions[i].future;
                m_conditions.erase(m_conditions.begin() + static_cast<std::ptrdiff_t>(i));
                future.resolve(true);
                progress = true;
                break;
            }
        }
    }
}

void WorkflowRun::onSignal(const QString &name, const QJsonArray &args)
{
    // Once the workflow function has returned, its locals (which handlers usually capture) are gone.
    if (m_root.isDone())
        return;
    auto it = m_signalHandlers.constFind(name);
    if (it == m_signalHandlers.constEnd()) {
        m_bufferedSignals[name].append(args);
        return;
    }
    (*it)(args);
}

void WorkflowRun::onCancelRequested(const QString &reason)
{
    if (m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_cancelReason = reason;
    for (auto &[seq, activity] : m_activities) {
        if (!activity.detached && !activity.hasOutcome
            && (activity.state == MachineState::Created || activity.state == MachineState::Scheduled))
            cancelActivity(activity);
    }
    for (auto &[seq, timer] : m_timers) {
        if (!timer.hasOutcome && (timer.state == MachineState::Created || timer.state == MachineState::Scheduled))
            cancelTimer(timer);
    }
}

void WorkflowRun::cancelActivity(ActivityMachine &activity)
{
    if (activity.state == MachineState::Created) {
        removeCommand(activity.seq, 0);
        activity.state = MachineState::Resolved;
        Error e = cancelledError(u"Activity %1 was cancelled before it was scheduled."_s.arg(activity.type));
        e.data.insert(u"activityType"_s, activity.type);
        e.data.insert(u"activityId"_s, activity.activityId);
        activity.future.resolve(e);
        return;
    }
    Command c;
    c.set_command_type(enums::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK);
    c.mutable_request_cancel_activity_task_command_attributes()->set_scheduled_event_id(activity.scheduledEventId);
    m_commands.push_back(PendingCommand{std::move(c), activity.seq, 0});
    activity.state = MachineState::CancelRequested;
}

void WorkflowRun::cancelTimer(TimerMachine &timer)
{
    if (timer.state == MachineState::Created) {
        removeCommand(0, timer.seq);
    } else {
        Command c;
        c.set_command_type(enums::COMMAND_TYPE_CANCEL_TIMER);
        c.mutable_cancel_timer_command_attributes()->set_timer_id(timer.timerId.toStdString());
        m_commands.push_back(PendingCommand{std::move(c), 0, timer.seq});
    }
    timer.state = MachineState::Resolved;
    timer.future.resolve(cancelledError(u"The timer was cancelled because the workflow was cancelled."_s));
}

void WorkflowRun::removeCommand(int activitySeq, int timerSeq)
{
    for (auto it = m_commands.begin() + static_cast<std::ptrdiff_t>(m_matchable); it != m_commands.end(); ++it) {
        if ((activitySeq && it->activitySeq == activitySeq) || (timerSeq && it->timerSeq == timerSeq)) {
            m_commands.erase(it);
            return;
        }
    }
}

WorkflowFuture<Result<QJsonValue>> WorkflowRun::executeActivity(const QString &type, const QJsonArray &args,
                                                                const ActivityOptions &options)
{
    if (m_inQuery) {
        m_queryViolation = true;
        WorkflowFuture<Result<QJsonValue>> f;
        f.resolve(makeError(ErrorCode::FailedPrecondition, u"Queries cannot start activities."_s));
        return f;
    }
    const int seq = ++m_activitySeq;
    ActivityMachine &a = m_activities[seq];
    a.seq = seq;
    a.activityId = options.activityId.isEmpty() ? QString::number(seq) : options.activityId;
    a.type = type;
    a.detached = options.detached;
    if (m_cancelRequested && !options.detached) {
        a.state = MachineState::Resolved;
        a.future.resolve(cancelledError(u"Activity %1 was not started: the workflow is cancelled."_s.arg(type)));
        return a.future;
    }
    Command c;
    c.set_command_type(enums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK);
    auto *attrs = c.mutable_schedule_activity_task_command_attributes();
    attrs->set_activity_id(a.activityId.toStdString());
    attrs->mutable_activity_type()->set_name(type.toStdString());
    attrs->mutable_task_queue()->set_name((options.taskQueue.isEmpty() ? m_info.taskQueue : options.taskQueue).toStdString());
    attrs->mutable_task_queue()->set_kind(temporal::api::enums::v1::TASK_QUEUE_KIND_NORMAL);
    if (!args.isEmpty())
        *attrs->mutable_input() = PayloadConverter::fromJsonArgs(args);
    if (options.scheduleToCloseTimeout.count() > 0)
        *attrs->mutable_schedule_to_close_timeout() = toDuration(options.scheduleToCloseTimeout);
    if (options.scheduleToStartTimeout.count() > 0)
        *attrs->mutable_schedule_to_start_timeout() = toDuration(options.scheduleToStartTimeout);
    if (options.startToCloseTimeout.count() > 0)
        *attrs->mutable_start_to_close_timeout() = toDuration(options.startToCloseTimeout);
    if (options.heartbeatTimeout.count() > 0)
        *attrs->mutable_heartbeat_timeout() = toDuration(options.heartbeatTimeout);
    if (options.retryPolicy) {
        const RetryPolicy &p = *options.retryPolicy;
        auto *rp = attrs->mutable_retry_policy();
        if (p.initialInterval.count() > 0)
            *rp->mutable_initial_interval() = toDuration(p.initialInterval);
        rp->set_backoff_coefficient(p.backoffCoefficient);
        if (p.maximumInterval.count() > 0)
            *rp->mutable_maximum_interval() = toDuration(p.maximumInterval);
        rp->set_maximum_attempts(p.maximumAttempts);
        for (const QString &t : p.nonRetryableErrorTypes)
            rp->add_non_retryable_error_types(t.toStdString());
    }
    m_commands.push_back(PendingCommand{std::move(c), seq, 0});
    return a.future;
}

WorkflowFuture<Result<void>> WorkflowRun::sleep(std::chrono::milliseconds duration)
{
    if (m_inQuery) {
        m_queryViolation = true;
        WorkflowFuture<Result<void>> f;
        f.resolve(makeError(ErrorCode::FailedPrecondition, u"Queries cannot start timers."_s));
        return f;
    }
    const int seq = ++m_timerSeq;
    TimerMachine &t = m_timers[seq];
    t.seq = seq;
    t.timerId = QString::number(seq);
    m_timerById.insert(t.timerId, seq);
    if (m_cancelRequested) {
        t.state = MachineState::Resolved;
        t.future.resolve(cancelledError(u"The timer was not started: the workflow is cancelled."_s));
        return t.future;
    }
    Command c;
    c.set_command_type(enums::COMMAND_TYPE_START_TIMER);
    auto *attrs = c.mutable_start_timer_command_attributes();
    attrs->set_timer_id(t.timerId.toStdString());
    *attrs->mutable_start_to_fire_timeout() = toDuration(std::max(duration, std::chrono::milliseconds(1)));
    m_commands.push_back(PendingCommand{std::move(c), 0, seq});
    return t.future;
}

WorkflowFuture<bool> WorkflowRun::waitCondition(std::function<bool()> predicate)
{
    WorkflowFuture<bool> f;
    if (m_inQuery) {
        m_queryViolation = true;
        f.resolve(false);
        return f;
    }
    if (predicate()) {
        f.resolve(true);
        return f;
    }
    m_conditions.push_back(Condition{std::move(predicate), f});
    return f;
}

void WorkflowRun::spawn(WorkflowTask<void> task)
{
    m_spawned.push_back(std::move(task));
    m_spawned.back().start();
}

void WorkflowRun::setQueryHandler(const QString &name, QueryHandler handler)
{
    m_queryHandlers.insert(name, std::move(handler));
}

void WorkflowRun::setSignalHandler(const QString &name, SignalHandler handler)
{
    m_signalHandlers.insert(name, std::move(handler));
    const auto buffered = m_bufferedSignals.take(name);
    for (const QJsonArray &args : buffered)
        m_signalHandlers.value(name)(args);
}

Result<QJsonValue> WorkflowRun::query(const QString &name, const QJsonArray &args)
{
    if (name == u"__stack_trace"_s)
        return QJsonValue(describeQueryState());
    auto it = m_queryHandlers.constFind(name);
    if (it == m_queryHandlers.constEnd()) {
        return makeError(ErrorCode::InvalidArgument,
                         u"Workflow %1 has no query handler named %2 (known: %3)."_s
                             .arg(m_info.workflowType, name, m_queryHandlers.keys().join(u", "_s)));
    }
    m_inQuery = true;
    m_queryViolation = false;
    Result<QJsonValue> result = QJsonValue();
    try {
        result = (*it)(args);
    } catch (...) {
        result = makeError(ErrorCode::Internal, u"The query handler %1 threw: %2"_s.arg(
                                                    name, exceptionText(std::current_exception())));
    }
    m_inQuery = false;
    if (m_queryViolation) {
        return makeError(ErrorCode::FailedPrecondition,
                         u"The query handler %1 tried to start an activity, a timer or a condition; query "
                         u"handlers must not change workflow state."_s.arg(name));
    }
    return result;
}

QString WorkflowRun::describeQueryState() const
{
    QStringList lines;
    lines << u"workflow %1 (run %2)"_s.arg(m_info.workflowType, m_info.runId);
    for (const auto &[seq, a] : m_activities) {
        if (a.state != MachineState::Resolved)
            lines << u"  waiting for activity %1 (id %2)"_s.arg(a.type, a.activityId);
    }
    for (const auto &[seq, t] : m_timers) {
        if (t.state != MachineState::Resolved)
            lines << u"  waiting for timer %1"_s.arg(t.timerId);
    }
    if (!m_conditions.empty())
        lines << u"  waiting for %1 condition(s)"_s.arg(m_conditions.size());
    return lines.join(u'\n');
}

std::vector<Command> WorkflowRun::newCommands() const
{
    std::vector<Command> out;
    for (auto it = m_commands.begin() + static_cast<std::ptrdiff_t>(m_matchable); it != m_commands.end(); ++it)
        out.push_back(it->command);
    return out;
}

} // namespace Nebula::Temporal::Internal
