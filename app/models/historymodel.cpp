#include "models/historymodel.h"

#include <QJsonDocument>
#include <QLocale>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

QString summarize(const QJsonObject &attributes)
{
    QString s = QString::fromUtf8(QJsonDocument(attributes).toJson(QJsonDocument::Compact));
    if (s.size() > 240)
        s = s.left(240) + u'…';
    return s;
}

} // namespace

HistoryModel::HistoryModel(QObject *parent) : QAbstractTableModel(parent) {}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &e = m_events.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Id: return e.eventId;
        case Time: return QLocale().toString(e.time.toLocalTime(), u"yyyy-MM-dd HH:mm:ss.zzz"_s);
        case Type: return e.type;
        case Details: return m_summaries.at(index.row());
        }
    } else if (role == AttributesRole) {
        return QString::fromUtf8(QJsonDocument(e.attributes).toJson(QJsonDocument::Indented));
    } else if (role == Qt::TextAlignmentRole && index.column() == Id) {
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id: return tr("ID");
    case Time: return tr("Time");
    case Type: return tr("Event");
    case Details: return tr("Details");
    }
    return {};
}

void HistoryModel::clear()
{
    beginResetModel();
    m_events.clear();
    m_summaries.clear();
    endResetModel();
}

void HistoryModel::append(const QList<Temporal::HistoryEvent> &events)
{
    if (events.isEmpty())
        return;
    const int first = static_cast<int>(m_events.size());
    beginInsertRows({}, first, first + static_cast<int>(events.size()) - 1);
    for (const auto &e : events) {
        m_events << e;
        m_summaries << summarize(e.attributes);
    }
    endInsertRows();
}

} // namespace Nebula::Console
