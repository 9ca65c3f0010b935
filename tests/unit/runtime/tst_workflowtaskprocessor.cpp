// Drives the workflow task processor directly with PollWorkflowTaskQueueResponse messages built by
// FakeHistory: sticky (incremental) processing, full replay and a cache miss (history fetched in
// pages) must give the same commands at every step; plus queries, cancellation and task failures.

#include "fakehistory.h"
#include "temporal/worker/internal/workflowtaskprocessor.h"
#include "testworkflows.h"

#include <temporal/api/enums/v1/failed_cause.pb.h>

#include <QTest>

using namespace Nebula;
using namespace Nebula::Temporal;
using namespace Nebula::Temporal::Internal;
using namespace Qt::Literals::StringLiterals;
using Test::FakeHistory;
using Kind = WorkflowTaskOutcome::Kind;
namespace enums = temporal::api::enums::v1;

namespace {

std::string commandsOf(const ws::RespondWorkflowTaskCompletedRequest &req)
{
    std::string out;
    for (const auto &c : req.commands())
        out += c.SerializeAsString() + "|";
    return out;
}

QStringList commandNames(const ws::RespondWorkflowTaskCompletedRequest &req)
{
    QStringList names;
    for (const auto &c : req.commands())
        names << commandName(c);
    return names;
}

// Three processors on the same history: sticky (partial history, cached run), full replay (no
// cache) and cache miss (a fresh cache each step, so partial history forces a paged fetch).
struct Harness
{
    Registry registry;
    FakeHistory history;
    std::unique_ptr<WorkflowTaskProcessor> sticky;
    std::unique_ptr<WorkflowTaskProcessor> full;

    Harness(const QString &type, const QJsonArray &input) : history(type, input)
    {
        TestWorkflows::registerAll(registry);
        sticky = make(true);
        full = make(false);
    }

    std::unique_ptr<WorkflowTaskProcessor> make(bool cached)
    {
        WorkflowTaskProcessor::Options o;
        o.identity = u"tester"_s;
        o.normalQueue = u"q"_s;
        if (cached) {
            o.stickyQueue = u"tester-sticky"_s;
            o.cacheSize = 10;
        }
        return std::make_unique<WorkflowTaskProcessor>(registry, o, [this](const auto &, const std::string &token) {
            return Result<ws::GetWorkflowExecutionHistoryResponse>(history.page(token, 3));
        });
    }

    // One workflow task through all three; fails the test if their commands differ.
    WorkflowTaskOutcome step()
    {
        const auto partial = history.task(false);
        WorkflowTaskOutcome a = sticky->process(partial);
        WorkflowTaskOutcome b = full->process(history.currentTask(true));
        auto missProcessor = make(true);
        WorkflowTaskOutcome c = missProcessor->process(partial);
        if (a.kind != Kind::Completed || b.kind != Kind::Completed || c.kind != Kind::Completed) {
            qWarning("outcome kinds %d %d %d: %s / %s / %s", int(a.kind), int(b.kind), int(c.kind),
                     qPrintable(a.failureMessage), qPrintable(b.failureMessage), qPrintable(c.failureMessage));
            return {};
        }
        if (commandsOf(a.completed) != commandsOf(b.completed) || commandsOf(a.completed) != commandsOf(c.completed)) {
            qWarning("commands differ: sticky %s, full %s, miss %s", qPrintable(commandNames(a.completed).join(u','))
                     , qPrintable(commandNames(b.completed).join(u',')), qPrintable(commandNames(c.completed).join(u',')));
            return {};
        }
        if (partial.history().events(0).event_id() > 1 && missProcessor->historyFetches() == 0) {
            qWarning("the cache-miss processor did not fetch history");
            return {};
        }
        sticky->answered(a, true);
        full->answered(b, true);
        history.complete(a.completed);
        return a;
    }
};

} // namespace

