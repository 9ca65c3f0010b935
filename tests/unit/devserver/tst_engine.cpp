// Exact history sequences of docs/temporal-protocol.md §3.4 (A–E) and the event-writing rules of
// §3.3, driven in-process through the Service dispatcher.
#include "enginedriver.h"

#include "temporal/grpcstatus.h"

#include <devserver/state.pb.h>
#include <temporal/api/errordetails/v1/message.pb.h>

#include <QTest>

#include <thread>

using namespace Nebula::DevServer;
using namespace Nebula::DevServer::Testing;
namespace cmd = temporal::api::command::v1;

namespace {

EngineOptions fastOptions()
{
    EngineOptions o;
    o.historyLongPoll = std::chrono::milliseconds(500);
    o.taskLongPoll = std::chrono::milliseconds(1500);
    return o;
}

// Event types by number, to keep expectations short (see EventType in the API).
enum E {
    Started = 1, Completed = 2, Failed = 3, TimedOut = 4, WftScheduled = 5, WftStarted = 6, WftCompleted = 7,
    WftTimedOut = 8, WftFailed = 9, ActScheduled = 10, ActStarted = 11, ActCompleted = 12, ActFailed = 13,
    ActTimedOut = 14, ActCancelRequested = 15, ActCanceled = 16, TimerStarted = 17, TimerFired = 18,
    CancelRequested = 20, Canceled = 21, Signaled = 26, Terminated = 27,
};

ws::SignalWorkflowExecutionRequest signalRequest(const std::string &id, const std::string &requestId = {})
{
    ws::SignalWorkflowExecutionRequest req;
    req.set_namespace_("default");
    req.mutable_workflow_execution()->set_workflow_id(id);
    req.set_signal_name("poke");
    req.set_identity("test-client");
    req.set_request_id(requestId);
    return req;
}

template <typename Pred>
bool waitUntil(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10))
{
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (pred())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred();
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sequenceA_twoActivitiesWithStickyQueue();
    void sequenceB_retriesWriteNothing();
    void sequenceB_maximumAttemptsReached();
    void bufferedEventsAndUnhandledCommand();
    void bufferedEventsFlushAfterCommandEvents();
    void sequenceD_failureThenTransientAttempts();
    void workflowTaskTimeout();
    void sequenceC_terminate_data();
    void sequenceC_terminate();
    void sequenceE_cancellation();
    void heartbeatReportsCancelRequested();
    void activityTimeoutsAndDescribe();
    void legacyQuery();
    void queryAttachedToWorkflowTask();
    void queryFailsAndTimesOut();
    void historyPagingLongPollAndCloseEvent();
    void tenThousandEvents();
    void startPolicies();
    void badInput();
    void timersFire();
};

void TestEngine::sequenceA_twoActivitiesWithStickyQueue()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    const auto start = d.startWorkflow("wf-a");
    QVERIFY(start.ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(t1.ok());
    QCOMPARE(t1.resp.previous_started_event_id(), 0);
    QCOMPARE(t1.resp.started_event_id(), 3);
    QCOMPARE(t1.resp.history().events_size(), 3);
    QVERIFY(t1.resp.has_workflow_execution_task_queue());
    const auto &started = t1.resp.history().events(0).workflow_execution_started_event_attributes();
    QCOMPARE(started.original_execution_run_id(), start.resp.run_id());
    QCOMPARE(started.first_execution_run_id(), start.resp.run_id());
    QCOMPARE(started.attempt(), 1);
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::scheduleActivity("1")}, "sticky-1").ok());

    // A sticky poller exists from now on.
    auto stickyPoll = d.start("PollWorkflowTaskQueue", [] {
        ws::PollWorkflowTaskQueueRequest r;
        r.set_namespace_("default");
        r.mutable_task_queue()->set_name("sticky-1");
        r.mutable_task_queue()->set_kind(en::TASK_QUEUE_KIND_STICKY);
        r.set_identity("test-worker");
        return r;
    }());
    auto a1 = d.pollActivity();
    QVERIFY(a1.ok());
    QCOMPARE(a1.resp.attempt(), 1);
    QCOMPARE(d.eventTypes("wf-a").size(), 5u); // no ActivityTaskStarted at dispatch
    QVERIFY(d.completeActivity(a1.resp.task_token()).ok());
    QVERIFY(stickyPoll->wait(std::chrono::seconds(5)));
    ws::PollWorkflowTaskQueueResponse t2;
    QVERIFY(t2.ParseFromString(stickyPoll->bytes()));
    QCOMPARE(t2.previous_started_event_id(), 3);
    QCOMPARE(t2.started_event_id(), 9);
    QCOMPARE(t2.history().events(0).event_id(), 4); // partial history 4..9
    QCOMPARE(t2.history().events_size(), 6);
    QCOMPARE(t2.workflow_execution_task_queue().name(), std::string("tq"));
    QCOMPARE(t2.history().events(4).workflow_task_scheduled_event_attributes().task_queue().kind(),
             en::TASK_QUEUE_KIND_STICKY);
    QVERIFY(d.complete(t2.task_token(), {EngineDriver::scheduleActivity("2")}, "sticky-1").ok());
    auto a2 = d.pollActivity();
    QVERIFY(a2.ok());
    QVERIFY(d.completeActivity(a2.resp.task_token()).ok());
    auto t3 = d.pollWorkflow("sticky-1", true);
    QVERIFY(t3.ok());
    QCOMPARE(t3.resp.started_event_id(), 15);
    QVERIFY(d.complete(t3.resp.task_token(), {EngineDriver::completeWorkflow()}, "sticky-1").ok());

    const std::vector<int> expected{Started, WftScheduled, WftStarted, WftCompleted, ActScheduled, ActStarted, ActCompleted,
                                    WftScheduled, WftStarted, WftCompleted, ActScheduled, ActStarted, ActCompleted,
                                    WftScheduled, WftStarted, WftCompleted, Completed};
    QCOMPARE(d.eventTypes("wf-a"), expected);
    const auto h = d.history("wf-a").resp.history();
    for (int i = 0; i < h.events_size(); ++i) {
        QCOMPARE(h.events(i).event_id(), i + 1);
        QVERIFY(h.events(i).has_event_time());
    }
    QCOMPARE(h.events(4).activity_task_scheduled_event_attributes().workflow_task_completed_event_id(), 4);
    QCOMPARE(h.events(4).activity_task_scheduled_event_attributes().activity_id(), std::string("1"));
    QCOMPARE(h.events(5).activity_task_started_event_attributes().scheduled_event_id(), 5);
    QCOMPARE(h.events(6).activity_task_completed_event_attributes().started_event_id(), 6);
    QCOMPARE(h.events(3).workflow_task_completed_event_attributes().sdk_metadata().lang_used_flags_size(), 1);
    QCOMPARE(h.events(16).workflow_execution_completed_event_attributes().workflow_task_completed_event_id(), 16);
    // A completed workflow's tokens are stale.
    QCOMPARE(d.completeActivity(a2.resp.task_token()).status.error_code(), grpc::StatusCode::NOT_FOUND);
}

