// Activity tasks: dispatch, heartbeats, results, timeouts and retries. Attempts are recorded in
// mutable state only; ActivityTaskStarted is written lazily next to the closing event (§3.3).
#include "engine.h"
#include "enginelock.h"

#include "payloadlimits.h"
#include "protoutil.h"
#include "retryrules.h"

namespace Nebula::DevServer {

using namespace temporal::api;

st::ActivityState *Engine::findActivity(Run &run, std::int64_t scheduledId)
{
    for (auto &a : *run.s.mutable_activities()) {
        if (a.scheduled_event_id() == scheduledId)
            return &a;
    }
    return nullptr;
}

void Engine::removeActivity(Run &run, std::int64_t scheduledId)
{
    auto *acts = run.s.mutable_activities();
    for (int i = 0; i < acts->size(); ++i) {
        if (acts->Get(i).scheduled_event_id() == scheduledId) {
            acts->DeleteSubrange(i, 1);
            return;
        }
    }
}

void Engine::enqueueActivity(Run &run, st::ActivityState &act)
{
    act.set_state(st::ActivityState::STATE_SCHEDULED);
    run.s.set_dispatch_counter(run.s.dispatch_counter() + 1);
    act.set_dispatch_id(run.s.dispatch_counter());
    enqueue(run.s.namespace_(), act.task_queue(), 2,
            TaskRef{TaskRef::Kind::Activity, run.s.run_id(), act.scheduled_event_id(), act.attempt(),
                    act.dispatch_id(), {}});
}

void Engine::armScheduleToClose(Run &run, const st::ActivityState &act)
{
    const Micros s2c = fromDuration(act.schedule_to_close_timeout());
    if (s2c.count() <= 0)
        return;
    const std::string runId = run.s.run_id();
    const auto sid = act.scheduled_event_id();
    m_timers.schedule(fromTimestamp(act.scheduled_time()) + s2c, [this, runId, sid] {
        onActivityTimeout(runId, sid, 0, 0, enums::v1::TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
    });
}

void Engine::armAttemptTimers(Run &run, const st::ActivityState &act)
{
    const std::string runId = run.s.run_id();
    const auto sid = act.scheduled_event_id();
    const auto att = act.attempt();
    const auto did = act.dispatch_id();
    const auto arm = [&](TimePoint when, int type) {
        m_timers.schedule(when, [this, runId, sid, att, did, type] { onActivityTimeout(runId, sid, att, did, type); });
    };
    if (act.state() == st::ActivityState::STATE_SCHEDULED) {
        const Micros s2s = fromDuration(act.schedule_to_start_timeout());
        if (s2s.count() > 0)
            arm(fromTimestamp(act.attempt_scheduled_time()) + s2s, enums::v1::TIMEOUT_TYPE_SCHEDULE_TO_START);
    } else if (act.state() == st::ActivityState::STATE_STARTED) {
        const TimePoint started = fromTimestamp(act.started_time());
        const Micros stc = fromDuration(act.start_to_close_timeout());
        if (stc.count() > 0)
            arm(started + stc, enums::v1::TIMEOUT_TYPE_START_TO_CLOSE);
        const Micros hb = fromDuration(act.heartbeat_timeout());
        if (hb.count() > 0) {
            TimePoint last = started;
            if (act.has_last_heartbeat_time())
                last = std::max(last, fromTimestamp(act.last_heartbeat_time()));
            arm(last + hb, enums::v1::TIMEOUT_TYPE_HEARTBEAT);
        }
    }
}

bool Engine::dispatchActivity(Run &run, const TaskRef &ref, const Poller &poller)
{
    st::ActivityState *act = findActivity(run, ref.scheduledId);
    if (!act || act->state() != st::ActivityState::STATE_SCHEDULED || act->attempt() != ref.attempt
        || act->dispatch_id() != ref.dispatchId)
        return false;
    act->set_state(st::ActivityState::STATE_STARTED);
    *act->mutable_started_time() = toTimestamp(now());
    act->set_started_identity(poller.identity);
    act->set_last_worker_identity(poller.identity);
    act->set_started_request_id(newUuid());
    if (!persist(run).ok())
        return false;
    armAttemptTimers(run, *act);

    auto resp = std::make_shared<ws::PollActivityTaskQueueResponse>();
    st::TaskToken token;
    token.set_kind(st::TaskToken::KIND_ACTIVITY);
    token.set_namespace_(run.s.namespace_());
    token.set_workflow_id(run.s.workflow_id());
    token.set_run_id(run.s.run_id());
    token.set_scheduled_event_id(act->scheduled_event_id());
    token.set_attempt(act->attempt());
    token.set_activity_id(act->activity_id());
    token.set_dispatch_id(act->dispatch_id());
    resp->set_task_token(makeToken(token));
    resp->set_workflow_namespace(run.s.namespace_());
    resp->mutable_workflow_type()->set_name(run.s.workflow_type());
    resp->mutable_workflow_execution()->set_workflow_id(run.s.workflow_id());
    resp->mutable_workflow_execution()->set_run_id(run.s.run_id());
    resp->mutable_activity_type()->set_name(act->activity_type());
    resp->set_activity_id(act->activity_id());
    *resp->mutable_header() = act->header();
    *resp->mutable_input() = act->input();
    if (act->has_heartbeat_details())
        *resp->mutable_heartbeat_details() = act->heartbeat_details();
    *resp->mutable_scheduled_time() = act->scheduled_time();
    *resp->mutable_current_attempt_scheduled_time() = act->attempt_scheduled_time();
    *resp->mutable_started_time() = act->started_time();
    resp->set_attempt(act->attempt());
    *resp->mutable_schedule_to_close_timeout() = act->schedule_to_close_timeout();
    *resp->mutable_start_to_close_timeout() = act->start_to_close_timeout();
    *resp->mutable_heartbeat_timeout() = act->heartbeat_timeout();
    *resp->mutable_retry_policy() = act->retry_policy();
    if (act->has_priority())
        *resp->mutable_priority() = act->priority();
    auto call = poller.call;
    defer([call, resp] { call->finish(grpc::Status::OK, resp.get()); });
    return true;
}

void Engine::pollActivityTaskQueue(const ws::PollActivityTaskQueueRequest &req, CallPtr call)
{
    if (req.task_queue().name().empty()) {
        call->finish(invalidArgument("TaskQueue is not set on request."));
        return;
    }
    if (req.task_queue().name().size() > MaxIdLength || req.identity().size() > MaxIdLength) {
        call->finish(invalidArgument("TaskQueue or Identity exceeds the length limit of 1000 characters."));
        return;
    }
    poll(req.namespace_(), req.task_queue(), 2, req.identity(), std::move(call));
}

// Writes (or buffers) the lazily recorded ActivityTaskStarted of the current attempt. Returns its
// id, or -1 when buffered (resolved at flush time).
std::int64_t Engine::writeActivityStarted(Run &run, const st::ActivityState &act)
{
    const bool buffered = workflowTaskInFlight(run);
    auto &e = appendOrBuffer(run, enums::v1::EVENT_TYPE_ACTIVITY_TASK_STARTED);
    *e.mutable_event_time() = act.started_time();
    auto *a = e.mutable_activity_task_started_event_attributes();
    a->set_scheduled_event_id(act.scheduled_event_id());
    a->set_identity(act.started_identity());
    a->set_request_id(act.started_request_id());
    a->set_attempt(act.attempt());
    if (act.has_last_failure())
        *a->mutable_last_failure() = act.last_failure();
    return buffered ? -1 : e.event_id();
}

void Engine::externalEventAdded(Run &run)
{
    if (!workflowTaskInFlight(run))
        scheduleWorkflowTaskIfNeeded(run);
}

void Engine::activityAttemptFailed(Run &run, st::ActivityState &act, const failure::v1::Failure &failure,
                                   int timeoutType, const std::string &identity)
{
    const TimePoint t = now();
    const Micros s2c = fromDuration(act.schedule_to_close_timeout());
    const TimePoint deadline = s2c.count() > 0 ? fromTimestamp(act.scheduled_time()) + s2c : TimePoint::max();
    const auto decision = decideRetry(act.retry_policy(), act.attempt(), failure, timeoutType,
                                      act.cancel_requested(), t, deadline);
    failure::v1::Failure attemptFailure =
        timeoutType != 0 ? makeTimeoutFailure(timeoutType, act.has_last_failure() ? &act.last_failure() : nullptr,
                                              &act.heartbeat_details())
                         : failure;
    if (decision.retryState == enums::v1::RETRY_STATE_IN_PROGRESS) {
        *act.mutable_last_failure() = attemptFailure;
        act.set_attempt(act.attempt() + 1);
        act.set_state(st::ActivityState::STATE_BACKOFF);
        *act.mutable_last_attempt_complete_time() = toTimestamp(t);
        *act.mutable_attempt_scheduled_time() = toTimestamp(t + decision.delay);
        *act.mutable_current_retry_interval() = toDuration(decision.delay);
        act.clear_started_time();
        act.clear_started_identity();
        act.clear_started_request_id();
        const std::string runId = run.s.run_id();
        const auto sid = act.scheduled_event_id();
        const auto att = act.attempt();
        m_timers.schedule(t + decision.delay, [this, runId, sid, att] { onRetryBackoffDone(runId, sid, att); });
        return;
    }
    const bool started = act.state() == st::ActivityState::STATE_STARTED;
    const std::int64_t startedId = started ? writeActivityStarted(run, act) : 0;
    if (timeoutType != 0) {
        int finalType = timeoutType;
        if (decision.retryState == enums::v1::RETRY_STATE_TIMEOUT
            && (timeoutType == enums::v1::TIMEOUT_TYPE_START_TO_CLOSE || timeoutType == enums::v1::TIMEOUT_TYPE_HEARTBEAT))
            finalType = enums::v1::TIMEOUT_TYPE_SCHEDULE_TO_CLOSE;
        auto &e = appendOrBuffer(run, enums::v1::EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT);
        auto *a = e.mutable_activity_task_timed_out_event_attributes();
        *a->mutable_failure() = makeTimeoutFailure(finalType, act.has_last_failure() ? &act.last_failure() : nullptr,
                                                   &act.heartbeat_details());
        a->set_scheduled_event_id(act.scheduled_event_id());
        a->set_started_event_id(startedId);
        a->set_retry_state(static_cast<enums::v1::RetryState>(decision.retryState));
    } else {
        auto &e = appendOrBuffer(run, enums::v1::EVENT_TYPE_ACTIVITY_TASK_FAILED);
        auto *a = e.mutable_activity_task_failed_event_attributes();
        *a->mutable_failure() = failure;
        a->set_scheduled_event_id(act.scheduled_event_id());
        a->set_started_event_id(startedId);
        a->set_identity(identity);
        a->set_retry_state(static_cast<enums::v1::RetryState>(decision.retryState));
    }
    removeActivity(run, act.scheduled_event_id());
    externalEventAdded(run);
}

void Engine::onRetryBackoffDone(const std::string &runId, std::int64_t scheduledId, std::int32_t attempt)
{
    Locked lock(this);
    const auto it = m_runs.find(runId);
    if (m_shutdown || it == m_runs.end() || m_closing.count(runId))
        return;
    Run &run = *it->second;
    st::ActivityState *act = findActivity(run, scheduledId);
    if (!act || act->state() != st::ActivityState::STATE_BACKOFF || act->attempt() != attempt)
        return;
    enqueueActivity(run, *act);
    armAttemptTimers(run, *act);
    (void)persist(run);
}

void Engine::onActivityTimeout(const std::string &runId, std::int64_t scheduledId, std::int32_t attempt,
                               std::int64_t dispatchId, int timeoutType)
{
    Locked lock(this);
    const auto it = m_runs.find(runId);
    if (m_shutdown || it == m_runs.end() || m_closing.count(runId))
        return;
    Run &run = *it->second;
    st::ActivityState *act = findActivity(run, scheduledId);
    if (!act)
        return;
    if (timeoutType != enums::v1::TIMEOUT_TYPE_SCHEDULE_TO_CLOSE
        && (act->attempt() != attempt || act->dispatch_id() != dispatchId))
        return;
    switch (timeoutType) {
    case enums::v1::TIMEOUT_TYPE_SCHEDULE_TO_START:
        if (act->state() != st::ActivityState::STATE_SCHEDULED)
            return;
        break;
    case enums::v1::TIMEOUT_TYPE_START_TO_CLOSE:
        if (act->state() != st::ActivityState::STATE_STARTED)
            return;
        break;
    case enums::v1::TIMEOUT_TYPE_HEARTBEAT: {
        if (act->state() != st::ActivityState::STATE_STARTED)
            return;
        TimePoint last = fromTimestamp(act->started_time());
        if (act->has_last_heartbeat_time())
            last = std::max(last, fromTimestamp(act->last_heartbeat_time()));
        const TimePoint due = last + fromDuration(act->heartbeat_timeout());
        if (now() < due) {
            m_timers.schedule(due, [this, runId, scheduledId, attempt, dispatchId, timeoutType] {
                onActivityTimeout(runId, scheduledId, attempt, dispatchId, timeoutType);
            });
            return;
        }
        break;
    }
    default:
        break;
    }
    activityAttemptFailed(run, *act, failure::v1::Failure{}, timeoutType, {});
    (void)persist(run);
}

// Resolves the activity a token (or the ById fields) points at. Sets `error` when there is none.
st::ActivityState *Engine::resolveActivity(const std::string &tokenBytes, const std::string &ns,
                                           const std::string &workflowId, const std::string &runId,
                                           const std::string &activityId, Run **runOut, grpc::Status *error)
{
    const auto notThere = notFound("invalid activityID or activity already timed out or invoking workflow is completed");
    st::TaskToken token;
    const bool byToken = !tokenBytes.empty();
    if (byToken && (!token.ParseFromString(tokenBytes) || token.kind() != st::TaskToken::KIND_ACTIVITY)) {
        *error = notThere;
        return nullptr;
    }
    const std::string wantNs = byToken ? token.namespace_() : ns;
    if (wantNs != ns && !ns.empty()) {
        *error = notThere;
        return nullptr;
    }
    std::string rid = byToken ? token.run_id() : runId;
    const std::string wid = byToken ? token.workflow_id() : workflowId;
    if (!byToken && (wid.empty() || activityId.empty())) {
        *error = invalidArgument("WorkflowId and ActivityId must be set on a ById request.");
        return nullptr;
    }
    if (rid.empty()) {
        const auto current = m_store->currentRunId(wantNs, wid);
        rid = current.value_or(std::string());
    }
    const auto it = m_runs.find(rid);
    if (it == m_runs.end() || m_closing.count(rid) || it->second->s.namespace_() != wantNs
        || it->second->s.workflow_id() != wid) {
        *error = m_store->loadRun(wantNs, rid) ? notFound("workflow execution already completed") : notThere;
        return nullptr;
    }
    Run &run = *it->second;
    st::ActivityState *act = nullptr;
    if (byToken) {
        act = findActivity(run, token.scheduled_event_id());
        if (act && (act->attempt() != token.attempt() || act->dispatch_id() != token.dispatch_id()
                    || act->state() != st::ActivityState::STATE_STARTED))
            act = nullptr;
    } else {
        for (auto &a : *run.s.mutable_activities()) {
            if (a.activity_id() == activityId && a.state() != st::ActivityState::STATE_BACKOFF)
                act = &a;
        }
    }
    if (!act) {
        *error = notThere;
        return nullptr;
    }
    if (act->state() == st::ActivityState::STATE_SCHEDULED) {
        // ById on an activity no worker picked up yet: record the start now.
        act->set_state(st::ActivityState::STATE_STARTED);
        *act->mutable_started_time() = toTimestamp(now());
        act->set_started_request_id(newUuid());
    }
    *runOut = &run;
    return act;
}

grpc::Status Engine::recordActivityTaskHeartbeat(const std::string &token, const std::string &ns,
                                                 const std::string &workflowId, const std::string &runId,
                                                 const std::string &activityId,
                                                 const common::v1::Payloads *details,
                                                 const std::string &identity, bool *cancelRequested)
{
    if (details && payloadsTooLarge(*details))
        return invalidArgument(payloadTooLargeMessage("heartbeat details"));
    Locked lock(this);
    Run *run = nullptr;
    grpc::Status error;
    st::ActivityState *act = resolveActivity(token, ns, workflowId, runId, activityId, &run, &error);
    if (!act)
        return error;
    if (details)
        *act->mutable_heartbeat_details() = *details;
    *act->mutable_last_heartbeat_time() = toTimestamp(now());
    if (!identity.empty())
        act->set_last_worker_identity(identity.substr(0, MaxIdLength));
    *cancelRequested = act->cancel_requested();
    return persist(*run);
}

grpc::Status Engine::respondActivityTask(const ActivityOutcome &o)
{
    if (o.payloads && payloadsTooLarge(*o.payloads))
        return invalidArgument(payloadTooLargeMessage(o.kind == 0 ? "activity result" : "activity details"));
    if (o.failure && o.failure->ByteSizeLong() > MaxBlobBytes)
        return invalidArgument(payloadTooLargeMessage("activity failure"));
    if (o.identity.size() > MaxIdLength)
        return invalidArgument("Identity exceeds the length limit of 1000 characters.");
    Locked lock(this);
    Run *runPtr = nullptr;
    grpc::Status error;
    st::ActivityState *act = resolveActivity(o.token, o.ns, o.workflowId, o.runId, o.activityId, &runPtr, &error);
    if (!act)
        return error;
    Run &run = *runPtr;
    const std::int64_t sid = act->scheduled_event_id();
    if (o.kind == 1) {
        if (o.lastHeartbeatDetails && o.lastHeartbeatDetails->payloads_size() > 0)
            *act->mutable_heartbeat_details() = *o.lastHeartbeatDetails;
        activityAttemptFailed(run, *act, o.failure ? *o.failure : failure::v1::Failure{}, 0, o.identity);
        return persist(run);
    }
    if (o.kind == 2 && !act->cancel_requested())
        return invalidArgument("unable to mark activity as canceled without activity being request canceled first");
    const std::int64_t startedId = writeActivityStarted(run, *act);
    if (o.kind == 0) {
        auto &e = appendOrBuffer(run, enums::v1::EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
        auto *a = e.mutable_activity_task_completed_event_attributes();
        if (o.payloads)
            *a->mutable_result() = *o.payloads;
        a->set_scheduled_event_id(sid);
        a->set_started_event_id(startedId);
        a->set_identity(o.identity);
    } else {
        auto &e = appendOrBuffer(run, enums::v1::EVENT_TYPE_ACTIVITY_TASK_CANCELED);
        auto *a = e.mutable_activity_task_canceled_event_attributes();
        if (o.payloads)
            *a->mutable_details() = *o.payloads;
        a->set_latest_cancel_requested_event_id(act->cancel_requested_event_id());
        a->set_scheduled_event_id(sid);
        a->set_started_event_id(startedId);
        a->set_identity(o.identity);
    }
    removeActivity(run, sid);
    externalEventAdded(run);
    return persist(run);
}

} // namespace Nebula::DevServer
