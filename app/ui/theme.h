#pragma once

#include "core/consolesettings.h"

#include <QColor>
#include <QPalette>

class QApplication;

namespace Nebula::Console::Theme {

// Fusion with a light or a dark palette. "System" follows the platform: its colour scheme where Qt
// reports one (6.5+), else the lightness of the platform's own palette.
void apply(QApplication &app, ThemeChoice choice);
bool isDark();
QPalette lightPalette();
QPalette darkPalette();
bool systemPrefersDark();

// Accents that read well on both palettes.
QColor successColor();
QColor errorColor();
QColor warningColor();
QColor infoColor();

} // namespace Nebula::Console::Theme
