#include "temporal/worker/worker.h"

#include "common/logging.h"
#include "temporal/connection.h"
#include "temporal/worker/internal/activitytaskrun.h"
#include "temporal/worker/internal/backoff.h"
#include "temporal/worker/internal/heartbeater.h"
#include "temporal/worker/internal/workflowtaskprocessor.h"

#include <QThreadPool>
#include <QUuid>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <semaphore>
#include <set>
#include <thread>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace Nebula::Temporal {

namespace ws = temporal::api::workflowservice::v1;
namespace enums = temporal::api::enums::v1;
using Internal::WorkflowTaskOutcome;

struct Worker::Private
{
    Worker *q = nullptr;
    std::shared_ptr<Connection> connection;
    WorkerOptions options;
    Registry registry;
    std::string nameSpace;
    std::string identity;
    QString stickyQueue;
    std::shared_ptr<spdlog::logger> log = Log::get("temporal.worker");

    std::unique_ptr<Internal::WorkflowTaskProcessor> processor;
    std::unique_ptr<Internal::Heartbeater> heartbeater;
    std::unique_ptr<std::counting_semaphore<>> workflowSlots;
    std::unique_ptr<std::counting_semaphore<>> activitySlots;
    QThreadPool activityPool;
    std::vector<std::thread> pollers;

    std::mutex mutex;
    std::condition_variable stopCv;
    std::set<grpc::ClientContext *> inFlightPolls;
    std::set<CancellationToken *> runningTokens;
    std::atomic<bool> stopping = false;
    bool started = false;
    bool stopped = false;
    std::atomic<int> runningActivities = 0;

    // Outage reporting: one log line when the server goes away and one when it is back.
    std::mutex statusMutex;
    Status status = Status::Stopped;
    int failingPollers = 0;

    void setStatus(Status s);
    void pollFailed(const grpc::Status &status);
    void pollSucceeded();
    bool sleepUnlessStopping(std::chrono::milliseconds d);
    void backOff(const grpc::Status &status, Internal::Backoff &backoff);

    template <typename Req, typename Resp>
    grpc::Status callWithRetry(grpc::Status (WorkflowService::Stub::*method)(grpc::ClientContext *, const Req &, Resp *),
                               const Req &request, Resp *response, std::chrono::milliseconds timeout);

    void workflowPollLoop(bool sticky);
    void activityPollLoop();
    void handleWorkflowTask(const ws::PollWorkflowTaskQueueResponse &task);
    void runActivity(std::shared_ptr<ws::PollActivityTaskQueueResponse> task);
    Result<ws::GetWorkflowExecutionHistoryResponse> fetchHistory(const temporal::api::common::v1::WorkflowExecution &e,
                                                                 const std::string &token);
};

void Worker::Private::setStatus(Status s)
{
    {
        std::lock_guard lock(statusMutex);
        if (status == s)
            return;
        status = s;
    }
    QMetaObject::invokeMethod(q, [q = q, s] { Q_EMIT q->statusChanged(s); }, Qt::QueuedConnection);
}

void Worker::Private::pollFailed(const grpc::Status &st)
{
    bool firstFailure = false;
    {
        std::lock_guard lock(statusMutex);
        firstFailure = failingPollers++ == 0 && status != Status::ServerUnavailable;
    }
    if (firstFailure) {
        log->warn("Temporal server {} unavailable for task queue {}: {} ({}); retrying with backoff",
                  connection->options().address.toStdString(), options.taskQueue.toStdString(),
                  st.error_message(), static_cast<int>(st.error_code()));
        setStatus(Status::ServerUnavailable);
    }
}

void Worker::Private::pollSucceeded()
{
    bool recovered = false;
    {
        std::lock_guard lock(statusMutex);
        recovered = status == Status::ServerUnavailable;
        failingPollers = 0;
    }
    if (recovered)
        log->info("Temporal server {} reachable again; polling task queue {}",
                  connection->options().address.toStdString(), options.taskQueue.toStdString());
    if (!stopping)
        setStatus(Status::Polling);
}

bool Worker::Private::sleepUnlessStopping(std::chrono::milliseconds d)
{
    std::unique_lock lock(mutex);
    return !stopCv.wait_for(lock, d, [this] { return stopping.load(); });
}

