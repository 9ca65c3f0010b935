#pragma once

#include "common/result.h"
#include "temporal/worker/activitycontext.h"
#include "tools/ansiblerunner.h"
#include "tools/terraformrunner.h"

#include <QHash>
#include <QJsonArray>
#include <QString>

#include <chrono>
#include <optional>

namespace Nebula::Temporal {
class Worker;
}

namespace Nebula::Worker {

struct ActivitySettings
{
    QString dataDir;           // workspaces under <dataDir>/resources, local instances under <dataDir>/instances
    QString infrastructureDir; // holds terraform/modules/<module> and ansible/configure.yml
    QString terraformPath;     // configured binary (path or name); empty = terraform, then tofu on PATH
    QString ansiblePlaybookPath;
    QString sshPrivateKeyFile; // for real hosts (ec2-instance)
    QHash<QString, QString> toolEnvironment; // e.g. AWS_PROFILE, AWS_REGION; passed to both tools
    std::chrono::milliseconds toolGracePeriod{std::chrono::seconds(30)};
    std::chrono::milliseconds verifyTimeout{std::chrono::seconds(60)};
};

// The provisioning activities: Terraform plan/apply/destroy, Ansible configure and an HTTP check,
// each reporting live progress to its workflow (ProgressReporter) and failing with the tool's own
// message, classified retryable or not (Tools::FailureType).
class ProvisioningActivities
{
public:
    explicit ProvisioningActivities(ActivitySettings settings);

    // Finds terraform/tofu and ansible-playbook and logs their versions. Missing tools are not
    // fatal here: activities then fail at once with a non-retryable error naming the tool.
    void detectTools();
    QString toolSummary() const;
    bool toolsReady() const;
    const ActivitySettings &settings() const { return m_settings; }

    void registerWith(Temporal::Worker &worker);

    Result<QJsonValue> plan(Temporal::ActivityContext &ctx, const QJsonArray &args);
    Result<QJsonValue> apply(Temporal::ActivityContext &ctx, const QJsonArray &args);
    Result<QJsonValue> configure(Temporal::ActivityContext &ctx, const QJsonArray &args);
    Result<QJsonValue> verify(Temporal::ActivityContext &ctx, const QJsonArray &args);
    Result<QJsonValue> destroy(Temporal::ActivityContext &ctx, const QJsonArray &args);

private:
    Result<Tools::TerraformRunner> prepareTerraform(const QJsonArray &args, QString *resourceType);
    Tools::TerraformSettings terraformSettings() const;

    ActivitySettings m_settings;
    std::optional<Result<Tools::TerraformBinary>> m_terraform;
    std::optional<Result<Tools::AnsibleBinary>> m_ansible;
};

// Quotes a word for a POSIX shell, for commands we show to people (never executed by us).
QString shellQuote(const QString &word);

} // namespace Nebula::Worker
