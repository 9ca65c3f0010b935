#pragma once

#include "activities/provisioningactivities.h"
#include "common/logging.h"
#include "common/result.h"
#include "temporal/connectionoptions.h"
#include "temporal/worker/worker.h"
#include "workflows/provisioningworkflows.h"

#include <QStringList>

namespace Nebula::Worker {

// Everything nebula-worker is configured with. Sources, later ones winning: built-in defaults,
// the configuration file (INI; --config, default /etc/nebulaops/worker.conf when present), the
// TEMPORAL_* environment (as the temporal CLI reads it), then command-line flags.
struct WorkerConfig
{
    Temporal::ConnectionOptions connection;
    Temporal::WorkerOptions worker;
    ActivitySettings activities;
    WorkflowTimings timings;
    Log::Options log;
    // Which task kinds this process serves: a split deployment runs workflow workers apart from
    // activity workers on the build hosts that have the tools.
    enum class Role { All, Workflows, Activities };
    Role role = Role::All;
    QString configFile;  // the file that was read, if any
    bool checkOnly = false; // --check: validate configuration and tools, then exit

    // Parses argv (with --help and --version handled by the caller through `helpText`).
    static Result<WorkerConfig> fromArguments(const QStringList &arguments,
                                              const QProcessEnvironment &environment,
                                              QString *helpOrVersion);
};

// Where the Terraform modules and Ansible playbooks are: the installed share directory next to the
// executable, else the source tree this binary was built from.
QString defaultInfrastructureDir();
QString defaultDataDir();

} // namespace Nebula::Worker
