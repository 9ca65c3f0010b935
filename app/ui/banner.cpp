#include "ui/banner.h"

#include "ui/icons.h"
#include "ui/theme.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QToolButton>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

Banner::Banner(QWidget *parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)), m_action(new QPushButton(this)),
      m_close(new QToolButton(this))
{
    setObjectName(u"banner"_s);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->setSpacing(8);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    m_text->setOpenExternalLinks(false);
    m_close->setText(u"✕"_s);
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message"));
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    m_action->hide();
    connect(m_action, &QPushButton::clicked, this, &Banner::actionTriggered);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void Banner::showMessage(Kind kind, const QString &text, const QString &actionText)
{
    m_kind = kind;
    m_text->setText(text);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    restyle();
    QFrame::show();
}

QString Banner::text() const
{
    return m_text->text();
}

QColor Banner::accent() const
{
    switch (m_kind) {
    case Kind::Info: return Theme::infoColor();
    case Kind::Success: return Theme::successColor();
    case Kind::Warning: return Theme::warningColor();
    case Kind::Error: return Theme::errorColor();
    }
    return Theme::infoColor();
}

void Banner::restyle()
{
    m_icon->setPixmap(Icons::action(m_kind == Kind::Warning || m_kind == Kind::Error ? "warning" : "info").pixmap(18, 18));
    update();
}

void Banner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QFrame::changeEvent(event);
}

void Banner::paintEvent(QPaintEvent *)
{
    // Colours come from the current palette at every paint, so a theme switch needs nothing else.
    const QColor a = accent();
    const QColor base = palette().color(QPalette::Base);
    const QColor background = QColor::fromRgbF(base.redF() * 0.85f + a.redF() * 0.15f, base.greenF() * 0.85f + a.greenF() * 0.15f,
                                               base.blueF() * 0.85f + a.blueF() * 0.15f);
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(a, 1));
    p.setBrush(background);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
}

} // namespace Nebula::Console
