// Read side: DescribeWorkflowExecution, GetWorkflowExecutionHistory (paging, long poll,
// CLOSE_EVENT), List/Count with the query language.
#include "engine.h"
#include "enginelock.h"

#include "protoutil.h"
#include "visibilityquery.h"

namespace Nebula::DevServer {

using namespace temporal::api;

namespace {

workflow::v1::WorkflowExecutionInfo executionInfo(const st::RunState &s)
{
    workflow::v1::WorkflowExecutionInfo info;
    info.mutable_execution()->set_workflow_id(s.workflow_id());
    info.mutable_execution()->set_run_id(s.run_id());
    info.mutable_type()->set_name(s.workflow_type());
    *info.mutable_start_time() = s.start_time();
    info.set_status(static_cast<enums::v1::WorkflowExecutionStatus>(s.status()));
    info.set_history_length(s.next_event_id() - 1);
    *info.mutable_execution_time() = s.execution_time();
    if (s.has_memo())
        *info.mutable_memo() = s.memo();
    if (s.has_search_attributes())
        *info.mutable_search_attributes() = s.search_attributes();
    info.set_task_queue(s.task_queue());
    info.set_history_size_bytes(s.history_size_bytes());
    if (s.has_close_time()) {
        *info.mutable_close_time() = s.close_time();
        *info.mutable_execution_duration() =
            toDuration(std::chrono::duration_cast<Micros>(fromTimestamp(s.close_time()) - fromTimestamp(s.start_time())));
    }
    *info.mutable_root_execution() = info.execution();
    info.set_first_run_id(s.first_execution_run_id());
    return info;
}

// "h1:<runId>:<next event id>" (ALL_EVENT) or "c1:<runId>" (CLOSE_EVENT).
bool parseHistoryToken(const std::string &token, std::string *runId, std::int64_t *next)
{
    if (token.rfind("h1:", 0) == 0) {
        const auto colon = token.rfind(':');
        if (colon <= 3)
            return false;
        *runId = token.substr(3, colon - 3);
        try {
            std::size_t used = 0;
            *next = std::stoll(token.substr(colon + 1), &used);
            return used == token.size() - colon - 1 && *next >= 1;
        } catch (...) {
            return false;
        }
    }
    if (token.rfind("c1:", 0) == 0) {
        *runId = token.substr(3);
        *next = 0;
        return !runId->empty();
    }
    return false;
}

} // namespace

grpc::Status Engine::describeWorkflowExecution(const ws::DescribeWorkflowExecutionRequest &req,
                                               ws::DescribeWorkflowExecutionResponse *resp)
{
    Locked lock(this);
    grpc::Status error;
    std::optional<st::RunState> closed;
    Run *run = findRun(req.namespace_(), req.execution().workflow_id(), req.execution().run_id(), &closed, &error);
    if (!run && !closed)
        return error;
    const st::RunState &s = run ? run->s : *closed;
    auto *cfg = resp->mutable_execution_config();
    cfg->mutable_task_queue()->set_name(s.task_queue());
    cfg->mutable_task_queue()->set_kind(enums::v1::TASK_QUEUE_KIND_NORMAL);
    *cfg->mutable_workflow_execution_timeout() = s.execution_timeout();
    *cfg->mutable_workflow_run_timeout() = s.run_timeout();
    *cfg->mutable_default_workflow_task_timeout() = s.task_timeout();
    *resp->mutable_workflow_execution_info() = executionInfo(s);
    if (!run)
        return grpc::Status::OK;
    for (const auto &a : s.activities()) {
        auto *p = resp->add_pending_activities();
        p->set_activity_id(a.activity_id());
        p->mutable_activity_type()->set_name(a.activity_type());
        p->set_state(a.cancel_requested() ? enums::v1::PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
                     : a.state() == st::ActivityState::STATE_STARTED ? enums::v1::PENDING_ACTIVITY_STATE_STARTED
                                                                      : enums::v1::PENDING_ACTIVITY_STATE_SCHEDULED);
        if (a.has_heartbeat_details())
            *p->mutable_heartbeat_details() = a.heartbeat_details();
        if (a.has_last_heartbeat_time())
            *p->mutable_last_heartbeat_time() = a.last_heartbeat_time();
        if (a.has_started_time())
            *p->mutable_last_started_time() = a.started_time();
        p->set_attempt(a.attempt());
        p->set_maximum_attempts(a.retry_policy().maximum_attempts());
        *p->mutable_scheduled_time() = a.attempt_scheduled_time();
        const Micros s2c = fromDuration(a.schedule_to_close_timeout());
        if (s2c.count() > 0)
            *p->mutable_expiration_time() = toTimestamp(fromTimestamp(a.scheduled_time()) + s2c);
        if (a.has_last_failure())
            *p->mutable_last_failure() = a.last_failure();
        p->set_last_worker_identity(a.last_worker_identity());
        if (a.has_current_retry_interval())
            *p->mutable_current_retry_interval() = a.current_retry_interval();
        if (a.has_last_attempt_complete_time())
            *p->mutable_last_attempt_complete_time() = a.last_attempt_complete_time();
        if (a.state() == st::ActivityState::STATE_BACKOFF)
            *p->mutable_next_attempt_schedule_time() = a.attempt_scheduled_time();
    }
    const auto &w = s.workflow_task();
    if (w.state() != st::WorkflowTaskState::STATE_NONE) {
        auto *p = resp->mutable_pending_workflow_task();
        p->set_state(w.state() == st::WorkflowTaskState::STATE_STARTED ? enums::v1::PENDING_WORKFLOW_TASK_STATE_STARTED
                                                                        : enums::v1::PENDING_WORKFLOW_TASK_STATE_SCHEDULED);
        *p->mutable_scheduled_time() = w.scheduled_time();
        *p->mutable_original_scheduled_time() = w.original_scheduled_time();
        if (w.has_started_time())
            *p->mutable_started_time() = w.started_time();
        p->set_attempt(w.attempt());
    }
    return grpc::Status::OK;
}

// Answers a history request now if there is something to say (or mayWait is false). The answer
// is sent after the mutex is released.
bool Engine::answerHistory(const ws::GetWorkflowExecutionHistoryRequest &req, Run *run,
                           const std::optional<st::RunState> &closed, bool mayWait, const CallPtr &call)
{
    const st::RunState &s = run ? run->s : *closed;
    const bool open = run && s.status() == enums::v1::WORKFLOW_EXECUTION_STATUS_RUNNING && !m_closing.count(s.run_id());
    auto resp = std::make_shared<ws::GetWorkflowExecutionHistoryResponse>();
    if (req.history_event_filter_type() == enums::v1::HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT) {
        if (open) {
            if (mayWait && req.wait_new_event())
                return false;
            resp->set_next_page_token("c1:" + s.run_id());
        } else if (run && !run->events.empty()) {
            *resp->mutable_history()->add_events() = run->events.back();
        } else {
            for (auto &e : m_store->loadEvents(s.run_id(), s.close_event_id(), 1))
                *resp->mutable_history()->add_events() = std::move(e);
        }
        defer([call, resp] { call->finish(grpc::Status::OK, resp.get()); });
        return true;
    }
    std::int64_t from = 1;
    std::string tokenRun;
    if (!req.next_page_token().empty() && parseHistoryToken(req.next_page_token(), &tokenRun, &from) && from == 0)
        from = s.next_event_id(); // a CLOSE_EVENT token reused for ALL_EVENT: continue at the end
    else if (req.next_page_token().empty())
        from = 1;
    const std::int64_t last = s.next_event_id() - 1;
    from = std::clamp<std::int64_t>(from, 1, last + 1);
    if (open && mayWait && req.wait_new_event() && from > last)
        return false;
    int pageSize = req.maximum_page_size();
    if (pageSize <= 0 || pageSize > m_options.historyPageSize)
        pageSize = m_options.historyPageSize;
    const std::int64_t to = std::min<std::int64_t>(last, from + pageSize - 1);
    auto *history = resp->mutable_history();
    if (from <= to) {
        if (run) {
            for (std::int64_t id = from; id <= to; ++id)
                *history->add_events() = run->events[static_cast<std::size_t>(id - 1)];
        } else {
            for (auto &e : m_store->loadEvents(s.run_id(), from, to - from + 1))
                *history->add_events() = std::move(e);
        }
    }
    if (to < last) {
        resp->set_next_page_token("h1:" + s.run_id() + ":" + std::to_string(to + 1));
    } else {
        if (open) {
            const auto &w = s.workflow_task();
            if (w.transient() && w.state() == st::WorkflowTaskState::STATE_STARTED) {
                hist::History transient;
                std::string ignored;
                fillHistory(*run, s.next_event_id(), true, &transient, &ignored);
                for (auto &e : *transient.mutable_events())
                    *history->add_events() = std::move(e);
            }
            if (req.wait_new_event())
                resp->set_next_page_token("h1:" + s.run_id() + ":" + std::to_string(last + 1));
        }
    }
    defer([call, resp] { call->finish(grpc::Status::OK, resp.get()); });
    return true;
}

void Engine::getWorkflowExecutionHistory(const ws::GetWorkflowExecutionHistoryRequest &req, CallPtr call)
{
    Locked lock(this);
    std::string runId = req.execution().run_id();
    if (!req.next_page_token().empty()) {
        std::string tokenRun;
        std::int64_t next = 0;
        if (!parseHistoryToken(req.next_page_token(), &tokenRun, &next)) {
            defer([call] { call->finish(invalidArgument("Invalid NextPageToken.")); });
            return;
        }
        if (!runId.empty() && tokenRun != runId) {
            defer([call] { call->finish(invalidArgument("NextPageToken belongs to another run of the workflow.")); });
            return;
        }
        runId = tokenRun;
    }
    grpc::Status error;
    std::optional<st::RunState> closed;
    Run *run = findRun(req.namespace_(), req.execution().workflow_id(), runId, &closed, &error);
    if (!run && !closed) {
        defer([call, error] { call->finish(error); });
        return;
    }
    if (answerHistory(req, run, closed, true, call))
        return;
    const std::uint64_t id = ++m_waiterCounter;
    HistoryWaiter w{run->s.run_id(), req, call};
    m_historyWaiters.emplace(id, std::move(w));
    auto expiry = now() + m_options.historyLongPoll;
    if (call->deadline() != TimePoint::max())
        expiry = std::min(expiry, call->deadline() - std::chrono::seconds(1));
    m_timers.schedule(expiry, [this, id] {
        Locked expiryLock(this);
        const auto it = m_historyWaiters.find(id);
        if (it == m_historyWaiters.end())
            return;
        HistoryWaiter waiter = std::move(it->second);
        m_historyWaiters.erase(it);
        const auto r = m_runs.find(waiter.runId);
        std::optional<st::RunState> c;
        Run *current = r != m_runs.end() ? r->second.get() : nullptr;
        if (!current)
            c = m_store->loadRun(waiter.req.namespace_(), waiter.runId);
        if (!current && !c) {
            auto waiterCall = waiter.call;
            defer([waiterCall] { waiterCall->finish(notFound("workflow execution not found")); });
            return;
        }
        answerHistory(waiter.req, current, c, false, waiter.call);
    });
}

void Engine::notifyHistoryWaiters(const std::string &runId)
{
    for (auto it = m_historyWaiters.begin(); it != m_historyWaiters.end();) {
        if (it->second.runId != runId) {
            ++it;
            continue;
        }
        if (it->second.call->done()) {
            it = m_historyWaiters.erase(it);
            continue;
        }
        const auto r = m_runs.find(runId);
        if (r == m_runs.end()) {
            ++it;
            continue;
        }
        if (answerHistory(it->second.req, r->second.get(), std::nullopt, true, it->second.call))
            it = m_historyWaiters.erase(it);
        else
            ++it;
    }
}

grpc::Status Engine::listWorkflowExecutions(const ws::ListWorkflowExecutionsRequest &req,
                                            ws::ListWorkflowExecutionsResponse *resp)
{
    auto parsed = parseVisibilityQuery(req.query());
    if (!parsed)
        return invalidArgument(parsed.error().message.toStdString());
    std::int64_t offset = 0;
    if (!req.next_page_token().empty()) {
        const std::string &t = req.next_page_token();
        if (t.rfind("l1:", 0) != 0)
            return invalidArgument("Invalid NextPageToken.");
        try {
            offset = std::stoll(t.substr(3));
        } catch (...) {
            return invalidArgument("Invalid NextPageToken.");
        }
        if (offset < 0 || offset > 1000000000000LL)
            return invalidArgument("Invalid NextPageToken.");
    }
    const int pageSize = req.page_size() <= 0 || req.page_size() > 1000 ? 1000 : req.page_size();
    Locked lock(this);
    auto rows = m_store->listRuns(req.namespace_(), parsed->filter, pageSize + 1, offset);
    if (!rows)
        return internalError("listing failed: " + rows.error().detail.toStdString());
    const bool more = static_cast<int>(rows->size()) > pageSize;
    if (more)
        rows->pop_back();
    for (const auto &s : *rows) {
        // Open runs: the row may lag a few fields behind memory; memory wins.
        const auto it = m_runs.find(s.run_id());
        *resp->add_executions() = executionInfo(it != m_runs.end() ? it->second->s : s);
    }
    if (more)
        resp->set_next_page_token("l1:" + std::to_string(offset + pageSize));
    return grpc::Status::OK;
}

grpc::Status Engine::listOpenOrClosed(const std::string &ns, bool open, int pageSize, const std::string &pageToken,
                                      const std::string &workflowId, const std::string &workflowType,
                                      std::vector<workflow::v1::WorkflowExecutionInfo> *out, std::string *nextPageToken)
{
    SqlFilter filter;
    filter.where = open ? "status = 1" : "status != 1";
    if (!workflowId.empty()) {
        filter.where += " AND workflow_id = ?";
        filter.params.emplace_back(workflowId);
    }
    if (!workflowType.empty()) {
        filter.where += " AND workflow_type = ?";
        filter.params.emplace_back(workflowType);
    }
    std::int64_t offset = 0;
    if (!pageToken.empty()) {
        if (pageToken.rfind("l1:", 0) != 0)
            return invalidArgument("Invalid NextPageToken.");
        try {
            offset = std::clamp<std::int64_t>(std::stoll(pageToken.substr(3)), 0, 1000000000000LL);
        } catch (...) {
            return invalidArgument("Invalid NextPageToken.");
        }
    }
    if (pageSize <= 0 || pageSize > 1000)
        pageSize = 1000;
    Locked lock(this);
    auto rows = m_store->listRuns(ns, filter, pageSize + 1, offset);
    if (!rows)
        return internalError("listing failed");
    const bool more = static_cast<int>(rows->size()) > pageSize;
    if (more)
        rows->pop_back();
    for (const auto &s : *rows)
        out->push_back(executionInfo(s));
    if (more)
        *nextPageToken = "l1:" + std::to_string(offset + pageSize);
    return grpc::Status::OK;
}

grpc::Status Engine::countWorkflowExecutions(const ws::CountWorkflowExecutionsRequest &req,
                                             ws::CountWorkflowExecutionsResponse *resp)
{
    auto parsed = parseVisibilityQuery(req.query(), true);
    if (!parsed)
        return invalidArgument(parsed.error().message.toStdString());
    Locked lock(this);
    if (!parsed->groupByStatus) {
        auto n = m_store->countRuns(req.namespace_(), parsed->filter);
        if (!n)
            return internalError("count failed");
        resp->set_count(*n);
        return grpc::Status::OK;
    }
    auto groups = m_store->countByStatus(req.namespace_(), parsed->filter);
    if (!groups)
        return internalError("count failed");
    static const char *const Names[] = {"Unspecified", "Running", "Completed", "Failed", "Canceled",
                                        "Terminated", "ContinuedAsNew", "TimedOut"};
    std::int64_t total = 0;
    for (const auto &[status, count] : *groups) {
        auto *g = resp->add_groups();
        auto *p = g->add_group_values();
        (*p->mutable_metadata())["encoding"] = "json/plain";
        (*p->mutable_metadata())["type"] = "Keyword";
        p->set_data("\"" + std::string(status >= 0 && status < 8 ? Names[status] : "Unspecified") + "\"");
        g->set_count(count);
        total += count;
    }
    resp->set_count(total);
    return grpc::Status::OK;
}

} // namespace Nebula::DevServer
