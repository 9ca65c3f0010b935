#pragma once

#include "common/result.h"
#include "temporal/worker/cancellationtoken.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace Nebula::Temporal {

namespace Internal {
class ActivityTaskRun;
}

struct ActivityInfo
{
    QString nameSpace;
    QString workflowId;
    QString runId;
    QString workflowType;
    QString activityId;
    QString activityType;
    QString taskQueue;
    int attempt = 1;
    QJsonValue heartbeatDetails; // the last details heartbeated by a previous attempt (or Undefined)
    QDateTime scheduledTime;     // first schedule
    QDateTime currentAttemptScheduledTime;
    QDateTime startedTime;
    QDateTime deadline; // start-to-close (or schedule-to-close, whichever is earlier); invalid = none
    std::chrono::milliseconds heartbeatTimeout{0};
    QByteArray taskToken;
};

// What activity code gets. Activities run on their own threads (one per running activity, bounded
// by WorkerOptions::maxConcurrentActivities), so they may block and may run a local QEventLoop
// (e.g. around a QProcess). All methods are thread-safe.
class ActivityContext
{
public:
    explicit ActivityContext(Internal::ActivityTaskRun *run) : m_run(run) {}

    const ActivityInfo &info() const;

    // Records progress details. Throttled like sdk-core: at most one RPC per 0.8 × heartbeat
    // timeout (30 s without one, 60 s at most); the latest details win and details still pending
    // are sent before the activity's result. Never blocks. The response tells the worker whether
    // cancellation was requested; cancellationToken() then fires.
    void heartbeat(const QJsonValue &details = QJsonValue());

    // Fires on a cancel request (learned from a heartbeat response, so an activity that wants to
    // be cancellable must heartbeat), when the server no longer knows the task, when the
    // start-to-close deadline passes, and at worker shutdown after the grace period. Return an
    // Error with code Cancelled after a cancel request to report the activity as canceled.
    CancellationToken cancellationToken() const;
    bool isCancelled() const;

    // Sends a signal to this activity's own workflow run (SignalWorkflowExecution), asynchronously:
    // it returns at once, signals of one activity are delivered in order, and the worker waits
    // (up to 10 s) for the activity's outstanding signals before reporting its result, so the
    // workflow sees them before the activity's completion. A failed signal is logged, not retried.
    void signalWorkflow(const QString &signalName, const QJsonArray &args);

private:
    Internal::ActivityTaskRun *m_run;
};

// An activity. Return a value, or an Error: it is reported as an ApplicationFailure with type =
// Error.data "type" (or the ErrorCode name), non_retryable = Error.data "nonRetryable", message =
// Error.message and the error's detail and data as details. Retries follow the activity's retry
// policy on the server. An exception escaping the function fails the attempt (retryable).
using ActivityFunction = std::function<Result<QJsonValue>(ActivityContext &ctx, const QJsonArray &args)>;

} // namespace Nebula::Temporal
