#include "tools/terraformfailure.h"
#include "tools/terraformjsonparser.h"
#include "tools/toolfailure.h"

#include <QFile>
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

Fixture load(const QString &name)
{
    const QString base = QStringLiteral(NEBULA_TOOLS_TEST_DATA) + u"/terraform/"_s + name;
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

QList<TerraformEvent> parseAll(TerraformJsonParser &parser, const Fixture &f)
{
    QList<TerraformEvent> events;
    for (const QByteArray &line : f.lines)
        events.append(parser.parseLine(line));
    return events;
}

// Lines written by hand (not recordable offline), in data/terraform/handwritten-<name>.jsonl.
QByteArray handwritten(const QString &name)
{
    QFile file(QStringLiteral(NEBULA_TOOLS_TEST_DATA) + u"/terraform/handwritten-"_s + name
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

} // namespace

class TestTerraformJsonParser final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void planCreate()
    {
        const Fixture f = load(u"plan-create"_s);
        QCOMPARE(f.exitCode, 2);
        TerraformJsonParser parser;
        const auto events = parseAll(parser, f);
        QCOMPARE(events.size(), 4);
        QCOMPARE(events[0].type, TerraformEvent::Type::Version);
        QCOMPARE(events[0].version, u"1.11.4"_s);
        QCOMPARE(events[0].text, u"Terraform 1.11.4"_s);
        QCOMPARE(events[1].type, TerraformEvent::Type::PlannedChange);
        QCOMPARE(events[1].resource, u"terraform_data.this"_s);
        QCOMPARE(events[1].action, u"create"_s);
        QCOMPARE(events[2].type, TerraformEvent::Type::ChangeSummary);
        QCOMPARE(events[2].changes.add, 1);
        QCOMPARE(events[2].changes.operation, u"plan"_s);
        QCOMPARE(events[2].changes.toText(), u"1 to add, 0 to change, 0 to destroy"_s);
        QCOMPARE(events[2].percent, 100);
        QCOMPARE(events[3].type, TerraformEvent::Type::Outputs);
        QVERIFY(events[3].outputs.contains(u"url"_s));
        QVERIFY(parser.errors().isEmpty());
        QCOMPARE(parser.plannedChanges(), QStringList{u"terraform_data.this: create"_s});
        QVERIFY(parser.changeSummary().has_value());
    }

    void applyCreateProgress()
    {
        const Fixture f = load(u"apply-create"_s);
        QCOMPARE(f.exitCode, 0);
        TerraformJsonParser parser;
        parser.setApplying(true);
        const auto events = parseAll(parser, f);
        QList<TerraformEvent::Type> types;
        for (const auto &e : events)
            types.append(e.type);
        using T = TerraformEvent::Type;
        const QList<T> expected = {T::Version, T::PlannedChange, T::ApplyStart, T::ProvisionStart,
                                   T::ProvisionProgress, T::ProvisionProgress,
                                   T::ProvisionComplete, T::ApplyComplete, T::ChangeSummary,
                                   T::Outputs};
        QCOMPARE(types, expected);
        QCOMPARE(events[2].text, u"terraform_data.this: Creating..."_s);
        QCOMPARE(events[2].percent, 0);
        QCOMPARE(events[4].provisioner, u"local-exec"_s);
        QVERIFY(events[5].output.startsWith(u"instance web-1 created in "_s));
        QCOMPARE(events[7].action, u"create"_s);
        QCOMPARE(events[7].elapsedSeconds, 0);
        QVERIFY(!events[7].idValue.isEmpty());
        QCOMPARE(events[7].percent, 99);
        QCOMPARE(events[8].percent, 100);
        QCOMPARE(events[8].changes.toText(), u"1 added, 0 changed, 0 destroyed"_s);
        QCOMPARE(parser.outputs().value(u"port"_s).toObject().value(u"type"_s).toString(),
                 u"number"_s);
        QVERIFY(parser.outputs().value(u"url"_s).toObject().value(u"value"_s).toString()
                    .startsWith(u"http://127.0.0.1:"_s));
        for (const auto &e : events) {
            QVERIFY2(!e.text.contains(u'\n'), qPrintable(e.text));
            QVERIFY(e.timestamp.isValid());
            QCOMPARE(e.level, u"info"_s);
        }
        const ToolEvent tool = events[2].toToolEvent();
        QCOMPARE(tool.kind, u"apply_start"_s);
        QCOMPARE(tool.resource, u"terraform_data.this"_s);
        QCOMPARE(tool.toProgressEvent().text, events[2].text);
    }

    void replaceCountsTwoOperations()
    {
        TerraformJsonParser parser;
        parser.setApplying(true);
        QList<int> percents;
        for (const auto &e : parseAll(parser, load(u"apply-replace"_s))) {
            if (e.type == TerraformEvent::Type::ApplyComplete
                || e.type == TerraformEvent::Type::ChangeSummary)
                percents.append(e.percent);
        }
        QCOMPARE(percents, (QList<int>{50, 99, 100}));
        QCOMPARE(parser.changeSummary()->remove, 1);
        QCOMPARE(parser.changeSummary()->add, 1);
    }

    void destroyWithAutoApprove()
    {
        // destroy -auto-approve plans first: its plan summary must not finish the progress.
        TerraformJsonParser parser;
        parser.setApplying(true);
        const auto events = parseAll(parser, load(u"destroy"_s));
        QCOMPARE(events[4].type, TerraformEvent::Type::ChangeSummary);
        QCOMPARE(events[4].percent, 0);
        QCOMPARE(events[6].type, TerraformEvent::Type::ApplyStart);
        QCOMPARE(events[6].action, u"delete"_s);
        QCOMPARE(events.last().changes.operation, u"destroy"_s);
        QCOMPARE(events.last().percent, 100);
        QCOMPARE(events.last().changes.toText(), u"0 added, 0 changed, 1 destroyed"_s);
    }

    void noChangePlanRefreshes()
    {
        const Fixture f = load(u"plan-nochange"_s);
        QCOMPARE(f.exitCode, 0);
        TerraformJsonParser parser;
        const auto events = parseAll(parser, f);
        QCOMPARE(events[1].type, TerraformEvent::Type::RefreshStart);
        QCOMPARE(events[2].type, TerraformEvent::Type::RefreshComplete);
        QCOMPARE(parser.changeSummary()->total(), 0);
    }

    void interruptedApply()
    {
        const Fixture f = load(u"apply-interrupted"_s);
        QCOMPARE(f.exitCode, 1);
        TerraformJsonParser parser;
        parser.setApplying(true);
        const auto events = parseAll(parser, f);
        QVERIFY(parser.interrupted());
        const auto interrupt = std::find_if(events.cbegin(), events.cend(), [](const auto &e) {
            return e.type == TerraformEvent::Type::Log && e.message.contains(u"Interrupt"_s);
        });
        QVERIFY(interrupt != events.cend());
        QCOMPARE(interrupt->text, u"Interrupt received. Please wait for Terraform to exit or "
                                  u"data loss may occur. Gracefully shutting down..."_s);
        const auto errored = std::find_if(events.cbegin(), events.cend(), [](const auto &e) {
            return e.type == TerraformEvent::Type::ApplyErrored;
        });
        QVERIFY(errored != events.cend());
        QCOMPARE(errored->level, u"error"_s);
        QCOMPARE(parser.errors().size(), 3);
        QCOMPARE(parser.errors().at(0).address, u"terraform_data.slow"_s);
        QCOMPARE(parser.errors().at(1).summary, u"execution halted"_s);

        // Cancelled by us: a cancellation, never retried.
        const Error cancelled = classifyTerraformFailure(parser, resultOf(f, true),
                                                         {u"terraform"_s, u"apply"_s, 1});
        QCOMPARE(cancelled.code, ErrorCode::Cancelled);
        QCOMPARE(failureType(cancelled), u"ToolCancelled"_s);
        QVERIFY(!isRetryable(cancelled));
        QCOMPARE(cancelled.message, u"terraform apply was cancelled"_s);
        // Interrupted by someone else: the tool's own message, retryable.
        const Error other = classifyTerraformFailure(parser, resultOf(f),
                                                     {u"terraform"_s, u"apply"_s, 1});
        QCOMPARE(failureType(other), u"TerraformError"_s);
        QVERIFY(isRetryable(other));
        QVERIFY(other.message.startsWith(u"local-exec provisioner error: Error running command"_s));
    }

    void classification_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("retryable");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("messageStart");

        QTest::newRow("variable validation")
            << u"plan-invalid-vars"_s << u"TerraformValidationError"_s << false
            << ErrorCode::Validation << u"Invalid value for variable: The "_s;
        QTest::newRow("syntax error")
            << u"plan-syntax-error"_s << u"TerraformConfigurationError"_s << false
            << ErrorCode::InvalidArgument
            << u"Invalid multi-line string: Quoted strings may not be split"_s;
        QTest::newRow("provider download refused")
            << u"init-provider-unreachable"_s << u"TerraformTransientError"_s << true
            << ErrorCode::Unavailable
            << u"Failed to query available provider packages: Could not retrieve the list"_s;
        QTest::newRow("state locked")
            << u"plan-state-locked"_s << u"TerraformStateLocked"_s << true << ErrorCode::Aborted
            << u"Error acquiring the state lock: Error message: resource temporarily"_s;
        QTest::newRow("provisioner failed")
            << u"apply-port-in-use"_s << u"TerraformError"_s << true << ErrorCode::Tool
            << u"local-exec provisioner error: Error running command './scripts/create.sh': "
               u"exit status 1. Output: port"_s;
    }

    void classification()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, type);
        QFETCH(bool, retryable);
        QFETCH(ErrorCode, code);
        QFETCH(QString, messageStart);
        const Fixture f = load(fixture);
        QCOMPARE(f.exitCode, 1);
        TerraformJsonParser parser;
        parseAll(parser, f);
        QVERIFY(!parser.errors().isEmpty());
        const Error e = classifyTerraformFailure(parser, resultOf(f), {u"terraform"_s, u"x"_s, 1});
        QCOMPARE(failureType(e), type);
        QCOMPARE(isRetryable(e), retryable);
        QCOMPARE(e.code, code);
        QVERIFY2(e.message.startsWith(messageStart), qPrintable(e.message));
        QVERIFY(!e.message.contains(u'\n'));
        QCOMPARE(e.data.value(u"exitCode"_s).toInt(), 1);
        if (fixture == u"plan-invalid-vars"_s) {
            QVERIFY(e.detail.contains(u"The port must be a whole number between 1024"_s));
            QVERIFY(e.detail.contains(u"The name must start with a lowercase letter"_s));
            QVERIFY(e.detail.contains(u"The base_dir must be an absolute path"_s));
        }
        // Every error diagnostic is in the detail.
        for (const auto &d : parser.errors())
            QVERIFY(e.detail.contains(d.summary));
    }

    void provisionerFailureNamesResource()
    {
        TerraformJsonParser parser;
        const Fixture f = load(u"apply-port-in-use"_s);
        parseAll(parser, f);
        const Error e = classifyTerraformFailure(parser, resultOf(f), {u"terraform"_s, u"apply"_s, 1});
        QVERIFY(e.message.contains(u"is already in use; choose another port"_s));
        QVERIFY(e.message.endsWith(u"(terraform_data.this)"_s));
    }

    void credentialsAreNotRetried()
    {
        // Not recordable offline: the diagnostic the AWS provider gives without credentials.
        TerraformJsonParser parser;
        parser.parseLine(handwritten(u"credentials"_s));
        ToolResult r;
        r.status = ToolResult::Status::Exited;
        r.exitCode = 1;
        const Error e = classifyTerraformFailure(parser, r, {u"terraform"_s, u"plan"_s, 1});
        QCOMPARE(failureType(e), u"TerraformCredentialsError"_s);
        QVERIFY(!isRetryable(e));
        QCOMPARE(e.code, ErrorCode::Unauthenticated);
    }

    void stderrOnlyFailure()
    {
        TerraformJsonParser parser;
        ToolResult r;
        r.status = ToolResult::Status::Exited;
        r.exitCode = 1;
        r.stderrText = QString::fromUtf8("\n\xe2\x95\xb7\n\xe2\x94\x82 Error: Failed to load "
                                         "\"main.tf\"\n");
        const Error e = classifyTerraformFailure(parser, r, {u"terraform"_s, u"plan"_s, 1});
        QCOMPARE(e.message, u"Error: Failed to load \"main.tf\""_s);
        r.stderrText.clear();
        const Error bare = classifyTerraformFailure(parser, r, {u"terraform"_s, u"plan"_s, 1});
        QCOMPARE(bare.message, u"terraform plan failed with exit code 1"_s);
    }

    void unknownAndPlainLines()
    {
        TerraformJsonParser parser;
        const TerraformEvent future = parser.parseLine(
            handwritten(u"unknown-type"_s));
        QCOMPARE(future.type, TerraformEvent::Type::Other);
        QCOMPARE(future.typeName, u"ephemeral_op_start"_s);
        QCOMPARE(future.text, u"Something new happened"_s);
        QVERIFY(future.timestamp.isValid()); // whole seconds parse too
        const TerraformEvent plain = parser.parseLine("Initializing modules...");
        QCOMPARE(plain.type, TerraformEvent::Type::PlainText);
        QCOMPARE(plain.text, u"Initializing modules..."_s);
        const TerraformEvent escaped = parser.parseLine(
            handwritten(u"escaped"_s));
        QCOMPARE(escaped.text, u"a < b & c"_s);
    }

    void initSequence()
    {
        TerraformJsonParser parser;
        const auto events = parseAll(parser, load(u"init"_s));
        QCOMPARE(events.size(), 5);
        QCOMPARE(events[1].type, TerraformEvent::Type::InitOutput);
        QCOMPARE(events[1].text, u"Initializing the backend..."_s);
        QCOMPARE(events[3].type, TerraformEvent::Type::Log);
        QVERIFY(events[4].text.startsWith(u"Terraform has been successfully initialized!"_s));
    }
};

QTEST_APPLESS_MAIN(TestTerraformJsonParser)
#include "tst_terraformjsonparser.moc"
