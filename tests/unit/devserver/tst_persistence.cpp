// Restart recovery: everything acknowledged is in the SQLite file, and open runs continue after a
// restart: queued tasks are dispatched again, timers and started tasks' timeouts resume.
#include "enginedriver.h"

#include <QTemporaryDir>

using namespace Nebula::DevServer;
using namespace Nebula::DevServer::Testing;

class TestPersistence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void restartContinuesRuns();
};

void TestPersistence::restartContinuesRuns()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath(QStringLiteral("devserver.db"));
    std::string runId;
    std::string startedTaskToken;
    {
        EngineDriver d(db);
        runId = d.startWorkflow("wf-persist").resp.run_id();
        auto t = d.pollWorkflow();
        QVERIFY(d.complete(t.resp.task_token(), {EngineDriver::scheduleActivity("1"), EngineDriver::startTimer("t", 1500)}).ok());
        QVERIFY(d.startWorkflow("wf-started", "tq-b", "Wf", 1).ok());
        startedTaskToken = d.pollWorkflow("tq-b").resp.task_token(); // started, never answered
        QVERIFY(d.startWorkflow("wf-done", "tq-c").ok());
        auto c = d.pollWorkflow("tq-c");
        QVERIFY(d.complete(c.resp.task_token(), {EngineDriver::completeWorkflow()}).ok());
    } // "crash": the engine goes away; only the file remains
    EngineDriver d(db);
    QCOMPARE(d.engine().openRunCount(), 2u);
    // The queued activity is dispatched again.
    auto a = d.pollActivity();
    QVERIFY(a.ok());
    QCOMPARE(a.resp.workflow_execution().run_id(), runId);
    QVERIFY(d.completeActivity(a.resp.task_token()).ok());
    auto t2 = d.pollWorkflow();
    QVERIFY(t2.ok());
    QCOMPARE(t2.resp.history().events_size(), 10); // ..., ActStarted, ActCompleted, WftScheduled, WftStarted
    QVERIFY(d.complete(t2.resp.task_token(), {}).ok());
    // The timer set before the restart fires.
    auto t3 = d.pollWorkflow("tq", false, std::chrono::seconds(10));
    QVERIFY(t3.ok());
    QVERIFY(!t3.resp.task_token().empty());
    bool fired = false;
    for (const auto &e : t3.resp.history().events())
        fired = fired || e.event_type() == en::EVENT_TYPE_TIMER_FIRED;
    QVERIFY(fired);
    QVERIFY(d.complete(t3.resp.task_token(), {EngineDriver::completeWorkflow()}).ok());
    // The started task of the other run times out (1 s) and is offered again.
    auto retry = d.pollWorkflow("tq-b", false, std::chrono::seconds(10));
    QVERIFY(retry.ok());
    QCOMPARE(retry.resp.attempt(), 2);
    QCOMPARE(d.eventTypes("wf-started").size(), 6u);
    // Closed runs keep their history.
    QCOMPARE(d.eventTypes("wf-done").size(), 5u);
}

QTEST_GUILESS_MAIN(TestPersistence)
#include "tst_persistence.moc"
