#pragma once

#include "core/resourcerow.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace Nebula::Console {

class ResourceFilterProxy;
class ResourceTableModel;

// The resource table with filter-as-you-type, and the empty states (no resources yet / no match).
class DashboardPage final : public QWidget
{
    Q_OBJECT

public:
    explicit DashboardPage(QWidget *parent = nullptr);

    void setRows(const QList<ResourceRow> &rows);
    void setCanCreate(bool canCreate);
    void setLoading(bool loading);
    std::optional<ResourceRow> currentRow() const;
    std::optional<ResourceRow> findRow(const QString &name) const;
    void focusFilter();
    void selectResource(const QString &name);

    QTableView *table() const { return m_table; }
    QLineEdit *filterField() const { return m_filter; }
    ResourceTableModel *model() const { return m_model; }
    ResourceFilterProxy *proxy() const { return m_proxy; }
    bool showsEmptyState() const;

Q_SIGNALS:
    void openRequested(const Nebula::Console::ResourceRow &row);
    void createRequested();
    void currentChanged();

private:
    void updateEmptyState();

    ResourceTableModel *m_model;
    ResourceFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QLabel *m_count;
    QStackedWidget *m_stack;
    QTableView *m_table;
    QLabel *m_emptyTitle;
    QLabel *m_emptyText;
    QPushButton *m_emptyButton;
    bool m_canCreate = true;
    bool m_loading = false;
};

} // namespace Nebula::Console
