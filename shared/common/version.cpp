#include "common/version.h"

namespace Nebula {

QString version()
{
    return QStringLiteral(NEBULA_VERSION_STRING);
}

} // namespace Nebula
