// The local-webserver target end to end with the real tools: terraform init/plan/apply/output of
// infrastructure/terraform/modules/local-webserver into a temporary directory, ansible-playbook
// configure.yml against it, an HTTP GET on the URL, an idempotent second run, destroy; plus
// cancelling real terraform and ansible runs mid-flight. Loopback only, no network.
#include "tools/ansibleinventory.h"
#include "tools/ansiblerunner.h"
#include "tools/localwebserver.h"
#include "tools/terraformrunner.h"
#include "tools/toolfailure.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <sys/types.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Tools;

namespace {

const QString InfraDir = QStringLiteral(NEBULA_INFRASTRUCTURE_DIR);

bool portAnswers(int port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(port));
    return socket.waitForConnected(1000);
}

bool processAlive(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && text.size() > close + 2 && text.at(close + 2) != 'Z';
}

// Pids of live processes whose command line is exactly `args`.
QList<qint64> processesWithCommandLine(const QByteArrayList &args)
{
    QList<qint64> pids;
    const QByteArray wanted = args.join('\0') + '\0';
    QDirIterator it(u"/proc"_s, QDir::Dirs | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        it.next();
        bool isPid = false;
        const qint64 pid = it.fileName().toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile cmdline(it.filePath() + u"/cmdline"_s);
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll() == wanted && processAlive(pid))
            pids.append(pid);
    }
    return pids;
}

// Only the owner may read it (secrets: variables, plan files, inventories).
bool isPrivate(const QString &path)
{
    const auto others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther
                        | QFile::WriteOther | QFile::ExeOther;
    return QFileInfo::exists(path) && (QFile::permissions(path) & others) == 0;
}

// Stops an nginx left behind by a failed test (its pid file; the master leads its group).
void killNginx(const QString &instanceDir)
{
    QFile pidFile(instanceDir + u"/run/nginx.pid"_s);
    if (!pidFile.open(QIODevice::ReadOnly))
        return;
    const pid_t pid = static_cast<pid_t>(pidFile.readAll().trimmed().toLongLong());
    if (pid > 1 && processAlive(pid)) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
    }
}

// Requests `stop` after `timeout` unless destroyed first: a broken cancel test fails instead of
// waiting for a five-minute sleep.
class StopAfter
{
public:
    StopAfter(std::stop_source stop, std::chrono::milliseconds timeout)
        : m_thread([stop, timeout](std::stop_token own) mutable {
              std::mutex mutex;
              std::condition_variable_any cv;
              std::unique_lock lock(mutex);
              cv.wait_for(lock, own, timeout, [] { return false; });
              if (!own.stop_requested())
                  stop.request_stop();
          })
    {
    }

private:
    std::jthread m_thread;
};

} // namespace

