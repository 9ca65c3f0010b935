#pragma once

#include <QString>

namespace Nebula::Console {

// Local account roles. Viewers look, operators also provision, cancel and destroy, admins also
// manage accounts. The JWT "role" claim carries roleName().
enum class Role { Viewer, Operator, Admin };

QString roleName(Role role);       // "viewer", "operator", "admin"
QString roleDisplayName(Role role); // "Viewer", ...
// false when `name` is not a role
bool roleFromName(const QString &name, Role *role);

inline bool canOperate(Role role) { return role == Role::Operator || role == Role::Admin; }
inline bool canManageUsers(Role role) { return role == Role::Admin; }

} // namespace Nebula::Console