void TestEngine::sequenceB_retriesWriteNothing()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-b").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::scheduleActivity("1", 10, 0, 100)}).ok());
    std::string previousToken;
    for (int attempt = 1; attempt <= 2; ++attempt) {
        auto a = d.pollActivity();
        QVERIFY(a.ok());
        QCOMPARE(a.resp.attempt(), attempt);
        QVERIFY(a.resp.task_token() != previousToken); // one token per attempt
        previousToken = a.resp.task_token();
        QVERIFY(d.failActivity(a.resp.task_token(), "fail " + std::to_string(attempt)).ok());
        QCOMPARE(d.eventTypes("wf-b").size(), 5u); // retries write nothing
        ws::DescribeWorkflowExecutionRequest dr;
        dr.set_namespace_("default");
        dr.mutable_execution()->set_workflow_id("wf-b");
        auto desc = d.call<ws::DescribeWorkflowExecutionResponse>("DescribeWorkflowExecution", dr);
        QVERIFY(desc.ok());
        QCOMPARE(desc.resp.pending_activities_size(), 1);
        QCOMPARE(desc.resp.pending_activities(0).attempt(), attempt + 1);
        QCOMPARE(desc.resp.pending_activities(0).last_failure().message(), "fail " + std::to_string(attempt));
    }
    // The old token of attempt 2 no longer works.
    QCOMPARE(d.completeActivity(previousToken).status.error_code(), grpc::StatusCode::NOT_FOUND);
    auto a3 = d.pollActivity();
    QCOMPARE(a3.resp.attempt(), 3);
    QVERIFY(d.completeActivity(a3.resp.task_token()).ok());
    const auto h = d.history("wf-b").resp.history();
    QCOMPARE(h.events(5).event_type(), en::EVENT_TYPE_ACTIVITY_TASK_STARTED);
    QCOMPARE(h.events(5).activity_task_started_event_attributes().attempt(), 3);
    QCOMPARE(h.events(5).activity_task_started_event_attributes().last_failure().message(), std::string("fail 2"));
    QCOMPARE(h.events(6).event_type(), en::EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
    QCOMPARE(h.events(7).event_type(), en::EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
}

void TestEngine::sequenceB_maximumAttemptsReached()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-b2").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::scheduleActivity("1", 10, 3, 50)}).ok());
    for (int attempt = 1; attempt <= 3; ++attempt) {
        auto a = d.pollActivity();
        QCOMPARE(a.resp.attempt(), attempt);
        QVERIFY(d.failActivity(a.resp.task_token(), "boom " + std::to_string(attempt)).ok());
    }
    const auto h = d.history("wf-b2").resp.history();
    QCOMPARE(d.eventTypes("wf-b2"), (std::vector<int>{Started, WftScheduled, WftStarted, WftCompleted, ActScheduled, ActStarted, ActFailed, WftScheduled}));
    QCOMPARE(h.events(5).activity_task_started_event_attributes().attempt(), 3);
    const auto &failed = h.events(6).activity_task_failed_event_attributes();
    QCOMPARE(failed.retry_state(), en::RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    QCOMPARE(failed.failure().message(), std::string("boom 3"));
    QCOMPARE(failed.started_event_id(), 6);
    QCOMPARE(h.events(7).event_type(), en::EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);

    // Non-retryable failures end at once.
    QVERIFY(d.startWorkflow("wf-b3", "tq3").ok());
    auto t = d.pollWorkflow("tq3");
    QVERIFY(d.complete(t.resp.task_token(), {EngineDriver::scheduleActivity("1")}).ok());
    auto a = d.pollActivity("tq3");
    QVERIFY(d.failActivity(a.resp.task_token(), "fatal", true).ok());
    const auto h3 = d.history("wf-b3").resp.history();
    QCOMPARE(h3.events_size(), 8);
    QCOMPARE(h3.events(6).activity_task_failed_event_attributes().retry_state(), en::RETRY_STATE_NON_RETRYABLE_FAILURE);
}

void TestEngine::bufferedEventsAndUnhandledCommand()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-u").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.call<ws::SignalWorkflowExecutionResponse>("SignalWorkflowExecution", signalRequest("wf-u")).ok());
    QCOMPARE(d.eventTypes("wf-u").size(), 3u); // buffered, not written
    const auto r = d.complete(t1.resp.task_token(), {EngineDriver::completeWorkflow()});
    QCOMPARE(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    QCOMPARE(r.status.error_message(), std::string("UnhandledCommand"));
    const std::vector<int> expected{Started, WftScheduled, WftStarted, WftFailed, Signaled, WftScheduled};
    QCOMPARE(d.eventTypes("wf-u"), expected);
    const auto h = d.history("wf-u").resp.history();
    QCOMPARE(h.events(3).workflow_task_failed_event_attributes().cause(), en::WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND);
    QCOMPARE(h.events(5).workflow_task_scheduled_event_attributes().attempt(), 1);
    auto t2 = d.pollWorkflow();
    QCOMPARE(t2.resp.history().events_size(), 7); // full history (stickiness cleared)
    QVERIFY(d.complete(t2.resp.task_token(), {EngineDriver::completeWorkflow()}).ok());
}

void TestEngine::bufferedEventsFlushAfterCommandEvents()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-f").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.call<ws::SignalWorkflowExecutionResponse>("SignalWorkflowExecution", signalRequest("wf-f", "sig-1")).ok());
    // A repeated request_id is a no-op.
    QVERIFY(d.call<ws::SignalWorkflowExecutionResponse>("SignalWorkflowExecution", signalRequest("wf-f", "sig-1")).ok());
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::startTimer("t", 60000)}).ok());
    const std::vector<int> expected{Started, WftScheduled, WftStarted, WftCompleted, TimerStarted, Signaled, WftScheduled};
    QCOMPARE(d.eventTypes("wf-f"), expected);
}

