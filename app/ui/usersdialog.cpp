#include "ui/usersdialog.h"

#include "core/localstore.h"
#include "ui/banner.h"
#include "ui/icons.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

QComboBox *roleBox(QWidget *parent, Role current)
{
    auto *box = new QComboBox(parent);
    for (const Role r : {Role::Viewer, Role::Operator, Role::Admin})
        box->addItem(roleDisplayName(r), static_cast<int>(r));
    box->setCurrentIndex(box->findData(static_cast<int>(current)));
    return box;
}

// A small form dialog with inline validation; `onAccept` returns an error message or empty.
QDialog *formDialog(QWidget *parent, const QString &title, QFormLayout **form, QLabel **message, QPushButton **ok)
{
    auto *dialog = new QDialog(parent);
    dialog->setWindowTitle(title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(dialog);
    *form = new QFormLayout;
    layout->addLayout(*form);
    *message = new QLabel(dialog);
    (*message)->setWordWrap(true);
    (*message)->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(*message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    *ok = buttons->button(QDialogButtonBox::Ok);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog->setMinimumWidth(380);
    return dialog;
}

} // namespace

UsersDialog::UsersDialog(LocalStore *store, QString actor, Accounts::Policy policy, QWidget *parent)
    : QDialog(parent), m_store(store), m_actor(std::move(actor)), m_policy(policy), m_banner(new Banner(this)),
      m_table(new QTableWidget(0, 4, this))
{
    setObjectName(u"usersDialog"_s);
    setWindowTitle(tr("Users"));
    setWindowIcon(Icons::action("users"));
    m_table->setHorizontalHeaderLabels({tr("User"), tr("Role"), tr("Created"), tr("Last login")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);

    auto *add = new QPushButton(Icons::action("new"), tr("&Add User…"), this);
    auto *role = new QPushButton(tr("Change &Role…"), this);
    auto *reset = new QPushButton(tr("Reset &Password…"), this);
    auto *close = new QPushButton(tr("Close"), this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(role);
    buttons->addWidget(reset);
    buttons->addStretch();
    buttons->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    resize(640, 380);

    connect(add, &QPushButton::clicked, this, &UsersDialog::openAddDialog);
    connect(role, &QPushButton::clicked, this, &UsersDialog::openRoleDialog);
    connect(reset, &QPushButton::clicked, this, &UsersDialog::openResetDialog);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    reload();
}

void UsersDialog::reload()
{
    m_store->run<QList<UserRecord>>([](StoreDb &db) { return db.users(); }, this,
                                    [this](const Result<QList<UserRecord>> &r) {
                                        if (!r) {
                                            m_banner->showError(r.error().message);
                                            return;
                                        }
                                        m_table->setRowCount(static_cast<int>(r->size()));
                                        for (int i = 0; i < r->size(); ++i) {
                                            const auto &u = r->at(i);
                                            const auto time = [](const QDateTime &t) {
                                                return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
                                            };
                                            m_table->setItem(i, 0, new QTableWidgetItem(u.name));
                                            m_table->setItem(i, 1, new QTableWidgetItem(roleDisplayName(u.role)));
                                            m_table->item(i, 1)->setData(Qt::UserRole, static_cast<int>(u.role));
                                            m_table->setItem(i, 2, new QTableWidgetItem(time(u.createdAt)));
                                            m_table->setItem(i, 3, new QTableWidgetItem(time(u.lastLoginAt)));
                                        }
                                        m_table->resizeColumnsToContents();
                                    });
}

QString UsersDialog::selectedUser() const
{
    const int row = m_table->currentRow();
    return row >= 0 && m_table->item(row, 0) ? m_table->item(row, 0)->text() : QString();
}

void UsersDialog::finish(const Result<void> &r, const QString &success)
{
    if (r)
        m_banner->showMessage(Banner::Kind::Success, success);
    else
        m_banner->showError(r.error().message);
    reload();
    Q_EMIT changed();
}

void UsersDialog::addUser(const QString &name, const QString &password, Role role)
{
    m_store->run<bool>(
        [actor = m_actor, name, password, role, policy = m_policy](StoreDb &db) -> Result<bool> {
            auto r = Accounts::addUser(db, actor, name, password, role, QDateTime::currentDateTimeUtc(), policy);
            if (!r)
                return r.error();
            return true;
        },
        this, [this, name](const Result<bool> &r) {
            finish(r ? Result<void>() : Result<void>(r.error()), tr("Added %1.").arg(name));
        });
}

void UsersDialog::changeRole(const QString &name, Role role)
{
    m_store->run<bool>(
        [actor = m_actor, name, role](StoreDb &db) -> Result<bool> {
            auto r = Accounts::changeRole(db, actor, name, role, QDateTime::currentDateTimeUtc());
            if (!r)
                return r.error();
            return true;
        },
        this, [this, name, role](const Result<bool> &r) {
            finish(r ? Result<void>() : Result<void>(r.error()), tr("%1 is now %2.").arg(name, roleDisplayName(role)));
        });
}

void UsersDialog::resetPassword(const QString &name, const QString &password)
{
    m_store->run<bool>(
        [actor = m_actor, name, password, policy = m_policy](StoreDb &db) -> Result<bool> {
            auto r = Accounts::resetPassword(db, actor, name, password, QDateTime::currentDateTimeUtc(), policy);
            if (!r)
                return r.error();
            return true;
        },
        this, [this, name](const Result<bool> &r) {
            finish(r ? Result<void>() : Result<void>(r.error()), tr("Reset the password of %1.").arg(name));
        });
}

void UsersDialog::openAddDialog()
{
    QFormLayout *form;
    QLabel *message;
    QPushButton *ok;
    auto *dialog = formDialog(this, tr("Add User"), &form, &message, &ok);
    auto *name = new QLineEdit(dialog);
    auto *role = roleBox(dialog, Role::Operator);
    auto *password = new QLineEdit(dialog);
    auto *confirm = new QLineEdit(dialog);
    password->setEchoMode(QLineEdit::Password);
    confirm->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&User name:"), name);
    form->addRow(tr("&Role:"), role);
    form->addRow(tr("&Password:"), password);
    form->addRow(tr("&Confirm:"), confirm);
    const auto check = [=]() {
        QString problem = Accounts::validateUserName(name->text().trimmed());
        if (problem.isEmpty())
            problem = Accounts::validatePassword(password->text());
        if (problem.isEmpty() && password->text() != confirm->text())
            problem = tr("The two passwords differ.");
        message->setText(problem);
        ok->setEnabled(problem.isEmpty());
    };
    for (auto *f : {name, password, confirm})
        connect(f, &QLineEdit::textChanged, dialog, check);
    check();
    connect(dialog, &QDialog::accepted, this, [this, name, password, role]() {
        addUser(name->text().trimmed(), password->text(), static_cast<Role>(role->currentData().toInt()));
    });
    dialog->open();
}

void UsersDialog::openRoleDialog()
{
    const QString user = selectedUser();
    if (user.isEmpty()) {
        m_banner->showInfo(tr("Select a user first."));
        return;
    }
    QFormLayout *form;
    QLabel *message;
    QPushButton *ok;
    auto *dialog = formDialog(this, tr("Change Role of %1").arg(user), &form, &message, &ok);
    const auto current = static_cast<Role>(m_table->item(m_table->currentRow(), 1)->data(Qt::UserRole).toInt());
    auto *role = roleBox(dialog, current);
    form->addRow(tr("&Role:"), role);
    message->setText(tr("Viewers can look; operators can also create, cancel and destroy; administrators also manage users."));
    connect(dialog, &QDialog::accepted, this, [this, user, role]() {
        changeRole(user, static_cast<Role>(role->currentData().toInt()));
    });
    dialog->open();
}

void UsersDialog::openResetDialog()
{
    const QString user = selectedUser();
    if (user.isEmpty()) {
        m_banner->showInfo(tr("Select a user first."));
        return;
    }
    QFormLayout *form;
    QLabel *message;
    QPushButton *ok;
    auto *dialog = formDialog(this, tr("Reset Password of %1").arg(user), &form, &message, &ok);
    auto *password = new QLineEdit(dialog);
    auto *confirm = new QLineEdit(dialog);
    password->setEchoMode(QLineEdit::Password);
    confirm->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&New password:"), password);
    form->addRow(tr("&Confirm:"), confirm);
    const auto check = [=]() {
        QString problem = Accounts::validatePassword(password->text());
        if (problem.isEmpty() && password->text() != confirm->text())
            problem = tr("The two passwords differ.");
        message->setText(problem);
        ok->setEnabled(problem.isEmpty());
    };
    for (auto *f : {password, confirm})
        connect(f, &QLineEdit::textChanged, dialog, check);
    check();
    connect(dialog, &QDialog::accepted, this, [this, user, password]() { resetPassword(user, password->text()); });
    dialog->open();
}

} // namespace Nebula::Console
