#include "ui/mainwindow.h"

#include "common/logging.h"
#include "core/localstore.h"
#include "core/resourcesync.h"
#include "core/secretstore.h"
#include "models/resourcetablemodel.h"
#include "provisioning/contract.h"
#include "temporal/temporalclient.h"
#include "ui/auditdialog.h"
#include "ui/banner.h"
#include "ui/dashboardpage.h"
#include "ui/icons.h"
#include "ui/newresourcedialog.h"
#include "ui/runstatusview.h"
#include "ui/settingsdialog.h"
#include "ui/theme.h"
#include "ui/usersdialog.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

MainWindow::MainWindow(ConsoleContext *context, Session session, QWidget *parent)
    : QMainWindow(parent), m_ctx(context), m_session(std::move(session)), m_banner(new Banner(this)),
      m_tabs(new QTabWidget(this)), m_dashboard(new DashboardPage(this)), m_connectionLabel(new QLabel(this)),
      m_connectionIcon(new QLabel(this)), m_workersLabel(new QLabel(this)), m_userLabel(new QLabel(this)),
      m_refreshLabel(new QLabel(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("NebulaOps Console"));
    setWindowIcon(Icons::app());

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *bannerBox = new QWidget(central);
    auto *bannerLayout = new QVBoxLayout(bannerBox);
    bannerLayout->setContentsMargins(8, 6, 8, 0);
    bannerLayout->addWidget(m_banner);
    layout->addWidget(bannerBox);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    m_tabs->setObjectName(u"mainTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->addTab(m_dashboard, Icons::app(), tr("Resources"));
    m_tabs->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr); // the dashboard stays
    m_tabs->tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);

    createActions();
    createMenus();
    createStatusBar();

    m_dashboard->setCanCreate(canOperate(m_session.role));
    connect(m_dashboard, &DashboardPage::openRequested, this, &MainWindow::openRun);
    connect(m_dashboard, &DashboardPage::createRequested, this, &MainWindow::newResource);
    connect(m_dashboard, &DashboardPage::currentChanged, this, &MainWindow::updateActions);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
    connect(m_banner, &Banner::actionTriggered, this, [this]() {
        if (m_monitor)
            m_monitor->probeNow();
        refresh();
    });

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(Icons::app(), this);
        m_tray->setToolTip(tr("NebulaOps Console"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this]() {
            showNormal();
            raise();
            activateWindow();
            if (!m_lastNotifiedRun.isEmpty())
                if (const auto row = m_dashboard->findRow(m_lastNotifiedRun))
                    openRun(*row);
        });
        connect(m_tray, &QSystemTrayIcon::activated, this, [this]() {
            showNormal();
            activateWindow();
        });
        m_tray->show();
    }

    // Keep the session token fresh while the window is open.
    m_tokenRenewal.setInterval(std::chrono::minutes(30));
    connect(&m_tokenRenewal, &QTimer::timeout, this, [this]() {
        m_session = m_ctx->sessions->issue(m_session.user, m_session.role);
        if (m_client && m_ctx->settings.profile().authMode == AuthMode::SessionToken)
            m_client->setAuthToken(QString::fromLatin1(m_session.token));
    });
    m_tokenRenewal.start();

    resize(1180, 720);
    m_defaultState = saveState();
    restoreGeometry(m_ctx->settings.mainGeometry);
    restoreState(m_ctx->settings.mainState);
    if (!m_ctx->settings.dashboardHeader.isEmpty())
        m_dashboard->table()->horizontalHeader()->restoreState(m_ctx->settings.dashboardHeader);

    connectTemporal();
    updateActions();
}

MainWindow::~MainWindow()
{
    // Views and the sync hold the client; delete them first.
    while (m_tabs->count() > 1) {
        QWidget *w = m_tabs->widget(1);
        m_tabs->removeTab(1);
        delete w;
    }
    delete m_sync;
    delete m_monitor;
}

QAction *MainWindow::action(const QString &objectName) const
{
    return m_actions.value(objectName);
}