void TestEngine::sequenceD_failureThenTransientAttempts()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-d").ok());
    auto t1 = d.pollWorkflow();
    ws::RespondWorkflowTaskFailedRequest fr;
    fr.set_namespace_("default");
    fr.set_task_token(t1.resp.task_token());
    fr.set_cause(en::WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR);
    fr.mutable_failure()->set_message("[TMPRL1100] Nondeterminism error");
    QVERIFY(d.call<ws::RespondWorkflowTaskFailedResponse>("RespondWorkflowTaskFailed", fr).ok());
    QCOMPARE(d.eventTypes("wf-d").size(), 4u);
    // Attempt 2 is transient: delivered with Scheduled/Started appended, nothing written.
    auto t2 = d.pollWorkflow();
    QCOMPARE(t2.resp.attempt(), 2);
    QCOMPARE(t2.resp.started_event_id(), 6);
    QCOMPARE(t2.resp.history().events_size(), 6);
    QCOMPARE(t2.resp.history().events(4).workflow_task_scheduled_event_attributes().attempt(), 2);
    QCOMPARE(d.eventTypes("wf-d").size(), 6u); // GetHistory's last page carries the transient events too
    fr.set_task_token(t2.resp.task_token());
    QVERIFY(d.call<ws::RespondWorkflowTaskFailedResponse>("RespondWorkflowTaskFailed", fr).ok());
    auto t3 = d.pollWorkflow();
    QCOMPARE(t3.resp.attempt(), 3);
    QVERIFY(d.complete(t3.resp.task_token(), {EngineDriver::completeWorkflow()}).ok());
    const std::vector<int> expected{Started, WftScheduled, WftStarted, WftFailed, WftScheduled, WftStarted, WftCompleted, Completed};
    QCOMPARE(d.eventTypes("wf-d"), expected);
    QCOMPARE(d.history("wf-d").resp.history().events(4).workflow_task_scheduled_event_attributes().attempt(), 3);
}

void TestEngine::workflowTaskTimeout()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-t", "tq", "Wf", 1).ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(t1.ok());
    QVERIFY(waitUntil([&] { return d.eventTypes("wf-t").size() == 4u; }, std::chrono::seconds(5)));
    const auto h = d.history("wf-t").resp.history();
    QCOMPARE(h.events(3).event_type(), en::EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    QCOMPARE(h.events(3).workflow_task_timed_out_event_attributes().timeout_type(), en::TIMEOUT_TYPE_START_TO_CLOSE);
    // The late answer of the timed-out attempt is stale.
    QCOMPARE(d.complete(t1.resp.task_token(), {EngineDriver::completeWorkflow()}).status.error_code(),
             grpc::StatusCode::NOT_FOUND);
    auto t2 = d.pollWorkflow();
    QCOMPARE(t2.resp.attempt(), 2);
    QVERIFY(d.complete(t2.resp.task_token(), {EngineDriver::completeWorkflow()}).ok());
}

void TestEngine::sequenceC_terminate_data()
{
    QTest::addColumn<int>("when");
    QTest::addColumn<std::vector<int>>("expected");
    QTest::newRow("before any poll") << 0 << std::vector<int>{Started, WftScheduled, Terminated};
    QTest::newRow("task started") << 1 << std::vector<int>{Started, WftScheduled, WftStarted, WftFailed, Terminated};
    QTest::newRow("activity running")
        << 2 << std::vector<int>{Started, WftScheduled, WftStarted, WftCompleted, ActScheduled, Terminated};
}

