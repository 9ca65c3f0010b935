#include "engine.h"
#include "enginelock.h"

#include "protoutil.h"

#include "common/logging.h"

#include <temporal/api/enums/v1/workflow.pb.h>

#include <algorithm>

namespace Nebula::DevServer {

using namespace temporal::api;

Engine::Engine(std::unique_ptr<Store> store, EngineOptions options)
    : m_store(std::move(store)), m_options(std::move(options))
{
}

Result<std::unique_ptr<Engine>> Engine::create(std::unique_ptr<Store> store, EngineOptions options)
{
    if (options.namespaces.empty())
        options.namespaces.push_back("default");
    std::unique_ptr<Engine> engine(new Engine(std::move(store), std::move(options)));
    engine->recover();
    return engine;
}

Engine::~Engine()
{
    shutdown();
}

void Engine::shutdown()
{
    m_timers.stop();
    Locked lock(this);
    if (m_shutdown)
        return;
    m_shutdown = true;
    const grpc::Status unavailable(grpc::StatusCode::UNAVAILABLE, "nebula-devserver is shutting down");
    for (auto &[key, q] : m_queues) {
        for (auto &p : q.pollers) {
            auto call = p.call;
            defer([call] { call->finish(grpc::Status::OK); });
        }
        q.pollers.clear();
    }
    for (auto &[id, query] : m_queries) {
        auto call = query.call;
        defer([call, unavailable] { call->finish(unavailable); });
    }
    m_queries.clear();
    for (auto &[id, w] : m_historyWaiters) {
        auto call = w.call;
        defer([call, unavailable] { call->finish(unavailable); });
    }
    m_historyWaiters.clear();
}

bool Engine::hasNamespace(const std::string &ns) const
{
    return std::find(m_options.namespaces.begin(), m_options.namespaces.end(), ns)
           != m_options.namespaces.end();
}

std::size_t Engine::openRunCount() const
{
    std::lock_guard lock(m_mutex);
    return m_runs.size();
}

// Rebuilds memory from SQLite: open runs with their events, then re-queues their tasks and
// re-arms every timer from the persisted deadlines (deadlines in the past fire at once).
void Engine::recover()
{
    Locked lock(this);
    for (auto &state : m_store->loadOpenRuns()) {
        auto run = std::make_unique<Run>();
        run->s = std::move(state);
        run->events = m_store->loadEvents(run->s.run_id(), 1, run->s.next_event_id());
        run->persisted = run->events.size();
        Run &r = *run;
        m_runs.emplace(r.s.run_id(), std::move(run));
        const std::string runId = r.s.run_id();
        auto &wft = *r.s.mutable_workflow_task();
        if (wft.state() == st::WorkflowTaskState::STATE_SCHEDULED) {
            // Sticky workers may be gone after a restart: requeue on the normal queue.
            wft.set_on_sticky_queue(false);
            wft.set_queue(r.s.task_queue());
            enqueue(r.s.namespace_(), r.s.task_queue(), 1,
                    TaskRef{TaskRef::Kind::Workflow, runId, wft.scheduled_event_id(), wft.attempt(),
                            wft.dispatch_id(), {}});
        } else if (wft.state() == st::WorkflowTaskState::STATE_STARTED) {
            const auto due = fromTimestamp(wft.started_time())
                             + fromDuration(wft.start_to_close_timeout());
            const auto sid = wft.scheduled_event_id();
            const auto att = wft.attempt();
            const auto did = wft.dispatch_id();
            m_timers.schedule(due, [this, runId, sid, att, did] {
                onWorkflowTaskTimeout(runId, sid, att, did, false);
            });
        }
        for (auto &act : *r.s.mutable_activities()) {
            if (act.state() == st::ActivityState::STATE_SCHEDULED)
                enqueueActivity(r, act);
            else if (act.state() == st::ActivityState::STATE_BACKOFF) {
                const auto sid = act.scheduled_event_id();
                const auto att = act.attempt();
                m_timers.schedule(fromTimestamp(act.attempt_scheduled_time()),
                                  [this, runId, sid, att] { onRetryBackoffDone(runId, sid, att); });
            }
            armScheduleToClose(r, act);
            armAttemptTimers(r, act);
        }
        for (const auto &t : r.s.timers()) {
            const std::string timerId = t.timer_id();
            const auto startedId = t.started_event_id();
            m_timers.schedule(fromTimestamp(t.fire_time()),
                              [this, runId, timerId, startedId] { onUserTimer(runId, timerId, startedId); });
        }
        if (r.s.has_run_expiration_time())
            m_timers.schedule(fromTimestamp(r.s.run_expiration_time()),
                              [this, runId] { onRunTimeout(runId); });
    }
    if (!m_runs.empty())
        Log::get("devserver.engine")->info("recovered {} open workflow runs", m_runs.size());
}

void Engine::afterCommit()
{
    auto touched = std::move(m_touched);
    m_touched.clear();
    for (const auto &runId : touched)
        notifyHistoryWaiters(runId);
    auto keys = std::move(m_toMatch);
    m_toMatch.clear();
    for (const auto &key : keys)
        matchQueue(key);
    for (const auto &runId : m_closing)
        m_runs.erase(runId);
    m_closing.clear();
}

// ---- runs ----------------------------------------------------------------------------------

Engine::Run *Engine::openRun(const std::string &ns, const std::string &runId)
{
    const auto it = m_runs.find(runId);
    if (it == m_runs.end() || it->second->s.namespace_() != ns
        || it->second->s.status() != enums::v1::WORKFLOW_EXECUTION_STATUS_RUNNING)
        return nullptr;
    return it->second.get();
}

Engine::Run *Engine::findRun(const std::string &ns, const std::string &workflowId,
                             const std::string &runIdIn, std::optional<st::RunState> *closedOut,
                             grpc::Status *error)
{
    if (workflowId.empty()) {
        *error = invalidArgument("WorkflowId is not set on request.");
        return nullptr;
    }
    std::string runId = runIdIn;
    if (runId.empty()) {
        const auto current = m_store->currentRunId(ns, workflowId);
        if (!current) {
            *error = notFound("workflow not found for ID: " + workflowId);
            return nullptr;
        }
        runId = *current;
    }
    const auto it = m_runs.find(runId);
    if (it != m_runs.end() && it->second->s.namespace_() == ns
        && it->second->s.workflow_id() == workflowId && m_closing.count(runId) == 0)
        return it->second.get();
    auto state = m_store->loadRun(ns, runId);
    if (!state || state->workflow_id() != workflowId) {
        *error = notFound("workflow execution not found for WorkflowId: " + workflowId
                          + ", RunId: " + runIdIn);
        return nullptr;
    }
    if (closedOut)
        *closedOut = std::move(state);
    *error = grpc::Status::OK;
    return nullptr;
}

grpc::Status Engine::persist(Run &run, bool setCurrent)
{
    std::int64_t added = 0;
    for (std::size_t i = run.persisted; i < run.events.size(); ++i)
        added += static_cast<std::int64_t>(run.events[i].ByteSizeLong());
    run.s.set_history_size_bytes(run.s.history_size_bytes() + added);
    auto ok = m_store->begin();
    if (ok)
        ok = m_store->saveRun(run.s);
    if (ok)
        ok = m_store->appendEvents(run.s.run_id(), run.events, run.persisted);
    if (ok && setCurrent)
        ok = m_store->setCurrentRun(run.s.namespace_(), run.s.workflow_id(), run.s.run_id());
    if (ok)
        ok = m_store->commit();
    if (!ok) {
        m_store->rollback();
        Log::get("devserver.store")->error("commit failed for run {}: {}", run.s.run_id(),
                                           ok.error().detail.toStdString());
        return internalError("database error: the change was not saved");
    }
    run.persisted = run.events.size();
    m_touched.insert(run.s.run_id());
    return grpc::Status::OK;
}

void Engine::closeRun(Run &run)
{
    run.s.set_close_event_id(run.events.empty() ? 0 : run.events.back().event_id());
    run.s.set_close_event_type(run.events.empty() ? 0 : run.events.back().event_type());
    *run.s.mutable_close_time() = toTimestamp(now());
    run.s.clear_activities();
    run.s.clear_timers();
    run.s.clear_buffered_events();
    run.s.mutable_workflow_task()->Clear();
    releaseQueries(run);
    m_closing.insert(run.s.run_id());
    logClose(run);
}

void Engine::logClose(const Run &run)
{
    auto log = Log::get("devserver.workflow");
    const char *what = "closed";
    switch (run.s.status()) {
    case enums::v1::WORKFLOW_EXECUTION_STATUS_COMPLETED: what = "completed"; break;
    case enums::v1::WORKFLOW_EXECUTION_STATUS_FAILED: what = "failed"; break;
    case enums::v1::WORKFLOW_EXECUTION_STATUS_CANCELED: what = "canceled"; break;
    case enums::v1::WORKFLOW_EXECUTION_STATUS_TERMINATED: what = "terminated"; break;
    case enums::v1::WORKFLOW_EXECUTION_STATUS_TIMED_OUT: what = "timed out"; break;
    default: break;
    }
    if (run.s.status() == enums::v1::WORKFLOW_EXECUTION_STATUS_COMPLETED)
        log->info("workflow {}: workflowId={} runId={} type={}", what, run.s.workflow_id(),
                  run.s.run_id(), run.s.workflow_type());
    else
        log->warn("workflow {}: workflowId={} runId={} type={}", what, run.s.workflow_id(),
                  run.s.run_id(), run.s.workflow_type());
}

// ---- events --------------------------------------------------------------------------------

hist::HistoryEvent &Engine::append(Run &run, enums::v1::EventType type)
{
    auto &e = run.events.emplace_back();
    e.set_event_id(run.s.next_event_id());
    run.s.set_next_event_id(run.s.next_event_id() + 1);
    *e.mutable_event_time() = toTimestamp(now());
    e.set_event_type(type);
    e.set_task_id(e.event_id());
    return e;
}

bool Engine::workflowTaskInFlight(const Run &run) const
{
    return run.s.workflow_task().state() == st::WorkflowTaskState::STATE_STARTED;
}

// Events that arrive from outside (activity results, timer fires, signals, cancel requests) are
// buffered while a workflow task is started (§3.3 rule 3); otherwise written at once.
hist::HistoryEvent &Engine::appendOrBuffer(Run &run, enums::v1::EventType type)
{
    if (!workflowTaskInFlight(run))
        return append(run, type);
    auto *e = run.s.add_buffered_events();
    *e->mutable_event_time() = toTimestamp(now());
    e->set_event_type(type);
    return *e;
}

void Engine::flushBuffered(Run &run)
{
    // An ActivityTaskStarted written lazily is buffered right before its close event, whose
    // started_event_id can only be known now.
    std::map<std::int64_t, std::int64_t> startedIds;
    for (auto &buffered : *run.s.mutable_buffered_events()) {
        auto &e = run.events.emplace_back(std::move(buffered));
        e.set_event_id(run.s.next_event_id());
        e.set_task_id(e.event_id());
        run.s.set_next_event_id(run.s.next_event_id() + 1);
        switch (e.event_type()) {
        case enums::v1::EVENT_TYPE_ACTIVITY_TASK_STARTED:
            startedIds[e.activity_task_started_event_attributes().scheduled_event_id()] = e.event_id();
            break;
        case enums::v1::EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
            auto *a = e.mutable_activity_task_completed_event_attributes();
            if (a->started_event_id() < 0)
                a->set_started_event_id(startedIds[a->scheduled_event_id()]);
            break;
        }
        case enums::v1::EVENT_TYPE_ACTIVITY_TASK_FAILED: {
            auto *a = e.mutable_activity_task_failed_event_attributes();
            if (a->started_event_id() < 0)
                a->set_started_event_id(startedIds[a->scheduled_event_id()]);
            break;
        }
        case enums::v1::EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
            auto *a = e.mutable_activity_task_timed_out_event_attributes();
            if (a->started_event_id() < 0)
                a->set_started_event_id(startedIds[a->scheduled_event_id()]);
            break;
        }
        case enums::v1::EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
            auto *a = e.mutable_activity_task_canceled_event_attributes();
            if (a->started_event_id() < 0)
                a->set_started_event_id(startedIds[a->scheduled_event_id()]);
            break;
        }
        default:
            break;
        }
    }
    run.s.clear_buffered_events();
}