void MainWindow::createActions()
{
    const auto make = [this](const QString &name, const QString &text, const char *icon, const QKeySequence &key,
                             const QString &tip, auto slot) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        if (icon)
            a->setIcon(Icons::action(icon));
        if (!key.isEmpty())
            a->setShortcut(key);
        a->setStatusTip(tip);
        a->setToolTip(key.isEmpty() ? tip : tip + u" ("_s + key.toString(QKeySequence::NativeText) + u')');
        connect(a, &QAction::triggered, this, slot);
        m_actions.insert(name, a);
        addAction(a); // shortcuts work even when the menu bar is hidden
        return a;
    };
    make(u"actionNew"_s, tr("&New Resource…"), "new", QKeySequence::New, tr("Provision a new resource"),
         [this]() { newResource(); });
    make(u"actionRefresh"_s, tr("&Refresh"), "refresh", QKeySequence(Qt::Key_F5), tr("Refresh the resource list now"),
         [this]() { refresh(); });
    make(u"actionFind"_s, tr("&Filter…"), "search", QKeySequence::Find, tr("Filter the resources"), [this]() {
        m_tabs->setCurrentIndex(0);
        m_dashboard->focusFilter();
    });
    make(u"actionOpen"_s, tr("&Open Run"), "open", QKeySequence(Qt::CTRL | Qt::Key_O),
         tr("Show the selected resource's run"), [this]() {
             if (const auto row = m_dashboard->currentRow())
                 openRun(*row);
         });
    make(u"actionCancel"_s, tr("&Cancel Run…"), "cancel", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X),
         tr("Cancel the selected run"), [this]() {
             if (auto *v = currentRunView())
                 v->cancelRun();
             else if (const auto row = m_dashboard->currentRow())
                 addRunView(*row)->cancelRun();
         });
    make(u"actionDestroy"_s, tr("&Destroy…"), "destroy", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete),
         tr("Destroy the selected resource"), [this]() {
             if (auto *v = currentRunView())
                 v->destroyResource();
             else if (const auto row = m_dashboard->currentRow())
                 addRunView(*row)->destroyResource();
         });
    make(u"actionHistory"_s, tr("Event &History"), "history", QKeySequence(Qt::CTRL | Qt::Key_H),
         tr("Show the run's event history"), [this]() {
             RunStatusView *v = currentRunView();
             if (!v)
                 if (const auto row = m_dashboard->currentRow())
                     v = addRunView(*row);
             if (v)
                 v->showHistoryTab();
         });
    make(u"actionWebUi"_s, tr("Open in &Web UI"), "web", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U),
         tr("Open the run in the Temporal Web UI"), [this]() {
             if (auto *v = currentRunView())
                 v->openInWebUi();
             else if (const auto row = m_dashboard->currentRow())
                 addRunView(*row)->openInWebUi();
         });
    make(u"actionCloseTab"_s, tr("&Close Tab"), nullptr, QKeySequence::Close, tr("Close the current run tab"),
         [this]() { closeTab(m_tabs->currentIndex()); });
    make(u"actionDashboard"_s, tr("&Resources"), nullptr, QKeySequence(Qt::CTRL | Qt::Key_1), tr("Show the resource list"),
         [this]() { m_tabs->setCurrentIndex(0); });
    make(u"actionSettings"_s, tr("&Settings…"), "settings", QKeySequence(Qt::CTRL | Qt::Key_Comma),
         tr("Connection profiles, appearance and refresh"), [this]() { openSettings(); });
    make(u"actionUsers"_s, tr("&Users…"), "users", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M),
         tr("Add users, change roles, reset passwords"), [this]() { openUsers(); });
    make(u"actionAudit"_s, tr("&Audit Log…"), "audit", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
         tr("Show logins and actions"), [this]() { openAudit(); });
    make(u"actionExportKey"_s, tr("&Export Session Key…"), nullptr, QKeySequence(),
         tr("Write the session signing key to a file for a local nebula-devserver"), [this]() { exportSessionKey(); });
    make(u"actionLogout"_s, tr("&Log Out"), "logout", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L),
         tr("Log out and forget a remembered session"), [this]() { Q_EMIT logoutRequested(); });
    make(u"actionQuit"_s, tr("&Quit"), nullptr, QKeySequence::Quit, tr("Quit the console"), [this]() { close(); });
    make(u"actionResetLayout"_s, tr("Reset &Layout"), nullptr, QKeySequence(), tr("Restore the default window layout"),
         [this]() { resetLayout(); });
    make(u"actionShortcuts"_s, tr("&Keyboard Shortcuts"), "info", QKeySequence(Qt::Key_F1), tr("List the keyboard shortcuts"),
         [this]() { showShortcuts(); });
    make(u"actionAbout"_s, tr("&About NebulaOps Console"), nullptr, QKeySequence(), tr("Version and licence"),
         [this]() { showAbout(); });

    m_themeGroup = new QActionGroup(this);
    const std::pair<ThemeChoice, QString> themes[] = {{ThemeChoice::System, tr("Follow &System")},
                                                      {ThemeChoice::Light, tr("&Light")},
                                                      {ThemeChoice::Dark, tr("&Dark")}};
    for (const auto &[choice, text] : themes) {
        auto *a = new QAction(text, m_themeGroup);
        a->setCheckable(true);
        a->setChecked(m_ctx->settings.theme == choice);
        a->setObjectName(u"actionTheme"_s + QString::number(static_cast<int>(choice)));
        connect(a, &QAction::triggered, this, [this, c = choice]() {
            m_ctx->settings.theme = c;
            m_ctx->settings.save(*m_ctx->qsettings);
            Q_EMIT themeChangeRequested(c);
        });
    }
    auto *toggleDark = new QAction(tr("Toggle &Dark Mode"), this);
    toggleDark->setObjectName(u"actionToggleDark"_s);
    toggleDark->setIcon(Icons::action("theme"));
    toggleDark->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    connect(toggleDark, &QAction::triggered, this, [this]() {
        const auto next = Theme::isDark() ? ThemeChoice::Light : ThemeChoice::Dark;
        for (auto *a : m_themeGroup->actions())
            a->setChecked(a->objectName() == u"actionTheme"_s + QString::number(static_cast<int>(next)));
        m_ctx->settings.theme = next;
        m_ctx->settings.save(*m_ctx->qsettings);
        Q_EMIT themeChangeRequested(next);
    });
    m_actions.insert(toggleDark->objectName(), toggleDark);
    addAction(toggleDark);
}

