#include "ui/runstatusview.h"

#include "models/historymodel.h"
#include "models/logmodel.h"
#include "temporal/temporalclient.h"
#include "ui/banner.h"
#include "ui/icons.h"
#include "ui/stagelist.h"
#include "ui/theme.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

using namespace Provisioning;
using Temporal::WorkflowStatus;

namespace {

ResourceState stateFor(const QString &workflowType, WorkflowStatus status)
{
    return stateOfRun(workflowType, Temporal::workflowStatusName(status));
}

QLineEdit *readOnlyField(QWidget *parent, const QString &objectName)
{
    auto *e = new QLineEdit(parent);
    e->setReadOnly(true);
    e->setObjectName(objectName);
    e->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return e;
}

} // namespace

RunStatusView::RunStatusView(Temporal::TemporalClient *client, ConnectionProfile profile, Session session,
                             ResourceRow row, QWidget *parent)
    : QWidget(parent), m_client(client), m_profile(std::move(profile)), m_session(std::move(session)),
      m_row(std::move(row)), m_icon(new QLabel(this)), m_title(new QLabel(this)), m_subtitle(new QLabel(this)),
      m_banner(new Banner(this)), m_cancel(new QPushButton(Icons::action("cancel"), tr("Cancel Run"), this)),
      m_destroy(new QPushButton(Icons::action("destroy"), tr("Destroy…"), this)),
      m_web(new QPushButton(Icons::action("web"), tr("Open in Web UI"), this)), m_tabs(new QTabWidget(this)),
      m_stages(new StageList(this)), m_resultBox(new QGroupBox(tr("Result"), this)), m_ip(readOnlyField(this, u"resultIp"_s)),
      m_url(readOnlyField(this, u"resultUrl"_s)), m_ssh(readOnlyField(this, u"resultSsh"_s)),
      m_failureBox(new QGroupBox(tr("Failure"), this)), m_failure(new QLabel(this)), m_log(new LogModel(this)),
      m_logView(new QListView(this)), m_history(new HistoryModel(this)), m_historyView(new QTableView(this)),
      m_eventDetails(new QPlainTextEdit(this)), m_historyStatus(new QLabel(this))
{
    setObjectName(u"runStatusView"_s);
    m_workflowId = m_row.workflowId.isEmpty() ? workflowIdFor(m_row.name) : m_row.workflowId;
    m_runId = m_row.runId;
    m_workflowType = m_row.workflowType.isEmpty() ? ProvisionWorkflowType.toString() : m_row.workflowType;

    // Header
    auto *header = new QHBoxLayout;
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *titles = new QVBoxLayout;
    titles->setSpacing(2);
    titles->addWidget(m_title);
    titles->addWidget(m_subtitle);
    header->addWidget(m_icon, 0, Qt::AlignTop);
    header->addLayout(titles, 1);
    m_cancel->setObjectName(u"cancelButton"_s);
    m_destroy->setObjectName(u"destroyButton"_s);
    m_web->setObjectName(u"webUiButton"_s);
    m_cancel->setToolTip(tr("Ask the run to stop (Ctrl+Shift+X)"));
    m_destroy->setToolTip(tr("Tear the resource down (Ctrl+Shift+Del)"));
    m_web->setToolTip(tr("Open this run in the Temporal Web UI (Ctrl+Shift+U)"));
    header->addWidget(m_cancel);
    header->addWidget(m_destroy);
    header->addWidget(m_web);

    m_tabs->setDocumentMode(true);
    m_tabs->addTab(makeProgressTab(), Icons::action("info"), tr("Progress"));
    m_tabs->addTab(makeHistoryTab(), Icons::action("history"), tr("Event History"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->addLayout(header);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);

    connect(m_cancel, &QPushButton::clicked, this, &RunStatusView::cancelRun);
    connect(m_destroy, &QPushButton::clicked, this, &RunStatusView::destroyResource);
    connect(m_web, &QPushButton::clicked, this, &RunStatusView::openInWebUi);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == 1 && !m_historyLoaded)
            refreshHistory();
    });

    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &RunStatusView::poll);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this]() { m_stages->tick(QDateTime::currentDateTimeUtc()); });

    const auto initial = m_workflowType == DestroyWorkflowType ? RunProgress::forDestroy(m_row.name)
                                                               : RunProgress::forProvision(m_row.name);
    m_stages->setStages(initial.stages, QDateTime::currentDateTimeUtc());
    if (m_row.state != ResourceState::Unknown) {
        m_closed = !isActive(m_row.state);
        m_status = m_closed ? WorkflowStatus::Unspecified : WorkflowStatus::Running;
    }
    updateHeader();
    updateActions();
}