std::string Engine::makeToken(const st::TaskToken &token) const
{
    return token.SerializeAsString();
}

// ---- matching ------------------------------------------------------------------------------

Engine::TaskQueue &Engine::queue(const std::string &ns, const std::string &name, int type)
{
    return m_queues[QueueKey{ns, name, type}];
}

void Engine::enqueue(const std::string &ns, const std::string &queueName, int type, TaskRef ref)
{
    QueueKey key{ns, queueName, type};
    m_queues[key].tasks.push_back(std::move(ref));
    m_toMatch.insert(std::move(key));
}

void Engine::matchQueue(const QueueKey &key)
{
    const auto it = m_queues.find(key);
    if (it == m_queues.end())
        return;
    TaskQueue &q = it->second;
    while (!q.tasks.empty() && !q.pollers.empty()) {
        Poller poller = q.pollers.front();
        q.pollers.pop_front();
        if (poller.call->done())
            continue;
        bool dispatched = false;
        while (!q.tasks.empty() && !dispatched) {
            TaskRef ref = q.tasks.front();
            q.tasks.pop_front();
            dispatched = tryDispatch(q, key, ref, poller);
        }
        if (dispatched)
            m_timers.cancel(poller.timerId);
        else
            q.pollers.push_front(poller);
    }
}

