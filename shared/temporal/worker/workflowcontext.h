#pragma once

#include "common/result.h"
#include "temporal/types.h"
#include "temporal/worker/workflowtask.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <QUuid>

#include <chrono>
#include <functional>
#include <optional>

namespace Nebula::Temporal {

namespace Internal {
class WorkflowRun;
}

// Options of one activity invocation (ScheduleActivityTask). At least one of scheduleToClose and
// startToClose must be set (the server rejects the command otherwise).
struct ActivityOptions
{
    QString taskQueue; // empty = the workflow's task queue
    std::chrono::milliseconds scheduleToCloseTimeout{0};
    std::chrono::milliseconds scheduleToStartTimeout{0};
    std::chrono::milliseconds startToCloseTimeout{0};
    std::chrono::milliseconds heartbeatTimeout{0};
    // Unset = the server's defaults (1 s initial, ×2, 100 s maximum, unlimited attempts).
    std::optional<RetryPolicy> retryPolicy;
    QString activityId; // empty = the activity's sequence number ("1", "2", ...), like core
    // A detached activity is not cancelled when cancellation of the workflow is requested: use it
    // for clean-up work after a cancel.
    bool detached = false;
};

// Identity of the running workflow (from its WorkflowExecutionStarted event and the task).
struct WorkflowRunInfo
{
    QString nameSpace;
    QString workflowId;
    QString runId;
    QString workflowType;
    QString taskQueue;
    int attempt = 1;
    QString originalRunId; // seeds random() / randomUuid()
    QString firstRunId;
    QDateTime startTime;
};

using QueryHandler = std::function<Result<QJsonValue>(const QJsonArray &args)>;
using SignalHandler = std::function<void(const QJsonArray &args)>;

// What workflow code may use instead of threads, clocks, randomness and I/O. Everything here is
// deterministic: replaying the same history gives the same results and the same commands.
//
// Errors seen by workflow code:
//  - an activity failure: code = the failure type mapped back to an ErrorCode when it names one
//    (an activity returning Error{Validation, …} gives Validation here, type "validation"), otherwise Unknown; message
//    = the activity's own message; data: {"type", "nonRetryable", "activityType", "activityId",
//    "cancelled", "timedOut", "retryState"} plus the activity's own Error.data;
//  - a cancelled activity or timer: code Cancelled (data "cancelled": true);
//  - an activity timeout: code DeadlineExceeded (data "timedOut": true, "timeoutType").
//
// How the workflow ends:
//  - the workflow function returns a value → CompleteWorkflowExecution;
//  - it returns an Error with code Cancelled after cancellation was requested →
//    CancelWorkflowExecution (the run is marked canceled);
//  - it returns any other Error → FailWorkflowExecution with an ApplicationFailure (type =
//    data "type" or the ErrorCode name, non_retryable = data "nonRetryable");
//  - an exception escapes → the workflow *task* fails (WORKFLOW_WORKER_UNHANDLED_FAILURE) and the
//    server retries it; fix the code and the workflow continues.
class WorkflowContext
{
public:
    explicit WorkflowContext(Internal::WorkflowRun *run) : m_run(run) {}

    const WorkflowRunInfo &info() const;
    // Time of the latest WorkflowTaskStarted event: the workflow's "now".
    QDateTime now() const;
    // True while the runtime replays history that already happened (e.g. to skip logging).
    bool isReplaying() const;

    // Schedules an activity at once; await the future for its result.
    WorkflowFuture<Result<QJsonValue>> executeActivity(const QString &activityType,
                                                       const QJsonArray &args,
                                                       const ActivityOptions &options);
    // A durable timer (StartTimer). Resolves with a Cancelled error if the workflow is cancelled.
    WorkflowFuture<Result<void>> sleep(std::chrono::milliseconds duration);
    // Resolves once `predicate` is true; it is re-evaluated after every event the workflow sees
    // (signals, activity results, timers, cancellation). Not cancelled by a cancel request: include
    // isCancelRequested() in the predicate when that should end the wait.
    WorkflowFuture<bool> waitCondition(std::function<bool()> predicate);
    // Runs another coroutine concurrently with the workflow function (like workflow.Go). An
    // exception escaping it fails the workflow task.
    void spawn(WorkflowTask<void> task);

    // Query handlers run on the state after the task's events and must not change it; they may
    // not start activities or timers (that fails the query). Queries are also answered after the
    // workflow function has returned (a closed run), when the coroutine's locals no longer exist:
    // keep the state a query reads in a std::shared_ptr captured by value, never capture locals
    // by reference:
    //   auto progress = std::make_shared<QJsonObject>();
    //   ctx.setQueryHandler(u"progress"_s, [progress](const QJsonArray &) -> Result<QJsonValue> {
    //       return QJsonValue(*progress); });
    void setQueryHandler(const QString &name, QueryHandler handler);
    // Signals that arrived before their handler was set are delivered, in order, when it is set.
    // Signals arriving after the workflow function returned are dropped.
    void setSignalHandler(const QString &name, SignalHandler handler);

    bool isCancelRequested() const;
    QString cancelReason() const;

    // Deterministic randomness seeded from the run's original_execution_run_id.
    quint64 random();
    double randomReal(); // [0, 1)
    QUuid randomUuid();

    // For the runtime.
    Internal::WorkflowRun *run() const { return m_run; }

private:
    Internal::WorkflowRun *m_run;
};

// A workflow: a coroutine taking the context and the start arguments. Register it by name with
// Worker::registerWorkflow or Replayer::registerWorkflow. The function object is kept by the
// worker for its lifetime; a coroutine lambda must not capture anything shorter-lived.
using WorkflowFunction = std::function<WorkflowTask<Result<QJsonValue>>(WorkflowContext &ctx, QJsonArray args)>;

} // namespace Nebula::Temporal
