#include "ui/banner.h"

#include "ui/icons.h"
#include "ui/theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
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

void Banner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && !m_restyling) {
        m_restyling = true;
        restyle();
        m_restyling = false;
    }
    QFrame::changeEvent(event);
}

void Banner::restyle()
{
    QColor accent;
    const char *icon = "info";
    switch (m_kind) {
    case Kind::Info: accent = Theme::infoColor(); break;
    case Kind::Success: accent = Theme::successColor(); break;
    case Kind::Warning: accent = Theme::warningColor(); icon = "warning"; break;
    case Kind::Error: accent = Theme::errorColor(); icon = "warning"; break;
    }
    QColor background = palette().color(QPalette::Base);
    background = QColor::fromRgbF(background.redF() * 0.85f + accent.redF() * 0.15f,
                                  background.greenF() * 0.85f + accent.greenF() * 0.15f,
                                  background.blueF() * 0.85f + accent.blueF() * 0.15f);
    // Setting a style sheet changes the palette again: only set it when it differs.
    const QString sheet = u"QFrame#banner { background: %1; border: 1px solid %2; border-radius: 4px; }"_s.arg(
        background.name(), accent.name());
    if (sheet != styleSheet())
        setStyleSheet(sheet);
    m_icon->setPixmap(Icons::action(icon).pixmap(18, 18));
}

} // namespace Nebula::Console
