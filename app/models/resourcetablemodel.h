#pragma once

#include "core/resourcerow.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace Nebula::Console {

// The dashboard's resources, one row per resource. setRows() applies a new snapshot as a diff
// (rows keyed by name) so that selection and scroll position survive refreshes.
class ResourceTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Type, Region, Size, Status, Address, LastRun, Owner, ColumnCount };
    enum Roles { SortRole = Qt::UserRole + 1, NameRole, StateRole, WorkflowIdRole, RunIdRole };

    explicit ResourceTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setRows(const QList<ResourceRow> &rows);
    const ResourceRow &row(int i) const { return m_rows.at(i); }
    int rowOf(const QString &name) const { return m_index.value(name, -1); }
    // Lowercased text of all columns, for the filter proxy.
    const QString &searchText(int i) const { return m_search.at(i); }

private:
    static QString haystack(const ResourceRow &row);
    void rebuildIndex();

    QList<ResourceRow> m_rows;
    QList<QString> m_search;
    QHash<QString, int> m_index;
};

} // namespace Nebula::Console
