#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QString>

namespace Nebula::Tools {

class TerraformRunner;

// Inputs of infrastructure/terraform/modules/local-webserver. The port has to be known at plan
// time (outputs and later plans must be stable), so the worker chooses it: a free loopback port
// for a new instance, and the same port for as long as the instance exists in the state. The
// module's create step re-checks that the port is still free.
namespace LocalWebserver {

// A port on 127.0.0.1 that nobody listens on right now (bind to port 0).
Result<int> freeLoopbackPort();

// {name, base_dir, port} for `runner`'s working directory: keeps the port of the previous
// variables file when the state holds the instance, otherwise picks a free port.
Result<QJsonObject> variables(const TerraformRunner &runner, const QString &resourceName,
                              const QString &instancesDir);

} // namespace LocalWebserver
} // namespace Nebula::Tools
