#pragma once

#include "temporal/types.h"

#include <QAbstractTableModel>

namespace Nebula::Console {

// A workflow's event history (GetWorkflowExecutionHistory), one row per event.
class HistoryModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Time, Type, Details, ColumnCount };
    static constexpr int AttributesRole = Qt::UserRole + 1; // full attributes as indented JSON

    explicit HistoryModel(QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void clear();
    void append(const QList<Temporal::HistoryEvent> &events);
    const Temporal::HistoryEvent &event(int row) const { return m_events.at(row); }

private:
    QList<Temporal::HistoryEvent> m_events;
    QList<QString> m_summaries;
};

} // namespace Nebula::Console
