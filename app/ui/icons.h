#pragma once

#include "core/resourcerow.h"

#include <QIcon>

namespace Nebula::Console::Icons {

QIcon app();
QIcon status(StatusKind kind);
// "new", "refresh", "settings", "logout", "users", "copy", "cancel", "destroy", "web", "audit",
// "history", "search", "open", "theme", "info", "warning"
QIcon action(const char *name);

} // namespace Nebula::Console::Icons
