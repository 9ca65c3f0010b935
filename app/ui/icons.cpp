#include "ui/icons.h"

#include "ui/svgicon.h"

using namespace Qt::Literals::StringLiterals;

// The icons are compiled into the static library: register them before the first use.
static void registerResources()
{
    static const bool done = [] {
        Q_INIT_RESOURCE(nebula);
        return true;
    }();
    Q_UNUSED(done);
}

namespace Nebula::Console::Icons {

QIcon app()
{
    registerResources();
    static const QIcon icon = svgIcon(u":/icons/nebula-console.svg"_s);
    return icon;
}

QIcon status(StatusKind kind)
{
    registerResources();
    static const QIcon icons[] = {
        svgIcon(u":/icons/status-pending.svg"_s), svgIcon(u":/icons/status-running.svg"_s),
        svgIcon(u":/icons/status-succeeded.svg"_s), svgIcon(u":/icons/status-failed.svg"_s),
        svgIcon(u":/icons/status-canceled.svg"_s)};
    return icons[static_cast<int>(kind)];
}

QIcon action(const char *name)
{
    registerResources();
    return svgIcon(u":/icons/action-"_s + QLatin1StringView(name) + u".svg"_s);
}

} // namespace Nebula::Console::Icons