QWidget *RunStatusView::makeProgressTab()
{
    auto *page = new QWidget(this);
    auto *splitter = new QSplitter(Qt::Vertical, page);
    splitter->setObjectName(u"progressSplitter"_s);

    auto *top = new QWidget(splitter);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 8, 0, 0);
    topLayout->addWidget(m_stages);

    auto *resultForm = new QFormLayout(m_resultBox);
    const auto addRow = [&](const QString &label, QLineEdit *field, const QString &what) {
        auto *row = new QHBoxLayout;
        auto *copyButton = new QToolButton(m_resultBox);
        copyButton->setIcon(Icons::action("copy"));
        copyButton->setToolTip(tr("Copy %1").arg(what));
        copyButton->setAccessibleName(tr("Copy %1").arg(what));
        copyButton->setAutoRaise(true);
        connect(copyButton, &QToolButton::clicked, this, [this, field, what]() { copy(what, field->text()); });
        row->addWidget(field, 1);
        row->addWidget(copyButton);
        resultForm->addRow(label, row);
    };
    addRow(tr("IP address:"), m_ip, tr("IP address"));
    addRow(tr("URL:"), m_url, tr("URL"));
    addRow(tr("SSH:"), m_ssh, tr("SSH command"));
    m_resultBox->hide();
    topLayout->addWidget(m_resultBox);

    auto *failureLayout = new QVBoxLayout(m_failureBox);
    m_failure->setWordWrap(true);
    m_failure->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_failure->setObjectName(u"failureText"_s);
    failureLayout->addWidget(m_failure);
    m_failureBox->hide();
    topLayout->addWidget(m_failureBox);
    topLayout->addStretch();

    auto *logBox = new QWidget(splitter);
    auto *logLayout = new QVBoxLayout(logBox);
    logLayout->setContentsMargins(0, 0, 0, 0);
    auto *logTitle = new QLabel(tr("Tool output"), logBox);
    logTitle->setForegroundRole(QPalette::PlaceholderText);
    logLayout->addWidget(logTitle);
    m_logView->setObjectName(u"logView"_s);
    m_logView->setModel(m_log);
    m_logView->setUniformItemSizes(true); // constant-time layout for any number of lines
    m_logView->setLayoutMode(QListView::Batched);
    m_logView->setBatchSize(2000);
    m_logView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_logView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_logView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_logView->setAlternatingRowColors(false);
    logLayout->addWidget(m_logView);

    splitter->addWidget(top);
    splitter->addWidget(logBox);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    return page;
}

QWidget *RunStatusView::makeHistoryTab()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 8, 0, 0);
    auto *bar = new QHBoxLayout;
    auto *reload = new QPushButton(Icons::action("refresh"), tr("Reload"), page);
    m_historyStatus->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(m_historyStatus, 1);
    bar->addWidget(reload);
    layout->addLayout(bar);
    auto *splitter = new QSplitter(Qt::Vertical, page);
    m_historyView->setModel(m_history);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_historyView->verticalHeader()->hide();
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    m_historyView->setWordWrap(false);
    m_historyView->setAlternatingRowColors(true);
    m_eventDetails->setReadOnly(true);
    m_eventDetails->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_eventDetails->setPlaceholderText(tr("Select an event to see its attributes."));
    splitter->addWidget(m_historyView);
    splitter->addWidget(m_eventDetails);
    layout->addWidget(splitter, 1);
    connect(reload, &QPushButton::clicked, this, &RunStatusView::refreshHistory);
    connect(m_historyView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_eventDetails->setPlainText(current.isValid()
                                                 ? m_history->data(current, HistoryModel::AttributesRole).toString()
                                                 : QString());
            });
    return page;
}

void RunStatusView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_closed || !m_outcomeFetched)
        schedulePoll(0);
    if (!m_closed)
        m_tick.start();
}

void RunStatusView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_pollTimer.stop();
    m_tick.stop();
}

void RunStatusView::schedulePoll(int ms)
{
    if (isVisible() && m_client)
        m_pollTimer.start(ms);
}