bool Engine::tryDispatch(TaskQueue &q, const QueueKey &key, const TaskRef &ref, const Poller &poller)
{
    switch (ref.kind) {
    case TaskRef::Kind::Workflow: {
        Run *run = openRun(key.ns, ref.runId);
        return run && dispatchWorkflowTask(*run, ref, poller, q.sticky);
    }
    case TaskRef::Kind::Activity: {
        Run *run = openRun(key.ns, ref.runId);
        return run && dispatchActivity(*run, ref, poller);
    }
    case TaskRef::Kind::Query: {
        const auto it = m_queries.find(ref.queryId);
        return it != m_queries.end() && !it->second.dispatched
               && dispatchQueryTask(it->second, poller, q.sticky);
    }
    }
    return false;
}

void Engine::poll(const std::string &ns, const taskqueue::v1::TaskQueue &tq, int type,
                  const std::string &identity, CallPtr call)
{
    const TimePoint t = now();
    const auto deadline = call->deadline();
    if (deadline == TimePoint::max()) {
        call->finish(invalidArgument("Context timeout is not set."));
        return;
    }
    if (deadline - t < std::chrono::seconds(2)) {
        call->finish(failedPrecondition("Context timeout is too short."));
        return;
    }
    std::shared_ptr<Call> finishLater;
    {
        Locked lock(this);
        if (m_shutdown) {
            defer([call] { call->finish(grpc::Status::OK); });
            return;
        }
        const QueueKey key{ns, tq.name(), type};
        TaskQueue &q = m_queues[key];
        q.lastPoll = t;
        q.recentPollers[identity.substr(0, 1000)] = t;
        if (tq.kind() == enums::v1::TASK_QUEUE_KIND_STICKY)
            q.sticky = true;
        if (q.recentPollers.size() > 64) {
            // Keep the table small: drop pollers not seen for five minutes.
            for (auto it = q.recentPollers.begin(); it != q.recentPollers.end();) {
                if (t - it->second > std::chrono::minutes(5))
                    it = q.recentPollers.erase(it);
                else
                    ++it;
            }
        }
        Poller poller{call, identity, 0, q.sticky};
        while (!q.tasks.empty()) {
            TaskRef ref = q.tasks.front();
            q.tasks.pop_front();
            if (tryDispatch(q, key, ref, poller))
                return;
        }
        q.pollers.erase(std::remove_if(q.pollers.begin(), q.pollers.end(),
                                       [](const Poller &p) { return p.call->done(); }),
                        q.pollers.end());
        const auto expiry = std::min(t + m_options.taskLongPoll, deadline - std::chrono::seconds(1));
        poller.timerId = m_timers.schedule(expiry, [call] { call->finish(grpc::Status::OK); });
        q.pollers.push_back(std::move(poller));
    }
}

