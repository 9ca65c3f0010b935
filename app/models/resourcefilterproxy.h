#pragma once

#include <QSortFilterProxyModel>

namespace Nebula::Console {

class ResourceTableModel;

// Sorting plus filter-as-you-type over every column: a row matches when each space-separated word
// occurs somewhere in it (case-insensitive). Uses the model's precomputed lowercase text, so a
// keystroke over 10,000 rows stays well under a frame.
class ResourceFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit ResourceFilterProxy(QObject *parent = nullptr);
    void setSourceModel(QAbstractItemModel *model) override;
    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    // Compares the rows directly (no QVariant per comparison): sorting 10,000 rows stays cheap.
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    ResourceTableModel *m_model = nullptr;
    QString m_text;
    QStringList m_words;
};

} // namespace Nebula::Console
