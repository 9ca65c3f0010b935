#pragma once

#include "ansibleeventparser.h"
#include "common/result.h"
#include "toolevent.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVersionNumber>

#include <chrono>
#include <stop_token>

namespace Nebula::Tools {

struct AnsibleBinary
{
    QString path; // ansible-playbook, absolute
    QVersionNumber version; // ansible-core version

    QString displayName() const; // "ansible-playbook 2.14.18"
};

struct AnsibleSettings
{
    // Directory with configure.yml, ansible.cfg, callback_plugins/ and roles/
    // (infrastructure/ansible in the source tree or the installed share directory).
    QString playbookDir;
    // Extra environment (e.g. ANSIBLE_PRIVATE_KEY_FILE, ANSIBLE_TIMEOUT, SSH_AUTH_SOCK).
    QHash<QString, QString> environment;
    std::chrono::milliseconds gracePeriod = std::chrono::seconds(30);
    QStringList secrets; // values never to log (e.g. become passwords)
};

struct AnsibleRun
{
    QMap<QString, AnsibleHostStats> stats;
    int changed = 0; // over all hosts; 0 on an idempotent re-run
    int tasks = 0;   // tasks and handlers started
};

// Runs ansible-playbook with the NebulaOps callback (one JSON object per event on stdout), a
// generated inventory and a pinned configuration. Like TerraformRunner, it blocks the calling
// thread, reports events live, stops the whole process group on `stop`, and returns failures as
// classified Errors (classifyAnsibleRun). Files it writes go to the working directory:
// inventory.json and extra-vars.json (0600), and .ansible/ (ANSIBLE_HOME, local temp, and the
// remote temp when every host is local).
class AnsibleRunner
{
public:
    // `configured` (path or name) if set, else ansible-playbook on PATH; needs ansible-core 2.14+.
    static Result<AnsibleBinary> detect(const QString &configured = {},
                                        const QHash<QString, QString> &environment = {});

    AnsibleRunner(AnsibleBinary binary, QString workingDirectory, AnsibleSettings settings);

    // Runs `playbook` (relative to playbookDir, or absolute) against `inventory` (see
    // AnsibleInventory). `extraVars` are passed as -e @extra-vars.json.
    Result<AnsibleRun> runPlaybook(const QString &playbook, const QJsonObject &inventory,
                                   const QJsonObject &extraVars = {},
                                   const ToolEventHandler &onEvent = {}, std::stop_token stop = {});

    // The environment runPlaybook() adds to the restricted base (for docs and tests).
    QHash<QString, QString> environment(bool localOnly) const;

private:
    AnsibleBinary m_binary;
    QString m_dir;
    AnsibleSettings m_settings;
};

} // namespace Nebula::Tools