void MainWindow::createMenus()
{
    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(action(u"actionNew"_s));
    file->addAction(action(u"actionRefresh"_s));
    file->addSeparator();
    file->addAction(action(u"actionSettings"_s));
    file->addAction(action(u"actionExportKey"_s));
    file->addSeparator();
    file->addAction(action(u"actionLogout"_s));
    file->addAction(action(u"actionQuit"_s));

    auto *view = menuBar()->addMenu(tr("&View"));
    view->addAction(action(u"actionFind"_s));
    view->addAction(action(u"actionDashboard"_s));
    view->addAction(action(u"actionCloseTab"_s));
    view->addSeparator();
    auto *theme = view->addMenu(Icons::action("theme"), tr("&Theme"));
    theme->addActions(m_themeGroup->actions());
    theme->addSeparator();
    theme->addAction(action(u"actionToggleDark"_s));
    view->addAction(action(u"actionResetLayout"_s));

    auto *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(action(u"actionOpen"_s));
    run->addAction(action(u"actionHistory"_s));
    run->addAction(action(u"actionWebUi"_s));
    run->addSeparator();
    run->addAction(action(u"actionCancel"_s));
    run->addAction(action(u"actionDestroy"_s));

    if (canManageUsers(m_session.role)) {
        auto *admin = menuBar()->addMenu(tr("&Admin"));
        admin->addAction(action(u"actionUsers"_s));
        admin->addAction(action(u"actionAudit"_s));
    }

    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action(u"actionShortcuts"_s));
    help->addAction(action(u"actionAbout"_s));

    auto *toolbar = addToolBar(tr("Main Toolbar"));
    toolbar->setObjectName(u"mainToolbar"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(18, 18));
    toolbar->setMovable(false);
    toolbar->addAction(action(u"actionNew"_s));
    toolbar->addAction(action(u"actionRefresh"_s));
    toolbar->addSeparator();
    toolbar->addAction(action(u"actionOpen"_s));
    toolbar->addAction(action(u"actionCancel"_s));
    toolbar->addAction(action(u"actionDestroy"_s));
    toolbar->addAction(action(u"actionWebUi"_s));
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    toolbar->addAction(action(u"actionSettings"_s));
}

