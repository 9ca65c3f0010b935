// Replays recorded histories (tests/unit/runtime/histories) through the test workflows, like
// sdk-go's replay tests: good histories must replay cleanly, bad ones with an exact error.

#include "temporal/worker/replayer.h"
#include "testworkflows.h"

#include <QTest>

using namespace Nebula::Temporal;
using namespace Qt::Literals::StringLiterals;

class TestReplay final : public QObject
{
    Q_OBJECT

private:
    static QString history(const QString &name)
    {
        return qEnvironmentVariable("NEBULA_SOURCE_DIR") + u"/tests/unit/runtime/histories/"_s + name;
    }
    static Replayer replayer()
    {
        Replayer r;
        r.registerWorkflow(u"TwoActivities"_s, &TestWorkflows::twoActivities);
        r.registerWorkflow(u"Cancellable"_s, &TestWorkflows::cancellable);
        r.registerWorkflow(u"Approval"_s, &TestWorkflows::approval);
        return r;
    }

private Q_SLOTS:
    void goodHistories_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("two activities (CLI export)") << u"two_activities.json"_s;
        QTest::newRow("two activities (UI export, camel-case event types)") << u"two_activities_ui_export.json"_s;
        QTest::newRow("activity out of attempts, workflow failed") << u"activity_fails.json"_s;
        QTest::newRow("workflow task failed then recovered") << u"task_failure_recovery.json"_s;
        QTest::newRow("cancelled with detached clean-up") << u"cancelled.json"_s;
        QTest::newRow("signal, condition and timer") << u"timer_signal.json"_s;
    }
    void goodHistories()
    {
        QFETCH(QString, file);
        const auto result = replayer().replayFile(history(file));
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    }

    void badHistories_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("different activity type")
            << u"bad_activity_type.json"_s
            << u"[TMPRL1100] Nondeterminism error: event 5 ActivityTaskScheduled (activity type TerraformApply) "
               u"does not match the command ScheduleActivityTask (activity type TerraformPlan) the workflow produced"_s;
        QTest::newRow("workflow completed early in history")
            << u"bad_completed_early.json"_s
            << u"[TMPRL1100] Nondeterminism error: event 11 WorkflowExecutionCompleted does not match the command "
               u"ScheduleActivityTask (activity type TerraformApply) the workflow produced"_s;
        QTest::newRow("event without command")
            << u"bad_extra_event.json"_s
            << u"[TMPRL1100] Nondeterminism error: event 6 ActivityTaskScheduled (activity type Audit) has no "
               u"matching command: the workflow produced no further command for the workflow task completed in "
               u"event 4"_s;
        QTest::newRow("command without event")
            << u"bad_missing_event.json"_s
            << u"[TMPRL1100] Nondeterminism error: the command ScheduleActivityTask (activity type TerraformPlan) "
               u"the workflow produced is missing from history: event 6 WorkflowTaskScheduled follows the commands "
               u"of the workflow task completed in event 4"_s;
    }
    void badHistories()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const auto result = replayer().replayFile(history(file));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message, message);
    }

    // The realistic case: a good history replayed by changed code.
    void changedCodeIsDetected()
    {
        Replayer r;
        r.registerWorkflow(u"TwoActivities"_s, &TestWorkflows::twoActivitiesReordered);
        const auto result = r.replayFile(history(u"two_activities.json"_s));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message,
                 u"[TMPRL1100] Nondeterminism error: event 5 ActivityTaskScheduled (activity type TerraformPlan) "
                 u"does not match the command ScheduleActivityTask (activity type TerraformApply) the workflow "
                 u"produced"_s);
    }

    void unregisteredWorkflowType()
    {
        Replayer r;
        r.registerWorkflow(u"Other"_s, &TestWorkflows::approval);
        const auto result = r.replayFile(history(u"two_activities.json"_s));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message,
                 u"Workflow type TwoActivities is not registered with this worker (registered: Other)."_s);
    }

    void duplicateRegistrationFails()
    {
        Replayer r;
        r.registerWorkflow(u"TwoActivities"_s, &TestWorkflows::twoActivities);
        r.registerWorkflow(u"TwoActivities"_s, &TestWorkflows::twoActivitiesReordered);
        const auto result = r.replayFile(history(u"two_activities.json"_s));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(u"TwoActivities is registered twice"_s),
                 qPrintable(result.error().message));
    }

    void invalidJson()
    {
        QVERIFY(!replayer().replayJson("{not json").ok());
        QCOMPARE(replayer().replayJson(R"({"events": []})").error().code, Nebula::ErrorCode::Parse);
        QVERIFY(!replayer().replayFile(history(u"does-not-exist.json"_s)).ok());
    }
};

QTEST_APPLESS_MAIN(TestReplay)
#include "tst_replay.moc"
