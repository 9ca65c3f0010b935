#include "tools/ansibleeventparser.h"
#include "tools/ansiblefailure.h"
#include "tools/ansibleinventory.h"
#include "tools/toolfailure.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Tools;

namespace {

struct Fixture
{
    QList<QByteArray> lines;
    QString stderrText;
    int exitCode = -1;
};

Fixture load(const QString &folder, const QString &name)
{
    const QString base = QStringLiteral(NEBULA_TOOLS_TEST_DATA) + u'/' + folder + u'/' + name;
    Fixture f;
    QFile out(base + u".jsonl"_s);
    if (out.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : out.readAll().split('\n')) {
            if (!line.isEmpty())
                f.lines.append(line);
        }
    }
    QFile err(base + u".stderr"_s);
    if (err.open(QIODevice::ReadOnly))
        f.stderrText = QString::fromUtf8(err.readAll());
    QFile code(base + u".exit"_s);
    if (code.open(QIODevice::ReadOnly))
        f.exitCode = code.readAll().trimmed().toInt();
    return f;
}

QList<AnsibleEvent> parseAll(AnsibleEventParser &parser, const Fixture &f)
{
    QList<AnsibleEvent> events;
    for (const QByteArray &line : f.lines)
        events.append(parser.parseLine(line));
    return events;
}

// Lines written by hand (situations not recordable offline), data/ansible/handwritten-*.jsonl.
QByteArray handwritten(const QString &name)
{
    QFile file(QStringLiteral(NEBULA_TOOLS_TEST_DATA) + u"/ansible/handwritten-"_s + name
               + u".jsonl"_s);
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

ToolResult resultOf(const Fixture &f, bool cancelled = false)
{
    ToolResult r;
    r.status = ToolResult::Status::Exited;
    r.exitCode = f.exitCode;
    r.stderrText = f.stderrText;
    r.cancelled = cancelled;
    return r;
}

const FailureInfo Info{u"ansible-playbook"_s, u"configure.yml"_s, -1};

} // namespace