// After a failed poll: wait out the backoff. When the server was unreachable, watch the channel
// meanwhile, so that the worker reports it reachable as soon as it reconnects (a successful long
// poll may take a minute to return).
void Worker::Private::backOff(const grpc::Status &status, Internal::Backoff &backoff)
{
    pollFailed(status);
    const auto until = std::chrono::steady_clock::now() + backoff.next();
    if (status.error_code() != grpc::UNAVAILABLE) {
        sleepUnlessStopping(std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()));
        return;
    }
    while (!stopping && std::chrono::steady_clock::now() < until) {
        const auto slice = std::min(until, std::chrono::steady_clock::now() + 200ms);
        const auto wallDeadline = std::chrono::system_clock::now()
                                  + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                      slice - std::chrono::steady_clock::now());
        if (connection->channel()->WaitForConnected(wallDeadline)) {
            pollSucceeded();
            return;
        }
    }
}

template <typename Req, typename Resp>
grpc::Status Worker::Private::callWithRetry(
    grpc::Status (WorkflowService::Stub::*method)(grpc::ClientContext *, const Req &, Resp *), const Req &request,
    Resp *response, std::chrono::milliseconds timeout)
{
    Internal::Backoff backoff(100ms, 5s);
    const auto giveUp = std::chrono::steady_clock::now() + 10s;
    while (true) {
        auto ctx = connection->newContext(timeout);
        grpc::Status st = (connection->stub().*method)(ctx.get(), request, response);
        const auto code = st.error_code();
        const bool retryable = code == grpc::UNAVAILABLE || code == grpc::RESOURCE_EXHAUSTED
                               || code == grpc::INTERNAL || code == grpc::UNKNOWN || code == grpc::ABORTED;
        if (st.ok() || !retryable || std::chrono::steady_clock::now() >= giveUp)
            return st;
        std::this_thread::sleep_for(backoff.next());
    }
}

Result<ws::GetWorkflowExecutionHistoryResponse> Worker::Private::fetchHistory(
    const temporal::api::common::v1::WorkflowExecution &execution, const std::string &token)
{
    ws::GetWorkflowExecutionHistoryRequest req;
    req.set_namespace_(nameSpace);
    *req.mutable_execution() = execution;
    req.set_next_page_token(token);
    ws::GetWorkflowExecutionHistoryResponse resp;
    const auto st = callWithRetry(&WorkflowService::Stub::GetWorkflowExecutionHistory, req, &resp, 30s);
    if (!st.ok())
        return errorFromStatus(st, "GetWorkflowExecutionHistory", connection->options().address);
    return resp;
}

void Worker::Private::workflowPollLoop(bool sticky)
{
    Internal::Backoff backoff(200ms, 10s);
    ws::PollWorkflowTaskQueueRequest req;
    req.set_namespace_(nameSpace);
    req.set_identity(identity);
    req.mutable_task_queue()->set_name((sticky ? stickyQueue : options.taskQueue).toStdString());
    req.mutable_task_queue()->set_kind(sticky ? enums::TASK_QUEUE_KIND_STICKY : enums::TASK_QUEUE_KIND_NORMAL);
    if (sticky)
        req.mutable_task_queue()->set_normal_name(options.taskQueue.toStdString());
    while (!stopping) {
        if (!workflowSlots->try_acquire_for(200ms))
            continue;
        ws::PollWorkflowTaskQueueResponse task;
        grpc::Status st;
        {
            auto ctx = connection->newContext(options.pollTimeout);
            {
                std::lock_guard lock(mutex);
                if (stopping) {
                    workflowSlots->release();
                    break;
                }
                inFlightPolls.insert(ctx.get());
            }
            st = connection->stub().PollWorkflowTaskQueue(ctx.get(), req, &task);
            std::lock_guard lock(mutex);
            inFlightPolls.erase(ctx.get());
        }
        if (st.ok() && !task.task_token().empty()) {
            pollSucceeded();
            backoff.reset();
            handleWorkflowTask(task);
            workflowSlots->release();
            continue;
        }
        workflowSlots->release();
        if (st.ok() || stopping || st.error_code() == grpc::DEADLINE_EXCEEDED) {
            if (st.ok())
                pollSucceeded();
            continue;
        }
        backOff(st, backoff);
    }
}