void MainWindow::createStatusBar()
{
    m_connectionLabel->setObjectName(u"connectionStatus"_s);
    m_workersLabel->setObjectName(u"workerStatus"_s);
    m_userLabel->setObjectName(u"userStatus"_s);
    m_refreshLabel->setForegroundRole(QPalette::PlaceholderText);
    statusBar()->addPermanentWidget(m_refreshLabel);
    statusBar()->addPermanentWidget(m_connectionIcon);
    statusBar()->addPermanentWidget(m_connectionLabel);
    statusBar()->addPermanentWidget(m_workersLabel);
    statusBar()->addPermanentWidget(m_userLabel);
    m_userLabel->setText(tr("%1 (%2)").arg(m_session.user, roleDisplayName(m_session.role)));
    m_connectionLabel->setText(tr("Connecting…"));
}

QString MainWindow::connectionText() const
{
    return m_connectionLabel->text();
}

QString MainWindow::workersText() const
{
    return m_workersLabel->text();
}

void MainWindow::connectTemporal()
{
    const auto &profile = m_ctx->settings.profile();
    if (profile.authMode == AuthMode::ApiKey) {
        m_connectionLabel->setText(tr("Reading the API key…"));
        m_ctx->secrets->read(profile.apiKeyEntry(), this, [this](const Result<QByteArray> &key) {
            if (!key)
                m_banner->showMessage(Banner::Kind::Warning,
                                      tr("No API key for this profile in %1 (%2). Enter it in Settings.")
                                          .arg(m_ctx->secrets->description(), key.error().message));
            connectWithCredential(key ? QString::fromUtf8(*key) : QString());
        });
    } else if (profile.authMode == AuthMode::SessionToken) {
        connectWithCredential(QString::fromLatin1(m_session.token));
    } else {
        connectWithCredential({});
    }
}

