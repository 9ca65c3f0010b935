#pragma once

// Helpers shared by the console's widget tests.
#include "core/consolesettings.h"
#include "ui/theme.h"

#include <QApplication>
#include <QDir>
#include <QEvent>
#include <QProcessEnvironment>
#include <QWidget>

namespace GuiTest {

// Saves `widget` as <NEBULA_SCREENSHOT_DIR>/<name>-<light|dark>.png (test artifact).
inline QString screenshot(QWidget *widget, const QString &name)
{
    const QString dir = QProcessEnvironment::systemEnvironment().value(QStringLiteral("NEBULA_SCREENSHOT_DIR"));
    if (dir.isEmpty())
        return {};
    QDir().mkpath(dir);
    const QString path = dir + u'/' + name + (Nebula::Console::Theme::isDark() ? QStringLiteral("-dark.png")
                                                                                 : QStringLiteral("-light.png"));
    widget->grab().save(path);
    return path;
}

// Switches the theme. QApplication forwards palette changes to existing widgets only while exec()
// runs, which Qt Test never calls: forward it here the same way.
inline void setTheme(bool dark)
{
    Nebula::Console::Theme::apply(*qApp, dark ? Nebula::Console::ThemeChoice::Dark : Nebula::Console::ThemeChoice::Light);
    QEvent change(QEvent::ApplicationPaletteChange);
    for (QWidget *w : QApplication::allWidgets())
        QCoreApplication::sendEvent(w, &change);
}

} // namespace GuiTest
