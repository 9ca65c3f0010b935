#include "ui/svgicon.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QIconEngine>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>
#include <QXmlStreamReader>

#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

struct SvgImage::Shape
{
    QPainterPath path;
    std::optional<QString> fill; // nullopt = default black; "none" = no fill
    QString stroke = u"none"_s;
    double strokeWidth = 1;
    Qt::PenCapStyle cap = Qt::FlatCap;
    Qt::PenJoinStyle join = Qt::MiterJoin;
    double opacity = 1;
};

namespace {

// Tokenises path data and point lists: numbers (with exponents, signs, ".5.5") and command letters.
class Tokens
{
public:
    explicit Tokens(QStringView text) : m_t(text) {}
    void skip()
    {
        while (m_i < m_t.size() && (m_t[m_i].isSpace() || m_t[m_i] == u','))
            ++m_i;
    }
    bool atEnd()
    {
        skip();
        return m_i >= m_t.size();
    }
    bool atNumber()
    {
        skip();
        if (m_i >= m_t.size())
            return false;
        const QChar c = m_t[m_i];
        return c.isDigit() || c == u'-' || c == u'+' || c == u'.';
    }
    QChar command() { return atEnd() ? QChar() : m_t[m_i++]; }
    double number()
    {
        skip();
        const qsizetype start = m_i;
        if (m_i < m_t.size() && (m_t[m_i] == u'-' || m_t[m_i] == u'+'))
            ++m_i;
        bool dot = false;
        while (m_i < m_t.size()) {
            const QChar c = m_t[m_i];
            if (c.isDigit()) {
                ++m_i;
            } else if (c == u'.' && !dot) {
                dot = true;
                ++m_i;
            } else if ((c == u'e' || c == u'E') && m_i + 1 < m_t.size()) {
                ++m_i;
                if (m_t[m_i] == u'-' || m_t[m_i] == u'+')
                    ++m_i;
            } else {
                break;
            }
        }
        return m_t.mid(start, m_i - start).toDouble();
    }

private:
    QStringView m_t;
    qsizetype m_i = 0;
};

QPainterPath parsePath(QStringView d)
{
    QPainterPath p;
    Tokens t(d);
    QChar cmd;
    QPointF cur;
    while (!t.atEnd()) {
        if (!t.atNumber())
            cmd = t.command();
        const bool rel = cmd.isLower();
        const QPointF o = rel ? cur : QPointF();
        switch (cmd.toUpper().unicode()) {
        case u'M': {
            const double x = t.number(), y = t.number();
            cur = o + QPointF(x, y);
            p.moveTo(cur);
            cmd = rel ? u'l' : u'L'; // further pairs are line-tos
            break;
        }
        case u'L': {
            const double x = t.number(), y = t.number();
            cur = o + QPointF(x, y);
            p.lineTo(cur);
            break;
        }
        case u'H':
            cur.setX((rel ? cur.x() : 0) + t.number());
            p.lineTo(cur);
            break;
        case u'V':
            cur.setY((rel ? cur.y() : 0) + t.number());
            p.lineTo(cur);
            break;
        case u'C': {
            const double x1 = t.number(), y1 = t.number(), x2 = t.number(), y2 = t.number(), x = t.number(),
                         y = t.number();
            p.cubicTo(o + QPointF(x1, y1), o + QPointF(x2, y2), o + QPointF(x, y));
            cur = o + QPointF(x, y);
            break;
        }
        case u'Q': {
            const double x1 = t.number(), y1 = t.number(), x = t.number(), y = t.number();
            p.quadTo(o + QPointF(x1, y1), o + QPointF(x, y));
            cur = o + QPointF(x, y);
            break;
        }
        case u'Z':
            p.closeSubpath();
            cur = p.currentPosition();
            break;
        default:
            return p; // unsupported command: stop rather than draw garbage
        }
    }
    return p;
}

QPolygonF parsePoints(QStringView text)
{
    QPolygonF poly;
    Tokens t(text);
    while (t.atNumber()) {
        const double x = t.number(), y = t.number();
        poly << QPointF(x, y);
    }
    return poly;
}

double num(const QXmlStreamAttributes &a, QStringView name, double fallback = 0)
{
    const QString key = name.toString();
    return a.hasAttribute(key) ? a.value(key).toDouble() : fallback;
}

QColor resolve(const QString &value, const QColor &current)
{
    if (value == u"currentColor"_s)
        return current;
    return QColor::fromString(value);
}

} // namespace

