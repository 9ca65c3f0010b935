#pragma once

#include "core/accounts.h"

#include <QDialog>

class QTableWidget;

namespace Nebula::Console {

class Banner;
class LocalStore;

// Account management for administrators: add users, change roles, reset passwords. Every change
// goes through Accounts (which re-checks that the actor is an admin and writes the audit log).
class UsersDialog final : public QDialog
{
    Q_OBJECT

public:
    UsersDialog(LocalStore *store, QString actor, Accounts::Policy policy, QWidget *parent = nullptr);

    void reload();
    QTableWidget *table() const { return m_table; }
    Banner *banner() const { return m_banner; }

    // Performs the actions without the input dialogs (used by the input dialogs and by tests).
    void addUser(const QString &name, const QString &password, Role role);
    void changeRole(const QString &name, Role role);
    void resetPassword(const QString &name, const QString &password);

Q_SIGNALS:
    void changed();

private:
    void openAddDialog();
    void openRoleDialog();
    void openResetDialog();
    QString selectedUser() const;
    void finish(const Result<void> &r, const QString &success);

    LocalStore *m_store;
    QString m_actor;
    Accounts::Policy m_policy;
    Banner *m_banner;
    QTableWidget *m_table;
};

} // namespace Nebula::Console