void Worker::Private::handleWorkflowTask(const ws::PollWorkflowTaskQueueResponse &task)
{
    WorkflowTaskOutcome outcome = processor->process(task);
    const QString wfId = outcome.workflowId;
    bool ok = true;
    grpc::Status st;
    switch (outcome.kind) {
    case WorkflowTaskOutcome::Kind::Completed: {
        ws::RespondWorkflowTaskCompletedResponse resp;
        st = callWithRetry(&WorkflowService::Stub::RespondWorkflowTaskCompleted, outcome.completed, &resp, 10s);
        break;
    }
    case WorkflowTaskOutcome::Kind::Failed: {
        log->error("workflow task of {} (run {}) failed: {}", wfId.toStdString(), outcome.runId.toStdString(),
                   outcome.failureMessage.toStdString());
        ws::RespondWorkflowTaskFailedResponse resp;
        st = callWithRetry(&WorkflowService::Stub::RespondWorkflowTaskFailed, outcome.failed, &resp, 10s);
        QMetaObject::invokeMethod(q, [q = q, wfId, runId = outcome.runId, msg = outcome.failureMessage] {
            Q_EMIT q->workflowTaskFailed(wfId, runId, msg);
        }, Qt::QueuedConnection);
        break;
    }
    case WorkflowTaskOutcome::Kind::QueryAnswered: {
        ws::RespondQueryTaskCompletedResponse resp;
        st = callWithRetry(&WorkflowService::Stub::RespondQueryTaskCompleted, outcome.queryAnswer, &resp, 10s);
        break;
    }
    case WorkflowTaskOutcome::Kind::Silent:
        log->warn("workflow task of {} (run {}) failed again (attempt {}), not reported: {}", wfId.toStdString(),
                  outcome.runId.toStdString(), task.attempt(), outcome.failureMessage.toStdString());
        break;
    }
    if (!st.ok()) {
        ok = false;
        log->warn("answering the workflow task of {} (run {}) failed: {}", wfId.toStdString(),
                  outcome.runId.toStdString(), st.error_message());
    }
    processor->answered(outcome, ok);
}

void Worker::Private::activityPollLoop()
{
    Internal::Backoff backoff(200ms, 10s);
    ws::PollActivityTaskQueueRequest req;
    req.set_namespace_(nameSpace);
    req.set_identity(identity);
    req.mutable_task_queue()->set_name(options.taskQueue.toStdString());
    req.mutable_task_queue()->set_kind(enums::TASK_QUEUE_KIND_NORMAL);
    while (!stopping) {
        if (!activitySlots->try_acquire_for(200ms))
            continue;
        auto task = std::make_shared<ws::PollActivityTaskQueueResponse>();
        grpc::Status st;
        {
            auto ctx = connection->newContext(options.pollTimeout);
            {
                std::lock_guard lock(mutex);
                if (stopping) {
                    activitySlots->release();
                    break;
                }
                inFlightPolls.insert(ctx.get());
            }
            st = connection->stub().PollActivityTaskQueue(ctx.get(), req, task.get());
            std::lock_guard lock(mutex);
            inFlightPolls.erase(ctx.get());
        }
        if (st.ok() && !task->task_token().empty()) {
            pollSucceeded();
            backoff.reset();
            ++runningActivities;
            activityPool.start([this, task] {
                runActivity(task);
                --runningActivities;
                activitySlots->release();
            });
            continue;
        }
        activitySlots->release();
        if (st.ok() || stopping || st.error_code() == grpc::DEADLINE_EXCEEDED) {
            if (st.ok())
                pollSucceeded();
            continue;
        }
        backOff(st, backoff);
    }
}

void Worker::Private::runActivity(std::shared_ptr<ws::PollActivityTaskQueueResponse> task)
{
    Internal::ActivityTaskRun run(*task, QString::fromStdString(nameSpace), QString::fromStdString(identity),
                                  heartbeater.get());
    CancellationToken token = run.token();
    {
        std::lock_guard lock(mutex);
        runningTokens.insert(&token);
        if (stopping && stopped)
            token.cancel(CancelReason::WorkerShutdown);
    }
    const auto &info = run.info();
    log->debug("activity {} (id {}, attempt {}) of workflow {} started", info.activityType.toStdString(),
               info.activityId.toStdString(), info.attempt, info.workflowId.toStdString());
    Internal::ActivityOutcome outcome = run.execute(registry);
    {
        std::lock_guard lock(mutex);
        runningTokens.erase(&token);
    }
    grpc::Status st;
    switch (outcome.kind) {
    case Internal::ActivityOutcome::Kind::Completed: {
        ws::RespondActivityTaskCompletedResponse resp;
        st = callWithRetry(&WorkflowService::Stub::RespondActivityTaskCompleted, outcome.completed, &resp, 10s);
        break;
    }
    case Internal::ActivityOutcome::Kind::Failed: {
        log->info("activity {} (id {}, attempt {}) of workflow {} failed: {}", info.activityType.toStdString(),
                  info.activityId.toStdString(), info.attempt, info.workflowId.toStdString(),
                  outcome.message.toStdString());
        ws::RespondActivityTaskFailedResponse resp;
        st = callWithRetry(&WorkflowService::Stub::RespondActivityTaskFailed, outcome.failed, &resp, 10s);
        break;
    }
    case Internal::ActivityOutcome::Kind::Canceled: {
        ws::RespondActivityTaskCanceledResponse resp;
        st = callWithRetry(&WorkflowService::Stub::RespondActivityTaskCanceled, outcome.canceled, &resp, 10s);
        break;
    }
    }
    if (st.error_code() == grpc::NOT_FOUND)
        log->info("activity {} (id {}) of workflow {} finished, but the server no longer knows it: {}",
                  info.activityType.toStdString(), info.activityId.toStdString(), info.workflowId.toStdString(),
                  st.error_message());
    else if (!st.ok())
        log->warn("reporting activity {} (id {}) failed: {}", info.activityType.toStdString(),
                  info.activityId.toStdString(), st.error_message());
}