void RunStatusView::poll()
{
    if (!m_client || m_queryInFlight)
        return;
    if (m_pollCount++ % 5 == 0 || m_runId.isEmpty())
        describe();
    m_queryInFlight = true;
    Temporal::CallOptions call;
    call.timeout = std::chrono::milliseconds(5000);
    call.retryBudget = std::chrono::milliseconds(2000);
    const Temporal::WorkflowRef ref{m_workflowId, m_runId};
    m_client->queryWorkflow(ref, ProgressQueryName.toString(), {}, this,
                            [this](const Result<QJsonValue> &r) {
                                m_queryInFlight = false;
                                if (r && r->isObject()) {
                                    applyProgress(RunProgress::fromJson(r->toObject()));
                                    if (m_banner->kind() != Banner::Kind::Success)
                                        m_banner->hide();
                                } else if (!r) {
                                    applyQueryError(r.error());
                                }
                                if (m_closed && m_outcomeFetched)
                                    return; // final state shown: stop polling
                                schedulePoll(r ? PollIntervalMs : SlowPollIntervalMs);
                            },
                            call);
}

void RunStatusView::describe()
{
    if (m_describeInFlight || !m_client)
        return;
    m_describeInFlight = true;
    m_client->describeWorkflow({m_workflowId, m_runId}, this,
                               [this](const Result<Temporal::WorkflowDescription> &r) {
                                   m_describeInFlight = false;
                                   if (r)
                                       applyDescription(r->info);
                                   else if (r.error().code == ErrorCode::NotFound)
                                       m_banner->showError(tr("Temporal has no run for %1.").arg(m_workflowId));
                               });
}

void RunStatusView::applyQueryError(const Error &error)
{
    if (m_closed && m_outcomeFetched)
        return; // the outcome says it all; a closed run may have no worker to answer
    QString text;
    switch (error.code) {
    case ErrorCode::DeadlineExceeded:
        text = tr("No worker answered the progress query. Is nebula-worker running for the task queue \"%1\"? "
                  "The run continues once a worker is back.").arg(m_profile.taskQueue);
        break;
    case ErrorCode::NotFound:
        text = tr("Temporal has no run for %1.").arg(m_workflowId);
        break;
    default:
        text = error.message;
    }
    m_banner->showMessage(error.code == ErrorCode::Unavailable || error.code == ErrorCode::DeadlineExceeded
                              ? Banner::Kind::Warning
                              : Banner::Kind::Error,
                          text);
}

void RunStatusView::applyDescription(const Temporal::WorkflowInfo &info)
{
    if (!m_runId.isEmpty() && info.runId != m_runId && info.workflowType != m_workflowType)
        return; // a newer run replaced ours; the caller decides whether to follow it
    if (m_runId.isEmpty())
        m_runId = info.runId;
    m_workflowType = info.workflowType.isEmpty() ? m_workflowType : info.workflowType;
    m_status = info.status;
    m_startTime = info.startTime;
    const bool wasClosed = m_closed;
    m_closed = info.status != WorkflowStatus::Running && info.status != WorkflowStatus::Unspecified;
    if (!info.memo.isEmpty()) {
        m_row.type = info.memo.value(u"type"_s).toString(m_row.type);
        m_row.region = info.memo.value(u"region"_s).toString(m_row.region);
        m_row.size = info.memo.value(u"size"_s).toString(m_row.size);
        if (m_row.owner.isEmpty())
            m_row.owner = info.memo.value(u"requestedBy"_s).toString();
    }
    m_row.state = stateFor(m_workflowType, info.status);
    updateHeader();
    updateActions();
    if (m_closed && (!wasClosed || !m_outcomeFetched))
        fetchOutcome();
    if (m_closed)
        m_tick.stop();
}

void RunStatusView::fetchOutcome()
{
    if (!m_client || m_outcomeFetched)
        return;
    m_client->waitForOutcome({m_workflowId, m_runId}, this, [this](const Result<Temporal::WorkflowOutcome> &r) {
        if (r)
            applyOutcome(*r);
    });
}

