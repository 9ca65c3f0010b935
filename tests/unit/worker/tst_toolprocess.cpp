#include "tools/toolprocess.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <thread>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula::Tools;

namespace {

// A pid counts as gone when /proc has no entry or only a zombie is left.
bool processAlive(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && text.size() > close + 2 && text.at(close + 2) != 'Z';
}

ToolCommand shell(const QString &script, std::chrono::milliseconds grace = std::chrono::seconds(5))
{
    ToolCommand cmd;
    cmd.program = u"/bin/sh"_s;
    cmd.arguments = {u"-c"_s, script};
    cmd.workingDirectory = QDir::tempPath();
    cmd.gracePeriod = grace;
    cmd.displayName = u"sh"_s;
    return cmd;
}

} // namespace

class TestToolProcess final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void argumentsAreNotInterpretedByAShell()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ToolCommand cmd;
        cmd.program = u"printf"_s; // looked up in the child's PATH
        cmd.arguments = {u"%s\\n"_s, u"a b"_s, u"$(touch pwned)"_s, u"; rm -rf x"_s};
        cmd.workingDirectory = dir.path();
        QStringList lines;
        const ToolResult r = ToolProcess::run(
            cmd, [&](QByteArrayView l) { lines.append(QString::fromUtf8(l)); });
        QVERIFY(r.succeeded());
        QCOMPARE(lines, (QStringList{u"a b"_s, u"$(touch pwned)"_s, u"; rm -rf x"_s}));
        QVERIFY(!QFile::exists(dir.filePath(u"pwned"_s)));
    }

    void stdoutAndStderrAreSeparate()
    {
        QStringList out;
        QStringList err;
        const ToolResult r = ToolProcess::run(
            shell(u"echo '{\"a\":1}'; echo 'Warning: box' >&2; printf 'no newline'"_s),
            [&](QByteArrayView l) { out.append(QString::fromUtf8(l)); }, {},
            [&](QByteArrayView l) { err.append(QString::fromUtf8(l)); });
        QVERIFY(r.succeeded());
        QCOMPARE(out, (QStringList{u"{\"a\":1}"_s, u"no newline"_s}));
        QCOMPARE(err, QStringList{u"Warning: box"_s});
        QCOMPARE(r.stderrText, u"Warning: box\n"_s);
        QCOMPARE(r.exitCode, 0);
    }

    void stderrIsBounded()
    {
        ToolCommand cmd = shell(u"i=0; while [ $i -lt 3000 ]; do echo 0123456789012345678901234567890123456789 >&2; i=$((i+1)); done; echo LAST >&2; exit 3"_s);
        cmd.stderrLimit = 1000;
        const ToolResult r = ToolProcess::run(cmd, {});
        QCOMPARE(r.status, ToolResult::Status::Exited);
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!r.succeeded());
        QVERIFY(r.stderrTruncated);
        QVERIFY(r.stderrText.size() <= 1000);
        QVERIFY(r.stderrText.endsWith(u"LAST\n"_s));
    }

    void environmentIsRestricted()
    {
        qputenv("NEBULA_TEST_PARENT_ONLY", "leak");
        qputenv("AWS_SECRET_ACCESS_KEY", "parent-secret");
        ToolCommand cmd = shell(u"env; echo \"secret is $TF_VAR_token\" >&2"_s);
        cmd.environment = {{u"TF_IN_AUTOMATION"_s, u"1"_s}, {u"TF_VAR_token"_s, u"s3cr3t-value"_s}};
        QStringList env;
        const ToolResult r = ToolProcess::run(
            cmd, [&](QByteArrayView l) { env.append(QString::fromUtf8(l)); });
        QVERIFY(r.succeeded());
        QVERIFY(env.contains(u"TF_IN_AUTOMATION=1"_s));
        QVERIFY(std::any_of(env.cbegin(), env.cend(),
                            [](const QString &l) { return l.startsWith(u"PATH="_s); }));
        QVERIFY(std::none_of(env.cbegin(), env.cend(), [](const QString &l) {
            return l.startsWith(u"NEBULA_TEST_PARENT_ONLY"_s) || l.startsWith(u"AWS_SECRET"_s);
        }));
        // TF_VAR_* values are secrets: redacted from the kept stderr.
        QCOMPARE(r.stderrText, u"secret is ***\n"_s);
        QVERIFY(ToolProcess::isSecretName(u"AWS_SECRET_ACCESS_KEY"));
        QVERIFY(ToolProcess::isSecretName(u"TF_VAR_anything"));
        QVERIFY(!ToolProcess::isSecretName(u"TF_IN_AUTOMATION"));
    }

    void missingProgramFailsToStart()
    {
        ToolProcess process;
        QSignalSpy finished(&process, &ToolProcess::finished);
        ToolCommand cmd;
        cmd.program = u"nebula-no-such-tool"_s;
        process.start(cmd);
        QCOMPARE(finished.count(), 0); // never before start() returns
        QVERIFY(finished.wait(5000));
        const auto result = finished.at(0).at(0).value<ToolResult>();
        QCOMPARE(result.status, ToolResult::Status::FailedToStart);
        QVERIFY(result.errorString.contains(u"nebula-no-such-tool"_s));
    }

    void cancelStopsTheWholeProcessGroup()
    {
        // Background jobs of a non-interactive sh ignore SIGINT; they must still go (SIGKILL to
        // the group once the leader has stopped).
        QList<qint64> pids;
        ToolProcess process;
        process.setStdoutHandler([&](QByteArrayView l) { pids.append(l.toLongLong()); });
        QSignalSpy finished(&process, &ToolProcess::finished);
        process.start(shell(u"sleep 300 & echo $!; sh -c 'sleep 300 & echo $!; wait' & wait"_s));
        QTRY_COMPARE_WITH_TIMEOUT(pids.size(), 2, 5000);
        QVERIFY(processAlive(pids[0]) && processAlive(pids[1]));
        QCOMPARE(::getpgid(static_cast<pid_t>(pids[1])), static_cast<pid_t>(process.processId()));
        process.cancel();
        QVERIFY(finished.wait(10000));
        const ToolResult r = process.result();
        QVERIFY(r.cancelled);
        QVERIFY(!r.killed); // sh honoured SIGINT within the grace period
        QVERIFY(r.elapsedMs < 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pids[0]) && !processAlive(pids[1]), 5000);
    }

    void graceExpiryKillsTheGroup()
    {
        QList<qint64> pids;
        ToolProcess process;
        process.setStdoutHandler([&](QByteArrayView l) { pids.append(l.toLongLong()); });
        QSignalSpy finished(&process, &ToolProcess::finished);
        process.start(shell(u"trap '' INT; sleep 300 & echo $!; echo $$; wait"_s,
                            std::chrono::milliseconds(300)));
        QTRY_COMPARE_WITH_TIMEOUT(pids.size(), 2, 5000);
        process.cancel();
        QVERIFY(finished.wait(10000));
        QVERIFY(process.result().cancelled);
        QVERIFY(process.result().killed);
        QCOMPARE(process.result().status, ToolResult::Status::Crashed);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pids[0]) && !processAlive(pids[1]), 5000);
    }

    void destroyingTheOwnerKillsTheGroup()
    {
        QList<qint64> pids;
        auto process = std::make_unique<ToolProcess>();
        process->setStdoutHandler([&](QByteArrayView l) { pids.append(l.toLongLong()); });
        process->start(shell(u"sleep 300 & echo $!; echo $$; wait"_s));
        QTRY_COMPARE_WITH_TIMEOUT(pids.size(), 2, 5000);
        process.reset();
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pids[0]) && !processAlive(pids[1]), 5000);
    }

    void inheritedSigIgnIsReset()
    {
        // Python (Ansible) keeps an inherited SIG_IGN for SIGINT; the child must start with the
        // default disposition so that SIGINT to the group stops it.
        const auto previous = std::signal(SIGINT, SIG_IGN);
        ToolCommand cmd;
        cmd.program = u"sleep"_s;
        cmd.arguments = {u"300"_s};
        cmd.workingDirectory = QDir::tempPath();
        cmd.gracePeriod = std::chrono::seconds(20);
        ToolProcess process;
        QSignalSpy finished(&process, &ToolProcess::finished);
        process.start(cmd);
        QTRY_VERIFY_WITH_TIMEOUT(process.isRunning(), 5000);
        process.cancel();
        QVERIFY(finished.wait(5000));
        std::signal(SIGINT, previous);
        QVERIFY(!process.result().killed);
        QCOMPARE(process.result().status, ToolResult::Status::Crashed);
        QVERIFY(process.result().elapsedMs < 5000);
    }

    void runStopsOnAStopRequestFromAnotherThread()
    {
        std::stop_source source;
        std::thread requester;
        const ToolResult r = ToolProcess::run(
            shell(u"echo ready; sleep 300 & wait"_s),
            [&](QByteArrayView) {
                requester = std::thread([&source] { source.request_stop(); });
            },
            source.get_token());
        requester.join();
        QVERIFY(r.cancelled);
        QVERIFY(!r.succeeded());
        QVERIFY(r.elapsedMs < 5000);

        std::stop_source already;
        already.request_stop();
        const ToolResult none = ToolProcess::run(shell(u"echo never"_s), {}, already.get_token());
        QCOMPARE(none.status, ToolResult::Status::NotStarted);
        QVERIFY(none.cancelled);
    }

    void runWorksOnAPlainThread()
    {
        // Activity code may run on a std::thread without a Qt event loop of its own.
        ToolResult r;
        QStringList lines;
        std::thread t([&] {
            r = ToolProcess::run(shell(u"echo one; echo two"_s), [&](QByteArrayView l) {
                lines.append(QString::fromUtf8(l));
            });
        });
        t.join();
        QVERIFY(r.succeeded());
        QCOMPARE(lines, (QStringList{u"one"_s, u"two"_s}));
    }
};

QTEST_GUILESS_MAIN(TestToolProcess)
#include "tst_toolprocess.moc"
