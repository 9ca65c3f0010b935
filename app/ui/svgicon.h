#pragma once

#include <QColor>
#include <QIcon>
#include <QPainter>
#include <QRectF>
#include <QString>

#include <memory>

namespace Nebula::Console {

// Draws the console's own icons (resources/icons/*.svg) without the QtSvg module, which is not
// among our dependencies. It understands the small SVG subset those files use: svg viewBox,
// circle, ellipse, rect (rx), line, polyline, polygon and path (M L H V C Q Z, absolute and
// relative) with fill, stroke, stroke-width, stroke-linecap, stroke-linejoin and opacity.
// "currentColor" takes the colour given at paint time (the palette's text colour), so action icons
// follow the light or dark theme.
class SvgImage
{
public:
    static std::shared_ptr<const SvgImage> load(const QString &path); // cached; null if unreadable
    void paint(QPainter *painter, const QRectF &target, const QColor &currentColor) const;
    QRectF viewBox() const { return m_viewBox; }

    struct Shape;

private:
    QRectF m_viewBox{0, 0, 24, 24};
    std::vector<std::shared_ptr<Shape>> m_shapes;
    friend struct SvgParser;
};

// An icon drawn from one of our SVG files at any size; disabled icons are drawn faded.
QIcon svgIcon(const QString &path);

} // namespace Nebula::Console