void RunStatusView::applyOutcome(const Temporal::WorkflowOutcome &outcome)
{
    m_outcomeFetched = true;
    m_closed = true;
    m_status = outcome.status;
    m_row.state = stateFor(m_workflowType, outcome.status);
    m_tick.stop();

    RunRecord run;
    run.workflowId = m_workflowId;
    run.runId = m_runId;
    run.resource = m_row.name;
    run.workflowType = m_workflowType;
    run.status = Temporal::workflowStatusName(outcome.status);
    run.closedAt = QDateTime::currentDateTimeUtc();

    if (outcome.status == WorkflowStatus::Completed && m_workflowType == ProvisionWorkflowType) {
        const auto result = ProvisionResult::fromJson(outcome.result.toObject());
        m_ip->setText(result.ipAddress);
        m_url->setText(result.url);
        m_ssh->setText(result.sshCommand.isEmpty() ? tr("(no SSH access for this resource type)") : result.sshCommand);
        m_ssh->setEnabled(!result.sshCommand.isEmpty());
        m_resultBox->show();
        m_failureBox->hide();
        run.result = result.toJson();
        m_row.address = result.url.isEmpty() ? result.ipAddress : result.url;
        m_banner->showMessage(Banner::Kind::Success, tr("%1 is ready.").arg(m_row.name));
    } else if (outcome.status == WorkflowStatus::Completed) {
        m_resultBox->hide();
        m_failureBox->hide();
        run.result = outcome.result.toObject();
        m_banner->showMessage(Banner::Kind::Success, tr("%1 was destroyed.").arg(m_row.name));
    } else {
        m_resultBox->hide();
        QString stage;
        QString message = outcome.failureMessage;
        if (m_progress && !m_progress->failedStage.isEmpty()) {
            const auto *s = m_progress->stage(m_progress->failedStage);
            stage = s ? s->title : m_progress->failedStage;
            if (!m_progress->errorMessage.isEmpty())
                message = m_progress->errorMessage;
        }
        m_failure->setText(stage.isEmpty() ? message : tr("<b>%1</b> failed: %2").arg(stage.toHtmlEscaped(), message.toHtmlEscaped()));
        m_failure->setTextFormat(stage.isEmpty() ? Qt::PlainText : Qt::RichText);
        m_failureBox->setVisible(!message.isEmpty() || !stage.isEmpty());
        run.failure = message;
    }
    updateHeader();
    updateActions();
    Q_EMIT outcomeKnown(run);
}

void RunStatusView::applyProgress(const RunProgress &progress)
{
    const bool first = !m_progress.has_value();
    m_progress = progress;
    if (!progress.workflowType.isEmpty())
        m_workflowType = progress.workflowType;
    m_stages->setStages(progress.stages, QDateTime::currentDateTimeUtc());
    appendEvents(progress);
    if (progress.status == StageStatus::Failed && !progress.failedStage.isEmpty()) {
        const auto *s = progress.stage(progress.failedStage);
        const QString title = s ? s->title : progress.failedStage;
        m_failure->setText(tr("<b>%1</b> failed: %2").arg(title.toHtmlEscaped(), progress.errorMessage.toHtmlEscaped()));
        m_failure->setTextFormat(Qt::RichText);
        m_failureBox->show();
    }
    if (progress.result && !m_resultBox->isVisible() && progress.status == StageStatus::Succeeded) {
        m_ip->setText(progress.result->ipAddress);
        m_url->setText(progress.result->url);
        m_ssh->setText(progress.result->sshCommand.isEmpty() ? tr("(no SSH access for this resource type)")
                                                             : progress.result->sshCommand);
        m_ssh->setEnabled(!progress.result->sshCommand.isEmpty());
        m_resultBox->show();
    }
    if (first)
        updateHeader();
}

void RunStatusView::appendEvents(const RunProgress &progress)
{
    QList<LogModel::Line> lines;
    for (const auto &stage : progress.stages) {
        if (stage.events.isEmpty())
            continue;
        qsizetype start = 0;
        if (const auto it = m_lastEvent.constFind(stage.id); it != m_lastEvent.cend()) {
            // Events are bounded per stage (MaxStageEvents): find where we left off.
            start = -1;
            for (qsizetype i = stage.events.size() - 1; i >= 0; --i) {
                if (stage.events[i] == *it) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                lines << LogModel::Line{QDateTime::currentDateTimeUtc(), LogModel::Level::Warn, stage.id,
                                        tr("… earlier lines of this stage were not captured (output was faster than the refresh)")};
                start = 0;
            }
        }
        for (qsizetype i = start; i < stage.events.size(); ++i) {
            const auto &e = stage.events[i];
            lines << LogModel::Line{e.time, LogModel::levelFromName(e.level), stage.id, e.text};
        }
        m_lastEvent.insert(stage.id, stage.events.last());
    }
    if (lines.isEmpty())
        return;
    auto *bar = m_logView->verticalScrollBar();
    const bool follow = bar->value() >= bar->maximum() - 2;
    m_log->append(lines);
    if (follow)
        m_logView->scrollToBottom();
}