class TestWorkflowTaskProcessor final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void twoActivitiesStickyEqualsFullReplay()
    {
        Harness h(u"TwoActivities"_s, {QJsonObject{{u"name"_s, u"web-1"_s}}});
        auto t1 = h.step();
        QCOMPARE(commandNames(t1.completed), QStringList{u"ScheduleActivityTask"_s});
        const auto &attrs = t1.completed.commands(0).schedule_activity_task_command_attributes();
        QCOMPARE(attrs.activity_type().name(), "TerraformPlan");
        QCOMPARE(attrs.activity_id(), "1");
        QCOMPARE(attrs.task_queue().name(), "q");
        QVERIFY(t1.completed.has_sticky_attributes());
        QCOMPARE(t1.completed.sticky_attributes().worker_task_queue().name(), "tester-sticky");
        QCOMPARE(t1.completed.sticky_attributes().worker_task_queue().normal_name(), "q");
        QCOMPARE(t1.completed.sdk_metadata().sdk_name(), "nebulaops");
        QVERIFY(!t1.completed.sdk_metadata().sdk_version().empty());

        h.history.completeActivity(u"1"_s, QJsonObject{{u"planned"_s, 3}});
        auto t2 = h.step();
        QCOMPARE(commandNames(t2.completed), QStringList{u"ScheduleActivityTask"_s});
        QCOMPARE(t2.completed.commands(0).schedule_activity_task_command_attributes().activity_type().name(),
                 "TerraformApply");
        QCOMPARE(h.sticky->cachedRuns(), 1);
        const int replaysBefore = h.sticky->fullReplays();

        h.history.completeActivity(u"2"_s, u"applied"_s);
        auto t3 = h.step();
        QCOMPARE(commandNames(t3.completed), QStringList{u"CompleteWorkflowExecution"_s});
        QCOMPARE(h.sticky->fullReplays(), replaysBefore); // incremental, no replay
        QVERIFY(!t3.completed.has_sticky_attributes());
        auto result = PayloadConverter::firstToJson(t3.completed.commands(0).complete_workflow_execution_command_attributes().result());
        QVERIFY(result.ok());
        QCOMPARE(result->toObject().value(u"apply"_s).toString(), u"applied"_s);
        QCOMPARE(h.sticky->cachedRuns(), 0); // closed runs leave the cache

        // A closed run still answers queries (replayed from its full history).
        auto q = h.sticky->process(h.history.queryTask(u"state"_s, false));
        QCOMPARE(q.queryAnswer.completed_type(), enums::QUERY_RESULT_TYPE_ANSWERED);
        QCOMPARE(PayloadConverter::firstToJson(q.queryAnswer.query_result())->toObject().value(u"stage"_s).toString(),
                 u"done"_s);
    }

    void cancellationRequestsCancelThenCleanup()
    {
        Harness h(u"Cancellable"_s, {});
        auto t1 = h.step();
        QCOMPARE(commandNames(t1.completed), QStringList{u"ScheduleActivityTask"_s});
        h.history.requestCancel(u"user asked"_s);
        auto t2 = h.step();
        QCOMPARE(commandNames(t2.completed), QStringList{u"RequestCancelActivityTask"_s});
        QCOMPARE(t2.completed.commands(0).request_cancel_activity_task_command_attributes().scheduled_event_id(), 5);
        // FakeHistory cancels the not-started activity at once; the workflow then cleans up.
        auto t3 = h.step();
        QCOMPARE(commandNames(t3.completed), QStringList{u"ScheduleActivityTask"_s});
        QCOMPARE(t3.completed.commands(0).schedule_activity_task_command_attributes().activity_type().name(), "Cleanup");
        h.history.completeActivity(u"2"_s, u"cleaned"_s);
        auto t4 = h.step();
        QCOMPARE(commandNames(t4.completed), QStringList{u"CancelWorkflowExecution"_s});
    }

    void signalConditionTimer()
    {
        Harness h(u"Approval"_s, {});
        auto t1 = h.step();
        QVERIFY(commandNames(t1.completed).isEmpty());
        h.history.signal(u"approve"_s, {u"alice"_s});
        auto t2 = h.step();
        QCOMPARE(commandNames(t2.completed), QStringList{u"StartTimer"_s});
        QCOMPARE(t2.completed.commands(0).start_timer_command_attributes().start_to_fire_timeout().seconds(), 5);
        h.history.fireTimer(u"1"_s);
        auto t3 = h.step();
        QCOMPARE(commandNames(t3.completed), QStringList{u"CompleteWorkflowExecution"_s});
        auto result = PayloadConverter::firstToJson(t3.completed.commands(0).complete_workflow_execution_command_attributes().result());
        QCOMPARE(result->toString(), u"approved by alice"_s);
    }

    void cancelWhileSleepingCancelsTimer()
    {
        Harness h(u"Approval"_s, {});
        h.step();
        h.history.signal(u"approve"_s, {u"bob"_s});
        h.step();
        h.history.requestCancel(QString());
        auto t3 = h.step();
        // The timer is cancelled, sleep() returns Cancelled, the workflow returns it: canceled.
        QCOMPARE(commandNames(t3.completed), (QStringList{u"CancelTimer"_s, u"CancelWorkflowExecution"_s}));
    }

    void parallelActivitiesAndDeterministicRandom()
    {
        Harness h(u"Parallel"_s, {});
        auto t1 = h.step();
        QCOMPARE(commandNames(t1.completed), (QStringList{u"ScheduleActivityTask"_s, u"ScheduleActivityTask"_s}));
        h.history.completeActivity(u"2"_s, u"b"_s);
        h.history.completeActivity(u"1"_s, u"a"_s);
        auto t2 = h.step(); // the three processors agree, including the random UUID
        QCOMPARE(commandNames(t2.completed), QStringList{u"CompleteWorkflowExecution"_s});
        auto result = PayloadConverter::firstToJson(t2.completed.commands(0).complete_workflow_execution_command_attributes().result());
        QCOMPARE(result->toObject().value(u"a"_s).toString(), u"a"_s);
        QVERIFY(!QUuid::fromString(result->toObject().value(u"uuid"_s).toString()).isNull());
    }

    void activityErrorFailsWorkflowWithSameError()
    {
        Harness h(u"TwoActivities"_s, {});
        h.step();
        Error e = applicationError(u"Region xx-1 does not exist."_s, u"validation"_s, true,
                                   QJsonObject{{u"field"_s, u"region"_s}});
        h.history.failActivity(u"1"_s, e);
        auto t2 = h.step();
        QCOMPARE(commandNames(t2.completed), QStringList{u"FailWorkflowExecution"_s});
        const auto &failure = t2.completed.commands(0).fail_workflow_execution_command_attributes().failure();
        QCOMPARE(failure.message(), "Region xx-1 does not exist.");
        QCOMPARE(failure.application_failure_info().type(), "validation");
        QVERIFY(failure.application_failure_info().non_retryable());
        const Error back = fromFailure(failure);
        QCOMPARE(back.code, ErrorCode::Validation);
        QCOMPARE(back.data.value(u"field"_s).toString(), u"region"_s);
        QCOMPARE(back.data.value(u"activityType"_s).toString(), u"TerraformPlan"_s);
    }

    void legacyQueryOnCachedAndReplayedState()
    {
        Harness h(u"TwoActivities"_s, {});
        h.step();
        h.history.completeActivity(u"1"_s, 7);
        h.step();
        // Sticky: empty history, answered from the cached run.
        auto cached = h.sticky->process(h.history.queryTask(u"state"_s, false));
        QCOMPARE(cached.kind, Kind::QueryAnswered);
        QCOMPARE(cached.queryAnswer.completed_type(), enums::QUERY_RESULT_TYPE_ANSWERED);
        auto answer = PayloadConverter::firstToJson(cached.queryAnswer.query_result());
        QCOMPARE(answer->toObject().value(u"stage"_s).toString(), u"apply"_s);
        QCOMPARE(answer->toObject().value(u"plan"_s).toInt(), 7);
        // Normal queue: full history replayed by a worker that never saw the run.
        auto other = h.make(true);
        auto replayed = other->process(h.history.queryTask(u"state"_s, true));
        QCOMPARE(replayed.queryAnswer.completed_type(), enums::QUERY_RESULT_TYPE_ANSWERED);
        QCOMPARE(PayloadConverter::firstToJson(replayed.queryAnswer.query_result())->toObject(), answer->toObject());
        // Unknown query: failed with a message naming the known ones.
        auto unknown = h.sticky->process(h.history.queryTask(u"nope"_s, false));
        QCOMPARE(unknown.queryAnswer.completed_type(), enums::QUERY_RESULT_TYPE_FAILED);
        QCOMPARE(unknown.queryAnswer.error_message(),
                 "Workflow TwoActivities has no query handler named nope (known: state).");
    }

    void queriesOnWorkflowTaskSeeStateAfterEvents()
    {
        Harness h(u"TwoActivities"_s, {});
        h.step();
        h.history.completeActivity(u"1"_s, 1);
        auto task = h.history.task(false);
        temporal::api::query::v1::WorkflowQuery q;
        q.set_query_type("state");
        (*task.mutable_queries())["q1"] = q;
        auto out = h.sticky->process(task);
        QCOMPARE(out.kind, Kind::Completed);
        QCOMPARE(out.completed.query_results().size(), 1ul);
        const auto &r = out.completed.query_results().at("q1");
        QCOMPARE(r.result_type(), enums::QUERY_RESULT_TYPE_ANSWERED);
        QCOMPARE(PayloadConverter::firstToJson(r.answer())->toObject().value(u"stage"_s).toString(), u"apply"_s);
    }

    void queryMustNotChangeState()
    {
        Harness h(u"BadQuery"_s, {});
        h.step();
        auto out = h.sticky->process(h.history.queryTask(u"sneaky"_s, false));
        QCOMPARE(out.queryAnswer.completed_type(), enums::QUERY_RESULT_TYPE_FAILED);
        QVERIFY(QString::fromStdString(out.queryAnswer.error_message()).contains(u"must not change workflow state"_s));
        // And the run still produces no commands afterwards.
        h.history.signal(u"x"_s, {});
        QVERIFY(commandNames(h.step().completed).isEmpty());
    }

    void exceptionFailsTaskOnlyOnFirstAttempt()
    {
        Harness h(u"Throwing"_s, {});
        auto first = h.sticky->process(h.history.task(false, 1));
        QCOMPARE(first.kind, Kind::Failed);
        QCOMPARE(first.failed.cause(), enums::WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE);
        QCOMPARE(first.failed.failure().message(), "Workflow Throwing threw: bug in workflow code");
        QCOMPARE(h.sticky->cachedRuns(), 0);
        h.history.failTask();
        auto second = h.sticky->process(h.history.task(false, 2));
        QCOMPARE(second.kind, Kind::Silent);
        QCOMPARE(second.failureMessage, u"Workflow Throwing threw: bug in workflow code"_s);
    }

    void nondeterminismFailsTaskAndEvicts()
    {
        Harness h(u"TwoActivities"_s, {});
        h.step();
        h.history.completeActivity(u"1"_s, 1);
        // A restarted worker with changed code gets the next task with full history.
        Registry changed;
        changed.registerWorkflow(u"TwoActivities"_s, &TestWorkflows::twoActivitiesReordered);
        WorkflowTaskProcessor::Options o;
        o.stickyQueue = u"s"_s;
        o.cacheSize = 5;
        WorkflowTaskProcessor other(changed, o, {});
        auto out = other.process(h.history.task(true));
        QCOMPARE(out.kind, Kind::Failed);
        QCOMPARE(out.failed.cause(), enums::WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR);
        QCOMPARE(out.failed.failure().message(),
                 "[TMPRL1100] Nondeterminism error: event 5 ActivityTaskScheduled (activity type TerraformPlan) "
                 "does not match the command ScheduleActivityTask (activity type TerraformApply) the workflow "
                 "produced");
        QCOMPARE(other.cachedRuns(), 0);
    }

    void failedAnswerEvictsAndNextTaskReplays()
    {
        Harness h(u"TwoActivities"_s, {});
        auto t1 = h.sticky->process(h.history.task(false));
        h.sticky->answered(t1, false); // e.g. the RPC failed
        QCOMPARE(h.sticky->cachedRuns(), 0);
        h.history.complete(t1.completed);
        h.history.completeActivity(u"1"_s, 1);
        const int fetches = h.sticky->historyFetches();
        auto t2 = h.sticky->process(h.history.task(false));
        QCOMPARE(t2.kind, Kind::Completed);
        QVERIFY(h.sticky->historyFetches() > fetches);
        QCOMPARE(commandNames(t2.completed), QStringList{u"ScheduleActivityTask"_s});
    }
};

QTEST_APPLESS_MAIN(TestWorkflowTaskProcessor)
#include "tst_workflowtaskprocessor.moc"
