#pragma once

// One workflow run in memory: its workflow code (a coroutine), the state of every command it
// produced, and the replay of history into it.
//
// History is applied in logical workflow tasks (sdk-core's "activations"): events up to a
// WorkflowTaskStarted queue jobs (start, activity results, timers, signals, cancel requests), and
// at that WorkflowTaskStarted the jobs run in event order, each resuming the workflow code until it
// blocks. If the task is followed by WorkflowTaskCompleted in history it was completed before, so
// the commands it produces are matched, in order, against the command events after that
// WorkflowTaskCompleted (every command has a dual event); any mismatch is a nondeterminism error.
// A WorkflowTaskStarted followed by a failed or timed-out task runs nothing (its jobs move to the
// next task). The last WorkflowTaskStarted of the history is the task being processed: its
// commands are the answer. Incremental (sticky) processing applies later events to the same
// object and therefore produces the same commands as a full replay.

#include "common/result.h"
#include "temporal/worker/registry.h"
#include "temporal/worker/workflowcontext.h"

#include <temporal/api/command/v1/message.pb.h>
#include <temporal/api/history/v1/message.pb.h>

#include <QHash>
#include <QMap>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <vector>

namespace Nebula::Temporal::Internal {

using HistoryEvent = temporal::api::history::v1::HistoryEvent;
using Command = temporal::api::command::v1::Command;

// A task failure (the workflow task, not the workflow, fails).
struct TaskFailure
{
    bool nondeterministic = false;
    QString message;
};

class WorkflowRun
{
public:
    WorkflowRun(const Registry &registry, QString nameSpace);
    ~WorkflowRun();
    WorkflowRun(const WorkflowRun &) = delete;
    WorkflowRun &operator=(const WorkflowRun &) = delete;

    void setExecution(const QString &workflowId, const QString &runId);

    // Applies events that must continue exactly after lastEventId(). Returns a TaskFailure in the
    // error's message when the history does not match the code, or workflow code threw.
    Result<void> apply(const std::vector<const HistoryEvent *> &events);
    // After the last event of a complete recorded history (replayer): commands the workflow
    // produced for a completed task but history lacks are a nondeterminism error too.
    Result<void> finishReplay();

    // Commands produced by the latest task (not yet matched against history): the completion.
    std::vector<Command> newCommands() const;
    Result<QJsonValue> query(const QString &name, const QJsonArray &args);

    qint64 lastEventId() const { return m_lastEventId; }
    qint64 lastStartedEventId() const { return m_lastStartedEventId; }
    bool isStarted() const { return m_started; }
    bool isClosed() const { return m_closed || m_closeCommandProduced; }
    const WorkflowRunInfo &info() const { return m_info; }
    bool lastFailureWasNondeterminism() const { return m_failure.nondeterministic; }

    // WorkflowContext implementation.
    QDateTime now() const { return m_now; }
    bool isReplaying() const { return m_replaying; }
    WorkflowFuture<Result<QJsonValue>> executeActivity(const QString &type, const QJsonArray &args,
                                                       const ActivityOptions &options);
    WorkflowFuture<Result<void>> sleep(std::chrono::milliseconds duration);
    WorkflowFuture<bool> waitCondition(std::function<bool()> predicate);
    void spawn(WorkflowTask<void> task);
    void setQueryHandler(const QString &name, QueryHandler handler);
    void setSignalHandler(const QString &name, SignalHandler handler);
    bool isCancelRequested() const { return m_cancelRequested; }
    QString cancelReason() const { return m_cancelReason; }
    quint64 random() { return m_random(); }

private:
    enum class MachineState { Created, Scheduled, CancelRequested, Resolved };
    struct ActivityMachine
    {
        int seq = 0;
        QString activityId;
        QString type;
        bool detached = false;
        MachineState state = MachineState::Created;
        qint64 scheduledEventId = 0;
        bool hasOutcome = false; // closing event seen, delivery pending
        WorkflowFuture<Result<QJsonValue>> future;
    };
    struct TimerMachine
    {
        int seq = 0;
        QString timerId;
        MachineState state = MachineState::Created;
        qint64 startedEventId = 0;
        bool hasOutcome = false;
        WorkflowFuture<Result<void>> future;
    };
    struct PendingCommand
    {
        Command command;
        int activitySeq = 0;
        int timerSeq = 0;
    };
    struct Condition
    {
        std::function<bool()> predicate;
        WorkflowFuture<bool> future;
    };

    Result<void> applyOne(const std::vector<const HistoryEvent *> &events, size_t index);
    Result<void> matchCommandEvent(const HistoryEvent &event);
    Result<void> checkNoUnmatchedCommands(const HistoryEvent *at);
    Result<void> activate(const HistoryEvent &started, bool replaying);
    Result<void> onStarted(const HistoryEvent &event);
    Result<void> onActivityEvent(const HistoryEvent &event, qint64 scheduledEventId);
    Result<void> onTimerFired(const HistoryEvent &event);
    void onSignal(const QString &name, const QJsonArray &args);
    void onCancelRequested(const QString &reason);
    void cancelActivity(ActivityMachine &activity);
    void cancelTimer(TimerMachine &timer);
    void removeCommand(int activitySeq, int timerSeq);
    void unblockConditions();
    void produceCloseCommand();
    Error taskError(bool nondeterministic, const QString &message);
    Error nondeterminism(const QString &message) { return taskError(true, message); }
    QString describeQueryState() const;

    const Registry &m_registry;
    WorkflowRunInfo m_info;
    std::unique_ptr<WorkflowContext> m_context;
    WorkflowTask<Result<QJsonValue>> m_root;
    std::vector<WorkflowTask<void>> m_spawned;
    QJsonArray m_input;

    std::vector<std::function<void()>> m_jobs;
    std::deque<PendingCommand> m_commands;
    size_t m_matchable = 0; // commands at the front that a completed task sent
    qint64 m_lastCompletedEventId = 0;

    std::map<int, ActivityMachine> m_activities;
    std::map<qint64, int> m_activityByScheduledId;
    std::map<int, TimerMachine> m_timers;
    QHash<QString, int> m_timerById;
    int m_activitySeq = 0;
    int m_timerSeq = 0;
    std::vector<Condition> m_conditions;

    QMap<QString, QueryHandler> m_queryHandlers;
    QMap<QString, SignalHandler> m_signalHandlers;
    QMap<QString, QList<QJsonArray>> m_bufferedSignals;

    std::mt19937_64 m_random;
    QDateTime m_now;
    qint64 m_lastEventId = 0;
    qint64 m_lastStartedEventId = 0;
    bool m_started = false;
    bool m_replaying = false;
    bool m_closed = false;
    bool m_closeCommandProduced = false;
    bool m_cancelRequested = false;
    QString m_cancelReason;
    bool m_inQuery = false;
    bool m_queryViolation = false;
    TaskFailure m_failure;
};

// "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" → "ActivityTaskScheduled"
QString eventName(const HistoryEvent &event);
QString commandName(const Command &command);

} // namespace Nebula::Temporal::Internal