class TestAnsibleEventParser final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstRunChangesThings()
    {
        const Fixture f = load(u"ansible"_s, u"configure-first"_s);
        QCOMPARE(f.exitCode, 0);
        AnsibleEventParser parser;
        const auto events = parseAll(parser, f);
        QCOMPARE(events.first().type, AnsibleEvent::Type::PlaybookStart);
        QCOMPARE(events.first().text, u"Playbook configure.yml"_s);
        QCOMPARE(events[1].type, AnsibleEvent::Type::PlayStart);
        QCOMPARE(events[1].text, u"Play: Configure NebulaOps web server"_s);
        QCOMPARE(events[2].type, AnsibleEvent::Type::TaskStart);
        QCOMPARE(events[2].text, u"Task: nginx : Check the target kind"_s);
        const auto page = std::find_if(events.cbegin(), events.cend(), [](const auto &e) {
            return e.type == AnsibleEvent::Type::RunnerOk
                   && e.task == u"nginx : Start the instance nginx"_s;
        });
        QVERIFY(page != events.cend());
        QVERIFY(page->changed);
        QCOMPARE(page->host, u"web-2"_s);
        QCOMPARE(page->rc, 0);
        QCOMPARE(page->text, u"web-2: changed (nginx : Start the instance nginx)"_s);
        QCOMPARE(page->action, u"ansible.builtin.command"_s);
        QCOMPARE(events.last().type, AnsibleEvent::Type::Stats);
        QCOMPARE(events.last().percent, 100);
        QVERIFY(events.last().text.startsWith(u"Recap: web-2 ok="_s));
        QVERIFY(parser.hasStats());
        QVERIFY(parser.totalChanged() > 0);
        QCOMPARE(parser.totalFailures(), 0);
        QVERIFY(parser.tasksStarted() >= 7);
        QVERIFY(parser.failures().isEmpty());
        QVERIFY(!classifyAnsibleRun(parser, resultOf(f), Info).has_value());
        for (const auto &e : events) {
            QVERIFY(e.time.isValid());
            QCOMPARE(e.level, u"info"_s);
        }
    }

    void secondRunIsIdempotent()
    {
        const Fixture f = load(u"ansible"_s, u"configure-second"_s);
        AnsibleEventParser parser;
        const auto events = parseAll(parser, f);
        QVERIFY(parser.hasStats());
        QCOMPARE(parser.totalChanged(), 0);
        QCOMPARE(parser.stats().value(u"web-2"_s).changed, 0);
        QVERIFY(parser.stats().value(u"web-2"_s).ok > 0);
        QVERIFY(std::none_of(events.cbegin(), events.cend(), [](const auto &e) {
            return e.type == AnsibleEvent::Type::HandlerTaskStart;
        }));
    }

    void failedTask()
    {
        const Fixture f = load(u"ansible"_s, u"failed-task"_s);
        QCOMPARE(f.exitCode, 2);
        AnsibleEventParser parser;
        const auto events = parseAll(parser, f);
        const auto failed = std::find_if(events.cbegin(), events.cend(), [](const auto &e) {
            return e.type == AnsibleEvent::Type::RunnerFailed;
        });
        QVERIFY(failed != events.cend());
        QCOMPARE(failed->level, u"error"_s);
        QCOMPARE(failed->rc, 1);
        QVERIFY(failed->text.startsWith(u"web-2: FAILED (nginx : Start the instance nginx): "_s));
        QCOMPARE(parser.failures().size(), 1);
        const auto error = classifyAnsibleRun(parser, resultOf(f), Info);
        QVERIFY(error.has_value());
        QCOMPARE(failureType(*error), u"AnsibleTaskFailed"_s);
        QVERIFY(!isRetryable(*error));
        QVERIFY2(error->message.startsWith(u"Task \"nginx : Start the instance nginx\" failed on "
                                           u"web-2: non-zero return code: nginx: [emerg] bind()"_s),
                 qPrintable(error->message));
        QVERIFY(error->message.contains(u"Address already in use"_s));
    }

    void unreachableHost()
    {
        const Fixture f = load(u"ansible"_s, u"unreachable"_s);
        QCOMPARE(f.exitCode, 4); // the same code as a parser error: the stats decide
        AnsibleEventParser parser;
        const auto events = parseAll(parser, f);
        QCOMPARE(events[2].type, AnsibleEvent::Type::TaskStart);
        QCOMPARE(events[3].type, AnsibleEvent::Type::RunnerUnreachable);
        QCOMPARE(events[3].level, u"error"_s);
        QCOMPARE(parser.totalUnreachable(), 1);
        const auto error = classifyAnsibleRun(parser, resultOf(f), Info);
        QVERIFY(error.has_value());
        QCOMPARE(failureType(*error), u"AnsibleHostUnreachable"_s);
        QVERIFY(isRetryable(*error));
        QCOMPARE(error->message,
                 u"Host web-3 is unreachable (task \"Ping\"): Failed to connect to the host via "
                 u"ssh: ssh: connect to host 127.0.0.1 port 9: Connection refused"_s);
    }

    void parserErrorHasNoStats()
    {
        const Fixture f = load(u"ansible"_s, u"syntax-error"_s);
        QCOMPARE(f.exitCode, 4);
        AnsibleEventParser parser;
        parseAll(parser, f);
        QVERIFY(!parser.hasStats());
        const auto error = classifyAnsibleRun(parser, resultOf(f), Info);
        QVERIFY(error.has_value());
        QCOMPARE(failureType(*error), u"AnsibleParserError"_s);
        QVERIFY(!isRetryable(*error));
        QVERIFY(error->message.startsWith(u"ERROR! A playbook must be a list of plays"_s));
    }

    void interrupted()
    {
        const Fixture f = load(u"ansible"_s, u"interrupted"_s);
        QCOMPARE(f.exitCode, 99);
        AnsibleEventParser parser;
        parseAll(parser, f);
        QVERIFY(!parser.hasStats());
        const auto ours = classifyAnsibleRun(parser, resultOf(f, true), Info);
        QCOMPARE(failureType(*ours), u"ToolCancelled"_s);
        QCOMPARE(ours->code, ErrorCode::Cancelled);
        QVERIFY(!isRetryable(*ours));
        const auto theirs = classifyAnsibleRun(parser, resultOf(f), Info);
        QCOMPARE(failureType(*theirs), u"AnsibleInterrupted"_s);
        QVERIFY(isRetryable(*theirs));
        QCOMPARE(theirs->message, u"[ERROR]: User interrupted execution"_s);
    }

    void exitCodesWithoutStats_data()
    {
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("retryable");
        QTest::newRow("error") << 1 << u"AnsibleError"_s << false;
        QTest::newRow("usage") << 2 << u"AnsibleOptionsError"_s << false;
        QTest::newRow("unreachable") << 3 << u"AnsibleHostUnreachable"_s << true;
        QTest::newRow("parser") << 4 << u"AnsibleParserError"_s << false;
        QTest::newRow("options") << 5 << u"AnsibleOptionsError"_s << false;
        QTest::newRow("interrupted") << 99 << u"AnsibleInterrupted"_s << true;
        QTest::newRow("unexpected") << 250 << u"AnsibleError"_s << true;
    }

    void exitCodesWithoutStats()
    {
        QFETCH(int, exitCode);
        QFETCH(QString, type);
        QFETCH(bool, retryable);
        AnsibleEventParser parser;
        ToolResult r;
        r.status = ToolResult::Status::Exited;
        r.exitCode = exitCode;
        const auto error = classifyAnsibleRun(parser, r, Info);
        QVERIFY(error.has_value());
        QCOMPARE(failureType(*error), type);
        QCOMPARE(isRetryable(*error), retryable);
        QVERIFY(error->message.contains(QString::number(exitCode)));
    }

    void rescuedFailureIsSuccess()
    {
        AnsibleEventParser parser;
        parser.parseLine(handwritten(u"rescued-stats"_s));
        ToolResult r;
        r.status = ToolResult::Status::Exited;
        r.exitCode = 0;
        QVERIFY(!classifyAnsibleRun(parser, r, Info).has_value());
    }

    void transientTaskFailureIsRetried()
    {
        AnsibleEventParser parser;
        parser.parseLine(handwritten(u"apt-failed"_s));
        parser.parseLine(handwritten(u"apt-failed-stats"_s));
        ToolResult r;
        r.status = ToolResult::Status::Exited;
        r.exitCode = 2;
        const auto error = classifyAnsibleRun(parser, r, Info);
        QCOMPARE(failureType(*error), u"AnsibleTransientTaskFailure"_s);
        QVERIFY(isRetryable(*error));
    }

    void ignoredFailureIsNotAFailure()
    {
        AnsibleEventParser parser;
        const AnsibleEvent e = parser.parseLine(handwritten(u"ignored-failure"_s));
        QCOMPARE(e.level, u"warn"_s);
        QVERIFY(parser.failures().isEmpty());
    }

    void inventoryFromTerraformOutputs()
    {
        // The real `terraform output -json` of the local-webserver module.
        QFile file(QStringLiteral(NEBULA_TOOLS_TEST_DATA) + u"/terraform/output.jsonl"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject all = QJsonDocument::fromJson(file.readAll()).object();
        QJsonObject values;
        for (auto it = all.begin(); it != all.end(); ++it)
            values.insert(it.key(), it.value().toObject().value(u"value"_s));
        const auto inv =
            AnsibleInventory::fromTerraformOutputs(u"local-webserver"_s, u"web-1"_s, values);
        QVERIFY(inv.ok());
        const QJsonObject host = inv->value(u"all"_s).toObject().value(u"children"_s).toObject()
                                     .value(u"nebula"_s).toObject().value(u"hosts"_s).toObject()
                                     .value(u"web-1"_s).toObject();
        QCOMPARE(host.value(u"ansible_connection"_s).toString(), u"local"_s);
        QCOMPARE(host.value(u"nebula_target"_s).toString(), u"local"_s);
        QCOMPARE(host.value(u"nginx_port"_s).toInt(), values.value(u"port"_s).toInt());
        QCOMPARE(host.value(u"nginx_instance_dir"_s).toString(),
                 values.value(u"instance_dir"_s).toString());
        QVERIFY(AnsibleInventory::isLocalOnly(*inv));

        const auto ssh = AnsibleInventory::fromTerraformOutputs(
            u"ec2-instance"_s, u"web-9"_s,
            {{u"public_ip"_s, u"203.0.113.10"_s}, {u"ssh_user"_s, u"admin"_s}}, u"/keys/id"_s);
        QVERIFY(ssh.ok());
        QVERIFY(!AnsibleInventory::isLocalOnly(*ssh));
        const QJsonObject sshHost = ssh->value(u"all"_s).toObject().value(u"children"_s)
                                        .toObject().value(u"nebula"_s).toObject()
                                        .value(u"hosts"_s).toObject().value(u"web-9"_s).toObject();
        QCOMPARE(sshHost.value(u"ansible_host"_s).toString(), u"203.0.113.10"_s);
        QCOMPARE(sshHost.value(u"ansible_user"_s).toString(), u"admin"_s);
        QCOMPARE(sshHost.value(u"ansible_become"_s).toBool(), true);
        QCOMPARE(sshHost.value(u"ansible_ssh_private_key_file"_s).toString(), u"/keys/id"_s);
        QCOMPARE(sshHost.value(u"nebula_target"_s).toString(), u"remote"_s);

        const auto missing = AnsibleInventory::fromTerraformOutputs(
            u"ec2-instance"_s, u"web-9"_s, {{u"ssh_user"_s, u"admin"_s}});
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(u"public_ip"_s));
        QVERIFY(!AnsibleInventory::fromTerraformOutputs(u"unknown"_s, u"x"_s, values).ok());
    }
};

QTEST_APPLESS_MAIN(TestAnsibleEventParser)
#include "tst_ansibleeventparser.moc"
