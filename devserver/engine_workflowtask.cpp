// Workflow tasks: scheduling, dispatch through long polls, completion with commands, failure,
// timeouts, transient attempts, stickiness, and queries (spec §3.3, §4).
#include "engine.h"
#include "enginelock.h"

#include "protoutil.h"
#include "retryrules.h"


#include <temporal/api/errordetails/v1/message.pb.h>

namespace Nebula::DevServer {

using namespace temporal::api;

namespace {

bool isClosingCommand(enums::v1::CommandType t)
{
    return t == enums::v1::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION
           || t == enums::v1::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION
           || t == enums::v1::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION
           || t == enums::v1::COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION;
}

std::optional<st::TaskToken> parseToken(const std::string &bytes, st::TaskToken::Kind kind)
{
    st::TaskToken token;
    if (bytes.empty() || !token.ParseFromString(bytes) || token.kind() != kind)
        return std::nullopt;
    return token;
}

constexpr auto DefaultStickyTimeout = std::chrono::seconds(10);

} // namespace

// ---- scheduling ----------------------------------------------------------------------------

void Engine::scheduleWorkflowTask(Run &run, int attempt)
{
    auto &w = *run.s.mutable_workflow_task();
    if (w.state() != st::WorkflowTaskState::STATE_NONE)
        return;
    const std::string &ns = run.s.namespace_();
    const bool sticky = !run.s.sticky_queue().empty() && stickyAlive(ns, run.s.sticky_queue());
    if (!sticky)
        run.s.clear_sticky_queue();
    const bool transient = attempt > 1;
    w.Clear();
    w.set_state(st::WorkflowTaskState::STATE_SCHEDULED);
    w.set_attempt(attempt);
    w.set_transient(transient);
    w.set_queue(sticky ? run.s.sticky_queue() : run.s.task_queue());
    w.set_on_sticky_queue(sticky);
    *w.mutable_scheduled_time() = toTimestamp(now());
    *w.mutable_original_scheduled_time() = w.scheduled_time();
    *w.mutable_start_to_close_timeout() = run.s.task_timeout();
    run.s.set_dispatch_counter(run.s.dispatch_counter() + 1);
    w.set_dispatch_id(run.s.dispatch_counter());
    if (transient) {
        w.set_scheduled_event_id(run.s.next_event_id());
    } else {
        auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
        auto *a = e.mutable_workflow_task_scheduled_event_attributes();
        auto *tq = a->mutable_task_queue();
        tq->set_name(w.queue());
        if (sticky) {
            tq->set_kind(enums::v1::TASK_QUEUE_KIND_STICKY);
            tq->set_normal_name(run.s.task_queue());
        } else {
            tq->set_kind(enums::v1::TASK_QUEUE_KIND_NORMAL);
        }
        *a->mutable_start_to_close_timeout() = run.s.task_timeout();
        a->set_attempt(attempt);
        w.set_scheduled_event_id(e.event_id());
    }
    enqueue(ns, w.queue(), 1,
            TaskRef{TaskRef::Kind::Workflow, run.s.run_id(), w.scheduled_event_id(), attempt,
                    w.dispatch_id(), {}});
    if (sticky) {
        auto timeout = fromDuration(run.s.sticky_schedule_to_start_timeout());
        if (timeout.count() <= 0)
            timeout = DefaultStickyTimeout;
        const std::string runId = run.s.run_id();
        const auto sid = w.scheduled_event_id();
        const auto did = w.dispatch_id();
        m_timers.schedule(now() + timeout, [this, runId, sid, attempt, did] {
            onWorkflowTaskTimeout(runId, sid, attempt, did, true);
        });
    }
}

// After an event from outside was written: a new task unless one is pending or started. A
// transient attempt still waiting for a poller becomes a normal one with attempt 1 (§3.3 rule 5).
void Engine::scheduleWorkflowTaskIfNeeded(Run &run)
{
    auto &w = *run.s.mutable_workflow_task();
    if (w.state() == st::WorkflowTaskState::STATE_SCHEDULED && w.transient())
        w.Clear();
    if (w.state() == st::WorkflowTaskState::STATE_NONE)
        scheduleWorkflowTask(run, 1);
}

// ---- dispatch ------------------------------------------------------------------------------

void Engine::fillHistory(const Run &run, std::int64_t fromId, bool withTransient, hist::History *out,
                         std::string *nextPageToken)
{
    const std::int64_t last = run.s.next_event_id() - 1;
    const std::int64_t pageEnd = fromId + m_options.historyPageSize - 1;
    const std::int64_t to = std::min(last, pageEnd);
    for (std::int64_t id = std::max<std::int64_t>(fromId, 1); id <= to; ++id)
        *out->add_events() = run.events[static_cast<std::size_t>(id - 1)];
    if (to < last) {
        *nextPageToken = "h1:" + run.s.run_id() + ":" + std::to_string(to + 1);
        return;
    }
    nextPageToken->clear();
    const auto &w = run.s.workflow_task();
    if (withTransient && w.transient() && w.state() == st::WorkflowTaskState::STATE_STARTED) {
        auto *s = out->add_events();
        s->set_event_id(w.scheduled_event_id());
        *s->mutable_event_time() = w.scheduled_time();
        s->set_event_type(enums::v1::EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
        auto *sa = s->mutable_workflow_task_scheduled_event_attributes();
        sa->mutable_task_queue()->set_name(run.s.task_queue());
        sa->mutable_task_queue()->set_kind(enums::v1::TASK_QUEUE_KIND_NORMAL);
        *sa->mutable_start_to_close_timeout() = w.start_to_close_timeout();
        sa->set_attempt(w.attempt());
        auto *t = out->add_events();
        t->set_event_id(w.started_event_id());
        *t->mutable_event_time() = w.started_time();
        t->set_event_type(enums::v1::EVENT_TYPE_WORKFLOW_TASK_STARTED);
        auto *ta = t->mutable_workflow_task_started_event_attributes();
        ta->set_scheduled_event_id(w.scheduled_event_id());
        ta->set_identity(w.identity());
        ta->set_request_id(w.request_id());
        ta->set_history_size_bytes(run.s.history_size_bytes());
    }
}

bool Engine::dispatchWorkflowTask(Run &run, const TaskRef &ref, const Poller &poller, bool fromSticky)
{
    auto &w = *run.s.mutable_workflow_task();
    if (w.state() != st::WorkflowTaskState::STATE_SCHEDULED || w.scheduled_event_id() != ref.scheduledId
        || w.attempt() != ref.attempt || w.dispatch_id() != ref.dispatchId)
        return false;
    const TimePoint t = now();
    w.set_state(st::WorkflowTaskState::STATE_STARTED);
    *w.mutable_started_time() = toTimestamp(t);
    w.set_identity(poller.identity);
    w.set_request_id(newUuid());
    if (w.transient()) {
        w.set_started_event_id(w.scheduled_event_id() + 1);
    } else {
        auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_TASK_STARTED);
        auto *a = e.mutable_workflow_task_started_event_attributes();
        a->set_scheduled_event_id(w.scheduled_event_id());
        a->set_identity(poller.identity);
        a->set_request_id(w.request_id());
        a->set_history_size_bytes(run.s.history_size_bytes());
        w.set_started_event_id(e.event_id());
    }
    if (!persist(run).ok())
        return false;
    const std::string runId = run.s.run_id();
    const auto sid = w.scheduled_event_id();
    const auto att = w.attempt();
    const auto did = w.dispatch_id();
    m_timers.schedule(t + fromDuration(w.start_to_close_timeout()),
                      [this, runId, sid, att, did] { onWorkflowTaskTimeout(runId, sid, att, did, false); });

    auto resp = std::make_shared<ws::PollWorkflowTaskQueueResponse>();
    st::TaskToken token;
    token.set_kind(st::TaskToken::KIND_WORKFLOW);
    token.set_namespace_(run.s.namespace_());
    token.set_workflow_id(run.s.workflow_id());
    token.set_run_id(runId);
    token.set_scheduled_event_id(sid);
    token.set_attempt(att);
    token.set_started_event_id(w.started_event_id());
    token.set_dispatch_id(did);
    resp->set_task_token(makeToken(token));
    resp->mutable_workflow_execution()->set_workflow_id(run.s.workflow_id());
    resp->mutable_workflow_execution()->set_run_id(runId);
    resp->mutable_workflow_type()->set_name(run.s.workflow_type());
    resp->set_previous_started_event_id(run.s.last_completed_started_event_id());
    resp->set_started_event_id(w.started_event_id());
    resp->set_attempt(att);
    resp->mutable_workflow_execution_task_queue()->set_name(run.s.task_queue());
    resp->mutable_workflow_execution_task_queue()->set_kind(enums::v1::TASK_QUEUE_KIND_NORMAL);
    *resp->mutable_scheduled_time() = w.scheduled_time();
    *resp->mutable_started_time() = w.started_time();
    const bool partial = fromSticky && w.on_sticky_queue() && run.s.last_completed_started_event_id() > 0;
    const std::int64_t from = partial ? run.s.last_completed_started_event_id() + 1 : 1;
    std::string next;
    fillHistory(run, from, true, resp->mutable_history(), &next);
    resp->set_next_page_token(next);
    for (const auto &qid : run.waitingQueries) {
        const auto it = m_queries.find(qid);
        if (it == m_queries.end())
            continue;
        (*resp->mutable_queries())[qid] = it->second.query;
        it->second.dispatched = true;
        run.attachedQueries.push_back(qid);
    }
    run.waitingQueries.clear();
    auto call = poller.call;
    defer([call, resp] { call->finish(grpc::Status::OK, resp.get()); });
    return true;
}

void Engine::pollWorkflowTaskQueue(const ws::PollWorkflowTaskQueueRequest &req, CallPtr call)
{
    if (req.task_queue().name().empty()) {
        call->finish(invalidArgument("TaskQueue is not set on request."));
        return;
    }
    if (req.task_queue().name().size() > 1000 || req.identity().size() > 1000) {
        call->finish(invalidArgument("TaskQueue or Identity exceeds the length limit of 1000 characters."));
        return;
    }
    poll(req.namespace_(), req.task_queue(), 1, req.identity(), std::move(call));
}

// ---- failure and timeouts -------------------------------------------------------------------

void Engine::failWorkflowTask(Run &run, enums::v1::WorkflowTaskFailedCause cause,
                              const failure::v1::Failure *failure, const std::string &identity,
                              int timeoutType)
{
    auto &w = *run.s.mutable_workflow_task();
    const bool wasSticky = w.on_sticky_queue();
    const bool started = w.state() == st::WorkflowTaskState::STATE_STARTED;
    const int attempt = w.attempt();
    if (!w.transient()) {
        if (timeoutType != 0) {
            auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
            auto *a = e.mutable_workflow_task_timed_out_event_attributes();
            a->set_scheduled_event_id(w.scheduled_event_id());
            a->set_started_event_id(started ? w.started_event_id() : 0);
            a->set_timeout_type(static_cast<enums::v1::TimeoutType>(timeoutType));
        } else {
            auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_TASK_FAILED);
            auto *a = e.mutable_workflow_task_failed_event_attributes();
            a->set_scheduled_event_id(w.scheduled_event_id());
            a->set_started_event_id(w.started_event_id());
            a->set_cause(cause);
            if (failure)
                *a->mutable_failure() = *failure;
            a->set_identity(identity);
        }
    }
    const bool flushed = run.s.buffered_events_size() > 0;
    flushBuffered(run);
    run.s.clear_sticky_queue();
    w.Clear();
    // Queries delivered with the failed task get another chance with the next one.
    for (const auto &qid : run.attachedQueries) {
        const auto it = m_queries.find(qid);
        if (it != m_queries.end()) {
            it->second.dispatched = false;
            run.waitingQueries.push_back(qid);
        }
    }
    run.attachedQueries.clear();
    const int next = flushed ? 1 : (wasSticky ? attempt : attempt + 1);
    scheduleWorkflowTask(run, next);
}

