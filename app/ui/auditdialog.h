#pragma once

#include <QDialog>

class QLineEdit;
class QTableWidget;

namespace Nebula::Console {

class LocalStore;

// The latest audit-log entries (logins, failures, account changes, provision/cancel/destroy).
class AuditDialog final : public QDialog
{
    Q_OBJECT

public:
    static constexpr int Limit = 2000;
    explicit AuditDialog(LocalStore *store, QWidget *parent = nullptr);
    void reload();
    QTableWidget *table() const { return m_table; }

private:
    void applyFilter();

    LocalStore *m_store;
    QLineEdit *m_filter;
    QTableWidget *m_table;
};

} // namespace Nebula::Console