class TestLocalWebserver final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::optional<TerraformBinary> m_terraform;
    std::optional<AnsibleBinary> m_ansible;
    QString m_instances;

    AnsibleSettings ansibleSettings() const
    {
        AnsibleSettings s;
        s.playbookDir = InfraDir + u"/ansible"_s;
        s.gracePeriod = std::chrono::seconds(10);
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
        auto tf = TerraformRunner::detect();
        if (!tf)
            QSKIP(qPrintable(u"terraform not available: "_s + tf.error().message));
        m_terraform = *tf;
        auto ansible = AnsibleRunner::detect();
        if (!ansible)
            QSKIP(qPrintable(u"ansible-playbook not available: "_s + ansible.error().message));
        m_ansible = *ansible;
        if (QStandardPaths::findExecutable(u"nginx"_s, {u"/usr/sbin"_s, u"/usr/bin"_s}).isEmpty())
            QSKIP("nginx is not installed");
        m_instances = m_tmp.filePath(u"instances"_s);
        qInfo("using %s and %s", qPrintable(m_terraform->displayName()),
              qPrintable(m_ansible->displayName()));
    }

    void cleanup()
    {
        // Whatever a failed test left running goes, even if destroy never ran.
        QDir instances(m_instances);
        for (const QString &name : instances.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            killNginx(instances.filePath(name));
    }

    void provisionConfigureDestroy()
    {
        const QString name = u"web-it"_s;
        const auto dir = TerraformRunner::workspaceDirectory(m_tmp.filePath(u"data"_s), name);
        QVERIFY(dir.ok());
        TerraformRunner tf(*m_terraform, *dir);
        const auto vars = LocalWebserver::variables(tf, name, m_instances);
        QVERIFY(vars.ok());
        const int port = vars->value(u"port"_s).toInt();
        QVERIFY(port > 0);
        QVERIFY(tf.prepare(InfraDir + u"/terraform/modules/local-webserver"_s, *vars).ok());
        QVERIFY(isPrivate(*dir + u"/nebula.auto.tfvars.json"_s));
        QVERIFY(QFile::exists(*dir + u"/scripts/destroy.sh"_s));

        QList<ToolEvent> events;
        const auto collect = [&events](const ToolEvent &e) { events.append(e); };
        const auto init = tf.init(collect);
        QVERIFY2(init.ok(), qPrintable(init.ok() ? QString() : init.error().toString()));
        QVERIFY(!events.isEmpty());

        events.clear();
        const auto plan = tf.plan(collect);
        QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().toString()));
        QVERIFY(plan->hasChanges);
        QCOMPARE(plan->changes.add, 1);
        QCOMPARE(plan->plannedChanges, QStringList{u"terraform_data.this: create"_s});
        QVERIFY(isPrivate(*dir + u"/nebula.tfplan"_s));

        events.clear();
        const auto apply = tf.apply(collect);
        QVERIFY2(apply.ok(), qPrintable(apply.ok() ? QString() : apply.error().toString()));
        QCOMPARE(apply->changes.add, 1);
        QVERIFY(!QFile::exists(*dir + u"/nebula.tfplan"_s)); // plan files are secrets
        QVERIFY(std::any_of(events.cbegin(), events.cend(),
                            [](const ToolEvent &e) { return e.kind == u"apply_start"_s; }));
        QCOMPARE(events.last().percent, 100);
        QVERIFY(tf.hasResourcesInState());

        const auto outputs = tf.outputs();
        QVERIFY(outputs.ok());
        const QString url = outputs->value(u"url"_s).toString();
        QCOMPARE(url, u"http://127.0.0.1:%1/"_s.arg(port));
        const QString instanceDir = outputs->value(u"instance_dir"_s).toString();
        QCOMPARE(instanceDir, m_instances + u'/' + name);
        QVERIFY(QFileInfo::exists(instanceDir + u"/.nebula-instance"_s));

        const auto inventory =
            AnsibleInventory::fromTerraformOutputs(u"local-webserver"_s, name, *outputs);
        QVERIFY(inventory.ok());
        AnsibleRunner ansible(*m_ansible, *dir + u"/ansible"_s, ansibleSettings());
        events.clear();
        QElapsedTimer clock;
        clock.start();
        const auto first = ansible.runPlaybook(u"configure.yml"_s, *inventory, {}, collect);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
        qInfo("first configure run: %lld ms, %d tasks, changed=%d", clock.elapsed(), first->tasks,
              first->changed);
        QVERIFY(first->changed > 0);
        QVERIFY(isPrivate(*dir + u"/ansible/inventory.json"_s));
        QVERIFY(events.last().text.startsWith(u"Recap: web-it ok="_s));
        QVERIFY(QFile::exists(instanceDir + u"/run/nginx.pid"_s));

        QNetworkAccessManager http;
        QNetworkReply *reply = http.get(QNetworkRequest(QUrl(url)));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QByteArray page = reply->readAll();
        QVERIFY2(page.contains("<h1>web-it</h1>"), page.constData());
        reply->deleteLater();

        const auto second = ansible.runPlaybook(u"configure.yml"_s, *inventory);
        QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error().toString()));
        QCOMPARE(second->changed, 0); // idempotent

        // A new run of the workflow keeps the instance's port, so the plan is empty.
        const auto again = LocalWebserver::variables(tf, name, m_instances);
        QVERIFY(again.ok());
        QCOMPARE(again->value(u"port"_s).toInt(), port);
        QVERIFY(tf.prepare(InfraDir + u"/terraform/modules/local-webserver"_s, *again).ok());
        const auto replan = tf.plan();
        QVERIFY(replan.ok());
        QVERIFY(!replan->hasChanges);

        QFile pidFile(instanceDir + u"/run/nginx.pid"_s);
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const qint64 nginxPid = pidFile.readAll().trimmed().toLongLong();
        QVERIFY(processAlive(nginxPid));

        events.clear();
        const auto destroyed = tf.destroy(collect);
        QVERIFY2(destroyed.ok(),
                 qPrintable(destroyed.ok() ? QString() : destroyed.error().toString()));
        QCOMPARE(destroyed->changes.remove, 1);
        QCOMPARE(events.last().percent, 100);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(nginxPid), 5000);
        QVERIFY(!QFileInfo::exists(instanceDir));
        QVERIFY(!portAnswers(port));
        QVERIFY(!tf.hasResourcesInState());

        // Destroy again: nothing to do, still a success.
        const auto destroyedAgain = tf.destroy();
        QVERIFY(destroyedAgain.ok());
        QCOMPARE(destroyedAgain->changes.remove, 0);
        QVERIFY(tf.removeWorkspace().ok());
        QVERIFY(!QFileInfo::exists(*dir));
    }

    void invalidVariablesAreNotRetried()
    {
        const auto dir = TerraformRunner::workspaceDirectory(m_tmp.filePath(u"data"_s), u"bad"_s);
        TerraformRunner tf(*m_terraform, *dir);
        QVERIFY(tf.prepare(InfraDir + u"/terraform/modules/local-webserver"_s,
                           {{u"name"_s, u"Bad_Name"_s}, {u"base_dir"_s, m_instances},
                            {u"port"_s, 8080}})
                    .ok());
        QVERIFY(tf.init().ok());
        const auto plan = tf.plan();
        QVERIFY(!plan.ok());
        QCOMPARE(failureType(plan.error()), u"TerraformValidationError"_s);
        QVERIFY(!isRetryable(plan.error()));
        QVERIFY(plan.error().message.startsWith(u"Invalid value for variable: The name must"_s));
        QVERIFY(!QFile::exists(*dir + u"/nebula.tfplan"_s));
    }

    void cancelTerraformApply()
    {
        // A module whose create step runs a recognisable grandchild for a long time.
        const QString module = m_tmp.filePath(u"slow-module"_s);
        QVERIFY(QDir().mkpath(module));
        QFile main(module + u"/main.tf"_s);
        QVERIFY(main.open(QIODevice::WriteOnly));
        main.write("resource \"terraform_data\" \"slow\" {\n"
                   "  provisioner \"local-exec\" {\n"
                   "    command = \"echo starting; sleep 299.5\"\n"
                   "  }\n"
                   "}\n");
        main.close();
        const auto dir = TerraformRunner::workspaceDirectory(m_tmp.filePath(u"data"_s), u"slow"_s);
        TerraformSettings settings;
        settings.gracePeriod = std::chrono::seconds(20);
        TerraformRunner tf(*m_terraform, *dir, settings);
        QVERIFY(tf.prepare(module, {}).ok());
        QVERIFY(tf.init().ok());
        QVERIFY(tf.plan().ok());

        std::stop_source stop;
        QElapsedTimer clock;
        bool sawGrandchild = false;
        const StopAfter guard(stop, std::chrono::seconds(60));
        // No QVERIFY in the handler: it would only leave the lambda, and the tool run on.
        const auto apply = tf.apply(
            [&](const ToolEvent &e) {
                if (e.kind == u"provision_progress"_s && e.text.endsWith(u"starting"_s)) {
                    sawGrandchild = QTest::qWaitFor(
                        [] { return !processesWithCommandLine({"sleep", "299.5"}).isEmpty(); },
                        10000);
                    clock.start();
                    stop.request_stop();
                }
            },
            stop.get_token());
        QVERIFY(clock.isValid());
        QVERIFY(sawGrandchild);
        QVERIFY(!apply.ok());
        QCOMPARE(failureType(apply.error()), u"ToolCancelled"_s);
        QCOMPARE(apply.error().code, ErrorCode::Cancelled);
        QVERIFY(!isRetryable(apply.error()));
        qInfo("terraform apply stopped %lld ms after the stop request", clock.elapsed());
        QVERIFY(clock.elapsed() < 10000); // SIGINT was enough, no SIGKILL after 20 s
        QVERIFY(processesWithCommandLine({"sleep", "299.5"}).isEmpty());
        QVERIFY(!QFile::exists(*dir + u"/nebula.tfplan"_s));

        // State is consistent and unlocked: the next plan works and wants the (tainted) object.
        const auto replan = tf.plan();
        QVERIFY2(replan.ok(), qPrintable(replan.ok() ? QString() : replan.error().toString()));
        QVERIFY(replan->hasChanges);
        QVERIFY(tf.destroy().ok());
    }

    void cancelAnsibleRun()
    {
        const QString playbook = m_tmp.filePath(u"slow.yml"_s);
        QFile file(playbook);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("---\n- name: Slow\n  hosts: nebula\n  gather_facts: false\n  tasks:\n"
                   "    - name: Sleep\n      ansible.builtin.command:\n"
                   "        argv: [sleep, \"298.5\"]\n      changed_when: false\n");
        file.close();
        AnsibleRunner ansible(*m_ansible, m_tmp.filePath(u"ansible-cancel"_s), ansibleSettings());
        const QJsonObject inventory =
            AnsibleInventory::forLocalInstance(u"slow"_s, m_tmp.filePath(u"unused"_s), 1);
        std::stop_source stop;
        QElapsedTimer clock;
        bool sawModuleProcess = false;
        const StopAfter guard(stop, std::chrono::seconds(60));
        const auto run = ansible.runPlaybook(
            playbook, inventory, {},
            [&](const ToolEvent &e) {
                if (e.kind == u"playbook_on_task_start"_s && e.text == u"Task: Sleep"_s) {
                    // The module process starts a moment after the task event.
                    sawModuleProcess = QTest::qWaitFor(
                        [] { return !processesWithCommandLine({"sleep", "298.5"}).isEmpty(); },
                        10000);
                    clock.start();
                    stop.request_stop();
                }
            },
            stop.get_token());
        QVERIFY(clock.isValid());
        QVERIFY(sawModuleProcess);
        QVERIFY(!run.ok());
        QCOMPARE(failureType(run.error()), u"ToolCancelled"_s);
        qInfo("ansible-playbook stopped %lld ms after the stop request", clock.elapsed());
        QVERIFY(clock.elapsed() < 5000);
        QTRY_VERIFY_WITH_TIMEOUT(processesWithCommandLine({"sleep", "298.5"}).isEmpty(), 5000);
    }
};

QTEST_GUILESS_MAIN(TestLocalWebserver)
#include "tst_localwebserver.moc"
