// Commands of RespondWorkflowTaskCompleted: validated first (a bad command fails the task and
// writes nothing else, like the real server), then applied in request order (spec §4).
#include "engine.h"
#include "enginelock.h"

#include "payloadlimits.h"
#include "protoutil.h"
#include "retryrules.h"

#include <set>

namespace Nebula::DevServer {

using namespace temporal::api;

namespace {

using Cause = enums::v1::WorkflowTaskFailedCause;

bool fail(Cause *cause, std::string *message, Cause c, std::string m)
{
    *cause = c;
    *message = std::move(m);
    return false;
}

} // namespace

bool Engine::validateCommands(const Run &run, const ws::RespondWorkflowTaskCompletedRequest &req,
                              Cause *cause, std::string *message)
{
    std::set<std::string> activityIds;
    for (const auto &a : run.s.activities())
        activityIds.insert(a.activity_id());
    std::set<std::string> timerIds;
    for (const auto &t : run.s.timers())
        timerIds.insert(t.timer_id());
    const Micros runTimeout = fromDuration(run.s.run_timeout());

    for (const auto &cmd : req.commands()) {
        switch (cmd.command_type()) {
        case enums::v1::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK: {
            constexpr Cause Bad = enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES;
            if (!cmd.has_schedule_activity_task_command_attributes())
                return fail(cause, message, Bad, "ScheduleActivityTaskCommandAttributes is not set on command.");
            auto a = cmd.schedule_activity_task_command_attributes();
            if (a.activity_id().empty())
                return fail(cause, message, Bad, "ActivityId is not set on command.");
            if (a.activity_id().size() > MaxIdLength)
                return fail(cause, message, Bad, "ActivityId exceeds length limit.");
            if (a.activity_type().name().empty())
                return fail(cause, message, Bad, "ActivityType is not set on command.");
            if (a.activity_type().name().size() > MaxIdLength || a.task_queue().name().size() > MaxIdLength)
                return fail(cause, message, Bad, "ActivityType or TaskQueue exceeds length limit.");
            if (!activityIds.insert(a.activity_id()).second)
                return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_SCHEDULE_ACTIVITY_DUPLICATE_ID,
                            "Activity ID " + a.activity_id() + " is already in use by a pending activity.");
            if (auto err = normalizeActivityTimeouts(&a, runTimeout))
                return fail(cause, message, Bad, *err);
            fillRetryDefaults(a.mutable_retry_policy());
            if (auto err = validateRetryPolicy(a.retry_policy()))
                return fail(cause, message, Bad, *err);
            if (payloadsTooLarge(a.input()))
                return fail(cause, message, Bad, payloadTooLargeMessage("activity input"));
            break;
        }
        case enums::v1::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK: {
            const auto id = cmd.request_cancel_activity_task_command_attributes().scheduled_event_id();
            const bool known = id > 0 && id < run.s.next_event_id()
                               && run.events[static_cast<std::size_t>(id - 1)].event_type()
                                      == enums::v1::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED;
            if (!known)
                return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES,
                            "ScheduledEventId " + std::to_string(id) + " is not an activity of this workflow.");
            break;
        }
        case enums::v1::COMMAND_TYPE_START_TIMER: {
            constexpr Cause Bad = enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES;
            const auto &a = cmd.start_timer_command_attributes();
            if (a.timer_id().empty())
                return fail(cause, message, Bad, "TimerId is not set on command.");
            if (a.timer_id().size() > MaxIdLength)
                return fail(cause, message, Bad, "TimerId exceeds length limit.");
            if (fromDuration(a.start_to_fire_timeout()).count() <= 0)
                return fail(cause, message, Bad, "A valid StartToFireTimeout is not set on command.");
            if (!timerIds.insert(a.timer_id()).second)
                return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_START_TIMER_DUPLICATE_ID,
                            "Timer ID " + a.timer_id() + " is already in use.");
            break;
        }
        case enums::v1::COMMAND_TYPE_CANCEL_TIMER:
            if (cmd.cancel_timer_command_attributes().timer_id().empty())
                return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES,
                            "TimerId is not set on command.");
            break;
        case enums::v1::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
            if (payloadsTooLarge(cmd.complete_workflow_execution_command_attributes().result()))
                return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_COMPLETE_WORKFLOW_EXECUTION_ATTRIBUTES,
                            payloadTooLargeMessage("workflow result"));
            break;
        case enums::v1::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION:
        case enums::v1::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION:
        case enums::v1::COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES:
            break;
        case enums::v1::COMMAND_TYPE_RECORD_MARKER:
            if (cmd.record_marker_command_attributes().marker_name().empty())
                return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES,
                            "MarkerName is not set on command.");
            break;
        case enums::v1::COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            if (auto err = validateSearchAttributes(
                    cmd.upsert_workflow_search_attributes_command_attributes().search_attributes()))
                return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES, *err);
            break;
        case enums::v1::COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
            return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES,
                        "ContinueAsNew is not supported by nebula-devserver.");
        case enums::v1::COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION:
            return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES,
                        "Child workflows are not supported by nebula-devserver.");
        case enums::v1::COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
            return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
                        "Signalling other workflows is not supported by nebula-devserver.");
        case enums::v1::COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
            return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
                        "Cancelling other workflows is not supported by nebula-devserver.");
        default:
            return fail(cause, message, enums::v1::WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
                        "Command " + enums::v1::CommandType_Name(cmd.command_type())
                            + " is not supported by nebula-devserver.");
        }
    }
    return true;
}

