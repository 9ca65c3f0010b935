#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QString>

namespace Nebula::Console {

// Tool output of a run, one line per event, for a QListView with uniform item sizes: appending is
// one insert per batch, and only visible lines are ever formatted, so 100,000 lines stay fast.
// Beyond MaxLines the oldest lines are dropped.
class LogModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum class Level : quint8 { Info, Warn, Error };
    struct Line
    {
        QDateTime time;
        Level level = Level::Info;
        QString stage;
        QString text;
    };
    static constexpr int MaxLines = 200000;

    explicit LogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void append(const QList<Line> &lines);
    void clear();
    QString text(int row) const; // the formatted line
    static Level levelFromName(const QString &name);

private:
    QList<Line> m_lines;
};

} // namespace Nebula::Console