struct SvgParser
{
    static std::shared_ptr<const SvgImage> parse(const QByteArray &data)
    {
        auto image = std::make_shared<SvgImage>();
        QXmlStreamReader xml(data);
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            const auto a = xml.attributes();
            const auto name = xml.name();
            if (name == u"svg"_s) {
                const auto vb = parsePoints(a.value(u"viewBox"_s));
                if (vb.size() == 2)
                    image->m_viewBox = QRectF(vb[0].x(), vb[0].y(), vb[1].x(), vb[1].y());
                continue;
            }
            auto shape = std::make_shared<SvgImage::Shape>();
            if (name == u"circle"_s) {
                const double r = num(a, u"r");
                shape->path.addEllipse(QPointF(num(a, u"cx"), num(a, u"cy")), r, r);
            } else if (name == u"ellipse"_s) {
                shape->path.addEllipse(QPointF(num(a, u"cx"), num(a, u"cy")), num(a, u"rx"), num(a, u"ry"));
            } else if (name == u"rect"_s) {
                const QRectF r(num(a, u"x"), num(a, u"y"), num(a, u"width"), num(a, u"height"));
                const double rx = num(a, u"rx", num(a, u"ry"));
                shape->path.addRoundedRect(r, rx, num(a, u"ry", rx));
            } else if (name == u"line"_s) {
                shape->path.moveTo(num(a, u"x1"), num(a, u"y1"));
                shape->path.lineTo(num(a, u"x2"), num(a, u"y2"));
            } else if (name == u"polyline"_s || name == u"polygon"_s) {
                shape->path.addPolygon(parsePoints(a.value(u"points"_s)));
                if (name == u"polygon"_s)
                    shape->path.closeSubpath();
            } else if (name == u"path"_s) {
                shape->path = parsePath(a.value(u"d"_s));
            } else {
                continue;
            }
            if (a.hasAttribute(u"fill"_s))
                shape->fill = a.value(u"fill"_s).toString();
            if (a.hasAttribute(u"stroke"_s))
                shape->stroke = a.value(u"stroke"_s).toString();
            shape->strokeWidth = num(a, u"stroke-width", 1);
            shape->opacity = num(a, u"opacity", 1);
            const auto cap = a.value(u"stroke-linecap"_s);
            shape->cap = cap == u"round"_s ? Qt::RoundCap : cap == u"square"_s ? Qt::SquareCap : Qt::FlatCap;
            const auto join = a.value(u"stroke-linejoin"_s);
            shape->join = join == u"round"_s ? Qt::RoundJoin : join == u"bevel"_s ? Qt::BevelJoin : Qt::MiterJoin;
            image->m_shapes.push_back(shape);
        }
        if (xml.hasError() || image->m_shapes.empty())
            return nullptr;
        return image;
    }
};

std::shared_ptr<const SvgImage> SvgImage::load(const QString &path)
{
    static QHash<QString, std::shared_ptr<const SvgImage>> cache;
    if (auto it = cache.constFind(path); it != cache.cend())
        return *it;
    QFile file(path);
    std::shared_ptr<const SvgImage> image;
    if (file.open(QIODevice::ReadOnly))
        image = SvgParser::parse(file.readAll());
    cache.insert(path, image);
    return image;
}

void SvgImage::paint(QPainter *painter, const QRectF &target, const QColor &currentColor) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const double scale = std::min(target.width() / m_viewBox.width(), target.height() / m_viewBox.height());
    const QSizeF drawn = m_viewBox.size() * scale;
    painter->translate(target.x() + (target.width() - drawn.width()) / 2,
                       target.y() + (target.height() - drawn.height()) / 2);
    painter->scale(scale, scale);
    painter->translate(-m_viewBox.topLeft());
    for (const auto &s : m_shapes) {
        painter->setOpacity(s->opacity);
        const QString fill = s->fill.value_or(u"#000000"_s);
        painter->setBrush(fill == u"none"_s ? QBrush(Qt::NoBrush) : QBrush(resolve(fill, currentColor)));
        if (s->stroke == u"none"_s) {
            painter->setPen(Qt::NoPen);
        } else {
            QPen pen(resolve(s->stroke, currentColor), s->strokeWidth);
            pen.setCapStyle(s->cap);
            pen.setJoinStyle(s->join);
            painter->setPen(pen);
        }
        painter->drawPath(s->path);
    }
    painter->restore();
}

namespace {

class SvgIconEngine final : public QIconEngine
{
public:
    explicit SvgIconEngine(QString path) : m_path(std::move(path)) {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const auto image = SvgImage::load(m_path);
        if (!image)
            return;
        const QPalette palette = QApplication::palette();
        QColor ink = palette.color(QPalette::WindowText);
        if (mode == QIcon::Selected)
            ink = palette.color(QPalette::HighlightedText);
        painter->save();
        if (mode == QIcon::Disabled)
            painter->setOpacity(0.35);
        image->paint(painter, rect, ink);
        painter->restore();
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap pm(size * scale);
        pm.fill(Qt::transparent);
        pm.setDevicePixelRatio(scale);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }

    QIconEngine *clone() const override { return new SvgIconEngine(m_path); }
    QString key() const override { return u"nebula-svg"_s; }

private:
    QString m_path;
};

} // namespace

QIcon svgIcon(const QString &path)
{
    return QIcon(new SvgIconEngine(path));
}

} // namespace Nebula::Console
