#include "ui/stagelist.h"

#include "ui/icons.h"
#include "ui/theme.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

using Provisioning::StageStatus;

namespace {

StatusKind kindOf(StageStatus s)
{
    switch (s) {
    case StageStatus::Pending:
    case StageStatus::Skipped: return StatusKind::Pending;
    case StageStatus::Running: return StatusKind::Running;
    case StageStatus::Succeeded: return StatusKind::Succeeded;
    case StageStatus::Failed: return StatusKind::Failed;
    case StageStatus::Canceled: return StatusKind::Canceled;
    }
    return StatusKind::Pending;
}

QString statusText(StageStatus s)
{
    switch (s) {
    case StageStatus::Pending: return StageList::tr("Waiting");
    case StageStatus::Running: return StageList::tr("Running");
    case StageStatus::Succeeded: return StageList::tr("Done");
    case StageStatus::Failed: return StageList::tr("Failed");
    case StageStatus::Canceled: return StageList::tr("Canceled");
    case StageStatus::Skipped: return StageList::tr("Skipped");
    }
    return {};
}

} // namespace

QString formatElapsed(qint64 seconds)
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 60)
        return StageList::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return StageList::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
    return StageList::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QChar(u'0'));
}

StageList::StageList(QWidget *parent) : QWidget(parent), m_grid(new QGridLayout(this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(12);
    m_grid->setVerticalSpacing(8);
    m_grid->setColumnStretch(2, 2);
    m_grid->setColumnStretch(5, 3);
    m_grid->setColumnMinimumWidth(1, 140);
}

StageList::Row StageList::makeRow(int index)
{
    Row r{new QLabel(this), new QLabel(this), new QProgressBar(this), new QLabel(this), new QLabel(this), new QLabel(this), {}};
    r.bar->setTextVisible(true);
    r.bar->setMinimumWidth(140);
    r.bar->setMaximumHeight(16);
    r.elapsed->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    r.elapsed->setMinimumWidth(72);
    r.attempt->setForegroundRole(QPalette::PlaceholderText);
    r.message->setWordWrap(true);
    r.message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = r.title->font();
    bold.setBold(true);
    r.title->setFont(bold);
    m_grid->addWidget(r.icon, index, 0);
    m_grid->addWidget(r.title, index, 1);
    m_grid->addWidget(r.bar, index, 2);
    m_grid->addWidget(r.elapsed, index, 3);
    m_grid->addWidget(r.attempt, index, 4);
    m_grid->addWidget(r.message, index, 5);
    return r;
}

void StageList::setStages(const QList<Provisioning::StageProgress> &stages, const QDateTime &now)
{
    while (m_rows.size() > stages.size()) {
        Row r = m_rows.takeLast();
        for (QWidget *w : {static_cast<QWidget *>(r.icon), static_cast<QWidget *>(r.title), static_cast<QWidget *>(r.bar),
                           static_cast<QWidget *>(r.elapsed), static_cast<QWidget *>(r.attempt), static_cast<QWidget *>(r.message)})
            delete w;
    }
    while (m_rows.size() < stages.size())
        m_rows << makeRow(static_cast<int>(m_rows.size()));
    for (int i = 0; i < stages.size(); ++i) {
        m_rows[i].stage = stages[i];
        showRow(m_rows[i], now);
    }
}

void StageList::tick(const QDateTime &now)
{
    for (auto &r : m_rows) {
        if (r.stage.status == StageStatus::Running)
            showRow(r, now);
    }
}

void StageList::showRow(Row &r, const QDateTime &now)
{
    const auto &s = r.stage;
    r.icon->setPixmap(Icons::status(kindOf(s.status)).pixmap(18, 18));
    r.icon->setToolTip(statusText(s.status));
    r.title->setText(s.title.isEmpty() ? s.id : s.title);
    if (s.status == StageStatus::Running && s.percent < 0) {
        r.bar->setRange(0, 0); // busy indicator when the tool gives no percentage
    } else {
        r.bar->setRange(0, 100);
        int value = s.percent < 0 ? 0 : std::min(s.percent, 100);
        if (s.status == StageStatus::Succeeded)
            value = 100;
        r.bar->setValue(value);
    }
    r.bar->setFormat(s.status == StageStatus::Running || s.status == StageStatus::Succeeded ? u"%p%"_s
                                                                                            : statusText(s.status));
    if (s.startedAt.isValid()) {
        const QDateTime end = s.finishedAt.isValid() ? s.finishedAt : now;
        r.elapsed->setText(formatElapsed(s.startedAt.secsTo(end)));
    } else {
        r.elapsed->setText(u"—"_s);
    }
    r.attempt->setText(s.attempt > 1 ? tr("attempt %1").arg(s.attempt) : QString());
    r.message->setText(s.message);
    if (s.status == StageStatus::Failed) {
        QPalette p;
        p.setColor(QPalette::WindowText, Theme::errorColor());
        r.message->setPalette(p);
    } else {
        r.message->setPalette(QPalette()); // inherit, so a theme switch applies
    }
}

QList<StageList::RowView> StageList::rows() const
{
    QList<RowView> out;
    for (const auto &r : m_rows)
        out << RowView{r.title->text(), statusText(r.stage.status), r.bar->value(), r.bar->maximum(),
                       r.elapsed->text(), r.attempt->text(), r.message->text()};
    return out;
}

} // namespace Nebula::Console
