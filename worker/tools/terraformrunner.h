#pragma once

#include "common/result.h"
#include "terraformjsonparser.h"
#include "toolevent.h"
#include "toolprocess.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVersionNumber>

#include <chrono>
#include <stop_token>

namespace Nebula::Tools {

struct TerraformBinary
{
    QString path;   // absolute
    QString flavor; // "terraform" or "tofu"
    QVersionNumber version;

    QString displayName() const; // "terraform 1.11.4"
};

struct TerraformSettings
{
    // Extra environment for every command (AWS_*, TF_PLUGIN_CACHE_DIR, TF_CLI_CONFIG_FILE...).
    // TF_IN_AUTOMATION=1 and TF_INPUT=0 are always set.
    QHash<QString, QString> environment;
    std::chrono::milliseconds gracePeriod = std::chrono::seconds(30);
    QString lockTimeout = QStringLiteral("30s"); // -lock-timeout for plan/apply/destroy
};

struct TerraformPlan
{
    bool hasChanges = false; // -detailed-exitcode 2
    TerraformChangeSummary changes;
    QStringList plannedChanges; // "terraform_data.this: create"
    QList<TerraformDiagnostic> warnings;
};

struct TerraformApply
{
    TerraformChangeSummary changes;
    QList<TerraformDiagnostic> warnings;
};

// Runs Terraform (or OpenTofu) for one resource. Every resource has its own working directory
// (see workspaceDirectory) holding a copy of its module, the generated variables file
// nebula.auto.tfvars.json and the local state terraform.tfstate, so that state and module stay
// together and runs of different resources never share anything.
//
// Commands block the calling thread until the tool ends (ToolProcess::run), deliver events live
// to the handler on that thread, and stop the tool when `stop` is requested: SIGINT to its
// process group, then SIGKILL after the grace period. Failures come back as Errors classified by
// classifyTerraformFailure (data "type", "nonRetryable"). Nothing secret is logged: variable
// values never appear in arguments, the variables file and plan file are private (0600), and
// sensitive variable values are redacted from events and stderr.
class TerraformRunner
{
public:
    static constexpr QStringView VariablesFile = u"nebula.auto.tfvars.json";
    static constexpr QStringView PlanFile = u"nebula.tfplan";
    static constexpr QStringView StateFile = u"terraform.tfstate";

    // Finds and checks the binary: `configured` (path or name) if set, else "terraform", then
    // "tofu" on PATH. Runs `<binary> version -json` and requires version >= 1.5.
    static Result<TerraformBinary> detect(const QString &configured = {},
                                          const QHash<QString, QString> &environment = {});

    // <dataDir>/resources/<name>; the name must be a lowercase label (no path tricks).
    static Result<QString> workspaceDirectory(const QString &dataDir, const QString &resourceName);

    TerraformRunner(TerraformBinary binary, QString workingDirectory,
                    TerraformSettings settings = {});

    const QString &workingDirectory() const { return m_dir; }
    const TerraformBinary &binary() const { return m_binary; }

    // Creates the working directory if needed, replaces the module copy with the files of
    // `moduleDir` (keeping state), and writes the variables file. `sensitiveVariables` names
    // variables whose values must never appear in logs or events.
    Result<void> prepare(const QString &moduleDir, const QJsonObject &variables,
                         const QStringList &sensitiveVariables = {});
    // The variables of the last prepare() (e.g. to keep a port chosen for an existing instance).
    QJsonObject currentVariables() const;
    // True when the local state holds at least one resource.
    bool hasResourcesInState() const;

    Result<void> init(const ToolEventHandler &onEvent = {}, std::stop_token stop = {});
    // Plans to the private plan file; `destroy` plans a destroy instead.
    Result<TerraformPlan> plan(const ToolEventHandler &onEvent = {}, std::stop_token stop = {},
                               bool destroy = false);
    // Applies the plan file of the last plan() and deletes it, whatever the outcome.
    Result<TerraformApply> apply(const ToolEventHandler &onEvent = {}, std::stop_token stop = {});
    // `output -json`: name -> value (the "value" of each output; sensitive ones included).
    Result<QJsonObject> outputs(std::stop_token stop = {});
    // destroy -auto-approve. Succeeds (zero changes) when there is nothing to destroy.
    Result<TerraformApply> destroy(const ToolEventHandler &onEvent = {}, std::stop_token stop = {});
    // Deletes the working directory (after a successful destroy).
    Result<void> removeWorkspace();

private:
    struct Run
    {
        ToolResult result;
        TerraformJsonParser parser;
    };
    Run runCommand(const QString &command, const QStringList &arguments,
                   const ToolEventHandler &onEvent, std::stop_token stop, bool applying);
    Error failure(const Run &run, const QString &command) const;
    void deletePlanFile() const;
    // Sensitive variable values plus secret-looking environment values (AWS_SECRET_ACCESS_KEY).
    QStringList secrets() const;

    TerraformBinary m_binary;
    QString m_dir;
    TerraformSettings m_settings;
    QStringList m_secrets;
};

} // namespace Nebula::Tools