void MainWindow::connectWithCredential(const QString &credential)
{
    // Run tabs, the sync and the monitor use the client: retire them first.
    while (m_tabs->count() > 1)
        closeTab(1);
    delete m_sync;
    m_sync = nullptr;
    delete m_monitor;
    m_monitor = nullptr;
    m_client.reset();

    const auto &profile = m_ctx->settings.profile();
    auto client = Temporal::TemporalClient::create(profile.toConnectionOptions(credential), nullptr);
    if (!client) {
        m_banner->showError(tr("The connection profile \"%1\" cannot be used: %2").arg(profile.name, client.error().message));
        handleConnection(ConnectionMonitor::State::Reconnecting, client.error().message);
    } else {
        m_client = std::move(*client);
        m_monitor = new ConnectionMonitor(m_client.get(), profile.taskQueue, this);
        connect(m_monitor, &ConnectionMonitor::stateChanged, this, &MainWindow::handleConnection);
        connect(m_monitor, &ConnectionMonitor::workersChanged, this, &MainWindow::handleWorkers);
        handleConnection(ConnectionMonitor::State::Connecting, {});
        m_monitor->start();
    }
    m_sync = new ResourceSync(m_ctx->store, m_client.get(), this);
    m_sync->setBaseInterval(m_ctx->settings.refreshSeconds * 1000);
    connect(m_sync, &ResourceSync::rowsChanged, m_dashboard, &DashboardPage::setRows);
    connect(m_sync, &ResourceSync::rowsChanged, this, &MainWindow::updateActions);
    connect(m_sync, &ResourceSync::loadingChanged, this, [this](bool loading) {
        m_dashboard->setLoading(loading);
        if (loading)
            m_refreshLabel->setText(tr("Refreshing…"));
    });
    connect(m_sync, &ResourceSync::refreshSucceeded, this, [this]() {
        m_refreshLabel->setText(tr("Updated %1").arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
        if (m_banner->kind() == Banner::Kind::Error && m_banner->property("fromSync").toBool())
            m_banner->hide();
    });
    connect(m_sync, &ResourceSync::refreshFailed, this, [this](const Error &e) {
        m_refreshLabel->setText(tr("Showing stored data"));
        m_banner->showMessage(Banner::Kind::Error, tr("Could not list runs from Temporal: %1").arg(e.message), tr("Retry"));
        m_banner->setProperty("fromSync", true);
    });
    connect(m_sync, &ResourceSync::runFinished, this, &MainWindow::handleRunFinished);
    m_sync->start();
    handleWorkers(ConnectionMonitor::Workers::Unknown, 0);
}

void MainWindow::handleConnection(ConnectionMonitor::State state, const QString &message)
{
    const auto &profile = m_ctx->settings.profile();
    QString text;
    StatusKind kind = StatusKind::Pending;
    switch (state) {
    case ConnectionMonitor::State::Connecting:
        text = tr("Connecting to %1…").arg(profile.address);
        break;
    case ConnectionMonitor::State::Connected:
        text = tr("Connected to %1 (%2)").arg(profile.address, profile.nameSpace);
        kind = StatusKind::Succeeded;
        if (m_banner->property("fromConnection").toBool()) {
            m_banner->setProperty("fromConnection", false);
            m_banner->showMessage(Banner::Kind::Success, tr("Connected to Temporal at %1.").arg(profile.address));
        }
        if (m_sync && !m_sync->isLoading())
            m_sync->refreshNow();
        break;
    case ConnectionMonitor::State::Reconnecting:
        text = tr("Reconnecting to %1…").arg(profile.address);
        kind = StatusKind::Failed;
        m_banner->showMessage(Banner::Kind::Warning,
                              tr("Temporal is not reachable at %1. The console keeps trying on its own and shows the "
                                 "last known state meanwhile. %2").arg(profile.address, message),
                              tr("Retry Now"));
        m_banner->setProperty("fromConnection", true);
        break;
    case ConnectionMonitor::State::Unauthorized:
        text = tr("Unauthorized at %1").arg(profile.address);
        kind = StatusKind::Canceled;
        m_banner->showError(tr("Temporal refused the credentials (%1). Check the profile's authentication in Settings "
                               "or log in again.").arg(message));
        m_banner->setProperty("fromConnection", true);
        break;
    }
    m_connectionLabel->setText(text);
    m_connectionLabel->setToolTip(message);
    m_connectionIcon->setPixmap(Icons::status(kind).pixmap(14, 14));
}

void MainWindow::handleWorkers(ConnectionMonitor::Workers workers, int count)
{
    const QString queue = m_ctx->settings.profile().taskQueue;
    switch (workers) {
    case ConnectionMonitor::Workers::Unknown:
        m_workersLabel->setText(tr("Workers: unknown"));
        m_workersLabel->setToolTip(tr("Waiting for the connection to check the task queue \"%1\".").arg(queue));
        break;
    case ConnectionMonitor::Workers::Polling:
        m_workersLabel->setText(tr("%n worker(s) on %1", nullptr, count).arg(queue));
        m_workersLabel->setToolTip(tr("Workers polled the task queue within the last %1 s.").arg(ConnectionMonitor::RecentPollSeconds));
        break;
    case ConnectionMonitor::Workers::None:
        m_workersLabel->setText(tr("No worker on %1").arg(queue));
        m_workersLabel->setToolTip(tr("No nebula-worker has polled the task queue recently: runs will wait until one starts."));
        break;
    }
}

RunStatusView *MainWindow::runView(const QString &resource) const
{
    for (int i = 1; i < m_tabs->count(); ++i) {
        auto *v = qobject_cast<RunStatusView *>(m_tabs->widget(i));
        if (v && v->resourceName() == resource)
            return v;
    }
    return nullptr;
}

RunStatusView *MainWindow::currentRunView() const
{
    return qobject_cast<RunStatusView *>(m_tabs->currentWidget());
}

RunStatusView *MainWindow::addRunView(const ResourceRow &row)
{
    if (auto *existing = runView(row.name)) {
        m_tabs->setCurrentWidget(existing);
        return existing;
    }
    auto *view = new RunStatusView(m_client.get(), m_ctx->settings.profile(), m_session, row, m_tabs);
    connect(view, &RunStatusView::outcomeKnown, this, [this](const RunRecord &run) {
        if (m_sync)
            m_sync->noteOutcome(run);
    });
    connect(view, &RunStatusView::runStarted, this, [this](const ResourceRecord &resource, const RunRecord &run) {
        if (m_sync)
            m_sync->noteStarted(resource, run);
    });
    connect(view, &RunStatusView::auditEvent, this, &MainWindow::audit);
    connect(view, &RunStatusView::statusMessage, this, [this](const QString &text) { statusBar()->showMessage(text, 4000); });
    const int index = m_tabs->addTab(view, Icons::status(statusKindOf(row.state)), row.name);
    m_tabs->setTabToolTip(index, Provisioning::workflowIdFor(row.name));
    m_tabs->setCurrentIndex(index);
    return view;
}

void MainWindow::openRun(const ResourceRow &row)
{
    addRunView(row);
}

void MainWindow::closeTab(int index)
{
    if (index <= 0 || index >= m_tabs->count())
        return;
    QWidget *w = m_tabs->widget(index);
    m_tabs->removeTab(index);
    w->deleteLater(); // stops its polling: callbacks die with their context
}

void MainWindow::newResource()
{
    if (!canOperate(m_session.role)) {
        statusBar()->showMessage(tr("Viewers cannot create resources."), 4000);
        return;
    }
    auto *dialog = new NewResourceDialog(m_client.get(), m_ctx->settings.profile().taskQueue, m_session.user,
                                         [this](const QString &name) { return m_dashboard->findRow(name); }, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewResourceDialog::started, this, [this](const Provisioning::ResourceSpec &spec, const QString &runId) {
        audit(u"provision"_s, spec.name, u"ok"_s, u"%1 %2 %3 run %4"_s.arg(spec.type, spec.region, spec.size, runId));
        const auto now = QDateTime::currentDateTimeUtc();
        ResourceRecord resource{spec.name, spec.type, spec.region, spec.size, spec.requestedBy, {}, {}, {}, now, now};
        RunRecord run;
        run.workflowId = Provisioning::workflowIdFor(spec.name);
        run.runId = runId;
        run.resource = spec.name;
        run.workflowType = Provisioning::ProvisionWorkflowType.toString();
        run.startedBy = spec.requestedBy;
        run.status = u"Running"_s;
        run.startedAt = now;
        run.memo = spec.toJson();
        if (m_sync)
            m_sync->noteStarted(resource, run);
        ResourceRow row;
        row.name = spec.name;
        row.type = spec.type;
        row.region = spec.region;
        row.size = spec.size;
        row.owner = spec.requestedBy;
        row.state = ResourceState::Provisioning;
        row.workflowId = run.workflowId;
        row.runId = runId;
        row.workflowType = run.workflowType;
        if (auto *old = runView(spec.name))
            closeTab(m_tabs->indexOf(old));
        openRun(row);
        statusBar()->showMessage(tr("Started provisioning %1.").arg(spec.name), 5000);
    });
    connect(dialog, &NewResourceDialog::alreadyRunning, this,
            [this](const Provisioning::ResourceSpec &spec, const QString &runId) {
                audit(u"provision"_s, spec.name, u"denied"_s, u"already running: run %1"_s.arg(runId));
                m_banner->showInfo(tr("\"%1\" already has a run in progress; showing it instead of starting another.").arg(spec.name));
                ResourceRow row = m_dashboard->findRow(spec.name).value_or(ResourceRow{});
                row.name = spec.name;
                row.workflowId = Provisioning::workflowIdFor(spec.name);
                row.runId = runId;
                row.state = ResourceState::Provisioning;
                if (auto *old = runView(spec.name))
                    closeTab(m_tabs->indexOf(old));
                openRun(row);
            });
    dialog->open();
}

void MainWindow::refresh()
{
    if (m_sync)
        m_sync->refreshNow();
    if (m_monitor && m_monitor->state() != ConnectionMonitor::State::Connected)
        m_monitor->probeNow();
}

void MainWindow::updateActions()
{
    const bool operate = canOperate(m_session.role);
    const bool admin = canManageUsers(m_session.role);
    const bool onRun = currentRunView() != nullptr;
    const bool hasSelection = onRun || m_dashboard->currentRow().has_value();
    action(u"actionNew"_s)->setEnabled(operate);
    if (!operate)
        action(u"actionNew"_s)->setToolTip(tr("Viewers cannot create resources"));
    action(u"actionOpen"_s)->setEnabled(!onRun && hasSelection);
    action(u"actionCancel"_s)->setEnabled(operate && hasSelection);
    action(u"actionDestroy"_s)->setEnabled(operate && hasSelection);
    action(u"actionHistory"_s)->setEnabled(hasSelection);
    action(u"actionWebUi"_s)->setEnabled(hasSelection);
    action(u"actionCloseTab"_s)->setEnabled(onRun);
    action(u"actionUsers"_s)->setEnabled(admin);
    action(u"actionAudit"_s)->setEnabled(admin);
    action(u"actionExportKey"_s)->setEnabled(admin);
}

void MainWindow::handleRunFinished(const ResourceRow &row)
{
    if (auto *v = runView(row.name))
        m_tabs->setTabIcon(m_tabs->indexOf(v), Icons::status(statusKindOf(row.state)));
    const bool failed = statusKindOf(row.state) == StatusKind::Failed;
    notify(failed ? tr("%1 failed").arg(row.name) : tr("%1: %2").arg(row.name, resourceStateName(row.state)),
           failed ? row.failure : row.address, failed);
    m_lastNotifiedRun = row.name;
}

void MainWindow::notify(const QString &title, const QString &text, bool failed)
{
    // Only while the window is out of sight: otherwise the dashboard already shows it.
    if (!isMinimized() && isVisible() && isActiveWindow())
        return;
    if (m_tray && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(title, text, failed ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 10000);
    else
        QApplication::alert(this);
}

void MainWindow::audit(const QString &action, const QString &target, const QString &outcome, const QString &detail)
{
    const AuditEntry entry{0, QDateTime::currentDateTimeUtc(), m_session.user, action, target, outcome, detail};
    m_ctx->store->write([entry](StoreDb &db) { return db.appendAudit(entry); });
}

void MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(m_ctx->settings, canOperate(m_session.role), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() {
        const auto before = m_ctx->settings.profile();
        const auto previousTheme = m_ctx->settings.theme;
        auto next = dialog->settings();
        next.mainGeometry = saveGeometry();
        next.mainState = saveState();
        next.dashboardHeader = m_dashboard->table()->horizontalHeader()->saveState();
        next.lastUser = m_ctx->settings.lastUser;
        m_ctx->settings = next;
        m_ctx->settings.save(*m_ctx->qsettings);
        const auto keys = dialog->changedApiKeys();
        for (auto it = keys.cbegin(); it != keys.cend(); ++it) {
            ConnectionProfile keyOwner;
            keyOwner.name = it.key();
            const QString entry = keyOwner.apiKeyEntry();
            const auto done = [this](const Result<void> &r) {
                if (!r)
                    m_banner->showError(tr("Could not update the API key in the keychain: %1").arg(r.error().message));
            };
            if (it.value().isEmpty())
                m_ctx->secrets->remove(entry, this, done);
            else
                m_ctx->secrets->write(entry, it.value().toUtf8(), this, done);
        }
        audit(u"settings"_s, next.currentProfile, u"ok"_s);
        if (next.theme != previousTheme)
            Q_EMIT themeChangeRequested(next.theme);
        if (!(before == m_ctx->settings.profile()) || keys.contains(m_ctx->settings.profile().name))
            connectTemporal();
        else if (m_sync)
            m_sync->setBaseInterval(next.refreshSeconds * 1000);
        statusBar()->showMessage(tr("Settings saved."), 3000);
    });
    dialog->open();
}

void MainWindow::openUsers()
{
    if (!canManageUsers(m_session.role))
        return;
    auto *dialog = new UsersDialog(m_ctx->store, m_session.user, m_ctx->policy, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::openAudit()
{
    if (!canManageUsers(m_session.role))
        return;
    auto *dialog = new AuditDialog(m_ctx->store, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::exportSessionKey()
{
    if (!canManageUsers(m_session.role))
        return;
    auto *dialog = new QFileDialog(this, tr("Export Session Key"), u"nebula-session.key"_s);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        const auto r = m_ctx->sessions->exportKey(path);
        audit(u"export-session-key"_s, path, r ? u"ok"_s : u"error"_s);
        if (r)
            m_banner->showMessage(Banner::Kind::Success,
                                  tr("Wrote the session key to %1 (readable by you only). Start the dev server with "
                                     "--auth-keys KEYS --jwt-key-file %1 and set this profile's authentication to \"Session token\".").arg(path));
        else
            m_banner->showError(r.error().message);
    });
    dialog->open();
}

void MainWindow::showShortcuts()
{
    QStringList rows;
    QList<QAction *> list = m_actions.values();
    std::sort(list.begin(), list.end(), [](QAction *a, QAction *b) { return a->text() < b->text(); });
    for (QAction *a : list) {
        if (a->shortcut().isEmpty())
            continue;
        rows << u"<tr><td style='padding-right:18px'>%1</td><td><b>%2</b></td></tr>"_s.arg(
            a->text().remove(u'&').remove(u"…"_s), a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped());
    }
    rows << u"<tr><td style='padding-right:18px'>%1</td><td><b>Enter</b></td></tr>"_s.arg(tr("Open the selected resource"));
    auto *box = new QMessageBox(QMessageBox::NoIcon, tr("Keyboard Shortcuts"),
                                u"<table>"_s + rows.join(QString()) + u"</table>"_s, QMessageBox::Close, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showAbout()
{
    auto *box = new QMessageBox(QMessageBox::NoIcon, tr("About NebulaOps Console"),
                                tr("<h3>NebulaOps Console %1</h3><p>Provision servers through durable Temporal workflows "
                                   "that run Terraform and Ansible.</p><p>Qt %2</p>")
                                    .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())),
                                QMessageBox::Close, this);
    box->setIconPixmap(Icons::app().pixmap(64, 64));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::resetLayout()
{
    restoreState(m_defaultState);
    m_dashboard->table()->horizontalHeader()->reset();
    statusBar()->showMessage(tr("Layout reset."), 3000);
}

void MainWindow::saveWindowState()
{
    m_ctx->settings.mainGeometry = saveGeometry();
    m_ctx->settings.mainState = saveState();
    m_ctx->settings.dashboardHeader = m_dashboard->table()->horizontalHeader()->saveState();
    m_ctx->settings.save(*m_ctx->qsettings);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_dashboard->table()->viewport()->update();
    }
    QMainWindow::changeEvent(event);
}

} // namespace Nebula::Console
