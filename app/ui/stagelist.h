#pragma once

#include "provisioning/progress.h"

#include <QWidget>

class QGridLayout;
class QLabel;
class QProgressBar;

namespace Nebula::Console {

// The stages of a run as rows: status icon, title, progress bar, elapsed time, attempt, message.
class StageList final : public QWidget
{
    Q_OBJECT

public:
    explicit StageList(QWidget *parent = nullptr);

    void setStages(const QList<Provisioning::StageProgress> &stages, const QDateTime &now);
    // Re-computes the elapsed times of running stages (called every second while visible).
    void tick(const QDateTime &now);

    // For tests: what a row shows.
    struct RowView
    {
        QString title;
        QString status;
        int percent = 0;
        int maximum = 100;
        QString elapsed;
        QString attempt;
        QString message;
    };
    QList<RowView> rows() const;

private:
    struct Row
    {
        QLabel *icon;
        QLabel *title;
        QProgressBar *bar;
        QLabel *elapsed;
        QLabel *attempt;
        QLabel *message;
        Provisioning::StageProgress stage;
    };
    Row makeRow(int index);
    void showRow(Row &row, const QDateTime &now);

    QGridLayout *m_grid;
    QList<Row> m_rows;
};

QString formatElapsed(qint64 seconds); // "42 s", "3 min 05 s", "1 h 02 min"

} // namespace Nebula::Console
