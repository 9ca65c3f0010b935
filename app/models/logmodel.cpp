#include "models/logmodel.h"

#include "ui/theme.h"

#include <QBrush>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

LogModel::LogModel(QObject *parent) : QAbstractListModel(parent) {}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

LogModel::Level LogModel::levelFromName(const QString &name)
{
    if (name == u"error"_s)
        return Level::Error;
    if (name == u"warn"_s || name == u"warning"_s)
        return Level::Warn;
    return Level::Info;
}

QString LogModel::text(int row) const
{
    const Line &l = m_lines.at(row);
    const QString time = l.time.isValid() ? l.time.toLocalTime().toString(u"HH:mm:ss"_s) : u"--:--:--"_s;
    return time + u"  "_s + l.stage.leftJustified(9, u' ') + u' ' + l.text;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_lines.size())
        return {};
    if (role == Qt::DisplayRole)
        return text(index.row());
    if (role == Qt::ForegroundRole) {
        switch (m_lines.at(index.row()).level) {
        case Level::Error: return QBrush(Theme::errorColor());
        case Level::Warn: return QBrush(Theme::warningColor());
        case Level::Info: break;
        }
    }
    return {};
}

void LogModel::append(const QList<Line> &lines)
{
    if (lines.isEmpty())
        return;
    const qsizetype overflow = m_lines.size() + lines.size() - MaxLines;
    if (overflow > 0) {
        const int drop = static_cast<int>(std::min(overflow, m_lines.size()));
        if (drop > 0) {
            beginRemoveRows({}, 0, drop - 1);
            m_lines.remove(0, drop);
            endRemoveRows();
        }
    }
    const QList<Line> &tail = lines.size() > MaxLines ? lines.mid(lines.size() - MaxLines) : lines;
    const int first = static_cast<int>(m_lines.size());
    beginInsertRows({}, first, first + static_cast<int>(tail.size()) - 1);
    m_lines.append(tail);
    endInsertRows();
}

void LogModel::clear()
{
    beginResetModel();
    m_lines.clear();
    endResetModel();
}

} // namespace Nebula::Console