void TestEngine::sequenceC_terminate()
{
    QFETCH(int, when);
    QFETCH(std::vector<int>, expected);
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    const auto start = d.startWorkflow("wf-c");
    std::string activityToken;
    if (when >= 1) {
        auto t = d.pollWorkflow();
        if (when == 2) {
            QVERIFY(d.complete(t.resp.task_token(), {EngineDriver::scheduleActivity("1")}).ok());
            activityToken = d.pollActivity().resp.task_token();
        }
    }
    ws::TerminateWorkflowExecutionRequest req;
    req.set_namespace_("default");
    req.mutable_workflow_execution()->set_workflow_id("wf-c");
    req.set_first_execution_run_id(start.resp.run_id()); // how TS handles address the run
    req.set_reason("test");
    req.set_identity("test-client");
    QVERIFY(d.call<ws::TerminateWorkflowExecutionResponse>("TerminateWorkflowExecution", req).ok());
    QCOMPARE(d.eventTypes("wf-c"), expected);
    if (when == 1) {
        const auto h = d.history("wf-c").resp.history();
        QCOMPARE(h.events(3).workflow_task_failed_event_attributes().cause(), en::WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND);
        QCOMPARE(h.events(3).workflow_task_failed_event_attributes().identity(), std::string("history-service"));
    }
    if (!activityToken.empty())
        QCOMPARE(d.completeActivity(activityToken).status.error_code(), grpc::StatusCode::NOT_FOUND);
    // A second terminate: the workflow is closed.
    QCOMPARE(d.call<ws::TerminateWorkflowExecutionResponse>("TerminateWorkflowExecution", req).status.error_code(),
             grpc::StatusCode::NOT_FOUND);
}

void TestEngine::sequenceE_cancellation()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-e").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::scheduleActivity("1")}).ok());
    ws::RequestCancelWorkflowExecutionRequest cr;
    cr.set_namespace_("default");
    cr.mutable_workflow_execution()->set_workflow_id("wf-e");
    cr.set_reason("stop");
    QVERIFY(d.call<ws::RequestCancelWorkflowExecutionResponse>("RequestCancelWorkflowExecution", cr).ok());
    QVERIFY(d.call<ws::RequestCancelWorkflowExecutionResponse>("RequestCancelWorkflowExecution", cr).ok()); // idempotent
    auto t2 = d.pollWorkflow();
    cmd::Command cancelAct;
    cancelAct.set_command_type(en::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK);
    cancelAct.mutable_request_cancel_activity_task_command_attributes()->set_scheduled_event_id(5);
    QVERIFY(d.complete(t2.resp.task_token(), {cancelAct}).ok());
    auto t3 = d.pollWorkflow();
    QVERIFY(t3.ok());
    cmd::Command cancelWf;
    cancelWf.set_command_type(en::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION);
    cancelWf.mutable_cancel_workflow_execution_command_attributes();
    QVERIFY(d.complete(t3.resp.task_token(), {cancelWf}).ok());
    const std::vector<int> expected{Started, WftScheduled, WftStarted, WftCompleted, ActScheduled, CancelRequested,
                                    WftScheduled, WftStarted, WftCompleted, ActCancelRequested, ActCanceled,
                                    WftScheduled, WftStarted, WftCompleted, Canceled};
    QCOMPARE(d.eventTypes("wf-e"), expected);
    const auto h = d.history("wf-e").resp.history();
    const auto &canceled = h.events(10).activity_task_canceled_event_attributes();
    QCOMPARE(canceled.details().payloads(0).data(), std::string("\"ACTIVITY_ID_NOT_STARTED\""));
    QCOMPARE(canceled.started_event_id(), 0);
    QCOMPARE(canceled.latest_cancel_requested_event_id(), 10);
    QCOMPARE(h.events(5).workflow_execution_cancel_requested_event_attributes().cause(), std::string("stop"));
    // Cancelling a closed workflow succeeds and writes nothing.
    QVERIFY(d.call<ws::RequestCancelWorkflowExecutionResponse>("RequestCancelWorkflowExecution", cr).ok());
    QCOMPARE(d.eventTypes("wf-e").size(), expected.size());
}

void TestEngine::heartbeatReportsCancelRequested()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-h").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::scheduleActivity("1")}).ok());
    auto a = d.pollActivity();
    ws::RecordActivityTaskHeartbeatRequest hb;
    hb.set_namespace_("default");
    hb.set_task_token(a.resp.task_token());
    auto *p = hb.mutable_details()->add_payloads();
    p->set_data("42");
    auto r = d.call<ws::RecordActivityTaskHeartbeatResponse>("RecordActivityTaskHeartbeat", hb);
    QVERIFY(r.ok());
    QVERIFY(!r.resp.cancel_requested());
    // Canceling without a request is refused.
    ws::RespondActivityTaskCanceledRequest canceled;
    canceled.set_namespace_("default");
    canceled.set_task_token(a.resp.task_token());
    QCOMPARE(d.call<ws::RespondActivityTaskCanceledResponse>("RespondActivityTaskCanceled", canceled).status.error_code(),
             grpc::StatusCode::INVALID_ARGUMENT);
    ws::RequestCancelWorkflowExecutionRequest cr;
    cr.set_namespace_("default");
    cr.mutable_workflow_execution()->set_workflow_id("wf-h");
    QVERIFY(d.call<ws::RequestCancelWorkflowExecutionResponse>("RequestCancelWorkflowExecution", cr).ok());
    auto t2 = d.pollWorkflow();
    cmd::Command cancelAct;
    cancelAct.set_command_type(en::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK);
    cancelAct.mutable_request_cancel_activity_task_command_attributes()->set_scheduled_event_id(5);
    QVERIFY(d.complete(t2.resp.task_token(), {cancelAct}).ok());
    r = d.call<ws::RecordActivityTaskHeartbeatResponse>("RecordActivityTaskHeartbeat", hb);
    QVERIFY(r.ok());
    QVERIFY(r.resp.cancel_requested());
    QVERIFY(d.call<ws::RespondActivityTaskCanceledResponse>("RespondActivityTaskCanceled", canceled).ok());
    const std::vector<int> expected{Started, WftScheduled, WftStarted, WftCompleted, ActScheduled, CancelRequested,
                                    WftScheduled, WftStarted, WftCompleted, ActCancelRequested, ActStarted, ActCanceled,
                                    WftScheduled};
    QCOMPARE(d.eventTypes("wf-h"), expected);
    const auto h = d.history("wf-h").resp.history();
    QCOMPARE(h.events(11).activity_task_canceled_event_attributes().started_event_id(), 11);
    QCOMPARE(h.events(11).activity_task_canceled_event_attributes().latest_cancel_requested_event_id(), 10);
}

