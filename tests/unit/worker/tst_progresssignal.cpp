#include "workflows/progresssignal.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula::Provisioning;
using Nebula::Worker::ProgressBatch;

class TestProgressSignal final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesFoldIntoTheRunningStage();
    void newAttemptIsMarked();
    void finishedStagesIgnoreLateBatches();
    void jsonRoundTrip();
};

static ProgressBatch batch(const QString &stage, int attempt, QStringList texts, int percent = -1)
{
    ProgressBatch b;
    b.stage = stage;
    b.attempt = attempt;
    b.percent = percent;
    for (const auto &t : texts)
        b.events.append(ToolEvent{QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC), u"info"_s, t});
    return b;
}

void TestProgressSignal::batchesFoldIntoTheRunningStage()
{
    auto p = RunProgress::forProvision(u"demo"_s);
    p.stage(StageApply)->status = StageStatus::Running;
    p.stage(StageApply)->attempt = 1;
    batch(u"apply"_s, 1, {u"a"_s, u"b"_s}, 40).applyTo(p);
    batch(u"apply"_s, 1, {u"c"_s}).applyTo(p);
    const auto *s = p.stage(StageApply);
    QCOMPARE(s->events.size(), 3);
    QCOMPARE(s->events.last().text, u"c"_s);
    QCOMPARE(s->percent, 40);
    // Unknown stages are ignored rather than crashing on a forged signal.
    batch(u"nope"_s, 1, {u"x"_s}).applyTo(p);
}

void TestProgressSignal::newAttemptIsMarked()
{
    auto p = RunProgress::forProvision(u"demo"_s);
    p.stage(StageApply)->status = StageStatus::Running;
    p.stage(StageApply)->attempt = 1;
    batch(u"apply"_s, 1, {u"first try failed"_s}).applyTo(p);
    batch(u"apply"_s, 2, {u"second try"_s}).applyTo(p);
    const auto *s = p.stage(StageApply);
    QCOMPARE(s->attempt, 2);
    QCOMPARE(s->events.size(), 3);
    QCOMPARE(s->events[1].text, u"— attempt 2 —"_s);
}

void TestProgressSignal::finishedStagesIgnoreLateBatches()
{
    auto p = RunProgress::forProvision(u"demo"_s);
    p.stage(StagePlan)->status = StageStatus::Succeeded;
    batch(u"plan"_s, 1, {u"late"_s}).applyTo(p);
    QVERIFY(p.stage(StagePlan)->events.isEmpty());
}

void TestProgressSignal::jsonRoundTrip()
{
    auto b = batch(u"configure"_s, 3, {u"TASK [nginx : start]"_s}, 75);
    b.message = u"5 tasks"_s;
    b.startedAt = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    const auto back = ProgressBatch::fromJson(b.toJson());
    QCOMPARE(back.stage, b.stage);
    QCOMPARE(back.attempt, 3);
    QCOMPARE(back.percent, 75);
    QCOMPARE(back.message, b.message);
    QCOMPARE(back.startedAt, b.startedAt);
    QCOMPARE(back.events, b.events);
}

QTEST_APPLESS_MAIN(TestProgressSignal)
#include "tst_progresssignal.moc"
