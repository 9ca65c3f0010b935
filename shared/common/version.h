#pragma once

#include <QString>

namespace Nebula {

// The NebulaOps version (the CMake project version), e.g. "0.1.0".
QString version();

} // namespace Nebula
