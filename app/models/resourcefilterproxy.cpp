#include "models/resourcefilterproxy.h"

#include "models/resourcetablemodel.h"

#include "core/resourcerow.h"

namespace Nebula::Console {

ResourceFilterProxy::ResourceFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(ResourceTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void ResourceFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_model = qobject_cast<ResourceTableModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void ResourceFilterProxy::setFilterText(const QString &text)
{
    const QString normalized = text.simplified().toLower();
    if (normalized == m_text)
        return;
    m_text = normalized;
    m_words = normalized.isEmpty() ? QStringList() : normalized.split(u' ');
    // One layout change instead of invalidateRowsFilter()'s row-by-row removals and insertions:
    // a keystroke that hides thousands of scattered rows would otherwise emit thousands of
    // signals. Persistent indexes (the selection) survive a layout change.
    invalidate();
}

bool ResourceFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_words.isEmpty() || sourceParent.isValid() || !m_model)
        return true;
    const QString &text = m_model->searchText(sourceRow);
    for (const auto &w : m_words) {
        if (!text.contains(w))
            return false;
    }
    return true;
}

bool ResourceFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_model)
        return QSortFilterProxyModel::lessThan(left, right);
    const ResourceRow &a = m_model->row(left.row());
    const ResourceRow &b = m_model->row(right.row());
    const auto text = [](const QString &x, const QString &y) { return x.compare(y, Qt::CaseInsensitive); };
    int c = 0;
    switch (left.column()) {
    case ResourceTableModel::Name: c = text(a.name, b.name); break;
    case ResourceTableModel::Type: c = text(a.type, b.type); break;
    case ResourceTableModel::Region: c = text(a.region, b.region); break;
    case ResourceTableModel::Size: c = text(a.size, b.size); break;
    case ResourceTableModel::Status: c = static_cast<int>(a.state) - static_cast<int>(b.state); break;
    case ResourceTableModel::Address: c = text(a.address, b.address); break;
    case ResourceTableModel::LastRun: c = a.lastRun < b.lastRun ? -1 : (b.lastRun < a.lastRun ? 1 : 0); break;
    case ResourceTableModel::Owner: c = text(a.owner, b.owner); break;
    default: break;
    }
    if (c == 0)
        c = a.name.compare(b.name); // a stable, total order
    return c < 0;
}

} // namespace Nebula::Console