void Engine::applyCommands(Run &run, const ws::RespondWorkflowTaskCompletedRequest &req,
                           std::int64_t completedId, bool *closed)
{
    const Micros runTimeout = fromDuration(run.s.run_timeout());
    for (const auto &cmd : req.commands()) {
        switch (cmd.command_type()) {
        case enums::v1::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK: {
            auto a = cmd.schedule_activity_task_command_attributes();
            (void)normalizeActivityTimeouts(&a, runTimeout);
            fillRetryDefaults(a.mutable_retry_policy());
            if (a.task_queue().name().empty())
                a.mutable_task_queue()->set_name(run.s.task_queue());
            a.mutable_task_queue()->set_kind(enums::v1::TASK_QUEUE_KIND_NORMAL);
            auto &e = append(run, enums::v1::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
            auto *ea = e.mutable_activity_task_scheduled_event_attributes();
            ea->set_activity_id(a.activity_id());
            *ea->mutable_activity_type() = a.activity_type();
            *ea->mutable_task_queue() = a.task_queue();
            *ea->mutable_header() = a.header();
            *ea->mutable_input() = a.input();
            *ea->mutable_schedule_to_close_timeout() = a.schedule_to_close_timeout();
            *ea->mutable_schedule_to_start_timeout() = a.schedule_to_start_timeout();
            *ea->mutable_start_to_close_timeout() = a.start_to_close_timeout();
            *ea->mutable_heartbeat_timeout() = a.heartbeat_timeout();
            ea->set_workflow_task_completed_event_id(completedId);
            *ea->mutable_retry_policy() = a.retry_policy();
            if (a.has_priority())
                *ea->mutable_priority() = a.priority();
            auto &act = *run.s.add_activities();
            act.set_scheduled_event_id(e.event_id());
            act.set_activity_id(a.activity_id());
            act.set_activity_type(a.activity_type().name());
            act.set_task_queue(a.task_queue().name());
            *act.mutable_header() = a.header();
            *act.mutable_input() = a.input();
            *act.mutable_schedule_to_close_timeout() = a.schedule_to_close_timeout();
            *act.mutable_schedule_to_start_timeout() = a.schedule_to_start_timeout();
            *act.mutable_start_to_close_timeout() = a.start_to_close_timeout();
            *act.mutable_heartbeat_timeout() = a.heartbeat_timeout();
            *act.mutable_retry_policy() = a.retry_policy();
            if (a.has_priority())
                *act.mutable_priority() = a.priority();
            act.set_attempt(1);
            *act.mutable_scheduled_time() = e.event_time();
            *act.mutable_attempt_scheduled_time() = e.event_time();
            enqueueActivity(run, act);
            armScheduleToClose(run, act);
            armAttemptTimers(run, act);
            break;
        }
        case enums::v1::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK: {
            const auto sid = cmd.request_cancel_activity_task_command_attributes().scheduled_event_id();
            auto &e = append(run, enums::v1::EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
            auto *ea = e.mutable_activity_task_cancel_requested_event_attributes();
            ea->set_scheduled_event_id(sid);
            ea->set_workflow_task_completed_event_id(completedId);
            st::ActivityState *act = findActivity(run, sid);
            if (!act)
                break;
            if (act->state() == st::ActivityState::STATE_STARTED) {
                act->set_cancel_requested(true);
                act->set_cancel_requested_event_id(e.event_id());
                break;
            }
            // Never started: cancelled at once, and the workflow hears about it in a new task.
            const auto requestedId = e.event_id();
            auto &c = append(run, enums::v1::EVENT_TYPE_ACTIVITY_TASK_CANCELED);
            auto *ca = c.mutable_activity_task_canceled_event_attributes();
            auto *p = ca->mutable_details()->add_payloads();
            (*p->mutable_metadata())["encoding"] = "json/plain";
            p->set_data("\"ACTIVITY_ID_NOT_STARTED\"");
            ca->set_latest_cancel_requested_event_id(requestedId);
            ca->set_scheduled_event_id(sid);
            ca->set_started_event_id(0);
            removeActivity(run, sid);
            run.newWorkflowTaskWanted = true;
            break;
        }
        case enums::v1::COMMAND_TYPE_START_TIMER: {
            const auto &a = cmd.start_timer_command_attributes();
            auto &e = append(run, enums::v1::EVENT_TYPE_TIMER_STARTED);
            auto *ea = e.mutable_timer_started_event_attributes();
            ea->set_timer_id(a.timer_id());
            *ea->mutable_start_to_fire_timeout() = a.start_to_fire_timeout();
            ea->set_workflow_task_completed_event_id(completedId);
            auto &t = *run.s.add_timers();
            t.set_timer_id(a.timer_id());
            t.set_started_event_id(e.event_id());
            const TimePoint fire = now() + fromDuration(a.start_to_fire_timeout());
            *t.mutable_fire_time() = toTimestamp(fire);
            const std::string runId = run.s.run_id();
            const std::string timerId = a.timer_id();
            const auto startedId = e.event_id();
            m_timers.schedule(fire, [this, runId, timerId, startedId] { onUserTimer(runId, timerId, startedId); });
            break;
        }
        case enums::v1::COMMAND_TYPE_CANCEL_TIMER: {
            const auto &timerId = cmd.cancel_timer_command_attributes().timer_id();
            auto *timers = run.s.mutable_timers();
            for (int i = 0; i < timers->size(); ++i) {
                if (timers->Get(i).timer_id() != timerId)
                    continue;
                auto &e = append(run, enums::v1::EVENT_TYPE_TIMER_CANCELED);
                auto *ea = e.mutable_timer_canceled_event_attributes();
                ea->set_timer_id(timerId);
                ea->set_started_event_id(timers->Get(i).started_event_id());
                ea->set_workflow_task_completed_event_id(completedId);
                ea->set_identity(req.identity());
                timers->DeleteSubrange(i, 1);
                break;
            }
            break;
        }
        case enums::v1::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION: {
            auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
            auto *ea = e.mutable_workflow_execution_completed_event_attributes();
            *ea->mutable_result() = cmd.complete_workflow_execution_command_attributes().result();
            ea->set_workflow_task_completed_event_id(completedId);
            run.s.set_status(enums::v1::WORKFLOW_EXECUTION_STATUS_COMPLETED);
            *closed = true;
            return;
        }
        case enums::v1::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION: {
            auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
            auto *ea = e.mutable_workflow_execution_failed_event_attributes();
            *ea->mutable_failure() = cmd.fail_workflow_execution_command_attributes().failure();
            ea->set_retry_state(enums::v1::RETRY_STATE_RETRY_POLICY_NOT_SET);
            ea->set_workflow_task_completed_event_id(completedId);
            run.s.set_status(enums::v1::WORKFLOW_EXECUTION_STATUS_FAILED);
            *closed = true;
            return;
        }
        case enums::v1::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION: {
            auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
            auto *ea = e.mutable_workflow_execution_canceled_event_attributes();
            ea->set_workflow_task_completed_event_id(completedId);
            *ea->mutable_details() = cmd.cancel_workflow_execution_command_attributes().details();
            run.s.set_status(enums::v1::WORKFLOW_EXECUTION_STATUS_CANCELED);
            *closed = true;
            return;
        }
        case enums::v1::COMMAND_TYPE_RECORD_MARKER: {
            const auto &a = cmd.record_marker_command_attributes();
            auto &e = append(run, enums::v1::EVENT_TYPE_MARKER_RECORDED);
            auto *ea = e.mutable_marker_recorded_event_attributes();
            ea->set_marker_name(a.marker_name());
            *ea->mutable_details() = a.details();
            ea->set_workflow_task_completed_event_id(completedId);
            if (a.has_header())
                *ea->mutable_header() = a.header();
            if (a.has_failure())
                *ea->mutable_failure() = a.failure();
            break;
        }
        case enums::v1::COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
            const auto &sa = cmd.upsert_workflow_search_attributes_command_attributes().search_attributes();
            auto &e = append(run, enums::v1::EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
            auto *ea = e.mutable_upsert_workflow_search_attributes_event_attributes();
            ea->set_workflow_task_completed_event_id(completedId);
            *ea->mutable_search_attributes() = sa;
            for (const auto &[k, v] : sa.indexed_fields())
                (*run.s.mutable_search_attributes()->mutable_indexed_fields())[k] = v;
            break;
        }
        case enums::v1::COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES: {
            const auto &memo = cmd.modify_workflow_properties_command_attributes().upserted_memo();
            auto &e = append(run, enums::v1::EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED);
            auto *ea = e.mutable_workflow_properties_modified_event_attributes();
            ea->set_workflow_task_completed_event_id(completedId);
            *ea->mutable_upserted_memo() = memo;
            for (const auto &[k, v] : memo.fields())
                (*run.s.mutable_memo()->mutable_fields())[k] = v;
            break;
        }
        default:
            break; // rejected by validateCommands
        }
    }
}

} // namespace Nebula::DevServer