void Engine::onWorkflowTaskTimeout(const std::string &runId, std::int64_t scheduledId,
                                   std::int32_t attempt, std::int64_t dispatchId, bool scheduleToStart)
{
    Locked lock(this);
    const auto it = m_runs.find(runId);
    if (m_shutdown || it == m_runs.end() || m_closing.count(runId))
        return;
    Run &run = *it->second;
    const auto &w = run.s.workflow_task();
    const auto wanted = scheduleToStart ? st::WorkflowTaskState::STATE_SCHEDULED
                                        : st::WorkflowTaskState::STATE_STARTED;
    if (w.state() != wanted || w.scheduled_event_id() != scheduledId || w.attempt() != attempt
        || w.dispatch_id() != dispatchId)
        return;
    failWorkflowTask(run, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED, nullptr, {},
                     scheduleToStart ? enums::v1::TIMEOUT_TYPE_SCHEDULE_TO_START
                                     : enums::v1::TIMEOUT_TYPE_START_TO_CLOSE);
    (void)persist(run);
}

grpc::Status Engine::respondWorkflowTaskFailed(const ws::RespondWorkflowTaskFailedRequest &req)
{
    const auto token = parseToken(req.task_token(), st::TaskToken::KIND_WORKFLOW);
    if (!token)
        return notFound("Workflow task not found.");
    Locked lock(this);
    const auto it = m_runs.find(token->run_id());
    if (it == m_runs.end() || m_closing.count(token->run_id()) || it->second->s.namespace_() != req.namespace_()) {
        if (m_store->loadRun(req.namespace_(), token->run_id()))
            return notFound("workflow execution already completed");
        return notFound("Workflow task not found.");
    }
    Run &run = *it->second;
    const auto &w = run.s.workflow_task();
    if (w.state() != st::WorkflowTaskState::STATE_STARTED
        || w.scheduled_event_id() != token->scheduled_event_id() || w.attempt() != token->attempt()
        || w.dispatch_id() != token->dispatch_id())
        return notFound("Workflow task not found.");
    auto cause = req.cause();
    if (cause == enums::v1::WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED)
        cause = enums::v1::WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE;
    failWorkflowTask(run, cause, req.has_failure() ? &req.failure() : nullptr, req.identity(), 0);
    return persist(run);
}

