// The run view driven by `progress` query answers read from tests/gui/data (no server needed).
#include "guitest.h"
#include "models/logmodel.h"
#include "ui/banner.h"
#include "ui/runstatusview.h"
#include "ui/stagelist.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;
using namespace Nebula::Provisioning;

class TestRunStatusView final : public QObject
{
    Q_OBJECT

private:
    static RunProgress recorded(const QString &name)
    {
        QFile f(QStringLiteral(NEBULA_GUI_TEST_DATA) + u'/' + name);
        if (!f.open(QIODevice::ReadOnly))
            qFatal("missing fixture %s", qPrintable(name));
        return RunProgress::fromJson(QJsonDocument::fromJson(f.readAll()).object());
    }

    static std::unique_ptr<RunStatusView> makeView(Role role = Role::Operator)
    {
        ResourceRow row;
        row.name = u"demo-web"_s;
        row.type = u"local-webserver"_s;
        row.region = u"local"_s;
        row.size = u"small"_s;
        row.owner = u"olga"_s;
        row.state = ResourceState::Provisioning;
        row.workflowId = u"resource/demo-web"_s;
        row.runId = u"4f1c0e2a-run"_s;
        row.workflowType = u"ProvisionResource"_s;
        auto view = std::make_unique<RunStatusView>(nullptr, ConnectionProfile{}, Session{u"olga"_s, role, {}, {}}, row);
        view->resize(980, 640);
        return view;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void runningStagesShowProgress()
    {
        auto view = makeView();
        view->show();
        view->applyProgress(recorded(u"progress-running.json"_s));
        const auto rows = view->stageList()->rows();
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0].title, u"Terraform plan"_s);
        QCOMPARE(rows[0].status, u"Done"_s);
        QCOMPARE(rows[0].percent, 100);
        QCOMPARE(rows[0].elapsed, u"5 s"_s);
        QCOMPARE(rows[0].message, u"1 to add, 0 to change, 0 to destroy"_s);
        QCOMPARE(rows[1].title, u"Terraform apply"_s);
        QCOMPARE(rows[1].status, u"Running"_s);
        QCOMPARE(rows[1].percent, 40);
        QCOMPARE(rows[2].title, u"Ansible configure"_s);
        QCOMPARE(rows[2].status, u"Waiting"_s);
        QCOMPARE(rows[3].title, u"Verify"_s);
        QCOMPARE(view->logModel()->rowCount(), 5);
        QVERIFY(view->logModel()->text(2).contains(u"Plan: 1 to add"_s));
        QVERIFY(view->resultText(u"url"_s).isEmpty());
        QVERIFY(view->failureText().isEmpty());
        for (bool dark : {false, true}) {
            GuiTest::setTheme(dark);
            GuiTest::screenshot(view.get(), u"run-running"_s);
        }
        GuiTest::setTheme(false);
    }

    // Answers recorded from a real nebula-worker by tst_console_e2e (recorded-progress/ in the
    // build tree).
    void realWorkerAnswersRender()
    {
        auto view = makeView();
        view->show();
        view->applyProgress(recorded(u"recorded-worker-apply.json"_s));
        auto rows = view->stageList()->rows();
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0].status, u"Done"_s);
        QCOMPARE(rows[1].status, u"Running"_s);
        view->applyProgress(recorded(u"recorded-worker-succeeded.json"_s));
        rows = view->stageList()->rows();
        for (const auto &r : rows)
            QCOMPARE(r.status, u"Done"_s);
        QVERIFY(view->resultText(u"url"_s).startsWith(u"http://127.0.0.1:"_s));
        QCOMPARE(view->resultText(u"ip"_s), u"127.0.0.1"_s);
        QVERIFY(view->resultText(u"ssh"_s).startsWith(u"ssh "_s));
    }

    void repeatedAnswersDoNotDuplicateLogLines()
    {
        auto view = makeView();
        view->applyProgress(recorded(u"progress-running.json"_s));
        view->applyProgress(recorded(u"progress-running.json"_s));
        QCOMPARE(view->logModel()->rowCount(), 5);
        view->applyProgress(recorded(u"progress-failed.json"_s)); // adds apply's last line and configure's two
        QCOMPARE(view->logModel()->rowCount(), 8);
    }

    void failureNamesTheStageAndMessage()
    {
        auto view = makeView();
        view->show();
        view->applyProgress(recorded(u"progress-running.json"_s));
        view->applyProgress(recorded(u"progress-failed.json"_s));
        Temporal::WorkflowOutcome outcome;
        outcome.status = Temporal::WorkflowStatus::Failed;
        outcome.failureMessage = u"activity failed"_s;
        view->applyOutcome(outcome);
        QVERIFY(view->failureText().contains(u"Ansible configure"_s));
        QVERIFY(view->failureText().contains(u"address already in use"_s));
        const auto rows = view->stageList()->rows();
        QCOMPARE(rows[2].status, u"Failed"_s);
        QCOMPARE(rows[2].attempt, u"attempt 3"_s);
        QVERIFY(view->isClosed());
        QVERIFY(!view->cancelButton()->isEnabled()); // nothing to cancel any more
        QVERIFY(view->headline().contains(u"Failed"_s));
        for (bool dark : {false, true}) {
            GuiTest::setTheme(dark);
            GuiTest::screenshot(view.get(), u"run-failed"_s);
        }
        GuiTest::setTheme(false);
    }

    void successShowsTheResultWithCopyButtons()
    {
        auto view = makeView();
        view->show();
        const auto progress = recorded(u"progress-succeeded.json"_s);
        view->applyProgress(progress);
        Temporal::WorkflowOutcome outcome;
        outcome.status = Temporal::WorkflowStatus::Completed;
        outcome.result = progress.result->toJson();
        view->applyOutcome(outcome);
        QCOMPARE(view->resultText(u"ip"_s), u"127.0.0.1"_s);
        QCOMPARE(view->resultText(u"url"_s), u"http://127.0.0.1:8081/"_s);
        QVERIFY(view->resultText(u"ssh"_s).contains(u"no SSH"_s));
        QVERIFY(view->failureText().isEmpty());
        QCOMPARE(view->banner()->kind(), Banner::Kind::Success);
        for (bool dark : {false, true}) {
            GuiTest::setTheme(dark);
            GuiTest::screenshot(view.get(), u"run-succeeded"_s);
        }
        GuiTest::setTheme(false);
    }

    void viewersCannotCancelOrDestroy()
    {
        auto view = makeView(Role::Viewer);
        view->show();
        QVERIFY(!view->cancelButton()->isEnabled());
        QVERIFY(!view->destroyButton()->isEnabled());
    }

    void noWorkerIsExplainedNotFatal()
    {
        auto view = makeView();
        view->show();
        view->applyQueryError(makeError(ErrorCode::DeadlineExceeded, u"No worker answered the query in time."_s));
        QVERIFY(!view->banner()->isHidden());
        QCOMPARE(view->banner()->kind(), Banner::Kind::Warning);
        QVERIFY(view->banner()->text().contains(u"nebula-worker"_s));
        view->applyProgress(recorded(u"progress-running.json"_s)); // a later answer still renders
        QCOMPARE(view->stageList()->rows()[1].percent, 40);
    }

    void hiddenViewsDoNotPoll()
    {
        auto view = makeView();
        QVERIFY(!view->isPolling()); // never shown, never polled
        view->show();
        view->hide();
        QVERIFY(!view->isPolling());
    }

    // 100,000 log lines: appending in batches and scrolling stay fast (model + uniform rows).
    void hundredThousandLogLines()
    {
        auto view = makeView();
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QElapsedTimer t;
        t.start();
        const auto now = QDateTime::currentDateTimeUtc();
        for (int batch = 0; batch < 100; ++batch) {
            QList<LogModel::Line> lines;
            lines.reserve(1000);
            for (int i = 0; i < 1000; ++i)
                lines << LogModel::Line{now, LogModel::Level::Info, u"apply"_s,
                                        u"terraform_data.instance[%1]: Still creating... [%2s elapsed]"_s.arg(batch * 1000 + i).arg(i)};
            view->logModel()->append(lines);
            view->logView()->scrollToBottom();
            QCoreApplication::processEvents();
        }
        const qint64 appendMs = t.elapsed();
        QCOMPARE(view->logModel()->rowCount(), 100000);
        t.restart();
        auto *bar = view->logView()->verticalScrollBar();
        for (int i = 0; i < 50; ++i) {
            bar->setValue(bar->maximum() * i / 50);
            view->logView()->viewport()->repaint();
        }
        const qint64 scrollMs = t.elapsed();
        qInfo("100k lines: append+paint %lld ms, 50 scroll repaints %lld ms", static_cast<long long>(appendMs),
              static_cast<long long>(scrollMs));
        QVERIFY2(appendMs < 5000, "appending 100k lines took too long");
        QVERIFY2(scrollMs < 2000, "scrolling 100k lines took too long");
    }
};

QTEST_MAIN(TestRunStatusView)
#include "tst_runstatusview.moc"
