#include "ui/consoleapplication.h"

#include "common/logging.h"
#include "core/localstore.h"
#include "core/secretstore.h"
#include "core/session.h"
#include "ui/banner.h"
#include "ui/loginwindow.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

namespace {
QElapsedTimer &startClock()
{
    static QElapsedTimer clock;
    return clock;
}
} // namespace

ConsoleApplication::ConsoleApplication(QApplication &app, ConsoleOptions options, QObject *parent)
    : QObject(parent), m_app(app), m_options(std::move(options)), m_context(std::make_unique<ConsoleContext>())
{
    if (!startClock().isValid())
        startClock().start();
}

ConsoleApplication::~ConsoleApplication()
{
    delete m_main;
    delete m_login;
}

void ConsoleApplication::setSecretStore(SecretStore *secrets)
{
    m_secrets = secrets;
}

void ConsoleApplication::setAccountPolicy(Accounts::Policy policy)
{
    m_context->policy = policy;
}

void ConsoleApplication::start()
{
    m_qsettings = openSettings(m_options.settingsPath);
    m_context->settings = ConsoleSettings::load(*m_qsettings);
    if (!m_options.profile.isEmpty()) {
        if (!m_context->settings.findProfile(m_options.profile)) {
            ConnectionProfile p;
            p.name = m_options.profile;
            m_context->settings.profiles << p;
        }
        m_context->settings.currentProfile = m_options.profile;
    }
    if (m_options.theme)
        m_context->settings.theme = *m_options.theme;
    if (!m_secrets) {
        if (m_options.memoryKeychain)
            m_secrets = new MemorySecretStore(this);
        else
            m_secrets = new KeychainSecretStore(u"NebulaOps"_s, this);
    }
    m_sessions = new SessionManager(m_secrets, this);
    m_context->secrets = m_secrets;
    m_context->sessions = m_sessions;
    m_context->qsettings = m_qsettings.get();

    Theme::apply(m_app, m_context->settings.theme);
    m_store = new LocalStore(this);
    m_context->store = m_store;
    showLogin();

    m_pending = 2;
    const QString path = m_options.storePath.isEmpty() ? defaultStorePath() : m_options.storePath;
    m_store->open(path, this, [this, path](const Result<StoreDb::OpenReport> &r) {
        if (!r) {
            m_storeError = r.error();
        } else if (!r->movedAsideTo.isEmpty()) {
            m_storeNotice = tr("The local store %1 could not be read (%2). It was kept as %3 and a new, empty store "
                               "was created.").arg(path, r->movedAsideReason.trimmed(), r->movedAsideTo);
            Log::get("console")->warn("store {} unreadable, moved aside to {}", path.toStdString(),
                                      r->movedAsideTo.toStdString());
        } else if (r->fromVersion > 0 && r->fromVersion < r->toVersion) {
            Log::get("console")->info("store {} migrated from schema {} to {}", path.toStdString(), r->fromVersion,
                                      r->toVersion);
        }
        if (--m_pending == 0)
            prepared();
    });
    m_sessions->loadKey(this, [this](const Result<void> &) {
        if (--m_pending == 0)
            prepared();
    });
}

void ConsoleApplication::showLogin(bool afterLogout)
{
    auto *login = new LoginWindow(m_store, m_context->policy);
    login->setAttribute(Qt::WA_DeleteOnClose);
    m_login = login;
    const auto &profile = m_context->settings.profile();
    login->setSubtitle(tr("Profile \"%1\" · %2").arg(profile.name, profile.address));
    login->setUserName(m_context->settings.lastUser);
    if (!m_context->settings.loginGeometry.isEmpty())
        login->restoreGeometry(m_context->settings.loginGeometry);
    connect(login, &LoginWindow::loggedIn, this, &ConsoleApplication::handleLoggedIn);
    if (m_options.quitAfterPaint) {
        connect(login, &LoginWindow::painted, this, [this]() {
            std::fprintf(stdout, "painted-ms %lld\n", static_cast<long long>(startClock().elapsed()));
            std::fflush(stdout);
            m_app.quit();
        });
    }
    login->show();
    if (afterLogout)
        login->setMode(LoginWindow::Mode::Login);
}

