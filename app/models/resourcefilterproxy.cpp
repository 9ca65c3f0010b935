#include "models/resourcefilterproxy.h"

#include "models/resourcetablemodel.h"

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
    // Narrowing (the common typing case) only needs to re-check accepted rows, but
    // QSortFilterProxyModel re-filters everything either way; the check itself is cheap.
    m_text = normalized;
    m_words = normalized.isEmpty() ? QStringList() : normalized.split(u' ');
    invalidateRowsFilter();
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

} // namespace Nebula::Console