Worker::Worker(std::shared_ptr<Connection> connection, WorkerOptions options, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->q = this;
    d->connection = std::move(connection);
    d->options = std::move(options);
    d->nameSpace = d->connection->nameSpace();
    d->identity = d->options.identity.isEmpty() ? d->connection->identity() : d->options.identity.toStdString();
    d->stickyQueue = QString::fromStdString(d->identity) + u'-' + QUuid::createUuid().toString(QUuid::Id128);
}

Worker::~Worker()
{
    shutdown();
}

void Worker::registerWorkflow(const QString &name, WorkflowFunction function)
{
    d->registry.registerWorkflow(name, std::move(function));
}

void Worker::registerActivity(const QString &name, ActivityFunction function)
{
    d->registry.registerActivity(name, std::move(function));
}

Result<void> Worker::start()
{
    if (d->started)
        return makeError(ErrorCode::FailedPrecondition, u"The worker was already started."_s);
    if (auto ok = d->registry.validate(); !ok)
        return ok;
    const WorkerOptions &o = d->options;
    if (o.taskQueue.isEmpty())
        return makeError(ErrorCode::InvalidArgument, u"The worker needs a task queue."_s);
    if (!d->registry.hasWorkflows() && !d->registry.hasActivities())
        return makeError(ErrorCode::InvalidArgument, u"Register at least one workflow or activity before start()."_s);
    if (o.maxConcurrentWorkflowTasks < 1 || o.maxConcurrentActivities < 1 || o.workflowTaskPollers < 1
        || o.activityTaskPollers < 1 || o.stickyCacheSize < 0)
        return makeError(ErrorCode::InvalidArgument,
                         u"Worker concurrency limits and poller counts must be at least 1 (cache size at least 0)."_s);

    const bool sticky = o.stickyCacheSize > 0;
    Internal::WorkflowTaskProcessor::Options po;
    po.nameSpace = QString::fromStdString(d->nameSpace);
    po.identity = QString::fromStdString(d->identity);
    po.stickyQueue = sticky ? d->stickyQueue : QString();
    po.normalQueue = o.taskQueue;
    po.stickyScheduleToStartTimeout = o.stickyScheduleToStartTimeout;
    po.cacheSize = o.stickyCacheSize;
    d->processor = std::make_unique<Internal::WorkflowTaskProcessor>(
        d->registry, po, [p = d.get()](const auto &execution, const std::string &token) {
            return p->fetchHistory(execution, token);
        });

    Internal::Heartbeater::Transport transport;
    transport.heartbeat = [p = d.get()](const std::string &token, const Payloads &details,
                                        std::function<void(const grpc::Status &, bool)> done) {
        struct Call
        {
            std::unique_ptr<grpc::ClientContext> ctx;
            ws::RecordActivityTaskHeartbeatRequest req;
            ws::RecordActivityTaskHeartbeatResponse resp;
        };
        auto call = std::make_shared<Call>();
        call->ctx = p->connection->newContext(10s);
        call->req.set_task_token(token);
        call->req.set_namespace_(p->nameSpace);
        call->req.set_identity(p->identity);
        if (details.payloads_size() > 0)
            *call->req.mutable_details() = details;
        p->connection->stub().async()->RecordActivityTaskHeartbeat(
            call->ctx.get(), &call->req, &call->resp,
            [call, done](grpc::Status st) { done(st, st.ok() && call->resp.cancel_requested()); });
    };
    transport.signal = [p = d.get()](const temporal::api::common::v1::WorkflowExecution &execution,
                                     const std::string &name, const Payloads &input,
                                     std::function<void(const grpc::Status &)> done) {
        struct Call
        {
            std::unique_ptr<grpc::ClientContext> ctx;
            ws::SignalWorkflowExecutionRequest req;
            ws::SignalWorkflowExecutionResponse resp;
        };
        auto call = std::make_shared<Call>();
        call->ctx = p->connection->newContext(10s);
        call->req.set_namespace_(p->nameSpace);
        *call->req.mutable_workflow_execution() = execution;
        call->req.set_signal_name(name);
        *call->req.mutable_input() = input;
        call->req.set_identity(p->identity);
        call->req.set_request_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
        p->connection->stub().async()->SignalWorkflowExecution(call->ctx.get(), &call->req, &call->resp,
                                                               [call, done](grpc::Status st) { done(st); });
    };
    d->heartbeater = std::make_unique<Internal::Heartbeater>(std::move(transport));

    d->workflowSlots = std::make_unique<std::counting_semaphore<>>(o.maxConcurrentWorkflowTasks);
    d->activitySlots = std::make_unique<std::counting_semaphore<>>(o.maxConcurrentActivities);
    d->activityPool.setMaxThreadCount(o.maxConcurrentActivities);
    d->activityPool.setExpiryTimeout(60000);
    d->started = true;
    d->setStatus(Status::Polling);
    if (d->registry.hasWorkflows()) {
        for (int i = 0; i < o.workflowTaskPollers; ++i) {
            d->pollers.emplace_back([p = d.get()] { p->workflowPollLoop(false); });
            if (sticky)
                d->pollers.emplace_back([p = d.get()] { p->workflowPollLoop(true); });
        }
    }
    if (d->registry.hasActivities()) {
        for (int i = 0; i < o.activityTaskPollers; ++i)
            d->pollers.emplace_back([p = d.get()] { p->activityPollLoop(); });
    }
    d->log->info("worker {} polling task queue {} (workflows: {}; activities: {}; sticky queue {})", d->identity,
                 o.taskQueue.toStdString(), d->registry.workflowNames().join(u", "_s).toStdString(),
                 d->registry.activityNames().join(u", "_s).toStdString(),
                 sticky ? d->stickyQueue.toStdString() : std::string("off"));
    return {};
}

