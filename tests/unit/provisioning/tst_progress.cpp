#include "provisioning/progress.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula::Provisioning;

class TestProgress final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void provisionStagesInOrder();
    void jsonRoundTrip();
    void eventsAreBounded();
    void unknownStatusReadsAsPending();
};

void TestProgress::provisionStagesInOrder()
{
    const auto p = RunProgress::forProvision(u"demo"_s);
    QCOMPARE(p.stages.size(), 4);
    QCOMPARE(p.stages[0].id, u"plan"_s);
    QCOMPARE(p.stages[1].id, u"apply"_s);
    QCOMPARE(p.stages[2].id, u"configure"_s);
    QCOMPARE(p.stages[3].id, u"verify"_s);
    QCOMPARE(p.stages[2].title, u"Ansible configure"_s);
    QCOMPARE(RunProgress::forDestroy(u"demo"_s).stages.size(), 1);
}

void TestProgress::jsonRoundTrip()
{
    auto p = RunProgress::forProvision(u"demo"_s);
    p.status = StageStatus::Failed;
    auto *apply = p.stage(StageApply);
    QVERIFY(apply);
    apply->status = StageStatus::Failed;
    apply->attempt = 3;
    apply->percent = 50;
    apply->startedAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, Qt::UTC);
    apply->finishedAt = apply->startedAt.addSecs(12);
    apply->message = u"Error: exit status 1"_s;
    appendEvent(*apply, ToolEvent{apply->startedAt, u"error"_s, u"terraform_data.instance: Creation errored"_s});
    p.failedStage = u"apply"_s;
    p.errorMessage = apply->message;
    p.outputs = QJsonObject{{u"port"_s, 8081}};
    ProvisionResult r;
    r.name = u"demo"_s;
    r.url = u"http://127.0.0.1:8081/"_s;
    p.result = r;

    const auto back = RunProgress::fromJson(p.toJson());
    QCOMPARE(back.toJson(), p.toJson());
    QCOMPARE(back.stage(StageApply)->startedAt, apply->startedAt);
    QCOMPARE(back.stage(StageApply)->events.first().text, u"terraform_data.instance: Creation errored"_s);
    QCOMPARE(back.result->url, r.url);
    QCOMPARE(back.status, StageStatus::Failed);
}

void TestProgress::eventsAreBounded()
{
    StageProgress s;
    for (int i = 0; i < MaxStageEvents + 25; ++i)
        appendEvent(s, ToolEvent{{}, u"info"_s, QString::number(i)});
    QCOMPARE(s.events.size(), MaxStageEvents);
    QCOMPARE(s.events.first().text, QString::number(25));
    QCOMPARE(s.events.last().text, QString::number(MaxStageEvents + 24));
}

void TestProgress::unknownStatusReadsAsPending()
{
    QCOMPARE(stageStatusFromName(u"exploded"), StageStatus::Pending);
    QCOMPARE(stageStatusFromName(u"canceled"), StageStatus::Canceled);
}

QTEST_APPLESS_MAIN(TestProgress)
#include "tst_progress.moc"
