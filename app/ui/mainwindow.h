#pragma once

#include "core/accounts.h"
#include "core/connectionmonitor.h"
#include "core/consolesettings.h"
#include "core/session.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>

class QAction;
class QActionGroup;
class QLabel;
class QSettings;
class QSystemTrayIcon;
class QTabWidget;

namespace Nebula::Temporal {
class TemporalClient;
}

namespace Nebula::Console {

class Banner;
class DashboardPage;
class LocalStore;
class ResourceSync;
class RunStatusView;
class SecretStore;
class SessionManager;
struct ResourceRow;

// What the main window works with; owned by ConsoleApplication.
struct ConsoleContext
{
    LocalStore *store = nullptr;
    SecretStore *secrets = nullptr;
    SessionManager *sessions = nullptr;
    QSettings *qsettings = nullptr;
    ConsoleSettings settings;
    Accounts::Policy policy;
};

// The operator's main window: dashboard tab plus one tab per opened run, menus and toolbar with
// shortcuts for every action, and a status bar with the Temporal connection, the workers polling
// the task queue and the signed-in user.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(ConsoleContext *context, Session session, QWidget *parent = nullptr);
    ~MainWindow() override;

    DashboardPage *dashboard() const { return m_dashboard; }
    ResourceSync *sync() const { return m_sync; }
    Temporal::TemporalClient *client() const { return m_client.get(); }
    ConnectionMonitor *monitor() const { return m_monitor; }
    RunStatusView *runView(const QString &resource) const;
    RunStatusView *currentRunView() const;
    Banner *banner() const { return m_banner; }
    QTabWidget *tabs() const { return m_tabs; }
    QAction *action(const QString &objectName) const;
    const Session &session() const { return m_session; }
    QString connectionText() const;
    QString workersText() const;

    void openRun(const ResourceRow &row);
    void newResource();
    void refresh();

Q_SIGNALS:
    void logoutRequested();
    void themeChangeRequested(Nebula::Console::ThemeChoice theme);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    void connectTemporal();
    void connectWithCredential(const QString &credential);
    void updateActions();
    void handleConnection(ConnectionMonitor::State state, const QString &message);
    void handleWorkers(ConnectionMonitor::Workers workers, int count);
    void handleRunFinished(const ResourceRow &row);
    void notify(const QString &title, const QString &text, bool failed);
    void audit(const QString &action, const QString &target, const QString &outcome, const QString &detail = {});
    void openSettings();
    void openUsers();
    void openAudit();
    void exportSessionKey();
    void showShortcuts();
    void showAbout();
    void closeTab(int index);
    void resetLayout();
    void saveWindowState();
    RunStatusView *addRunView(const ResourceRow &row);

    ConsoleContext *m_ctx;
    Session m_session;
    std::unique_ptr<Temporal::TemporalClient> m_client;
    ConnectionMonitor *m_monitor = nullptr;
    ResourceSync *m_sync = nullptr;
    Banner *m_banner;
    QTabWidget *m_tabs;
    DashboardPage *m_dashboard;
    QLabel *m_connectionLabel;
    QLabel *m_connectionIcon;
    QLabel *m_workersLabel;
    QLabel *m_userLabel;
    QLabel *m_refreshLabel;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer m_tokenRenewal;
    QHash<QString, QAction *> m_actions;
    QActionGroup *m_themeGroup = nullptr;
    QString m_lastNotifiedRun;
    QByteArray m_defaultState;
};

} // namespace Nebula::Console
