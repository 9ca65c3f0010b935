// nebula-devserver + nebula-worker processes + real terraform, ansible-playbook and nginx.
#include "stackprocesses.h"

#include "provisioning/contract.h"
#include "provisioning/progress.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Testing;
using Provisioning::RunProgress;
using Provisioning::StageStatus;

class TestWorkerStack final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void provisionsAndDestroys();
    void toolFailureFailsTheRun();
    void retriesThenSucceeds();
    void cancelStopsTheToolMidApply();
    void queryAnsweredByAnotherWorker();
    void workerKilledMidApplyCompletesOnRestart();

private:
    static QJsonObject spec(const QString &name);
    static std::optional<RunProgress> progress(Stack &stack, const QString &id);
    // A copy of infrastructure/ whose local-webserver module also runs a slow step during apply.
    static QString slowInfrastructure(const QString &dir, int seconds, const QString &token);
    static bool processWithTokenRunning(const QString &token);
    static int countInstances(const QString &dataDir);
};

void TestWorkerStack::initTestCase()
{
    if (QStandardPaths::findExecutable(u"terraform"_s).isEmpty() && QStandardPaths::findExecutable(u"tofu"_s).isEmpty())
        QSKIP("neither terraform nor tofu is installed: these tests drive the real tool");
    if (QStandardPaths::findExecutable(u"ansible-playbook"_s).isEmpty())
        QSKIP("ansible-playbook is not installed (sudo apt-get install ansible-core)");
    if (QStandardPaths::findExecutable(u"nginx"_s, {u"/usr/sbin"_s, u"/usr/bin"_s}).isEmpty())
        QSKIP("nginx is not installed (sudo apt-get install nginx-light)");
}

QJsonObject TestWorkerStack::spec(const QString &name)
{
    return QJsonObject{{u"name"_s, name}, {u"type"_s, u"local-webserver"_s}, {u"region"_s, u"local"_s},
                       {u"size"_s, u"small"_s}, {u"requestedBy"_s, u"integration-test"_s}};
}

std::optional<RunProgress> TestWorkerStack::progress(Stack &stack, const QString &id)
{
    auto answer = query(stack.client(), id, u"progress"_s, 5000);
    if (!answer)
        return std::nullopt;
    return RunProgress::fromJson(answer->toObject());
}

QString TestWorkerStack::slowInfrastructure(const QString &dir, int seconds, const QString &token)
{
    const QString source = qEnvironmentVariable("NEBULA_SOURCE_DIR") + u"/infrastructure"_s;
    QDirIterator it(source, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        if (file.contains(u"__pycache__"_s) || file.contains(u"/.terraform"_s))
            continue;
        const QString target = dir + file.mid(source.size());
        QDir().mkpath(QFileInfo(target).path());
        QFile::copy(file, target);
        QFile::setPermissions(target, QFile(file).permissions());
    }
    QFile slow(dir + u"/terraform/modules/local-webserver/slow.tf"_s);
    if (!slow.open(QIODevice::WriteOnly))
        return {};
    // Runs before the instance is created, so "mid-apply" is a long, well-defined window.
    slow.write(u"resource \"terraform_data\" \"slow\" {\n"
               u"  provisioner \"local-exec\" {\n"
               u"    command = \"echo %1 > %2/slow-started; sleep %3; echo %1 > /dev/null\"\n"
               u"  }\n"
               u"}\n"_s.arg(token, dir).arg(seconds).toUtf8());
    slow.close();
    // Make the instance depend on the slow step.
    QFile main(dir + u"/terraform/modules/local-webserver/main.tf"_s);
    if (!main.open(QIODevice::ReadWrite))
        return {};
    QString text = QString::fromUtf8(main.readAll());
    text.replace(u"resource \"terraform_data\" \"this\" {"_s,
                 u"resource \"terraform_data\" \"this\" {\n  depends_on = [terraform_data.slow]"_s);
    main.resize(0);
    main.write(text.toUtf8());
    return dir;
}

