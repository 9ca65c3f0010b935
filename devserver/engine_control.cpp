// Starting runs (id reuse and conflict policies, request_id idempotency), signals, cancellation
// requests, termination, user timers and run timeouts.
#include "engine.h"
#include "enginelock.h"

#include "payloadlimits.h"
#include "protoutil.h"
#include "retryrules.h"

#include "common/logging.h"

#include <temporal/api/errordetails/v1/message.pb.h>

namespace Nebula::DevServer {

using namespace temporal::api;

namespace {

constexpr auto DefaultTaskTimeout = std::chrono::seconds(10);
constexpr auto MaxTaskTimeout = std::chrono::seconds(120);

grpc::Status validateStart(const ws::StartWorkflowExecutionRequest &req)
{
    if (req.workflow_id().empty())
        return invalidArgument("WorkflowId is not set on request.");
    if (req.workflow_id().size() > MaxIdLength)
        return invalidArgument("WorkflowId exceeds length limit of 1000 characters.");
    if (req.workflow_type().name().empty())
        return invalidArgument("WorkflowType is not set on request.");
    if (req.workflow_type().name().size() > MaxIdLength)
        return invalidArgument("WorkflowType exceeds length limit of 1000 characters.");
    if (req.task_queue().name().empty())
        return invalidArgument("TaskQueue is not set on request.");
    if (req.task_queue().name().size() > MaxIdLength)
        return invalidArgument("TaskQueue exceeds length limit of 1000 characters.");
    if (req.request_id().size() > MaxIdLength)
        return invalidArgument("RequestId exceeds length limit of 1000 characters.");
    if (req.identity().size() > MaxIdLength)
        return invalidArgument("Identity exceeds length limit of 1000 characters.");
    if (fromDuration(req.workflow_execution_timeout()).count() < 0)
        return invalidArgument("Invalid WorkflowExecutionTimeout.");
    if (fromDuration(req.workflow_run_timeout()).count() < 0)
        return invalidArgument("Invalid WorkflowRunTimeout.");
    if (fromDuration(req.workflow_task_timeout()).count() < 0)
        return invalidArgument("Invalid WorkflowTaskTimeout.");
    if (req.has_retry_policy()) {
        if (auto err = validateRetryPolicy(req.retry_policy()))
            return invalidArgument(*err);
    }
    if (!req.cron_schedule().empty())
        return invalidArgument("CronSchedule is not supported by nebula-devserver.");
    if (fromDuration(req.workflow_start_delay()).count() != 0)
        return invalidArgument("WorkflowStartDelay is not supported by nebula-devserver.");
    if (payloadsTooLarge(req.input()))
        return invalidArgument(payloadTooLargeMessage("workflow input"));
    if (req.memo().ByteSizeLong() > MaxBlobBytes)
        return invalidArgument(payloadTooLargeMessage("memo"));
    if (auto err = validateSearchAttributes(req.search_attributes()))
        return invalidArgument(*err);
    return grpc::Status::OK;
}

grpc::Status alreadyStarted(const std::string &message, const st::RunState &run)
{
    errordetails::v1::WorkflowExecutionAlreadyStartedFailure detail;
    detail.set_start_request_id(run.start_request_id());
    detail.set_run_id(run.run_id());
    detail.set_first_execution_run_id(run.first_execution_run_id());
    return detailedStatus(grpc::StatusCode::ALREADY_EXISTS, message, detail);
}

bool closedUnsuccessfully(int status)
{
    return status == enums::v1::WORKFLOW_EXECUTION_STATUS_FAILED
           || status == enums::v1::WORKFLOW_EXECUTION_STATUS_CANCELED
           || status == enums::v1::WORKFLOW_EXECUTION_STATUS_TERMINATED
           || status == enums::v1::WORKFLOW_EXECUTION_STATUS_TIMED_OUT;
}

} // namespace

Engine::Run *Engine::startRun(const std::string &ns, const std::string &workflowId,
                              const ws::StartWorkflowExecutionRequest &req, const std::string &requestId,
                              const std::string &firstRunId)
{
    auto owned = std::make_unique<Run>();
    Run &run = *owned;
    const TimePoint t = now();
    auto &s = run.s;
    s.set_namespace_(ns);
    s.set_workflow_id(workflowId);
    s.set_run_id(newUuid());
    s.set_first_execution_run_id(firstRunId.empty() ? s.run_id() : firstRunId);
    s.set_workflow_type(req.workflow_type().name());
    s.set_task_queue(req.task_queue().name());
    s.set_status(enums::v1::WORKFLOW_EXECUTION_STATUS_RUNNING);
    *s.mutable_start_time() = toTimestamp(t);
    *s.mutable_execution_time() = s.start_time();
    s.set_next_event_id(1);
    s.set_start_request_id(requestId);
    const Micros execTimeout = fromDuration(req.workflow_execution_timeout());
    Micros runTimeout = fromDuration(req.workflow_run_timeout());
    if (runTimeout.count() == 0 || (execTimeout.count() > 0 && runTimeout > execTimeout))
        runTimeout = execTimeout;
    Micros taskTimeout = fromDuration(req.workflow_task_timeout());
    if (taskTimeout.count() == 0)
        taskTimeout = DefaultTaskTimeout;
    taskTimeout = std::min<Micros>(taskTimeout, MaxTaskTimeout);
    if (runTimeout.count() > 0)
        taskTimeout = std::min(taskTimeout, runTimeout);
    *s.mutable_execution_timeout() = toDuration(execTimeout);
    *s.mutable_run_timeout() = toDuration(runTimeout);
    *s.mutable_task_timeout() = toDuration(taskTimeout);
    if (runTimeout.count() > 0)
        *s.mutable_run_expiration_time() = toTimestamp(t + runTimeout);
    if (execTimeout.count() > 0)
        *s.mutable_execution_expiration_time() = toTimestamp(t + execTimeout);
    *s.mutable_memo() = req.memo();
    *s.mutable_search_attributes() = req.search_attributes();
    if (req.has_retry_policy()) {
        *s.mutable_retry_policy() = req.retry_policy();
        fillRetryDefaults(s.mutable_retry_policy());
    }

    auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    auto *a = e.mutable_workflow_execution_started_event_attributes();
    *a->mutable_workflow_type() = req.workflow_type();
    a->mutable_task_queue()->set_name(req.task_queue().name());
    a->mutable_task_queue()->set_kind(enums::v1::TASK_QUEUE_KIND_NORMAL);
    *a->mutable_input() = req.input();
    *a->mutable_workflow_execution_timeout() = s.execution_timeout();
    *a->mutable_workflow_run_timeout() = s.run_timeout();
    *a->mutable_workflow_task_timeout() = s.task_timeout();
    a->set_original_execution_run_id(s.run_id());
    a->set_identity(req.identity());
    a->set_first_execution_run_id(s.first_execution_run_id());
    if (s.has_retry_policy())
        *a->mutable_retry_policy() = s.retry_policy();
    a->set_attempt(1);
    if (s.has_execution_expiration_time())
        *a->mutable_workflow_execution_expiration_time() = s.execution_expiration_time();
    if (req.has_memo())
        *a->mutable_memo() = req.memo();
    if (req.has_search_attributes())
        *a->mutable_search_attributes() = req.search_attributes();
    if (req.has_header())
        *a->mutable_header() = req.header();
    a->set_workflow_id(workflowId);
    if (req.has_priority())
        *a->mutable_priority() = req.priority();

    if (s.has_run_expiration_time()) {
        const std::string runId = s.run_id();
        m_timers.schedule(t + runTimeout, [this, runId] { onRunTimeout(runId); });
    }
    Run *ptr = owned.get();
    m_runs.emplace(s.run_id(), std::move(owned));
    return ptr;
}

// Checks an existing run with the same workflow id against the policies (§4). Returns true when
// the caller may start a new run; otherwise `status`/`resp` hold the answer.
bool Engine::checkExisting(const std::string &ns, const std::string &workflowId,
                           const std::string &requestId, int reusePolicy, int conflictPolicy,
                           ws::StartWorkflowExecutionResponse *resp, grpc::Status *status,
                           std::string *firstRunId)
{
    *status = grpc::Status::OK;
    const auto current = m_store->currentRunId(ns, workflowId);
    if (!current)
        return true;
    constexpr int TerminateIfRunning = 4; // deprecated WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING
    if (reusePolicy == TerminateIfRunning) {
        conflictPolicy = enums::v1::WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING;
        reusePolicy = enums::v1::WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE;
    }
    if (Run *open = openRun(ns, *current); open && !m_closing.count(*current)) {
        if (open->s.start_request_id() == requestId) {
            resp->set_run_id(open->s.run_id());
            resp->set_started(true);
            resp->set_status(enums::v1::WORKFLOW_EXECUTION_STATUS_RUNNING);
            return false;
        }
        switch (conflictPolicy) {
        case enums::v1::WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING:
            resp->set_run_id(open->s.run_id());
            resp->set_started(false);
            resp->set_status(enums::v1::WORKFLOW_EXECUTION_STATUS_RUNNING);
            return false;
        case enums::v1::WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING:
            terminateRun(*open, "terminated by a new start with WorkflowIdConflictPolicy TERMINATE_EXISTING", nullptr, "history-service");
            return true;
        default:
            *status = alreadyStarted("Workflow execution is already running. WorkflowId: " + workflowId
                                         + ", RunId: " + open->s.run_id() + ".",
                                     open->s);
            return false;
        }
    }
    const auto closed = m_store->loadRun(ns, *current);
    if (!closed)
        return true;
    if (closed->start_request_id() == requestId) {
        resp->set_run_id(closed->run_id());
        resp->set_started(true);
        resp->set_status(static_cast<enums::v1::WorkflowExecutionStatus>(closed->status()));
        return false;
    }
    if (reusePolicy == enums::v1::WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE
        || (reusePolicy == enums::v1::WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY
            && !closedUnsuccessfully(closed->status()))) {
        *status = alreadyStarted("Workflow execution already finished and the WorkflowIdReusePolicy does not allow "
                                 "starting it again. WorkflowId: " + workflowId + ", RunId: " + closed->run_id() + ".",
                                 *closed);
        return false;
    }
    (void)firstRunId;
    return true;
}

grpc::Status Engine::startWorkflowExecution(const ws::StartWorkflowExecutionRequest &req,
                                            ws::StartWorkflowExecutionResponse *resp)
{
    if (auto s = validateStart(req); !s.ok())
        return s;
    const std::string requestId = req.request_id().empty() ? newUuid() : req.request_id();
    Locked lock(this);
    grpc::Status status;
    std::string firstRunId;
    if (!checkExisting(req.namespace_(), req.workflow_id(), requestId, req.workflow_id_reuse_policy(),
                       req.workflow_id_conflict_policy(), resp, &status, &firstRunId))
        return status;
    Run *run = startRun(req.namespace_(), req.workflow_id(), req, requestId, {});
    scheduleWorkflowTask(*run, 1);
    if (auto s = persist(*run, true); !s.ok()) {
        m_runs.erase(run->s.run_id());
        return s;
    }
    Log::get("devserver.workflow")->info("workflow started: workflowId={} runId={} type={}", run->s.workflow_id(),
                                         run->s.run_id(), run->s.workflow_type());
    resp->set_run_id(run->s.run_id());
    resp->set_started(true);
    resp->set_status(enums::v1::WORKFLOW_EXECUTION_STATUS_RUNNING);
    return grpc::Status::OK;
}

void Engine::addSignal(Run &run, const std::string &name, const common::v1::Payloads &input,
                       const std::string &identity, const common::v1::Header *header,
                       const std::string &requestId)
{
    auto &e = appendOrBuffer(run, enums::v1::EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    auto *a = e.mutable_workflow_execution_signaled_event_attributes();
    a->set_signal_name(name);
    *a->mutable_input() = input;
    a->set_identity(identity);
    if (header)
        *a->mutable_header() = *header;
    a->set_request_id(requestId);
    if (!requestId.empty()) {
        run.s.add_request_ids(requestId);
        if (run.s.request_ids_size() > 1000)
            run.s.mutable_request_ids()->DeleteSubrange(0, 1);
    }
}

grpc::Status Engine::signalWithStart(const ws::SignalWithStartWorkflowExecutionRequest &req,
                                     ws::SignalWithStartWorkflowExecutionResponse *resp)
{
    ws::StartWorkflowExecutionRequest start;
    start.set_namespace_(req.namespace_());
    start.set_workflow_id(req.workflow_id());
    *start.mutable_workflow_type() = req.workflow_type();
    *start.mutable_task_queue() = req.task_queue();
    *start.mutable_input() = req.input();
    *start.mutable_workflow_execution_timeout() = req.workflow_execution_timeout();
    *start.mutable_workflow_run_timeout() = req.workflow_run_timeout();
    *start.mutable_workflow_task_timeout() = req.workflow_task_timeout();
    start.set_identity(req.identity());
    start.set_request_id(req.request_id());
    start.set_workflow_id_reuse_policy(req.workflow_id_reuse_policy());
    if (req.has_retry_policy())
        *start.mutable_retry_policy() = req.retry_policy();
    start.set_cron_schedule(req.cron_schedule());
    if (req.has_memo())
        *start.mutable_memo() = req.memo();
    if (req.has_search_attributes())
        *start.mutable_search_attributes() = req.search_attributes();
    if (req.has_header())
        *start.mutable_header() = req.header();
    *start.mutable_workflow_start_delay() = req.workflow_start_delay();
    if (req.has_priority())
        *start.mutable_priority() = req.priority();
    if (auto s = validateStart(start); !s.ok())
        return s;
    if (req.signal_name().empty())
        return invalidArgument("SignalName is not set on request.");
    if (req.signal_name().size() > MaxIdLength)
        return invalidArgument("SignalName exceeds length limit of 1000 characters.");
    if (payloadsTooLarge(req.signal_input()))
        return invalidArgument(payloadTooLargeMessage("signal input"));
    const std::string requestId = req.request_id().empty() ? newUuid() : req.request_id();
    Locked lock(this);
    if (const auto current = m_store->currentRunId(req.namespace_(), req.workflow_id())) {
        if (Run *open = openRun(req.namespace_(), *current); open && !m_closing.count(*current)) {
            const auto &ids = open->s.request_ids();
            if (std::find(ids.begin(), ids.end(), requestId) == ids.end()
                && open->s.start_request_id() != requestId) {
                addSignal(*open, req.signal_name(), req.signal_input(), req.identity(),
                          req.has_header() ? &req.header() : nullptr, requestId);
                externalEventAdded(*open);
                if (auto s = persist(*open); !s.ok())
                    return s;
            }
            resp->set_run_id(open->s.run_id());
            resp->set_started(false);
            return grpc::Status::OK;
        }
    }
    ws::StartWorkflowExecutionResponse startResp;
    grpc::Status status;
    std::string firstRunId;
    if (!checkExisting(req.namespace_(), req.workflow_id(), requestId, req.workflow_id_reuse_policy(),
                       enums::v1::WORKFLOW_ID_CONFLICT_POLICY_FAIL, &startResp, &status, &firstRunId)) {
        if (!status.ok())
            return status;
        resp->set_run_id(startResp.run_id());
        resp->set_started(startResp.started());
        return grpc::Status::OK;
    }
    Run *run = startRun(req.namespace_(), req.workflow_id(), start, requestId, {});
    addSignal(*run, req.signal_name(), req.signal_input(), req.identity(),
              req.has_header() ? &req.header() : nullptr, {});
    scheduleWorkflowTask(*run, 1);
    if (auto s = persist(*run, true); !s.ok()) {
        m_runs.erase(run->s.run_id());
        return s;
    }
    Log::get("devserver.workflow")->info("workflow started: workflowId={} runId={} type={}", run->s.workflow_id(),
                                         run->s.run_id(), run->s.workflow_type());
    resp->set_run_id(run->s.run_id());
    resp->set_started(true);
    return grpc::Status::OK;
}

grpc::Status Engine::signalWorkflowExecution(const ws::SignalWorkflowExecutionRequest &req)
{
    if (req.signal_name().empty())
        return invalidArgument("SignalName is not set on request.");
    if (req.signal_name().size() > MaxIdLength || req.identity().size() > MaxIdLength
        || req.request_id().size() > MaxIdLength)
        return invalidArgument("SignalName, Identity or RequestId exceeds length limit of 1000 characters.");
    if (payloadsTooLarge(req.input()))
        return invalidArgument(payloadTooLargeMessage("signal input"));
    Locked lock(this);
    grpc::Status error;
    std::optional<st::RunState> closed;
    Run *run = findRun(req.namespace_(), req.workflow_execution().workflow_id(),
                       req.workflow_execution().run_id(), &closed, &error);
    if (!run)
        return closed ? notFound("workflow execution already completed") : error;
    if (!req.request_id().empty()) {
        const auto &ids = run->s.request_ids();
        if (std::find(ids.begin(), ids.end(), req.request_id()) != ids.end())
            return grpc::Status::OK;
    }
    addSignal(*run, req.signal_name(), req.input(), req.identity(),
              req.has_header() ? &req.header() : nullptr, req.request_id());
    externalEventAdded(*run);
    return persist(*run);
}

grpc::Status Engine::requestCancelWorkflowExecution(const ws::RequestCancelWorkflowExecutionRequest &req)
{
    if (req.identity().size() > MaxIdLength || req.request_id().size() > MaxIdLength)
        return invalidArgument("Identity or RequestId exceeds length limit of 1000 characters.");
    Locked lock(this);
    grpc::Status error;
    std::optional<st::RunState> closed;
    Run *run = findRun(req.namespace_(), req.workflow_execution().workflow_id(),
                       req.workflow_execution().run_id(), &closed, &error);
    const st::RunState *s = run ? &run->s : (closed ? &*closed : nullptr);
    if (!s)
        return error;
    if (!req.first_execution_run_id().empty() && s->first_execution_run_id() != req.first_execution_run_id())
        return notFound("workflow execution not found for FirstExecutionRunId: " + req.first_execution_run_id());
    if (!run || run->s.cancel_requested())
        return grpc::Status::OK;
    auto &e = appendOrBuffer(*run, enums::v1::EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
    auto *a = e.mutable_workflow_execution_cancel_requested_event_attributes();
    a->set_cause(req.reason());
    a->set_identity(req.identity());
    run->s.set_cancel_requested(true);
    if (!req.request_id().empty())
        run->s.add_request_ids(req.request_id());
    externalEventAdded(*run);
    return persist(*run);
}

// §3.3 rule 6: a started (non-transient) workflow task is failed with FORCE_CLOSE_COMMAND first,
// buffered events are flushed, then the close event follows.
void Engine::forceClose(Run &run)
{
    const auto &w = run.s.workflow_task();
    if (w.state() == st::WorkflowTaskState::STATE_STARTED && !w.transient()) {
        auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_TASK_FAILED);
        auto *a = e.mutable_workflow_task_failed_event_attributes();
        a->set_scheduled_event_id(w.scheduled_event_id());
        a->set_started_event_id(w.started_event_id());
        a->set_cause(enums::v1::WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND);
        a->set_identity("history-service");
    }
    flushBuffered(run);
    run.s.mutable_workflow_task()->Clear();
}

void Engine::terminateRun(Run &run, const std::string &reason, const common::v1::Payloads *details,
                          const std::string &identity)
{
    forceClose(run);
    auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
    auto *a = e.mutable_workflow_execution_terminated_event_attributes();
    a->set_reason(reason);
    if (details)
        *a->mutable_details() = *details;
    a->set_identity(identity);
    run.s.set_status(enums::v1::WORKFLOW_EXECUTION_STATUS_TERMINATED);
    closeRun(run);
    (void)persist(run);
}

grpc::Status Engine::terminateWorkflowExecution(const ws::TerminateWorkflowExecutionRequest &req)
{
    if (req.identity().size() > MaxIdLength || req.reason().size() > 100000)
        return invalidArgument("Identity or Reason is too long.");
    if (payloadsTooLarge(req.details()))
        return invalidArgument(payloadTooLargeMessage("termination details"));
    Locked lock(this);
    grpc::Status error;
    std::optional<st::RunState> closed;
    Run *run = findRun(req.namespace_(), req.workflow_execution().workflow_id(),
                       req.workflow_execution().run_id(), &closed, &error);
    const st::RunState *s = run ? &run->s : (closed ? &*closed : nullptr);
    if (!s)
        return error;
    if (!req.first_execution_run_id().empty() && s->first_execution_run_id() != req.first_execution_run_id())
        return notFound("workflow execution not found for FirstExecutionRunId: " + req.first_execution_run_id());
    if (!run)
        return notFound("workflow execution already completed");
    terminateRun(*run, req.reason(), req.has_details() ? &req.details() : nullptr, req.identity());
    return grpc::Status::OK;
}

void Engine::onUserTimer(const std::string &runId, const std::string &timerId, std::int64_t startedId)
{
    Locked lock(this);
    const auto it = m_runs.find(runId);
    if (m_shutdown || it == m_runs.end() || m_closing.count(runId))
        return;
    Run &run = *it->second;
    auto *timers = run.s.mutable_timers();
    for (int i = 0; i < timers->size(); ++i) {
        if (timers->Get(i).timer_id() != timerId || timers->Get(i).started_event_id() != startedId)
            continue;
        timers->DeleteSubrange(i, 1);
        auto &e = appendOrBuffer(run, enums::v1::EVENT_TYPE_TIMER_FIRED);
        auto *a = e.mutable_timer_fired_event_attributes();
        a->set_timer_id(timerId);
        a->set_started_event_id(startedId);
        externalEventAdded(run);
        (void)persist(run);
        return;
    }
}

void Engine::onRunTimeout(const std::string &runId)
{
    Locked lock(this);
    const auto it = m_runs.find(runId);
    if (m_shutdown || it == m_runs.end() || m_closing.count(runId))
        return;
    Run &run = *it->second;
    if (now() < fromTimestamp(run.s.run_expiration_time())) {
        m_timers.schedule(fromTimestamp(run.s.run_expiration_time()), [this, runId] { onRunTimeout(runId); });
        return;
    }
    forceClose(run);
    auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT);
    e.mutable_workflow_execution_timed_out_event_attributes()->set_retry_state(
        run.s.has_retry_policy() ? enums::v1::RETRY_STATE_TIMEOUT : enums::v1::RETRY_STATE_RETRY_POLICY_NOT_SET);
    run.s.set_status(enums::v1::WORKFLOW_EXECUTION_STATUS_TIMED_OUT);
    closeRun(run);
    (void)persist(run);
}

} // namespace Nebula::DevServer
