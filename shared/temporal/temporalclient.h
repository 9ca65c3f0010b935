#pragma once

#include "common/result.h"
#include "temporal/connectionoptions.h"
#include "temporal/types.h"

#include <QObject>

#include <functional>
#include <memory>

namespace Nebula::Temporal {

class Connection;

// The asynchronous Temporal client used by the console (and by tests and tools).
//
// No call blocks: each returns at once and delivers its Result to `callback` on the thread of
// `context`, and only while `context` is alive (destroying it cancels the RPC). Every call has a
// deadline (CallOptions::timeout). UNAVAILABLE and RESOURCE_EXHAUSTED are retried with capped
// exponential backoff and jitter within CallOptions::retryBudget; every other failure arrives as an
// Error whose message a person can act on and whose detail names the RPC and the server's text.
class TemporalClient final : public QObject
{
    Q_OBJECT

public:
    enum class ConnectionState { Unknown, Connected, Unavailable, Unauthorized };
    Q_ENUM(ConnectionState)

    template <typename T>
    using Callback = std::function<void(const Result<T> &)>;

    // Fails (with a message saying what to fix) when the options are invalid or TLS files unreadable.
    static Result<std::unique_ptr<TemporalClient>> create(const ConnectionOptions &options,
                                                          QObject *parent = nullptr);
    ~TemporalClient() override;

    const ConnectionOptions &options() const;
    ConnectionState connectionState() const;
    // Replaces the bearer token for later calls (the console's session token). Thread-safe.
    void setAuthToken(const QString &token);
    // The gRPC connection, for code inside shared/ that needs the raw stub (the worker runtime).
    std::shared_ptr<Connection> connection() const;

    void startWorkflow(const StartWorkflowRequest &request, QObject *context,
                       Callback<StartResult> callback, CallOptions call = {});
    void signalWithStartWorkflow(const StartWorkflowRequest &request, QObject *context,
                                 Callback<StartResult> callback, CallOptions call = {});
    void describeWorkflow(const WorkflowRef &ref, QObject *context,
                          Callback<WorkflowDescription> callback, CallOptions call = {});
    void listWorkflows(const QString &query, int pageSize, const QByteArray &pageToken,
                       QObject *context, Callback<WorkflowPage> callback, CallOptions call = {});
    void countWorkflows(const QString &query, QObject *context, Callback<qint64> callback,
                        CallOptions call = {});
    // With HistoryOptions::waitNewEvent this is a long poll: pass a CallOptions timeout above the
    // server's hold time (about 20 s), e.g. 70 s.
    void getHistory(const WorkflowRef &ref, const HistoryOptions &history, QObject *context,
                    Callback<HistoryPage> callback, CallOptions call = {});
    // Waits (long polls, following page tokens) until the run closes, then reports its outcome.
    void waitForOutcome(const WorkflowRef &ref, QObject *context, Callback<WorkflowOutcome> callback);
    void queryWorkflow(const WorkflowRef &ref, const QString &queryType, const QJsonArray &args,
                       QObject *context, Callback<QJsonValue> callback, CallOptions call = {});
    void signalWorkflow(const WorkflowRef &ref, const QString &signalName, const QJsonArray &args,
                        QObject *context, Callback<void> callback, CallOptions call = {});
    void requestCancelWorkflow(const WorkflowRef &ref, const QString &reason, QObject *context,
                               Callback<void> callback, CallOptions call = {});
    void terminateWorkflow(const WorkflowRef &ref, const QString &reason, QObject *context,
                           Callback<void> callback, CallOptions call = {});
    void getSystemInfo(QObject *context, Callback<SystemInfo> callback, CallOptions call = {});
    // Recent workflow-task pollers of a task queue (whether a worker is there).
    void describeTaskQueue(const QString &taskQueue, QObject *context, Callback<QList<Poller>> callback,
                           CallOptions call = {});

Q_SIGNALS:
    void connectionStateChanged(Nebula::Temporal::TemporalClient::ConnectionState state);

private:
    TemporalClient(std::shared_ptr<Connection> connection, QObject *parent);
    void noteOutcome(const Error *error);
    // The completion handler of one RPC: maps a failed status to an Error in one place, notes the
    // connection state, and otherwise passes the response through `convert` (→ Result<T>).
    template <typename Resp, typename T, typename Convert>
    auto completion(const char *rpc, Callback<T> callback, Convert convert);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Nebula::Temporal