bool TestWorkerStack::processWithTokenRunning(const QString &token)
{
    for (const QString &pid : QDir(u"/proc"_s).entryList(QDir::Dirs)) {
        QFile cmdline(u"/proc/%1/cmdline"_s.arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(token.toUtf8()))
            return true;
    }
    return false;
}

int TestWorkerStack::countInstances(const QString &dataDir)
{
    return static_cast<int>(QDir(dataDir + u"/instances"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

void TestWorkerStack::provisionsAndDestroys()
{
    Stack stack;
    QVERIFY2(stack.startDevServer(), qPrintable(stack.logs()));
    QVERIFY(stack.startWorker());
    const QString id = u"resource/it-web"_s;
    QVERIFY(start(stack.client(), u"ProvisionResource"_s, id, spec(u"it-web"_s)));

    Temporal::WorkflowOutcome outcome;
    const auto result = waitForResult(stack.client(), id, 240000, &outcome);
    QVERIFY2(result, qPrintable(result.errorMessage() + u"\n"_s + stack.logs()));
    const auto r = Provisioning::ProvisionResult::fromJson(result->toObject());
    QCOMPARE(r.name, u"it-web"_s);
    QCOMPARE(r.ipAddress, u"127.0.0.1"_s);
    QVERIFY(r.url.startsWith(u"http://127.0.0.1:"_s));
    QVERIFY(!r.sshCommand.isEmpty());

    const auto [status, body] = httpGet(r.url);
    QCOMPARE(status, 200);
    QVERIFY(body.contains("it-web"));

    // The query still answers after the run closed, from replayed history.
    const auto p = progress(stack, id);
    QVERIFY(p);
    QCOMPARE(p->status, StageStatus::Succeeded);
    QCOMPARE(p->stages.size(), 4);
    for (const auto &s : p->stages) {
        QCOMPARE(s.status, StageStatus::Succeeded);
        QVERIFY2(!s.events.isEmpty(), qPrintable(s.id));
        QVERIFY(s.finishedAt >= s.startedAt);
    }
    QCOMPARE(p->result->url, r.url);
    QCOMPARE(countInstances(stack.workerDataDir(0)), 1);

    // Destroy on the same workflow id: the provisioning run is closed.
    QVERIFY(start(stack.client(), u"DestroyResource"_s, id, QJsonObject{{u"name"_s, u"it-web"_s}}));
    const auto destroyed = waitForResult(stack.client(), id, 120000);
    QVERIFY2(destroyed, qPrintable(destroyed.errorMessage() + stack.logs()));
    QCOMPARE(destroyed->toObject().value(u"existed"_s).toBool(), true);
    QCOMPARE(httpGet(r.url, 2000).first, 0);
    QCOMPARE(countInstances(stack.workerDataDir(0)), 0);
    QVERIFY(!QFileInfo::exists(stack.workerDataDir(0) + u"/resources/it-web"_s));

    // Destroy is idempotent.
    QVERIFY(start(stack.client(), u"DestroyResource"_s, id, QJsonObject{{u"name"_s, u"it-web"_s}}));
    const auto again = waitForResult(stack.client(), id, 60000);
    QVERIFY2(again, qPrintable(again.errorMessage()));
    QCOMPARE(again->toObject().value(u"existed"_s).toBool(), false);
}

void TestWorkerStack::toolFailureFailsTheRun()
{
    Stack stack;
    QVERIFY(stack.startDevServer());
    QVERIFY(stack.startWorker({u"--activity-attempts"_s, u"1"_s}));
    // A directory that is not an instance where the instance must go: the module refuses it.
    QVERIFY(QDir().mkpath(stack.workerDataDir(0) + u"/instances/it-fail"_s));
    const QString id = u"resource/it-fail"_s;
    QVERIFY(start(stack.client(), u"ProvisionResource"_s, id, spec(u"it-fail"_s)));
    Temporal::WorkflowOutcome outcome;
    const auto result = waitForResult(stack.client(), id, 180000, &outcome);
    QVERIFY(!result);
    QCOMPARE(outcome.status, Temporal::WorkflowStatus::Failed);
    QVERIFY2(outcome.failureMessage.contains(u"Terraform apply failed"_s), qPrintable(outcome.failureMessage));
    QVERIFY2(outcome.failureMessage.contains(u"not a NebulaOps instance directory"_s), qPrintable(outcome.failureMessage));
    const auto p = progress(stack, id);
    QVERIFY(p);
    QCOMPARE(p->status, StageStatus::Failed);
    QCOMPARE(p->failedStage, u"apply"_s);
    QCOMPARE(p->stage(Provisioning::StagePlan)->status, StageStatus::Succeeded);
    QCOMPARE(p->stage(Provisioning::StageApply)->status, StageStatus::Failed);
    QCOMPARE(p->stage(Provisioning::StageConfigure)->status, StageStatus::Skipped);
}

void TestWorkerStack::retriesThenSucceeds()
{
    Stack stack;
    QVERIFY(stack.startDevServer());
    QVERIFY(stack.startWorker());
    const QString blocker = stack.workerDataDir(0) + u"/instances/it-retry"_s;
    QVERIFY(QDir().mkpath(blocker));
    const QString id = u"resource/it-retry"_s;
    QVERIFY(start(stack.client(), u"ProvisionResource"_s, id, spec(u"it-retry"_s)));

    // Wait until the first apply attempt has failed on the blocker, then clear it.
    const auto failedOnce = [&] {
        const auto p = progress(stack, id);
        if (!p)
            return false;
        for (const auto &e : p->stage(Provisioning::StageApply)->events) {
            if (e.text.contains(u"not a NebulaOps instance directory"_s))
                return true;
        }
        return false;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(failedOnce(), qPrintable(stack.logs()), 120000);
    QVERIFY(QDir(blocker).removeRecursively());

    const auto result = waitForResult(stack.client(), id, 240000);
    QVERIFY2(result, qPrintable(result.errorMessage() + stack.logs()));
    const auto p = progress(stack, id);
    QVERIFY(p);
    QVERIFY2(p->stage(Provisioning::StageApply)->attempt >= 2, "apply should have been retried");
    QCOMPARE(p->status, StageStatus::Succeeded);
    QCOMPARE(httpGet(Provisioning::ProvisionResult::fromJson(result->toObject()).url).first, 200);
}

void TestWorkerStack::cancelStopsTheToolMidApply()
{
    Stack stack;
    const QString token = u"nebula-slow-%1"_s.arg(QRandomGenerator::global()->generate());
    const QString infra = slowInfrastructure(stack.dir() + u"/infra"_s, 120, token);
    QVERIFY(!infra.isEmpty());
    QVERIFY(stack.startDevServer());
    QVERIFY(stack.startWorker({u"--infrastructure-dir"_s, infra}));
    const QString id = u"resource/it-cancel"_s;
    QVERIFY(start(stack.client(), u"ProvisionResource"_s, id, spec(u"it-cancel"_s)));
    QTRY_VERIFY2_WITH_TIMEOUT(QFileInfo::exists(infra + u"/slow-started"_s) && processWithTokenRunning(token),
                              qPrintable(stack.logs()), 120000);

    QVERIFY(cancel(stack.client(), id));
    Temporal::WorkflowOutcome outcome;
    const auto result = waitForResult(stack.client(), id, 90000, &outcome);
    QVERIFY(!result);
    QCOMPARE(outcome.status, Temporal::WorkflowStatus::Canceled);
    // The tool's whole process group is gone, including the provisioner's shell.
    QTRY_VERIFY_WITH_TIMEOUT(!processWithTokenRunning(token), 10000);
    const auto p = progress(stack, id);
    QVERIFY(p);
    QCOMPARE(p->status, StageStatus::Canceled);
    QCOMPARE(p->stage(Provisioning::StageApply)->status, StageStatus::Canceled);
    // Terraform ended cleanly: no lock left behind, so the next run can proceed.
    QVERIFY(!QFileInfo::exists(stack.workerDataDir(0) + u"/resources/it-cancel/.terraform.tfstate.lock.info"_s));
}

void TestWorkerStack::queryAnsweredByAnotherWorker()
{
    Stack stack;
    const QString token = u"nebula-slow-%1"_s.arg(QRandomGenerator::global()->generate());
    const QString infra = slowInfrastructure(stack.dir() + u"/infra"_s, 8, token);
    QVERIFY(stack.startDevServer());
    // One process runs only the tools, the other only the workflow code (and so every query).
    QVERIFY(stack.startWorker({u"--role"_s, u"activities"_s, u"--infrastructure-dir"_s, infra}));
    QVERIFY(stack.startWorker({u"--role"_s, u"workflows"_s, u"--infrastructure-dir"_s, infra}));
    const QString id = u"resource/it-query"_s;
    QVERIFY(start(stack.client(), u"ProvisionResource"_s, id, spec(u"it-query"_s)));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(infra + u"/slow-started"_s), 120000);

    // While the activities-only worker is in the slow step, the workflows-only worker's answer
    // shows it: the tool's events reached it through history.
    const auto showsSlowStep = [&] {
        const auto p = progress(stack, id);
        if (!p || p->stage(Provisioning::StageApply)->status != StageStatus::Running)
            return false;
        for (const auto &e : p->stage(Provisioning::StageApply)->events) {
            if (e.text.contains(u"terraform_data.slow"_s))
                return true;
        }
        return false;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(showsSlowStep(), qPrintable(stack.logs()), 4000);
    QVERIFY(processWithTokenRunning(token)); // and the step was indeed still running

    const auto result = waitForResult(stack.client(), id, 240000);
    QVERIFY2(result, qPrintable(result.errorMessage() + stack.logs()));
}

void TestWorkerStack::workerKilledMidApplyCompletesOnRestart()
{
    Stack stack;
    const QString token = u"nebula-slow-%1"_s.arg(QRandomGenerator::global()->generate());
    const QString infra = slowInfrastructure(stack.dir() + u"/infra"_s, 10, token);
    QVERIFY(stack.startDevServer());
    const QString data = stack.workerDataDir(0);
    const QStringList args{u"--infrastructure-dir"_s, infra, u"--heartbeat-timeout"_s, u"3"_s};
    auto *first = stack.startWorker(args, data);
    QVERIFY(first);
    const QString id = u"resource/it-kill"_s;
    QVERIFY(start(stack.client(), u"ProvisionResource"_s, id, spec(u"it-kill"_s)));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(infra + u"/slow-started"_s), 120000);

    // kill -9 of the worker process alone, as a crash would: its terraform keeps running orphaned.
    ::kill(static_cast<pid_t>(first->pid()), SIGKILL);
    QTRY_VERIFY_WITH_TIMEOUT(!first->isRunning(), 5000);

    // The restarted worker on the same host (same data) takes over once the heartbeat times out.
    QVERIFY(stack.startWorker(args, data));
    const auto result = waitForResult(stack.client(), id, 300000);
    QVERIFY2(result, qPrintable(result.errorMessage() + stack.logs()));
    QCOMPARE(countInstances(data), 1);
    const auto r = Provisioning::ProvisionResult::fromJson(result->toObject());
    QCOMPARE(httpGet(r.url).first, 200);
    QTRY_VERIFY_WITH_TIMEOUT(!processWithTokenRunning(token), 30000);
}

QTEST_GUILESS_MAIN(TestWorkerStack)
#include "tst_workerstack.moc"