void Worker::shutdown()
{
    if (!d->started || d->stopped)
        return;
    d->log->info("worker {} shutting down", d->identity);
    d->setStatus(Status::ShuttingDown);
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
        for (auto *ctx : d->inFlightPolls)
            ctx->TryCancel();
    }
    d->stopCv.notify_all();
    for (auto &t : d->pollers)
        t.join();
    d->pollers.clear();

    const int gracefulMs = static_cast<int>(d->options.gracefulShutdownTimeout.count());
    if (!d->activityPool.waitForDone(gracefulMs)) {
        d->log->warn("{} activities still running after the grace period; cancelling them",
                     d->runningActivities.load());
        {
            std::lock_guard lock(d->mutex);
            d->stopped = true;
            for (auto *token : d->runningTokens)
                token->cancel(CancelReason::WorkerShutdown);
        }
        if (!d->activityPool.waitForDone(static_cast<int>(d->options.cancelledActivityTimeout.count())))
            d->log->error("{} activities ignored cancellation; waiting for them", d->runningActivities.load());
        d->activityPool.waitForDone();
    }

    ws::ShutdownWorkerRequest req;
    req.set_namespace_(d->nameSpace);
    req.set_identity(d->identity);
    req.set_reason("graceful shutdown");
    if (d->options.stickyCacheSize > 0 && d->registry.hasWorkflows())
        req.set_sticky_task_queue(d->stickyQueue.toStdString());
    ws::ShutdownWorkerResponse resp;
    auto ctx = d->connection->newContext(5s);
    const auto st = d->connection->stub().ShutdownWorker(ctx.get(), req, &resp);
    if (!st.ok() && st.error_code() != grpc::UNIMPLEMENTED && st.error_code() != grpc::UNAVAILABLE)
        d->log->warn("ShutdownWorker failed: {}", st.error_message());

    d->heartbeater.reset();
    d->stopped = true;
    d->setStatus(Status::Stopped);
    d->log->info("worker {} stopped", d->identity);
}

Worker::Status Worker::status() const
{
    std::lock_guard lock(d->statusMutex);
    return d->status;
}

const WorkerOptions &Worker::options() const
{
    return d->options;
}

QString Worker::stickyQueueName() const
{
    return d->stickyQueue;
}

int Worker::runningActivities() const
{
    return d->runningActivities;
}

int Worker::cachedRuns() const
{
    return d->processor ? d->processor->cachedRuns() : 0;
}

} // namespace Nebula::Temporal