void TestEngine::activityTimeoutsAndDescribe()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-to").ok());
    auto t1 = d.pollWorkflow();
    auto schedule = EngineDriver::scheduleActivity("1", 1, 2, 50);
    schedule.mutable_schedule_activity_task_command_attributes()->mutable_heartbeat_timeout()->set_seconds(30);
    QVERIFY(d.complete(t1.resp.task_token(), {schedule}).ok());
    const auto h0 = d.history("wf-to").resp.history();
    const auto &sched = h0.events(4).activity_task_scheduled_event_attributes();
    QCOMPARE(sched.heartbeat_timeout().seconds(), 1); // capped at start-to-close
    QCOMPARE(sched.retry_policy().backoff_coefficient(), 2.0);
    QCOMPARE(sched.retry_policy().maximum_interval().seconds(), 5); // 100 x 50 ms
    // Attempt 1 and 2 are picked up and never answered: start-to-close timeouts, then final.
    auto a1 = d.pollActivity();
    QCOMPARE(a1.resp.attempt(), 1);
    auto a2 = d.pollActivity();
    QCOMPARE(a2.resp.attempt(), 2);
    QVERIFY(waitUntil([&] { return d.eventTypes("wf-to").size() == 8u; }, std::chrono::seconds(5)));
    const auto h = d.history("wf-to").resp.history();
    QCOMPARE(h.events(5).activity_task_started_event_attributes().attempt(), 2);
    const auto &timedOut = h.events(6).activity_task_timed_out_event_attributes();
    QCOMPARE(timedOut.retry_state(), en::RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    QCOMPARE(timedOut.failure().message(), std::string("activity StartToClose timeout"));
    QCOMPARE(timedOut.failure().source(), std::string("Server"));
    QCOMPARE(timedOut.failure().cause().message(), std::string("activity StartToClose timeout")); // attempt 1's failure
}

void TestEngine::legacyQuery()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-q").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::startTimer("t", 60000)}).ok());
    ws::QueryWorkflowRequest q;
    q.set_namespace_("default");
    q.mutable_execution()->set_workflow_id("wf-q");
    q.mutable_query()->set_query_type("status");
    auto pending = d.start("QueryWorkflow", q);
    auto task = d.pollWorkflow();
    QVERIFY(task.ok());
    QVERIFY(task.resp.has_query());
    QCOMPARE(task.resp.queries_size(), 0);
    QCOMPARE(task.resp.started_event_id(), 0);
    QCOMPARE(task.resp.previous_started_event_id(), 3);
    QCOMPARE(task.resp.history().events_size(), 5);
    ws::RespondQueryTaskCompletedRequest answer;
    answer.set_namespace_("default");
    answer.set_task_token(task.resp.task_token());
    answer.set_completed_type(en::QUERY_RESULT_TYPE_ANSWERED);
    answer.mutable_query_result()->add_payloads()->set_data("\"fine\"");
    QVERIFY(d.call<ws::RespondQueryTaskCompletedResponse>("RespondQueryTaskCompleted", answer).ok());
    QVERIFY(pending->wait(std::chrono::seconds(5)));
    QVERIFY(pending->status().ok());
    ws::QueryWorkflowResponse resp;
    QVERIFY(resp.ParseFromString(pending->bytes()));
    QCOMPARE(resp.query_result().payloads(0).data(), std::string("\"fine\""));
    // Answering twice: the query task is gone.
    QCOMPARE(d.call<ws::RespondQueryTaskCompletedResponse>("RespondQueryTaskCompleted", answer).status.error_code(),
             grpc::StatusCode::NOT_FOUND);
    QCOMPARE(d.eventTypes("wf-q").size(), 5u); // queries write nothing
    // query_reject_condition NOT_OPEN on a running workflow: answered normally; on a closed one: rejected.
    q.set_query_reject_condition(en::QUERY_REJECT_CONDITION_NOT_OPEN);
    ws::TerminateWorkflowExecutionRequest term;
    term.set_namespace_("default");
    term.mutable_workflow_execution()->set_workflow_id("wf-q");
    QVERIFY(d.call<ws::TerminateWorkflowExecutionResponse>("TerminateWorkflowExecution", term).ok());
    auto rejected = d.call<ws::QueryWorkflowResponse>("QueryWorkflow", q);
    QVERIFY(rejected.ok());
    QCOMPARE(rejected.resp.query_rejected().status(), en::WORKFLOW_EXECUTION_STATUS_TERMINATED);
}

void TestEngine::queryAttachedToWorkflowTask()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-q2").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::startTimer("t", 60000)}).ok());
    // A signal schedules a task; a query arriving now rides along with it.
    QVERIFY(d.call<ws::SignalWorkflowExecutionResponse>("SignalWorkflowExecution", signalRequest("wf-q2")).ok());
    ws::QueryWorkflowRequest q;
    q.set_namespace_("default");
    q.mutable_execution()->set_workflow_id("wf-q2");
    q.mutable_query()->set_query_type("status");
    auto pending = d.start("QueryWorkflow", q);
    auto task = d.pollWorkflow();
    QVERIFY(!task.resp.has_query());
    QCOMPARE(task.resp.queries_size(), 1);
    QVERIFY(task.resp.started_event_id() > 0);
    ws::RespondWorkflowTaskCompletedRequest req;
    req.set_namespace_("default");
    req.set_task_token(task.resp.task_token());
    auto &result = (*req.mutable_query_results())[task.resp.queries().begin()->first];
    result.set_result_type(en::QUERY_RESULT_TYPE_ANSWERED);
    result.mutable_answer()->add_payloads()->set_data("\"attached\"");
    QVERIFY(d.call<ws::RespondWorkflowTaskCompletedResponse>("RespondWorkflowTaskCompleted", req).ok());
    QVERIFY(pending->wait(std::chrono::seconds(5)));
    ws::QueryWorkflowResponse resp;
    QVERIFY(resp.ParseFromString(pending->bytes()));
    QCOMPARE(resp.query_result().payloads(0).data(), std::string("\"attached\""));
}

