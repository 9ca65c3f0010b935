#pragma once

#include "common/result.h"
#include "temporal/worker/activitycontext.h"
#include "temporal/worker/registry.h"
#include "temporal/worker/workflowcontext.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace Nebula::Temporal {

class Connection;

struct WorkerOptions
{
    QString taskQueue;
    int maxConcurrentWorkflowTasks = 4;
    int maxConcurrentActivities = 8;
    // Long-poll threads per queue (the normal and the sticky workflow queue each get this many;
    // the activity queue too). Bounded by the concurrency limits above.
    int workflowTaskPollers = 2;
    int activityTaskPollers = 2;
    // Runs kept in memory between tasks (sticky execution). 0 = no sticky queue: every workflow
    // task replays the full history.
    int stickyCacheSize = 200;
    std::chrono::milliseconds stickyScheduleToStartTimeout{10000};
    QString identity; // empty = the connection's identity ("<pid>@<host>")
    // On shutdown(): how long running activities may finish before their tokens are cancelled,
    // and how long they then have to return.
    std::chrono::milliseconds gracefulShutdownTimeout{30000};
    std::chrono::milliseconds cancelledActivityTimeout{10000};
    // Long-poll deadline (the server answers empty after about 60 s).
    std::chrono::milliseconds pollTimeout{70000};
};

// A Temporal worker: polls one task queue for workflow and activity tasks and runs the registered
// workflows (deterministically, from history) and activities.
//
// Threads: start() creates the poller threads; each workflow poller processes the task it got
// (replay, workflow code, commands) and answers it, holding the run's lock, so the code of one
// run is single-threaded. Activity pollers hand each activity task to a thread of the worker's
// pool (maxConcurrentActivities threads), where it may block or run a QEventLoop. One more thread
// schedules throttled heartbeats. Signals of this object are emitted on the thread it lives in.
//
//   WorkerOptions options;
//   options.taskQueue = u"nebula"_s;
//   auto worker = std::make_unique<Worker>(connection, options);
//   worker->registerWorkflow(u"ProvisionResource"_s, &provisionResource);
//   worker->registerActivity(u"RunTerraform"_s, [&](ActivityContext &ctx, const QJsonArray &a) {
//       return terraform.run(ctx, a); });
//   if (auto ok = worker->start(); !ok) { log(ok.error()); return 1; }
//   ... on SIGTERM: worker->shutdown();
class Worker final : public QObject
{
    Q_OBJECT

public:
    enum class Status { Stopped, Polling, ServerUnavailable, ShuttingDown };
    Q_ENUM(Status)

    Worker(std::shared_ptr<Connection> connection, WorkerOptions options, QObject *parent = nullptr);
    ~Worker() override; // shuts down if still running

    // Register everything before start(). Duplicates make start() fail.
    void registerWorkflow(const QString &name, WorkflowFunction function);
    void registerActivity(const QString &name, ActivityFunction function);

    // Validates the registrations and options and starts polling. Connection problems are not an
    // error here: the pollers retry with backoff and report ServerUnavailable.
    Result<void> start();
    // Graceful and blocking: stops polling, lets running activities finish within
    // gracefulShutdownTimeout, then cancels them (CancelReason::WorkerShutdown) and waits up to
    // cancelledActivityTimeout, tells the server (ShutdownWorker; UNIMPLEMENTED is fine) and joins
    // the threads. Safe to call twice.
    void shutdown();

    Status status() const;
    const WorkerOptions &options() const;
    QString stickyQueueName() const;
    int runningActivities() const;
    int cachedRuns() const;

Q_SIGNALS:
    void statusChanged(Nebula::Temporal::Worker::Status status);
    // A workflow task failed (nondeterminism, exception in workflow code): message as sent.
    void workflowTaskFailed(const QString &workflowId, const QString &runId, const QString &message);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Nebula::Temporal