QString RunStatusView::headline() const
{
    return m_title->text() + u" — "_s + m_subtitle->text();
}

void RunStatusView::updateHeader()
{
    m_icon->setPixmap(Icons::status(statusKindOf(m_row.state)).pixmap(28, 28));
    m_title->setText(m_row.name);
    QStringList parts;
    parts << resourceStateName(m_row.state);
    if (!m_row.type.isEmpty())
        parts << m_row.type + (m_row.region.isEmpty() ? QString() : u" · "_s + m_row.region)
                     + (m_row.size.isEmpty() ? QString() : u" · "_s + m_row.size);
    parts << m_workflowType;
    if (!m_runId.isEmpty())
        parts << tr("run %1").arg(m_runId.left(8));
    if (m_startTime.isValid())
        parts << tr("started %1").arg(QLocale().toString(m_startTime.toLocalTime(), QLocale::ShortFormat));
    if (!m_row.owner.isEmpty())
        parts << tr("by %1").arg(m_row.owner);
    m_subtitle->setText(parts.join(u"  ·  "_s));
}

void RunStatusView::updateActions()
{
    const bool operate = canOperate(m_session.role);
    const bool running = !m_closed;
    m_cancel->setEnabled(operate && running && m_client);
    m_destroy->setEnabled(operate && m_client && m_row.state != ResourceState::Destroyed);
    m_web->setEnabled(!m_profile.webUiUrl.trimmed().isEmpty());
    const QString why = operate ? QString() : tr("Viewers cannot change resources.");
    if (!operate) {
        m_cancel->setToolTip(why);
        m_destroy->setToolTip(why);
    }
}

QString RunStatusView::resultText(const QString &field) const
{
    if (!m_resultBox->isVisible() && m_resultBox->isHidden())
        return {};
    if (field == u"ip"_s)
        return m_ip->text();
    if (field == u"url"_s)
        return m_url->text();
    if (field == u"ssh"_s)
        return m_ssh->text();
    return {};
}

QString RunStatusView::failureText() const
{
    return m_failureBox->isHidden() ? QString() : m_failure->text();
}

void RunStatusView::copy(const QString &what, const QString &text)
{
    QGuiApplication::clipboard()->setText(text);
    Q_EMIT statusMessage(tr("Copied the %1 to the clipboard.").arg(what));
}

void RunStatusView::cancelRun()
{
    if (!m_cancel->isEnabled())
        return;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Cancel Run"),
                                tr("Cancel the running %1 of \"%2\"?").arg(m_workflowType, m_row.name),
                                QMessageBox::NoButton, this);
    box->setInformativeText(tr("The worker stops at the next safe point. Resources already created stay until you destroy them."));
    auto *yes = box->addButton(tr("Cancel Run"), QMessageBox::DestructiveRole);
    box->addButton(tr("Keep Running"), QMessageBox::RejectRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes]() {
        if (box->clickedButton() != yes)
            return;
        m_cancel->setEnabled(false);
        m_client->requestCancelWorkflow({m_workflowId, m_runId}, tr("Canceled by %1 from nebula-console").arg(m_session.user),
                                        this, [this](const Result<void> &r) {
                                            Q_EMIT auditEvent(u"cancel"_s, m_row.name, r ? u"ok"_s : u"error"_s,
                                                              r ? m_runId : r.error().message);
                                            if (r) {
                                                m_banner->showInfo(tr("Cancellation requested; waiting for the worker to stop."));
                                                describe();
                                            } else {
                                                m_banner->showError(r.error().message);
                                                updateActions();
                                            }
                                        });
    });
    box->open();
}

void RunStatusView::destroyResource()
{
    if (!m_destroy->isEnabled())
        return;
    if (!m_closed) {
        auto *box = new QMessageBox(QMessageBox::Information, tr("Destroy"),
                                    tr("\"%1\" has a run in progress. Cancel it first, then destroy the resource.").arg(m_row.name),
                                    QMessageBox::NoButton, this);
        auto *cancelFirst = box->addButton(tr("Cancel Run…"), QMessageBox::AcceptRole);
        box->addButton(QMessageBox::Close);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this, [this, box, cancelFirst]() {
            if (box->clickedButton() == cancelFirst)
                cancelRun();
        });
        box->open();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Destroy Resource"),
                                tr("Destroy \"%1\"?").arg(m_row.name), QMessageBox::NoButton, this);
    box->setInformativeText(tr("Terraform removes everything it created for this resource. This cannot be undone."));
    auto *yes = box->addButton(tr("Destroy"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes]() {
        if (box->clickedButton() == yes)
            startDestroy();
    });
    box->open();
}

