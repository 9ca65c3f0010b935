#pragma once

#include "core/accounts.h"
#include "core/consolesettings.h"
#include "core/session.h"
#include "core/storerecords.h"
#include "ui/loginwindow.h"
#include "ui/mainwindow.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

class QApplication;
class QSettings;

namespace Nebula::Console {

class LocalStore;
class LoginWindow;
class MainWindow;
class SecretStore;
class SessionManager;
struct ConsoleContext;

// Command-line options (see cmdoptions.cpp).
struct ConsoleOptions
{
    QString storePath;      // empty = defaultStorePath()
    QString settingsPath;   // empty = the platform's standard QSettings location
    QString profile;        // connection profile to use (overrides the saved choice)
    std::optional<ThemeChoice> theme;
    QString exportKeyPath;  // write the session key and exit (handled in main.cpp, without a display)
    bool memoryKeychain = false; // keep secrets in memory only (tests; Remember me is off)
    bool quitAfterPaint = false; // print the start-up time once the login window is painted, then quit
    QString logLevel = QStringLiteral("info");
};

// Wires the console together: settings, store, keychain, session key; then the login window, the
// main window after login, and back to the login window on logout.
class ConsoleApplication final : public QObject
{
    Q_OBJECT

public:
    ConsoleApplication(QApplication &app, ConsoleOptions options, QObject *parent = nullptr);
    ~ConsoleApplication() override;

    // Starts the GUI flow; returns at once.
    void start();

    LoginWindow *loginWindow() const { return m_login; }
    MainWindow *mainWindow() const { return m_main; }
    SessionManager *sessions() const { return m_sessions; }
    LocalStore *store() const { return m_store; }
    SecretStore *secrets() const { return m_secrets; }
    ConsoleContext *context() const { return m_context.get(); }

    // Tests inject a secret store before start() (the default is the OS keychain).
    void setSecretStore(SecretStore *secrets);
    void setAccountPolicy(Accounts::Policy policy);

Q_SIGNALS:
    void ready();        // the login window (or the main window, when resumed) is up
    void mainWindowShown();

private:
    void showLogin(bool afterLogout = false);
    void prepared();
    void handleLoggedIn(const UserRecord &user, bool remember);
    void openMain(const Session &session);
    void logout();

    QApplication &m_app;
    ConsoleOptions m_options;
    std::unique_ptr<QSettings> m_qsettings;
    std::unique_ptr<ConsoleContext> m_context;
    LocalStore *m_store = nullptr;
    SecretStore *m_secrets = nullptr;
    SessionManager *m_sessions = nullptr;
    QPointer<LoginWindow> m_login;
    QPointer<MainWindow> m_main;
    int m_pending = 0; // store open + key load
    std::optional<Error> m_storeError;
    QString m_storeNotice;
};

} // namespace Nebula::Console