void TestEngine::queryFailsAndTimesOut()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-q3").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::startTimer("t", 60000)}).ok());
    ws::QueryWorkflowRequest q;
    q.set_namespace_("default");
    q.mutable_execution()->set_workflow_id("wf-q3");
    q.mutable_query()->set_query_type("nope");
    auto pending = d.start("QueryWorkflow", q);
    auto task = d.pollWorkflow();
    ws::RespondQueryTaskCompletedRequest answer;
    answer.set_namespace_("default");
    answer.set_task_token(task.resp.task_token());
    answer.set_completed_type(en::QUERY_RESULT_TYPE_FAILED);
    answer.set_error_message("unknown query type nope");
    QVERIFY(d.call<ws::RespondQueryTaskCompletedResponse>("RespondQueryTaskCompleted", answer).ok());
    QVERIFY(pending->wait(std::chrono::seconds(5)));
    QCOMPARE(pending->status().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    QCOMPARE(pending->status().error_message(), std::string("unknown query type nope"));
    QVERIFY(Nebula::Temporal::statusDetail<temporal::api::errordetails::v1::QueryFailedFailure>(pending->status()));
    // No worker polling: a clear DeadlineExceeded before the caller's deadline.
    const auto r = d.call<ws::QueryWorkflowResponse>("QueryWorkflow", q, std::chrono::seconds(5),
                                                     Clock::now() + std::chrono::milliseconds(800));
    QCOMPARE(r.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    QCOMPARE(r.status.error_message(), std::string("query timed out before a worker could process it"));
}

void TestEngine::historyPagingLongPollAndCloseEvent()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    const auto start = d.startWorkflow("wf-p");
    for (int i = 0; i < 300; ++i)
        QVERIFY(d.call<ws::SignalWorkflowExecutionResponse>("SignalWorkflowExecution", signalRequest("wf-p")).ok());
    auto page1 = d.history("wf-p");
    QCOMPARE(page1.resp.history().events_size(), 256);
    QVERIFY(!page1.resp.next_page_token().empty());
    ws::GetWorkflowExecutionHistoryRequest req;
    req.set_namespace_("default");
    req.mutable_execution()->set_workflow_id("wf-p");
    req.set_next_page_token(page1.resp.next_page_token());
    auto page2 = d.call<ws::GetWorkflowExecutionHistoryResponse>("GetWorkflowExecutionHistory", req);
    QCOMPARE(page2.resp.history().events_size(), 302 - 256);
    QCOMPARE(page2.resp.history().events(0).event_id(), 257);
    QVERIFY(page2.resp.next_page_token().empty());
    // A token of another run is refused.
    req.mutable_execution()->set_run_id("00000000-0000-0000-0000-000000000000");
    QCOMPARE(d.call<ws::GetWorkflowExecutionHistoryResponse>("GetWorkflowExecutionHistory", req).status.error_code(),
             grpc::StatusCode::INVALID_ARGUMENT);

    // CLOSE_EVENT while running: after the wait, zero events and a token.
    ws::GetWorkflowExecutionHistoryRequest closeReq;
    closeReq.set_namespace_("default");
    closeReq.mutable_execution()->set_workflow_id("wf-p");
    closeReq.set_wait_new_event(true);
    closeReq.set_history_event_filter_type(en::HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT);
    auto open = d.call<ws::GetWorkflowExecutionHistoryResponse>("GetWorkflowExecutionHistory", closeReq);
    QVERIFY(open.ok());
    QCOMPARE(open.resp.history().events_size(), 0);
    QVERIFY(!open.resp.next_page_token().empty());
    // wait_new_event on ALL_EVENT: blocks until the next event.
    ws::GetWorkflowExecutionHistoryRequest tail;
    tail.set_namespace_("default");
    tail.mutable_execution()->set_workflow_id("wf-p");
    tail.set_wait_new_event(true);
    tail.set_next_page_token("h1:" + start.resp.run_id() + ":303");
    auto waiting = d.start("GetWorkflowExecutionHistory", tail);
    closeReq.set_next_page_token(open.resp.next_page_token());
    auto waitingClose = d.start("GetWorkflowExecutionHistory", closeReq);
    auto t = d.pollWorkflow();
    QVERIFY(waiting->wait(std::chrono::seconds(5)));
    ws::GetWorkflowExecutionHistoryResponse tailResp;
    QVERIFY(tailResp.ParseFromString(waiting->bytes()));
    QCOMPARE(tailResp.history().events_size(), 1);
    QCOMPARE(tailResp.history().events(0).event_type(), en::EVENT_TYPE_WORKFLOW_TASK_STARTED);
    QVERIFY(d.complete(t.resp.task_token(), {EngineDriver::completeWorkflow()}).ok());
    QVERIFY(waitingClose->wait(std::chrono::seconds(5)));
    ws::GetWorkflowExecutionHistoryResponse closeResp;
    QVERIFY(closeResp.ParseFromString(waitingClose->bytes()));
    QCOMPARE(closeResp.history().events_size(), 1);
    QCOMPARE(closeResp.history().events(0).event_type(), en::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    QVERIFY(closeResp.next_page_token().empty());
    // And once closed, straight away.
    closeReq.clear_next_page_token();
    auto closed = d.call<ws::GetWorkflowExecutionHistoryResponse>("GetWorkflowExecutionHistory", closeReq);
    QCOMPARE(closed.resp.history().events_size(), 1);
}

void TestEngine::tenThousandEvents()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-big").ok());
    for (int i = 0; i < 10000; ++i) {
        if (!d.call<ws::SignalWorkflowExecutionResponse>("SignalWorkflowExecution", signalRequest("wf-big")).ok())
            QFAIL("signal failed");
    }
    auto task = d.pollWorkflow();
    QVERIFY(task.ok());
    QCOMPARE(task.resp.started_event_id(), 10003);
    QCOMPARE(task.resp.history().events_size(), 256);
    std::string token = task.resp.next_page_token();
    std::int64_t expectedId = 257;
    while (!token.empty()) {
        ws::GetWorkflowExecutionHistoryRequest req;
        req.set_namespace_("default");
        req.mutable_execution()->set_workflow_id("wf-big");
        req.mutable_execution()->set_run_id(task.resp.workflow_execution().run_id());
        req.set_next_page_token(token);
        auto page = d.call<ws::GetWorkflowExecutionHistoryResponse>("GetWorkflowExecutionHistory", req);
        QVERIFY(page.ok());
        for (const auto &e : page.resp.history().events())
            QCOMPARE(e.event_id(), expectedId++);
        token = page.resp.next_page_token();
    }
    QCOMPARE(expectedId, 10004);
    QVERIFY(d.complete(task.resp.task_token(), {EngineDriver::completeWorkflow()}).ok());
}