bool Engine::stickyAlive(const std::string &ns, const std::string &stickyName)
{
    const auto it = m_queues.find(QueueKey{ns, stickyName, 1});
    if (it == m_queues.end() || it->second.shutDown)
        return false;
    const auto &q = it->second;
    for (const auto &p : q.pollers) {
        if (!p.call->done())
            return true;
    }
    return now() - q.lastPoll < m_options.stickyPollerWindow;
}

grpc::Status Engine::describeTaskQueue(const ws::DescribeTaskQueueRequest &req,
                                       ws::DescribeTaskQueueResponse *resp)
{
    if (req.task_queue().name().empty())
        return invalidArgument("TaskQueue is not set on request.");
    Locked lock(this);
    const int type = req.task_queue_type() == enums::v1::TASK_QUEUE_TYPE_ACTIVITY ? 2 : 1;
    const auto it = m_queues.find(QueueKey{req.namespace_(), req.task_queue().name(), type});
    if (it == m_queues.end())
        return grpc::Status::OK;
    const TimePoint t = now();
    for (const auto &[identity, last] : it->second.recentPollers) {
        if (t - last > std::chrono::minutes(5))
            continue;
        auto *p = resp->add_pollers();
        p->set_identity(identity);
        *p->mutable_last_access_time() = toTimestamp(last);
        p->set_rate_per_second(100000);
    }
    return grpc::Status::OK;
}

