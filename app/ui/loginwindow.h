#pragma once

#include "core/accounts.h"
#include "core/storerecords.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace Nebula::Console {

class Banner;
class LocalStore;

// The first window: creates the first administrator on a new store, otherwise logs in. Password
// checks run on the store thread; the window stays responsive and says what it is doing.
class LoginWindow final : public QWidget
{
    Q_OBJECT

public:
    enum class Mode { Loading, Login, FirstRun, Unavailable }; // in page order

    LoginWindow(LocalStore *store, Accounts::Policy policy, QWidget *parent = nullptr);

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    void setUserName(const QString &name);
    void setRememberAvailable(bool available, const QString &reason = {});
    void setSubtitle(const QString &text);
    Banner *banner() const { return m_banner; }
    bool isBusy() const { return m_busy; }

    // For tests and screenshots.
    QLineEdit *userField() const;
    QLineEdit *passwordField() const;
    QLineEdit *confirmField() const { return m_confirm; }
    QPushButton *submitButton() const;
    QCheckBox *rememberBox() const { return m_remember; }

Q_SIGNALS:
    void loggedIn(const Nebula::Console::UserRecord &user, bool remember);
    void painted(); // first paint, for the start-up benchmark

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void submitLogin();
    void submitFirstRun();
    void updateFirstRunHints();
    void setBusy(bool busy, const QString &what = {});

    LocalStore *m_store;
    Accounts::Policy m_policy;
    Mode m_mode = Mode::Loading;
    bool m_busy = false;
    bool m_paintedOnce = false;
    QLabel *m_subtitle;
    Banner *m_banner;
    QStackedWidget *m_pages;
    QLabel *m_loadingLabel;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QPushButton *m_login;
    QLineEdit *m_newUser;
    QLineEdit *m_newPassword;
    QLineEdit *m_confirm;
    QLabel *m_firstRunHint;
    QPushButton *m_create;
    QLabel *m_busyLabel;
};

} // namespace Nebula::Console
