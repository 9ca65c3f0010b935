#include "core/roles.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

QString roleName(Role role)
{
    switch (role) {
    case Role::Viewer: return u"viewer"_s;
    case Role::Operator: return u"operator"_s;
    case Role::Admin: return u"admin"_s;
    }
    return u"viewer"_s;
}

QString roleDisplayName(Role role)
{
    switch (role) {
    case Role::Viewer: return QCoreApplication::translate("Role", "Viewer");
    case Role::Operator: return QCoreApplication::translate("Role", "Operator");
    case Role::Admin: return QCoreApplication::translate("Role", "Administrator");
    }
    return {};
}

bool roleFromName(const QString &name, Role *role)
{
    for (const Role r : {Role::Viewer, Role::Operator, Role::Admin}) {
        if (roleName(r) == name) {
            *role = r;
            return true;
        }
    }
    return false;
}

} // namespace Nebula::Console
