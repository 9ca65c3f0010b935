#include "ui/loginwindow.h"

#include "core/localstore.h"
#include "ui/banner.h"
#include "ui/icons.h"
#include "ui/theme.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

LoginWindow::LoginWindow(LocalStore *store, Accounts::Policy policy, QWidget *parent)
    : QWidget(parent), m_store(store), m_policy(policy), m_subtitle(new QLabel(this)), m_banner(new Banner(this)),
      m_pages(new QStackedWidget(this)), m_loadingLabel(new QLabel(this)), m_user(new QLineEdit(this)),
      m_password(new QLineEdit(this)), m_remember(new QCheckBox(tr("&Remember me on this computer"), this)),
      m_login(new QPushButton(tr("&Log in"), this)), m_newUser(new QLineEdit(this)), m_newPassword(new QLineEdit(this)),
      m_confirm(new QLineEdit(this)), m_firstRunHint(new QLabel(this)), m_create(new QPushButton(tr("&Create administrator"), this)),
      m_busyLabel(new QLabel(this))
{
    setObjectName(u"loginWindow"_s);
    setWindowTitle(tr("NebulaOps Console — Log in"));
    setWindowIcon(Icons::app());

    auto *header = new QHBoxLayout;
    auto *logo = new QLabel(this);
    logo->setPixmap(Icons::app().pixmap(48, 48));
    auto *titles = new QVBoxLayout;
    auto *title = new QLabel(tr("NebulaOps Console"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    title->setFont(titleFont);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    titles->addWidget(title);
    titles->addWidget(m_subtitle);
    header->addWidget(logo);
    header->addLayout(titles, 1);

    // Loading page
    m_loadingLabel->setText(tr("Opening the local store…"));
    m_loadingLabel->setAlignment(Qt::AlignCenter);
    m_pages->addWidget(m_loadingLabel);

    // Login page
    auto *loginPage = new QWidget(this);
    auto *loginForm = new QFormLayout(loginPage);
    loginForm->setContentsMargins(0, 0, 0, 0);
    m_user->setObjectName(u"userName"_s);
    m_user->setPlaceholderText(tr("user name"));
    m_password->setObjectName(u"password"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("password"));
    m_login->setDefault(true);
    m_login->setObjectName(u"loginButton"_s);
    loginForm->addRow(tr("&User name:"), m_user);
    loginForm->addRow(tr("&Password:"), m_password);
    loginForm->addRow(QString(), m_remember);
    auto *loginButtons = new QHBoxLayout;
    loginButtons->addStretch();
    loginButtons->addWidget(m_login);
    loginForm->addRow(loginButtons);
    m_pages->addWidget(loginPage);

    // First-run page
    auto *firstPage = new QWidget(this);
    auto *firstLayout = new QVBoxLayout(firstPage);
    firstLayout->setContentsMargins(0, 0, 0, 0);
    auto *intro = new QLabel(tr("<b>Welcome.</b> This store has no accounts yet. Create the administrator "
                                "account: it can add operators and viewers later. There is no default "
                                "password."),
                             this);
    intro->setWordWrap(true);
    firstLayout->addWidget(intro);
    auto *firstForm = new QFormLayout;
    m_newUser->setObjectName(u"newUserName"_s);
    m_newUser->setText(u"admin"_s);
    m_newPassword->setObjectName(u"newPassword"_s);
    m_newPassword->setEchoMode(QLineEdit::Password);
    m_confirm->setObjectName(u"confirmPassword"_s);
    m_confirm->setEchoMode(QLineEdit::Password);
    firstForm->addRow(tr("&User name:"), m_newUser);
    firstForm->addRow(tr("&Password:"), m_newPassword);
    firstForm->addRow(tr("&Confirm:"), m_confirm);
    firstLayout->addLayout(firstForm);
    m_firstRunHint->setWordWrap(true);
    firstLayout->addWidget(m_firstRunHint);
    auto *createButtons = new QHBoxLayout;
    createButtons->addStretch();
    createButtons->addWidget(m_create);
    m_create->setObjectName(u"createAdminButton"_s);
    firstLayout->addLayout(createButtons);
    m_pages->addWidget(firstPage);

    // Unavailable page (the store could not be opened)
    auto *unavailable = new QLabel(tr("The console cannot start without its local store."), this);
    unavailable->setWordWrap(true);
    unavailable->setAlignment(Qt::AlignCenter);
    m_pages->addWidget(unavailable);

    m_busyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_busyLabel->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(14);
    layout->addLayout(header);
    layout->addWidget(m_banner);
    layout->addWidget(m_pages);
    layout->addWidget(m_busyLabel);
    layout->addStretch();
    setMinimumWidth(440);

    connect(m_login, &QPushButton::clicked, this, &LoginWindow::submitLogin);
    connect(m_password, &QLineEdit::returnPressed, this, &LoginWindow::submitLogin);
    connect(m_user, &QLineEdit::returnPressed, m_password, qOverload<>(&QWidget::setFocus));
    connect(m_create, &QPushButton::clicked, this, &LoginWindow::submitFirstRun);
    connect(m_confirm, &QLineEdit::returnPressed, this, &LoginWindow::submitFirstRun);
    for (auto *field : {m_newUser, m_newPassword, m_confirm})
        connect(field, &QLineEdit::textChanged, this, &LoginWindow::updateFirstRunHints);
    updateFirstRunHints();
    setMode(Mode::Loading);
}

QLineEdit *LoginWindow::userField() const
{
    return m_mode == Mode::FirstRun ? m_newUser : m_user;
}

QLineEdit *LoginWindow::passwordField() const
{
    return m_mode == Mode::FirstRun ? m_newPassword : m_password;
}

QPushButton *LoginWindow::submitButton() const
{
    return m_mode == Mode::FirstRun ? m_create : m_login;
}

void LoginWindow::setMode(Mode mode)
{
    m_mode = mode;
    m_pages->setCurrentIndex(static_cast<int>(mode));
    switch (mode) {
    case Mode::Loading: break;
    case Mode::FirstRun:
        setWindowTitle(tr("NebulaOps Console — First run"));
        m_newPassword->setFocus();
        break;
    case Mode::Login:
        setWindowTitle(tr("NebulaOps Console — Log in"));
        (m_user->text().isEmpty() ? m_user : m_password)->setFocus();
        break;
    case Mode::Unavailable: break;
    }
}

void LoginWindow::setUserName(const QString &name)
{
    m_user->setText(name);
}

void LoginWindow::setRememberAvailable(bool available, const QString &reason)
{
    m_remember->setEnabled(available);
    if (!available) {
        m_remember->setChecked(false);
        m_remember->setToolTip(reason);
    }
}

void LoginWindow::setSubtitle(const QString &text)
{
    m_subtitle->setText(text);
}

void LoginWindow::setBusy(bool busy, const QString &what)
{
    m_busy = busy;
    for (QWidget *w : {static_cast<QWidget *>(m_user), static_cast<QWidget *>(m_password),
                       static_cast<QWidget *>(m_login), static_cast<QWidget *>(m_newUser),
                       static_cast<QWidget *>(m_newPassword), static_cast<QWidget *>(m_confirm)})
        w->setEnabled(!busy);
    m_create->setEnabled(!busy && m_firstRunHint->property("ok").toBool());
    m_busyLabel->setText(what);
    m_busyLabel->setVisible(busy);
    if (busy)
        setCursor(Qt::BusyCursor);
    else
        unsetCursor();
}

void LoginWindow::submitLogin()
{
    if (m_busy || m_mode != Mode::Login)
        return;
    const QString name = m_user->text().trimmed();
    const QString password = m_password->text();
    if (name.isEmpty() || password.isEmpty()) {
        m_banner->showError(tr("Enter your user name and password."));
        return;
    }
    m_banner->hide();
    setBusy(true, tr("Checking your password…"));
    const bool remember = m_remember->isChecked();
    const auto policy = m_policy;
    m_store->run<Accounts::LoginOutcome>(
        [name, password, policy](StoreDb &db) {
            return Accounts::login(db, name, password, QDateTime::currentDateTimeUtc(), policy);
        },
        this, [this, remember](const Result<Accounts::LoginOutcome> &r) {
            setBusy(false);
            if (!r) {
                m_banner->showError(r.error().message);
                return;
            }
            if (!r->ok) {
                m_password->clear();
                m_password->setFocus();
                m_banner->showMessage(r->retryAfterSeconds > 0 ? Banner::Kind::Warning : Banner::Kind::Error,
                                      r->message);
                return;
            }
            m_password->clear();
            Q_EMIT loggedIn(r->user, remember);
        });
}

void LoginWindow::updateFirstRunHints()
{
    QString problem = Accounts::validateUserName(m_newUser->text().trimmed());
    if (problem.isEmpty())
        problem = Accounts::validatePassword(m_newPassword->text());
    if (problem.isEmpty() && m_newPassword->text() != m_confirm->text())
        problem = tr("The two passwords differ.");
    const bool ok = problem.isEmpty();
    m_firstRunHint->setText(ok ? tr("Ready to create the account.") : problem);
    QPalette p = m_firstRunHint->palette();
    p.setColor(QPalette::WindowText, ok ? Theme::successColor() : palette().color(QPalette::PlaceholderText));
    m_firstRunHint->setPalette(p);
    m_firstRunHint->setProperty("ok", ok);
    m_create->setEnabled(ok && !m_busy);
}

void LoginWindow::submitFirstRun()
{
    if (m_busy || m_mode != Mode::FirstRun || !m_create->isEnabled())
        return;
    const QString name = m_newUser->text().trimmed();
    const QString password = m_newPassword->text();
    setBusy(true, tr("Creating the administrator account…"));
    const auto policy = m_policy;
    m_store->run<UserRecord>(
        [name, password, policy](StoreDb &db) {
            return Accounts::createFirstAdmin(db, name, password, QDateTime::currentDateTimeUtc(), policy);
        },
        this, [this](const Result<UserRecord> &r) {
            setBusy(false);
            m_newPassword->clear();
            m_confirm->clear();
            if (!r) {
                m_banner->showError(r.error().message);
                if (r.error().code == ErrorCode::FailedPrecondition)
                    setMode(Mode::Login);
                return;
            }
            Q_EMIT loggedIn(*r, false);
        });
}

void LoginWindow::paintEvent(QPaintEvent *event)
{
    QWidget::paintEvent(event);
    if (!m_paintedOnce) {
        m_paintedOnce = true;
        QMetaObject::invokeMethod(this, &LoginWindow::painted, Qt::QueuedConnection);
    }
}

} // namespace Nebula::Console