grpc::Status Engine::shutdownWorker(const ws::ShutdownWorkerRequest &req)
{
    Locked lock(this);
    if (req.sticky_task_queue().empty())
        return grpc::Status::OK;
    const QueueKey key{req.namespace_(), req.sticky_task_queue(), 1};
    auto &q = m_queues[key];
    q.shutDown = true;
    for (auto &p : q.pollers) {
        auto call = p.call;
        defer([call] { call->finish(grpc::Status::OK); });
    }
    q.pollers.clear();
    // Workflows whose next task waits on the dead sticky queue go to their normal queue.
    auto tasks = std::move(q.tasks);
    q.tasks.clear();
    for (auto &ref : tasks) {
        if (ref.kind == TaskRef::Kind::Workflow) {
            Run *run = openRun(req.namespace_(), ref.runId);
            if (!run)
                continue;
            run->s.clear_sticky_queue();
            auto *wft = run->s.mutable_workflow_task();
            wft->set_on_sticky_queue(false);
            wft->set_queue(run->s.task_queue());
            enqueue(req.namespace_(), run->s.task_queue(), 1, ref);
        } else if (ref.kind == TaskRef::Kind::Query) {
            const auto it = m_queries.find(ref.queryId);
            if (it != m_queries.end())
                routeQuery(it->second, openRun(req.namespace_(), it->second.runId));
        }
    }
    for (auto &[runId, run] : m_runs) {
        if (run->s.namespace_() == req.namespace_() && run->s.sticky_queue() == req.sticky_task_queue())
            run->s.clear_sticky_queue();
    }
    m_queues.erase(key);
    return grpc::Status::OK;
}

} // namespace Nebula::DevServer
