#pragma once

// A minimal, in-memory stand-in for the server's history writer (docs/temporal-protocol.md §3.3,
// §4): turns completions into WorkflowTaskCompleted + command events, appends external events,
// and hands out workflow tasks with full or partial (sticky) history. For driving the workflow
// task processor directly.

#include "temporal/payloadconverter.h"
#include "temporal/worker/internal/failureconvert.h"

#include <temporal/api/enums/v1/event_type.pb.h>
#include <temporal/api/workflowservice/v1/request_response.pb.h>

#include <QHash>
#include <QJsonArray>
#include <QString>

namespace Test {

namespace ws = temporal::api::workflowservice::v1;
namespace enums = temporal::api::enums::v1;
using temporal::api::history::v1::HistoryEvent;

class FakeHistory
{
public:
    FakeHistory(const QString &workflowType, const QJsonArray &input, const std::string &runId = "run-1")
        : m_runId(runId)
    {
        auto *e = add(enums::EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
        auto *a = e->mutable_workflow_execution_started_event_attributes();
        a->mutable_workflow_type()->set_name(workflowType.toStdString());
        a->mutable_task_queue()->set_name("q");
        *a->mutable_input() = Nebula::Temporal::PayloadConverter::fromJsonArgs(input);
        a->set_original_execution_run_id(runId);
        a->set_first_execution_run_id(runId);
        a->set_attempt(1);
        a->set_workflow_id("wf-1");
    }

    // Schedules and starts a workflow task. `full` = history from event 1, else from the last
    // completed task's started event + 1 (what a sticky poll gets).
    ws::PollWorkflowTaskQueueResponse task(bool full, int attempt = 1)
    {
        auto *s = add(enums::EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
        s->mutable_workflow_task_scheduled_event_attributes()->set_attempt(attempt);
        auto *t = add(enums::EVENT_TYPE_WORKFLOW_TASK_STARTED);
        t->mutable_workflow_task_started_event_attributes()->set_scheduled_event_id(s->event_id());
        m_scheduled = s->event_id();
        m_started = t->event_id();
        return currentTask(full, attempt);
    }

    ws::PollWorkflowTaskQueueResponse currentTask(bool full, int attempt = 1) const
    {
        ws::PollWorkflowTaskQueueResponse r;
        r.set_task_token("token-" + std::to_string(m_started) + "-" + std::to_string(attempt));
        r.mutable_workflow_execution()->set_workflow_id("wf-1");
        r.mutable_workflow_execution()->set_run_id(m_runId);
        r.mutable_workflow_type()->set_name(m_history.events(0).workflow_execution_started_event_attributes().workflow_type().name());
        r.set_previous_started_event_id(m_previousStarted);
        r.set_started_event_id(m_started);
        r.set_attempt(attempt);
        r.mutable_workflow_execution_task_queue()->set_name("q");
        auto *h = r.mutable_history();
        for (const auto &e : m_history.events()) {
            if (full || e.event_id() > m_previousStarted)
                *h->add_events() = e;
        }
        return r;
    }

    // A legacy query task: empty history (sticky) or full history.
    ws::PollWorkflowTaskQueueResponse queryTask(const QString &type, bool full) const
    {
        ws::PollWorkflowTaskQueueResponse r;
        r.set_task_token("query-token");
        r.mutable_workflow_execution()->set_workflow_id("wf-1");
        r.mutable_workflow_execution()->set_run_id(m_runId);
        r.set_previous_started_event_id(m_previousStarted);
        r.set_attempt(1);
        r.mutable_query()->set_query_type(type.toStdString());
        auto *h = r.mutable_history();
        if (full)
            *h = m_history;
        return r;
    }

    void complete(const ws::RespondWorkflowTaskCompletedRequest &req)
    {
        auto *c = add(enums::EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
        c->mutable_workflow_task_completed_event_attributes()->set_scheduled_event_id(m_scheduled);
        c->mutable_workflow_task_completed_event_attributes()->set_started_event_id(m_started);
        *c->mutable_workflow_task_completed_event_attributes()->mutable_sdk_metadata() = req.sdk_metadata();
        const qint64 completedId = c->event_id();
        m_previousStarted = m_started;
        for (const auto &cmd : req.commands()) {
            switch (cmd.command_type()) {
            case enums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK: {
                const auto &a = cmd.schedule_activity_task_command_attributes();
                auto *e = add(enums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
                auto *attrs = e->mutable_activity_task_scheduled_event_attributes();
                attrs->set_activity_id(a.activity_id());
                *attrs->mutable_activity_type() = a.activity_type();
                *attrs->mutable_input() = a.input();
                attrs->set_workflow_task_completed_event_id(completedId);
                m_scheduledIds.insert(QString::fromStdString(a.activity_id()), e->event_id());
                break;
            }
            case enums::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK: {
                const qint64 sched = cmd.request_cancel_activity_task_command_attributes().scheduled_event_id();
                auto *e = add(enums::EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
                e->mutable_activity_task_cancel_requested_event_attributes()->set_scheduled_event_id(sched);
                e->mutable_activity_task_cancel_requested_event_attributes()->set_workflow_task_completed_event_id(completedId);
                // Not started: the server cancels it at once.
                auto *c2 = add(enums::EVENT_TYPE_ACTIVITY_TASK_CANCELED);
                c2->mutable_activity_task_canceled_event_attributes()->set_scheduled_event_id(sched);
                c2->mutable_activity_task_canceled_event_attributes()->set_latest_cancel_requested_event_id(e->event_id());
                break;
            }
            case enums::COMMAND_TYPE_START_TIMER: {
                auto *e = add(enums::EVENT_TYPE_TIMER_STARTED);
                e->mutable_timer_started_event_attributes()->set_timer_id(cmd.start_timer_command_attributes().timer_id());
                e->mutable_timer_started_event_attributes()->set_workflow_task_completed_event_id(completedId);
                m_timerStarted.insert(QString::fromStdString(cmd.start_timer_command_attributes().timer_id()), e->event_id());
                break;
            }
            case enums::COMMAND_TYPE_CANCEL_TIMER: {
                auto *e = add(enums::EVENT_TYPE_TIMER_CANCELED);
                e->mutable_timer_canceled_event_attributes()->set_timer_id(cmd.cancel_timer_command_attributes().timer_id());
                break;
            }
            case enums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
                add(enums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                    ->mutable_workflow_execution_completed_event_attributes()
                    ->set_workflow_task_completed_event_id(completedId);
                break;
            case enums::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION:
                *add(enums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED)
                     ->mutable_workflow_execution_failed_event_attributes()
                     ->mutable_failure() = cmd.fail_workflow_execution_command_attributes().failure();
                break;
            case enums::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION:
                add(enums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
                break;
            default:
                break;
            }
        }
    }

    void failTask()
    {
        auto *f = add(enums::EVENT_TYPE_WORKFLOW_TASK_FAILED);
        f->mutable_workflow_task_failed_event_attributes()->set_scheduled_event_id(m_scheduled);
        f->mutable_workflow_task_failed_event_attributes()->set_started_event_id(m_started);
    }

    void completeActivity(const QString &activityId, const QJsonValue &result)
    {
        const qint64 sched = m_scheduledIds.value(activityId);
        const qint64 started = startActivity(sched);
        auto *e = add(enums::EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
        auto *a = e->mutable_activity_task_completed_event_attributes();
        a->set_scheduled_event_id(sched);
        a->set_started_event_id(started);
        *a->mutable_result()->add_payloads() = Nebula::Temporal::PayloadConverter::fromJson(result);
    }

    void failActivity(const QString &activityId, const Nebula::Error &error)
    {
        const qint64 sched = m_scheduledIds.value(activityId);
        const qint64 started = startActivity(sched);
        auto *a = add(enums::EVENT_TYPE_ACTIVITY_TASK_FAILED)->mutable_activity_task_failed_event_attributes();
        a->set_scheduled_event_id(sched);
        a->set_started_event_id(started);
        *a->mutable_failure() = Nebula::Temporal::Internal::toFailure(error);
        a->set_retry_state(enums::RETRY_STATE_NON_RETRYABLE_FAILURE);
    }

    void signal(const QString &name, const QJsonArray &args)
    {
        auto *a = add(enums::EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)->mutable_workflow_execution_signaled_event_attributes();
        a->set_signal_name(name.toStdString());
        *a->mutable_input() = Nebula::Temporal::PayloadConverter::fromJsonArgs(args);
    }

    void requestCancel(const QString &reason)
    {
        add(enums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)
            ->mutable_workflow_execution_cancel_requested_event_attributes()
            ->set_cause(reason.toStdString());
    }

    void fireTimer(const QString &timerId)
    {
        auto *a = add(enums::EVENT_TYPE_TIMER_FIRED)->mutable_timer_fired_event_attributes();
        a->set_timer_id(timerId.toStdString());
        a->set_started_event_id(m_timerStarted.value(timerId));
    }

    // GetWorkflowExecutionHistory with pages of `pageSize` events (token = next event id).
    ws::GetWorkflowExecutionHistoryResponse page(const std::string &token, int pageSize) const
    {
        ws::GetWorkflowExecutionHistoryResponse r;
        const qint64 from = token.empty() ? 1 : std::stoll(token);
        for (const auto &e : m_history.events()) {
            if (e.event_id() >= from && e.event_id() < from + pageSize)
                *r.mutable_history()->add_events() = e;
        }
        if (from + pageSize <= m_history.events_size())
            r.set_next_page_token(std::to_string(from + pageSize));
        return r;
    }

    const temporal::api::history::v1::History &history() const { return m_history; }

private:
    HistoryEvent *add(enums::EventType type)
    {
        auto *e = m_history.add_events();
        e->set_event_id(m_history.events_size());
        e->set_event_type(type);
        e->mutable_event_time()->set_seconds(1767600000 + m_history.events_size());
        return e;
    }
    qint64 startActivity(qint64 sched)
    {
        auto *s = add(enums::EVENT_TYPE_ACTIVITY_TASK_STARTED);
        s->mutable_activity_task_started_event_attributes()->set_scheduled_event_id(sched);
        s->mutable_activity_task_started_event_attributes()->set_attempt(1);
        return s->event_id();
    }

    std::string m_runId;
    temporal::api::history::v1::History m_history;
    qint64 m_scheduled = 0;
    qint64 m_started = 0;
    qint64 m_previousStarted = 0;
    QHash<QString, qint64> m_scheduledIds;
    QHash<QString, qint64> m_timerStarted;
};

} // namespace Test
