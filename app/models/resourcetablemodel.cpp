#include "models/resourcetablemodel.h"

#include "provisioning/catalogue.h"
#include "ui/icons.h"

#include <QLocale>
#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

QString typeLabel(const QString &id)
{
    const auto *type = Provisioning::findResourceType(id);
    return type ? type->displayName : id;
}

QString timeLabel(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

ResourceTableModel::ResourceTableModel(QObject *parent) : QAbstractTableModel(parent) {}

int ResourceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ResourceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResourceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ResourceRow &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return r.name;
        case Type: return typeLabel(r.type);
        case Region: return r.region;
        case Size: return r.size;
        case Status: return resourceStateName(r.state);
        case Address: return r.address;
        case LastRun: return timeLabel(r.lastRun);
        case Owner: return r.owner;
        }
        break;
    case SortRole:
        switch (index.column()) {
        case Status: return static_cast<int>(r.state);
        case LastRun: return r.lastRun;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::DecorationRole:
        if (index.column() == Status)
            return Icons::status(statusKindOf(r.state));
        break;
    case Qt::ToolTipRole:
        if (index.column() == Status && !r.failure.isEmpty())
            return r.failure;
        if (index.column() == LastRun && r.lastRun.isValid())
            return QLocale().toString(r.lastRun.toLocalTime(), QLocale::LongFormat);
        if (index.column() == Type)
            return r.type;
        break;
    case NameRole: return r.name;
    case StateRole: return static_cast<int>(r.state);
    case WorkflowIdRole: return r.workflowId;
    case RunIdRole: return r.runId;
    }
    return {};
}

QVariant ResourceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Type: return tr("Type");
    case Region: return tr("Region");
    case Size: return tr("Size");
    case Status: return tr("Status");
    case Address: return tr("IP / URL");
    case LastRun: return tr("Last run");
    case Owner: return tr("Owner");
    }
    return {};
}

QString ResourceTableModel::haystack(const ResourceRow &r)
{
    return QStringList{r.name, r.type, typeLabel(r.type), r.region, r.size, resourceStateName(r.state), r.address, r.owner}
        .join(u'\x1f')
        .toLower();
}

void ResourceTableModel::rebuildIndex()
{
    m_index.clear();
    m_index.reserve(m_rows.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_index.insert(m_rows[i].name, i);
}

void ResourceTableModel::setRows(const QList<ResourceRow> &rows)
{
    if (m_rows.isEmpty() || rows.isEmpty()) {
        beginResetModel();
        m_rows = rows;
        m_search.clear();
        m_search.reserve(rows.size());
        for (const auto &r : rows)
            m_search << haystack(r);
        rebuildIndex();
        endResetModel();
        return;
    }

    QSet<QString> incoming;
    incoming.reserve(rows.size());
    for (const auto &r : rows)
        incoming.insert(r.name);

    // 1. Remove vanished rows, in contiguous ranges from the end.
    for (int i = static_cast<int>(m_rows.size()) - 1; i >= 0;) {
        if (incoming.contains(m_rows[i].name)) {
            --i;
            continue;
        }
        int first = i;
        while (first > 0 && !incoming.contains(m_rows[first - 1].name))
            --first;
        beginRemoveRows({}, first, i);
        m_rows.remove(first, i - first + 1);
        m_search.remove(first, i - first + 1);
        endRemoveRows();
        i = first - 1;
    }
    rebuildIndex();

    // 2. Update rows in place; 3. append new ones.
    QList<ResourceRow> added;
    for (const auto &r : rows) {
        const int at = m_index.value(r.name, -1);
        if (at < 0) {
            added << r;
            continue;
        }
        if (m_rows[at] != r) {
            m_rows[at] = r;
            m_search[at] = haystack(r);
            Q_EMIT dataChanged(index(at, 0), index(at, ColumnCount - 1));
        }
    }
    if (!added.isEmpty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
        for (const auto &r : std::as_const(added)) {
            m_index.insert(r.name, static_cast<int>(m_rows.size()));
            m_rows << r;
            m_search << haystack(r);
        }
        endInsertRows();
    }
}

} // namespace Nebula::Console