// ---- completion ----------------------------------------------------------------------------

grpc::Status Engine::respondWorkflowTaskCompleted(const ws::RespondWorkflowTaskCompletedRequest &req,
                                                  ws::RespondWorkflowTaskCompletedResponse *)
{
    const auto token = parseToken(req.task_token(), st::TaskToken::KIND_WORKFLOW);
    if (!token)
        return notFound("Workflow task not found.");
    Locked lock(this);
    const auto it = m_runs.find(token->run_id());
    if (it == m_runs.end() || m_closing.count(token->run_id()) || it->second->s.namespace_() != req.namespace_()) {
        if (m_store->loadRun(req.namespace_(), token->run_id()))
            return notFound("workflow execution already completed");
        return notFound("Workflow task not found.");
    }
    Run &run = *it->second;
    auto &w = *run.s.mutable_workflow_task();
    if (w.state() != st::WorkflowTaskState::STATE_STARTED
        || w.scheduled_event_id() != token->scheduled_event_id() || w.attempt() != token->attempt()
        || w.dispatch_id() != token->dispatch_id())
        return notFound("Workflow task not found.");

    const int n = req.commands_size();
    for (int i = 0; i < n - 1; ++i) {
        if (isClosingCommand(req.commands(i).command_type()))
            return invalidArgument("invalid command sequence: [" + enums::v1::CommandType_Name(req.commands(i).command_type())
                                   + "], command " + enums::v1::CommandType_Name(req.commands(i).command_type())
                                   + " must be the last command.");
    }
    const bool closing = n > 0 && isClosingCommand(req.commands(n - 1).command_type());
    if (closing && run.s.buffered_events_size() > 0) {
        failure::v1::Failure f;
        f.set_message("UnhandledCommand");
        f.set_source("Server");
        failWorkflowTask(run, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND, &f, req.identity(), 0);
        if (auto s = persist(run); !s.ok())
            return s;
        return invalidArgument("UnhandledCommand");
    }
    enums::v1::WorkflowTaskFailedCause badCause = enums::v1::WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED;
    std::string badMessage;
    if (!validateCommands(run, req, &badCause, &badMessage)) {
        if (w.transient())
            return invalidArgument(badMessage);
        failure::v1::Failure f;
        f.set_message(badMessage);
        f.set_source("Server");
        failWorkflowTask(run, badCause, &f, req.identity(), 0);
        if (auto s = persist(run); !s.ok())
            return s;
        return invalidArgument(enums::v1::WorkflowTaskFailedCause_Name(badCause) + ": " + badMessage);
    }

    if (w.transient()) {
        auto &se = append(run, enums::v1::EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
        se.set_event_id(w.scheduled_event_id());
        *se.mutable_event_time() = w.scheduled_time();
        auto *sa = se.mutable_workflow_task_scheduled_event_attributes();
        sa->mutable_task_queue()->set_name(run.s.task_queue());
        sa->mutable_task_queue()->set_kind(enums::v1::TASK_QUEUE_KIND_NORMAL);
        *sa->mutable_start_to_close_timeout() = w.start_to_close_timeout();
        sa->set_attempt(w.attempt());
        auto &te = append(run, enums::v1::EVENT_TYPE_WORKFLOW_TASK_STARTED);
        *te.mutable_event_time() = w.started_time();
        auto *ta = te.mutable_workflow_task_started_event_attributes();
        ta->set_scheduled_event_id(w.scheduled_event_id());
        ta->set_identity(w.identity());
        ta->set_request_id(w.request_id());
    }
    auto &ce = append(run, enums::v1::EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    auto *ca = ce.mutable_workflow_task_completed_event_attributes();
    ca->set_scheduled_event_id(w.scheduled_event_id());
    ca->set_started_event_id(w.started_event_id());
    ca->set_identity(req.identity());
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    ca->set_binary_checksum(req.binary_checksum());
#pragma GCC diagnostic pop
    if (req.has_sdk_metadata())
        *ca->mutable_sdk_metadata() = req.sdk_metadata();
    if (req.has_metering_metadata())
        *ca->mutable_metering_metadata() = req.metering_metadata();
    const std::int64_t completedId = ce.event_id();
    run.s.set_last_completed_started_event_id(w.started_event_id());
    w.Clear();

    // Answers to queries that came with this task.
    for (const auto &[qid, result] : req.query_results()) {
        const auto q = m_queries.find(qid);
        if (q == m_queries.end())
            continue;
        answerQuery(q->second, result.result_type() == enums::v1::QUERY_RESULT_TYPE_ANSWERED,
                    result.answer(), result.error_message(), result.has_failure() ? &result.failure() : nullptr);
    }
    for (const auto &qid : run.attachedQueries) {
        const auto q = m_queries.find(qid);
        if (q != m_queries.end() && q->second.dispatched)
            q->second.dispatched = false, run.waitingQueries.push_back(qid);
    }
    run.attachedQueries.clear();

    if (req.has_sticky_attributes() && !req.sticky_attributes().worker_task_queue().name().empty()) {
        run.s.set_sticky_queue(req.sticky_attributes().worker_task_queue().name());
        *run.s.mutable_sticky_schedule_to_start_timeout() = req.sticky_attributes().schedule_to_start_timeout();
    } else {
        run.s.clear_sticky_queue();
    }

    run.newWorkflowTaskWanted = false;
    bool closed = false;
    applyCommands(run, req, completedId, &closed);
    if (closed) {
        closeRun(run);
    } else {
        const bool hadBuffered = run.s.buffered_events_size() > 0;
        flushBuffered(run);
        if (hadBuffered || req.force_create_new_workflow_task() || run.newWorkflowTaskWanted)
            scheduleWorkflowTask(run, 1);
    }
    if (auto s = persist(run); !s.ok())
        return s;
    if (!closed && run.s.workflow_task().state() == st::WorkflowTaskState::STATE_NONE)
        releaseQueries(run);
    return grpc::Status::OK;
}

// ---- queries -------------------------------------------------------------------------------

void Engine::answerQuery(PendingQuery &q, bool answered, const common::v1::Payloads &answer,
                         const std::string &errorMessage, const failure::v1::Failure *failure)
{
    auto call = q.call;
    m_timers.cancel(q.timerId);
    if (answered) {
        auto resp = std::make_shared<ws::QueryWorkflowResponse>();
        *resp->mutable_query_result() = answer;
        defer([call, resp] { call->finish(grpc::Status::OK, resp.get()); });
    } else {
        errordetails::v1::QueryFailedFailure detail;
        if (failure)
            *detail.mutable_failure() = *failure;
        const std::string message = errorMessage.empty() && failure ? failure->message() : errorMessage;
        auto status = detailedStatus(grpc::StatusCode::INVALID_ARGUMENT, message, detail);
        defer([call, status] { call->finish(status); });
    }
    m_queries.erase(q.id);
}

void Engine::releaseQueries(Run &run)
{
    auto ids = std::move(run.waitingQueries);
    run.waitingQueries.clear();
    for (const auto &qid : run.attachedQueries)
        ids.push_back(qid);
    run.attachedQueries.clear();
    const bool open = run.s.status() == enums::v1::WORKFLOW_EXECUTION_STATUS_RUNNING
                      && !m_closing.count(run.s.run_id());
    for (const auto &qid : ids) {
        const auto it = m_queries.find(qid);
        if (it == m_queries.end())
            continue;
        it->second.dispatched = false;
        routeQuery(it->second, open ? &run : nullptr);
    }
}

// A query goes with the next workflow task when one is outstanding, otherwise directly to a
// worker as a legacy query task: on the sticky queue if a sticky worker is alive, else the
// normal queue with full history.
void Engine::routeQuery(PendingQuery &q, Run *run)
{
    if (run && run->s.workflow_task().state() != st::WorkflowTaskState::STATE_NONE) {
        run->waitingQueries.push_back(q.id);
        return;
    }
    const bool sticky = run && !run->s.sticky_queue().empty() && stickyAlive(q.ns, run->s.sticky_queue());
    q.sticky = sticky;
    enqueue(q.ns, sticky ? run->s.sticky_queue() : q.taskQueue, 1,
            TaskRef{TaskRef::Kind::Query, q.runId, 0, 0, 0, q.id});
    if (sticky) {
        auto timeout = fromDuration(run->s.sticky_schedule_to_start_timeout());
        if (timeout.count() <= 0)
            timeout = DefaultStickyTimeout;
        const std::string qid = q.id;
        m_timers.schedule(now() + timeout, [this, qid] {
            Locked lock(this);
            const auto it = m_queries.find(qid);
            if (m_shutdown || it == m_queries.end() || it->second.dispatched || !it->second.sticky)
                return;
            // No sticky worker took it: reset stickiness and use the normal queue.
            if (Run *r = openRun(it->second.ns, it->second.runId))
                r->s.clear_sticky_queue();
            it->second.sticky = false;
            enqueue(it->second.ns, it->second.taskQueue, 1,
                    TaskRef{TaskRef::Kind::Query, it->second.runId, 0, 0, 0, qid});
        });
    }
}

bool Engine::dispatchQueryTask(PendingQuery &q, const Poller &poller, bool fromSticky)
{
    if (q.call->done()) {
        m_queries.erase(q.id);
        return false;
    }
    if (fromSticky != q.sticky)
        return false;
    Run *run = nullptr;
    std::optional<st::RunState> closed;
    if (const auto it = m_runs.find(q.runId); it != m_runs.end())
        run = it->second.get();
    else
        closed = m_store->loadRun(q.ns, q.runId);
    if (!run && !closed)
        return false;
    const st::RunState &s = run ? run->s : *closed;
    auto resp = std::make_shared<ws::PollWorkflowTaskQueueResponse>();
    st::TaskToken token;
    token.set_kind(st::TaskToken::KIND_QUERY);
    token.set_namespace_(q.ns);
    token.set_workflow_id(s.workflow_id());
    token.set_run_id(s.run_id());
    token.set_query_id(q.id);
    resp->set_task_token(makeToken(token));
    resp->mutable_workflow_execution()->set_workflow_id(s.workflow_id());
    resp->mutable_workflow_execution()->set_run_id(s.run_id());
    resp->mutable_workflow_type()->set_name(s.workflow_type());
    resp->set_previous_started_event_id(s.last_completed_started_event_id());
    resp->set_started_event_id(0);
    resp->set_attempt(1);
    *resp->mutable_query() = q.query;
    resp->mutable_workflow_execution_task_queue()->set_name(s.task_queue());
    resp->mutable_workflow_execution_task_queue()->set_kind(enums::v1::TASK_QUEUE_KIND_NORMAL);
    auto *history = resp->mutable_history();
    if (!fromSticky) {
        std::string next;
        if (run) {
            fillHistory(*run, 1, false, history, &next);
        } else {
            for (auto &e : m_store->loadEvents(s.run_id(), 1, m_options.historyPageSize))
                *history->add_events() = std::move(e);
            if (s.next_event_id() - 1 > m_options.historyPageSize)
                next = "h1:" + s.run_id() + ":" + std::to_string(m_options.historyPageSize + 1);
        }
        resp->set_next_page_token(next);
    }
    q.dispatched = true;
    auto call = poller.call;
    defer([call, resp] { call->finish(grpc::Status::OK, resp.get()); });
    return true;
}

grpc::Status Engine::respondQueryTaskCompleted(const ws::RespondQueryTaskCompletedRequest &req)
{
    const auto token = parseToken(req.task_token(), st::TaskToken::KIND_QUERY);
    if (!token)
        return notFound("query task not found, or already expired");
    Locked lock(this);
    const auto it = m_queries.find(token->query_id());
    if (it == m_queries.end() || it->second.runId != token->run_id() || !it->second.dispatched)
        return notFound("query task not found, or already expired");
    answerQuery(it->second, req.completed_type() == enums::v1::QUERY_RESULT_TYPE_ANSWERED,
                req.query_result(), req.error_message(), req.has_failure() ? &req.failure() : nullptr);
    return grpc::Status::OK;
}

void Engine::queryWorkflow(const ws::QueryWorkflowRequest &req, CallPtr call)
{
    if (req.query().query_type().empty()) {
        call->finish(invalidArgument("QueryType is not set on request."));
        return;
    }
    Locked lock(this);
    grpc::Status error;
    std::optional<st::RunState> closed;
    Run *run = findRun(req.namespace_(), req.execution().workflow_id(), req.execution().run_id(),
                       &closed, &error);
    if (!run && !closed) {
        defer([call, error] { call->finish(error); });
        return;
    }
    const st::RunState &s = run ? run->s : *closed;
    const auto status = s.status();
    const auto cond = req.query_reject_condition();
    const bool reject =
        (cond == enums::v1::QUERY_REJECT_CONDITION_NOT_OPEN && status != enums::v1::WORKFLOW_EXECUTION_STATUS_RUNNING)
        || (cond == enums::v1::QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY
            && status != enums::v1::WORKFLOW_EXECUTION_STATUS_RUNNING
            && status != enums::v1::WORKFLOW_EXECUTION_STATUS_COMPLETED);
    if (reject) {
        auto resp = std::make_shared<ws::QueryWorkflowResponse>();
        resp->mutable_query_rejected()->set_status(static_cast<enums::v1::WorkflowExecutionStatus>(status));
        defer([call, resp] { call->finish(grpc::Status::OK, resp.get()); });
        return;
    }
    if (!run && s.last_completed_started_event_id() == 0) {
        errordetails::v1::WorkflowNotReadyFailure detail;
        auto notReady = detailedStatus(grpc::StatusCode::FAILED_PRECONDITION,
                                       "workflow closed before a workflow task completed; it cannot be queried",
                                       detail);
        defer([call, notReady] { call->finish(notReady); });
        return;
    }
    PendingQuery q;
    q.id = newUuid();
    q.ns = req.namespace_();
    q.runId = s.run_id();
    q.taskQueue = s.task_queue();
    q.query = req.query();
    q.call = call;
    auto expiry = now() + std::chrono::seconds(60);
    if (call->deadline() != TimePoint::max())
        expiry = std::min(expiry, call->deadline() - std::chrono::milliseconds(200));
    const std::string qid = q.id;
    q.timerId = m_timers.schedule(expiry, [this, qid] {
        Locked expiryLock(this);
        const auto it = m_queries.find(qid);
        if (it == m_queries.end())
            return;
        auto c = it->second.call;
        m_queries.erase(it);
        defer([c] {
            c->finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                   "query timed out before a worker could process it"));
        });
    });
    auto &stored = m_queries.emplace(qid, std::move(q)).first->second;
    routeQuery(stored, run);
}

} // namespace Nebula::DevServer