void TestEngine::startPolicies()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    ws::StartWorkflowExecutionRequest req;
    req.set_namespace_("default");
    req.set_workflow_id("wf-s");
    req.mutable_workflow_type()->set_name("Wf");
    req.mutable_task_queue()->set_name("tq");
    req.set_request_id("req-1");
    auto first = d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", req);
    QVERIFY(first.ok());
    auto again = d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", req);
    QVERIFY(again.ok());
    QCOMPARE(again.resp.run_id(), first.resp.run_id()); // same request id: same run
    QVERIFY(again.resp.started());
    req.set_request_id("req-2");
    auto conflict = d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", req);
    QCOMPARE(conflict.status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
    const auto detail = Nebula::Temporal::statusDetail<temporal::api::errordetails::v1::WorkflowExecutionAlreadyStartedFailure>(
        conflict.status);
    QVERIFY(detail);
    QCOMPARE(detail->start_request_id(), std::string("req-1"));
    QCOMPARE(detail->run_id(), first.resp.run_id());
    req.set_workflow_id_conflict_policy(en::WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING);
    auto existing = d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", req);
    QVERIFY(existing.ok());
    QCOMPARE(existing.resp.run_id(), first.resp.run_id());
    QVERIFY(!existing.resp.started());
    req.set_workflow_id_conflict_policy(en::WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING);
    auto replaced = d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", req);
    QVERIFY(replaced.ok());
    QVERIFY(replaced.resp.run_id() != first.resp.run_id());
    QCOMPARE(d.eventTypes("wf-s").size(), 2u); // the new run
    ws::DescribeWorkflowExecutionRequest dr;
    dr.set_namespace_("default");
    dr.mutable_execution()->set_workflow_id("wf-s");
    dr.mutable_execution()->set_run_id(first.resp.run_id());
    QCOMPARE(d.call<ws::DescribeWorkflowExecutionResponse>("DescribeWorkflowExecution", dr).resp
                 .workflow_execution_info().status(),
             en::WORKFLOW_EXECUTION_STATUS_TERMINATED);
    // Close the current run, then check the reuse policies.
    auto t = d.pollWorkflow();
    QVERIFY(d.complete(t.resp.task_token(), {EngineDriver::completeWorkflow()}).ok());
    req.set_request_id("req-3");
    req.set_workflow_id_conflict_policy(en::WORKFLOW_ID_CONFLICT_POLICY_FAIL);
    req.set_workflow_id_reuse_policy(en::WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY);
    QCOMPARE(d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", req).status.error_code(),
             grpc::StatusCode::ALREADY_EXISTS);
    req.set_workflow_id_reuse_policy(en::WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    QCOMPARE(d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", req).status.error_code(),
             grpc::StatusCode::ALREADY_EXISTS);
    req.set_workflow_id_reuse_policy(en::WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE);
    QVERIFY(d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", req).ok());

    // SignalWithStart on a new id: Started, Signaled, WorkflowTaskScheduled.
    ws::SignalWithStartWorkflowExecutionRequest sws;
    sws.set_namespace_("default");
    sws.set_workflow_id("wf-sws");
    sws.mutable_workflow_type()->set_name("Wf");
    sws.mutable_task_queue()->set_name("tq2");
    sws.set_signal_name("go");
    QVERIFY(d.call<ws::SignalWithStartWorkflowExecutionResponse>("SignalWithStartWorkflowExecution", sws).ok());
    QVERIFY(d.call<ws::SignalWithStartWorkflowExecutionResponse>("SignalWithStartWorkflowExecution", sws).ok());
    const std::vector<int> expected{Started, Signaled, WftScheduled, Signaled};
    QCOMPARE(d.eventTypes("wf-sws"), expected);
}

void TestEngine::badInput()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-x").ok());
    // Forged and stale tokens.
    QCOMPARE(d.completeActivity("garbage").status.error_code(), grpc::StatusCode::NOT_FOUND);
    nebula::devserver::v1::TaskToken forged;
    forged.set_kind(nebula::devserver::v1::TaskToken::KIND_WORKFLOW);
    forged.set_namespace_("default");
    forged.set_workflow_id("wf-x");
    forged.set_run_id("not-a-run");
    forged.set_scheduled_event_id(2);
    QCOMPARE(d.complete(forged.SerializeAsString(), {}).status.error_code(), grpc::StatusCode::NOT_FOUND);
    QCOMPARE(d.complete(std::string(), {}).status.error_code(), grpc::StatusCode::NOT_FOUND);
    // Oversized payload.
    ws::StartWorkflowExecutionRequest big;
    big.set_namespace_("default");
    big.set_workflow_id("wf-big-input");
    big.mutable_workflow_type()->set_name("Wf");
    big.mutable_task_queue()->set_name("tq");
    big.mutable_input()->add_payloads()->set_data(std::string(2 * 1024 * 1024 + 1, 'x'));
    auto r = d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", big);
    QCOMPARE(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    QVERIFY(r.status.error_message().find("2 MiB") != std::string::npos);
    // 1000+ character ids.
    big.clear_input();
    big.set_workflow_id(std::string(1001, 'w'));
    r = d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", big);
    QCOMPARE(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    QVERIFY(r.status.error_message().find("1000") != std::string::npos);
    // Unknown namespace.
    big.set_workflow_id("ok");
    big.set_namespace_("nope");
    r = d.call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", big);
    QCOMPARE(r.status.error_code(), grpc::StatusCode::NOT_FOUND);
    QCOMPARE(r.status.error_message(), std::string("Namespace nope is not found."));
    QVERIFY(Nebula::Temporal::statusDetail<temporal::api::errordetails::v1::NamespaceNotFoundFailure>(r.status));
    // Outside the subset, and malformed bytes.
    auto c = std::make_shared<SyncCall>();
    d.service().dispatch("/temporal.api.workflowservice.v1.WorkflowService/UpdateWorkflowExecution", {}, {}, c);
    QVERIFY(c->wait(std::chrono::seconds(1)));
    QCOMPARE(c->status().error_code(), grpc::StatusCode::UNIMPLEMENTED);
    QVERIFY(c->status().error_message().find("UpdateWorkflowExecution") != std::string::npos);
    c = std::make_shared<SyncCall>();
    d.service().dispatch("/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution", "\xff\xff\xff", {}, c);
    QVERIFY(c->wait(std::chrono::seconds(1)));
    QCOMPARE(c->status().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    // Polls without a deadline, with one too short, and an empty answer on expiry.
    ws::PollActivityTaskQueueRequest poll;
    poll.set_namespace_("default");
    poll.mutable_task_queue()->set_name("empty");
    QCOMPARE(d.call<ws::PollActivityTaskQueueResponse>("PollActivityTaskQueue", poll, std::chrono::seconds(1), TimePoint::max())
                 .status.error_code(),
             grpc::StatusCode::INVALID_ARGUMENT);
    QCOMPARE(d.call<ws::PollActivityTaskQueueResponse>("PollActivityTaskQueue", poll, std::chrono::seconds(1),
                                                       Clock::now() + std::chrono::seconds(1))
                 .status.error_code(),
             grpc::StatusCode::FAILED_PRECONDITION);
    auto empty = d.call<ws::PollActivityTaskQueueResponse>("PollActivityTaskQueue", poll, std::chrono::seconds(5),
                                                           Clock::now() + std::chrono::seconds(3));
    QVERIFY(empty.ok());
    QVERIFY(empty.resp.task_token().empty());
    // Signal to a closed/unknown workflow.
    QCOMPARE(d.call<ws::SignalWorkflowExecutionResponse>("SignalWorkflowExecution", signalRequest("no-such")).status.error_code(),
             grpc::StatusCode::NOT_FOUND);
}

void TestEngine::timersFire()
{
    EngineDriver d(QStringLiteral(":memory:"), std::nullopt, fastOptions());
    QVERIFY(d.startWorkflow("wf-timer").ok());
    auto t1 = d.pollWorkflow();
    QVERIFY(d.complete(t1.resp.task_token(), {EngineDriver::startTimer("a", 100), EngineDriver::startTimer("b", 60000)}).ok());
    auto t2 = d.pollWorkflow();
    QVERIFY(t2.ok());
    cmd::Command cancel;
    cancel.set_command_type(en::COMMAND_TYPE_CANCEL_TIMER);
    cancel.mutable_cancel_timer_command_attributes()->set_timer_id("b");
    QVERIFY(d.complete(t2.resp.task_token(), {cancel, EngineDriver::completeWorkflow()}).ok());
    const std::vector<int> expected{Started, WftScheduled, WftStarted, WftCompleted, TimerStarted, TimerStarted,
                                    TimerFired, WftScheduled, WftStarted, WftCompleted, 19, Completed};
    QCOMPARE(d.eventTypes("wf-timer"), expected);
    // A duplicate timer id fails the task with START_TIMER_DUPLICATE_ID.
    QVERIFY(d.startWorkflow("wf-timer2").ok());
    auto t3 = d.pollWorkflow();
    const auto r = d.complete(t3.resp.task_token(), {EngineDriver::startTimer("x", 1000), EngineDriver::startTimer("x", 1000)});
    QCOMPARE(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    const auto h = d.history("wf-timer2").resp.history();
    QCOMPARE(h.events(3).workflow_task_failed_event_attributes().cause(), en::WORKFLOW_TASK_FAILED_CAUSE_START_TIMER_DUPLICATE_ID);
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
