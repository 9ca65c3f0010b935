#pragma once

#include "core/consolesettings.h"
#include "core/resourcerow.h"
#include "core/session.h"
#include "provisioning/contract.h"
#include "provisioning/progress.h"
#include "temporal/types.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QToolButton;
class QGroupBox;

namespace Nebula::Temporal {
class TemporalClient;
}

namespace Nebula::Console {

class Banner;
class HistoryModel;
class LogModel;
class StageList;

// One resource's current run: stages with progress, live tool log, result or failure, Cancel and
// Destroy, the event history and a link to the Temporal Web UI. Polls the `progress` query about
// once a second while visible; never while hidden or closed.
class RunStatusView final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int PollIntervalMs = 1000;
    static constexpr int SlowPollIntervalMs = 5000; // while no worker answers

    RunStatusView(Temporal::TemporalClient *client, ConnectionProfile profile, Session session, ResourceRow row,
                  QWidget *parent = nullptr);

    QString resourceName() const { return m_row.name; }
    QString workflowId() const { return m_workflowId; }
    QString runId() const { return m_runId; }
    bool isPolling() const { return m_pollTimer.isActive() || m_queryInFlight; }
    bool isClosed() const { return m_closed; }

    // What the polls deliver; public so that tests can drive the view with recorded answers.
    void applyProgress(const Provisioning::RunProgress &progress);
    void applyDescription(const Temporal::WorkflowInfo &info);
    void applyOutcome(const Temporal::WorkflowOutcome &outcome);
    void applyQueryError(const Error &error);

    // Actions (also bound to shortcuts by the main window).
    void cancelRun();
    void destroyResource();
    void openInWebUi();
    void refreshHistory();
    void showHistoryTab();

    // For tests and screenshots.
    StageList *stageList() const { return m_stages; }
    LogModel *logModel() const { return m_log; }
    Banner *banner() const { return m_banner; }
    QString resultText(const QString &field) const; // "ip", "url", "ssh"
    QString failureText() const;
    QString headline() const;
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *destroyButton() const { return m_destroy; }
    QListView *logView() const { return m_logView; }

Q_SIGNALS:
    // The run closed and its outcome is known (for the store and notifications).
    void outcomeKnown(const Nebula::Console::RunRecord &run);
    // A run this view started (destroy).
    void runStarted(const Nebula::Console::ResourceRecord &resource, const Nebula::Console::RunRecord &run);
    void auditEvent(const QString &action, const QString &target, const QString &outcome, const QString &detail);
    void statusMessage(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void poll();
    void describe();
    void fetchOutcome();
    void schedulePoll(int ms);
    void appendEvents(const Provisioning::RunProgress &progress);
    void updateHeader();
    void updateActions();
    void startDestroy();
    void loadHistoryPage(const QByteArray &token, int generation);
    void copy(const QString &what, const QString &text);
    QWidget *makeProgressTab();
    QWidget *makeHistoryTab();

    Temporal::TemporalClient *m_client;
    ConnectionProfile m_profile;
    Session m_session;
    ResourceRow m_row;
    QString m_workflowId;
    QString m_runId;
    QString m_workflowType;
    Temporal::WorkflowStatus m_status = Temporal::WorkflowStatus::Unspecified;
    QDateTime m_startTime;
    bool m_closed = false;
    bool m_outcomeFetched = false;
    bool m_queryInFlight = false;
    bool m_describeInFlight = false;
    bool m_historyLoaded = false;
    int m_pollCount = 0;
    int m_historyGeneration = 0;
    std::optional<Provisioning::RunProgress> m_progress;
    QHash<QString, Provisioning::ToolEvent> m_lastEvent; // per stage: the newest event shown
    QTimer m_pollTimer;
    QTimer m_tick;

    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_subtitle;
    Banner *m_banner;
    QPushButton *m_cancel;
    QPushButton *m_destroy;
    QPushButton *m_web;
    QTabWidget *m_tabs;
    StageList *m_stages;
    QGroupBox *m_resultBox;
    QLineEdit *m_ip;
    QLineEdit *m_url;
    QLineEdit *m_ssh;
    QGroupBox *m_failureBox;
    QLabel *m_failure;
    LogModel *m_log;
    QListView *m_logView;
    HistoryModel *m_history;
    QTableView *m_historyView;
    QPlainTextEdit *m_eventDetails;
    QLabel *m_historyStatus;
};

} // namespace Nebula::Console
