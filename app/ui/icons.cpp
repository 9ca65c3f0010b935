#include "ui/icons.h"

#include "ui/svgicon.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console::Icons {

QIcon app()
{
    static const QIcon icon = svgIcon(u":/icons/nebula-console.svg"_s);
    return icon;
}

QIcon status(StatusKind kind)
{
    static const QIcon icons[] = {
        svgIcon(u":/icons/status-pending.svg"_s), svgIcon(u":/icons/status-running.svg"_s),
        svgIcon(u":/icons/status-succeeded.svg"_s), svgIcon(u":/icons/status-failed.svg"_s),
        svgIcon(u":/icons/status-canceled.svg"_s)};
    return icons[static_cast<int>(kind)];
}

QIcon action(const char *name)
{
    return svgIcon(u":/icons/action-"_s + QLatin1StringView(name) + u".svg"_s);
}

} // namespace Nebula::Console::Icons
