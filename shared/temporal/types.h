#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <chrono>

// Plain value types for the Temporal client's public API: callers (the console's widgets and
// models) never see protobuf types.
namespace Nebula::Temporal {

struct WorkflowRef
{
    QString workflowId;
    QString runId; // empty = the current run
};

enum class WorkflowStatus { Unspecified, Running, Completed, Failed, Canceled, Terminated, ContinuedAsNew, TimedOut };
QString workflowStatusName(WorkflowStatus status); // "Running", ... as in visibility queries
WorkflowStatus workflowStatusFromInt(int value);   // temporal.api.enums.v1.WorkflowExecutionStatus

enum class IdReusePolicy { Unspecified, AllowDuplicate, AllowDuplicateFailedOnly, RejectDuplicate };
enum class IdConflictPolicy { Unspecified, Fail, UseExisting, TerminateExisting };

struct RetryPolicy
{
    std::chrono::milliseconds initialInterval{0};
    double backoffCoefficient = 0;
    std::chrono::milliseconds maximumInterval{0};
    int maximumAttempts = 0;
    QStringList nonRetryableErrorTypes;
};

struct StartWorkflowRequest
{
    QString workflowId;
    QString workflowType;
    QString taskQueue;
    QJsonArray args; // one json/plain payload per element
    QJsonObject memo;
    QJsonObject searchAttributes; // Keyword values (strings) only
    std::chrono::seconds executionTimeout{0};
    std::chrono::seconds runTimeout{0};
    std::chrono::seconds taskTimeout{0};
    QString requestId; // empty = a fresh UUID
    IdReusePolicy reusePolicy = IdReusePolicy::Unspecified;
    IdConflictPolicy conflictPolicy = IdConflictPolicy::Unspecified;
    // SignalWithStart only:
    QString signalName;
    QJsonArray signalArgs;
};

struct StartResult
{
    QString runId;
    bool started = true; // false when a conflict policy returned the existing run
};

struct WorkflowInfo
{
    QString workflowId;
    QString runId;
    QString workflowType;
    QString taskQueue;
    WorkflowStatus status = WorkflowStatus::Unspecified;
    QDateTime startTime;
    QDateTime closeTime;
    qint64 historyLength = 0;
    QJsonObject memo; // decoded json/plain values
    QJsonObject searchAttributes;
};

struct PendingActivity
{
    QString activityId;
    QString activityType;
    QString state; // "Scheduled", "Started", "CancelRequested"
    int attempt = 0;
    int maximumAttempts = 0;
    QString lastFailureMessage;
    QJsonValue heartbeatDetails;
    QDateTime lastHeartbeatTime;
    QDateTime lastStartedTime;
    QString lastWorkerIdentity;
};

struct WorkflowDescription
{
    WorkflowInfo info;
    QList<PendingActivity> pendingActivities;
    bool workflowTaskPending = false;
};

struct WorkflowPage
{
    QList<WorkflowInfo> executions;
    QByteArray nextPageToken; // empty = last page
};

struct HistoryEvent
{
    qint64 eventId = 0;
    QDateTime time;
    QString type;          // "WorkflowExecutionStarted", ...
    QJsonObject attributes; // the event's attributes as proto3 JSON (payload data stays base64)
};

struct HistoryOptions
{
    QByteArray pageToken;
    int pageSize = 0; // 0 = server default
    bool waitNewEvent = false;
    bool closeEventOnly = false;
};

struct HistoryPage
{
    QList<HistoryEvent> events;
    QByteArray nextPageToken;
};

// The outcome of a closed workflow, from its close event.
struct WorkflowOutcome
{
    WorkflowStatus status = WorkflowStatus::Unspecified;
    QJsonValue result;     // Completed: the first result payload
    QString failureMessage; // Failed / TimedOut / Terminated (reason) / Canceled
    QString failureType;    // application failure type, if any
    QString newRunId;       // continued as new / retried
};

struct Poller
{
    QString identity;
    QDateTime lastAccessTime;
    double ratePerSecond = 0;
};

struct SystemInfo
{
    QString serverVersion;
    QJsonObject capabilities;
};

struct CallOptions
{
    std::chrono::milliseconds timeout{10000};
    // Total time spent retrying UNAVAILABLE / RESOURCE_EXHAUSTED before giving up.
    std::chrono::milliseconds retryBudget{30000};
};

} // namespace Nebula::Temporal