void RunStatusView::startDestroy()
{
    DestroyRequest req{m_row.name, m_session.user};
    Temporal::StartWorkflowRequest request;
    request.workflowId = workflowIdFor(m_row.name);
    request.workflowType = DestroyWorkflowType.toString();
    request.taskQueue = m_profile.taskQueue;
    request.args = QJsonArray{req.toJson()};
    request.memo = QJsonObject{{u"name"_s, m_row.name}, {u"type"_s, m_row.type}, {u"region"_s, m_row.region},
                               {u"size"_s, m_row.size}, {u"requestedBy"_s, m_session.user}};
    request.reusePolicy = Temporal::IdReusePolicy::AllowDuplicate;
    request.conflictPolicy = Temporal::IdConflictPolicy::Fail;
    m_destroy->setEnabled(false);
    m_client->startWorkflow(request, this, [this](const Result<Temporal::StartResult> &r) {
        Q_EMIT auditEvent(u"destroy"_s, m_row.name, r ? u"ok"_s : u"error"_s, r ? r->runId : r.error().message);
        if (!r) {
            m_banner->showError(r.error().code == ErrorCode::AlreadyExists
                                    ? tr("Another run of \"%1\" is in progress; wait for it or cancel it.").arg(m_row.name)
                                    : r.error().message);
            updateActions();
            return;
        }
        // Follow the destroy run from now on.
        m_runId = r->runId;
        m_workflowType = DestroyWorkflowType.toString();
        m_closed = false;
        m_outcomeFetched = false;
        m_status = WorkflowStatus::Running;
        m_row.state = ResourceState::Destroying;
        m_progress.reset();
        m_lastEvent.clear();
        m_resultBox->hide();
        m_failureBox->hide();
        m_historyLoaded = false;
        m_stages->setStages(RunProgress::forDestroy(m_row.name).stages, QDateTime::currentDateTimeUtc());
        m_banner->showInfo(tr("Destroying \"%1\"…").arg(m_row.name));
        updateHeader();
        updateActions();
        ResourceRecord resource{m_row.name, m_row.type, m_row.region, m_row.size, m_row.owner, {}, {}, {}, {}, QDateTime::currentDateTimeUtc()};
        RunRecord run;
        run.workflowId = m_workflowId;
        run.runId = m_runId;
        run.resource = m_row.name;
        run.workflowType = m_workflowType;
        run.startedBy = m_session.user;
        run.status = u"Running"_s;
        run.startedAt = QDateTime::currentDateTimeUtc();
        Q_EMIT runStarted(resource, run);
        m_tick.start();
        schedulePoll(0);
    });
}

void RunStatusView::openInWebUi()
{
    const QUrl url(m_profile.webUiLink(m_workflowId, m_runId));
    if (!url.isValid() || !QDesktopServices::openUrl(url))
        m_banner->showError(tr("Could not open %1; check the Web UI address in Settings.").arg(url.toString()));
    else
        Q_EMIT statusMessage(tr("Opened %1").arg(url.toString()));
}

void RunStatusView::showHistoryTab()
{
    m_tabs->setCurrentIndex(1);
}

void RunStatusView::refreshHistory()
{
    if (!m_client)
        return;
    m_historyLoaded = true;
    m_history->clear();
    m_historyStatus->setText(tr("Loading the event history…"));
    loadHistoryPage({}, ++m_historyGeneration);
}

void RunStatusView::loadHistoryPage(const QByteArray &token, int generation)
{
    Temporal::HistoryOptions options;
    options.pageToken = token;
    options.pageSize = 500;
    m_client->getHistory({m_workflowId, m_runId}, options, this,
                         [this, generation](const Result<Temporal::HistoryPage> &r) {
                             if (generation != m_historyGeneration)
                                 return; // a newer reload is under way
                             if (!r) {
                                 m_historyStatus->setText(r.error().message);
                                 return;
                             }
                             m_history->append(r->events);
                             if (!r->nextPageToken.isEmpty()) {
                                 loadHistoryPage(r->nextPageToken, generation);
                                 return;
                             }
                             m_historyStatus->setText(tr("%n event(s)", nullptr, m_history->rowCount()));
                             m_historyView->resizeColumnsToContents();
                         });
}

} // namespace Nebula::Console