void ConsoleApplication::prepared()
{
    if (!m_login)
        return;
    if (m_storeError) {
        m_login->setMode(LoginWindow::Mode::Unavailable);
        m_login->banner()->showError(m_storeError->message + u"\n"_s + m_storeError->detail);
        Q_EMIT ready();
        return;
    }
    if (!m_storeNotice.isEmpty())
        m_login->banner()->showMessage(Banner::Kind::Warning, m_storeNotice);
    m_login->setRememberAvailable(m_sessions->keyIsPersistent(), m_sessions->keyWarning());
    m_store->run<int>([](StoreDb &db) { return db.userCount(); }, this, [this](const Result<int> &count) {
        if (!m_login)
            return;
        if (!count) {
            m_login->setMode(LoginWindow::Mode::Unavailable);
            m_login->banner()->showError(count.error().message);
            Q_EMIT ready();
            return;
        }
        if (*count == 0) {
            m_login->setMode(LoginWindow::Mode::FirstRun);
            Q_EMIT ready();
            return;
        }
        // A remembered session skips the password, if its user still exists; the role comes from
        // the store, not from the token.
        m_sessions->resume(this, [this](const Result<Session> &s) {
            if (!m_login)
                return;
            if (!s) {
                m_login->setMode(LoginWindow::Mode::Login);
                Q_EMIT ready();
                return;
            }
            const QString user = s->user;
            m_store->run<std::optional<UserRecord>>([user](StoreDb &db) { return db.findUser(user); }, this,
                                                    [this](const Result<std::optional<UserRecord>> &u) {
                                                        if (!m_login)
                                                            return;
                                                        if (!u || !*u) {
                                                            m_login->setMode(LoginWindow::Mode::Login);
                                                            Q_EMIT ready();
                                                            return;
                                                        }
                                                        const UserRecord rec = **u;
                                                        m_store->write([rec](StoreDb &db) {
                                                            return db.appendAudit({0, QDateTime::currentDateTimeUtc(), rec.name,
                                                                                   u"session-resumed"_s, rec.name, u"ok"_s, {}});
                                                        });
                                                        openMain(m_sessions->issue(rec.name, rec.role));
                                                        Q_EMIT ready();
                                                    });
        });
    });
}

void ConsoleApplication::handleLoggedIn(const UserRecord &user, bool remember)
{
    const Session session = m_sessions->issue(user.name, user.role);
    m_context->settings.lastUser = user.name;
    if (m_login)
        m_context->settings.loginGeometry = m_login->saveGeometry();
    m_context->settings.save(*m_qsettings);
    if (remember) {
        m_sessions->remember(session, this, [this](const Result<void> &r) {
            if (!r && m_main)
                m_main->banner()->showMessage(Banner::Kind::Warning,
                                              tr("\"Remember me\" is not available: %1").arg(r.error().message));
        });
    }
    openMain(session);
}

void ConsoleApplication::openMain(const Session &session)
{
    m_context->settings = ConsoleSettings::load(*m_qsettings);
    if (!m_options.profile.isEmpty() && m_context->settings.findProfile(m_options.profile))
        m_context->settings.currentProfile = m_options.profile;
    else if (!m_options.profile.isEmpty()) {
        ConnectionProfile p;
        p.name = m_options.profile;
        m_context->settings.profiles << p;
        m_context->settings.currentProfile = m_options.profile;
    }
    if (m_options.theme)
        m_context->settings.theme = *m_options.theme;
    auto *main = new MainWindow(m_context.get(), session);
    main->setAttribute(Qt::WA_DeleteOnClose);
    m_main = main;
    connect(main, &MainWindow::logoutRequested, this, &ConsoleApplication::logout);
    connect(main, &MainWindow::themeChangeRequested, this, [this](ThemeChoice theme) { Theme::apply(m_app, theme); });
    if (!m_sessions->keyWarning().isEmpty())
        main->banner()->showMessage(Banner::Kind::Warning, m_sessions->keyWarning());
    main->show();
    if (m_login)
        m_login->close();
    Q_EMIT mainWindowShown();
}

void ConsoleApplication::logout()
{
    if (!m_main)
        return;
    const QString user = m_main->session().user;
    m_store->write([user](StoreDb &db) {
        return db.appendAudit({0, QDateTime::currentDateTimeUtc(), user, u"logout"_s, user, u"ok"_s, {}});
    });
    m_sessions->forget(this, [](const Result<void> &) {});
    showLogin(true); // before closing the main window, so the application does not quit
    m_main->close();
}

} // namespace Nebula::Console
