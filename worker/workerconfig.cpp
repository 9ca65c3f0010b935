#include "workerconfig.h"

#include "common/version.h"
#include "provisioning/contract.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Worker {
namespace {

Error configError(const QString &message)
{
    return makeError(ErrorCode::InvalidArgument, message);
}

Result<int> positiveInt(const QString &text, const QString &what, int maximum)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < 1 || value > maximum)
        return configError(u"%1 must be a whole number from 1 to %2, not \"%3\"."_s.arg(what).arg(maximum).arg(text.left(40)));
    return value;
}

Result<QString> readSecretFile(const QString &path, const QString &what)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return configError(u"Cannot read the %1 file %2: %3."_s.arg(what, path, f.errorString()));
    return QString::fromUtf8(f.readAll()).trimmed();
}

} // namespace

QString defaultInfrastructureDir()
{
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .absoluteFilePath(u"../share/nebulaops/infrastructure"_s);
    if (QFileInfo::exists(installed + u"/terraform"_s))
        return QDir::cleanPath(installed);
    return QStringLiteral(NEBULA_SOURCE_INFRASTRUCTURE_DIR);
}

QString defaultDataDir()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(u"nebulaops/worker"_s);
}

Result<WorkerConfig> WorkerConfig::fromArguments(const QStringList &arguments, const QProcessEnvironment &env,
                                                 QString *helpOrVersion)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"nebula-worker: runs NebulaOps provisioning workflows (Terraform, then Ansible) from a Temporal task queue.\n"
        u"Configuration: defaults < config file < TEMPORAL_* environment < flags."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help and exit."_s);
    const QCommandLineOption version({u"v"_s, u"version"_s}, u"Show the version and exit."_s);
    const QCommandLineOption config(u"config"_s, u"INI configuration file (default /etc/nebulaops/worker.conf when it exists)."_s, u"file"_s);
    const QCommandLineOption address(u"address"_s, u"Temporal frontend HOST:PORT (TEMPORAL_ADDRESS; default 127.0.0.1:7233)."_s, u"host:port"_s);
    const QCommandLineOption nameSpace(u"namespace"_s, u"Temporal namespace (TEMPORAL_NAMESPACE; default \"default\")."_s, u"name"_s);
    const QCommandLineOption taskQueue(u"task-queue"_s, u"Task queue to poll (default nebula-provision)."_s, u"name"_s);
    const QCommandLineOption maxActivities(u"max-activities"_s, u"Maximum concurrent activities (default 8)."_s, u"n"_s);
    const QCommandLineOption maxWorkflowTasks(u"max-workflow-tasks"_s, u"Maximum concurrent workflow tasks (default 4)."_s, u"n"_s);
    const QCommandLineOption terraform(u"terraform"_s, u"terraform or tofu binary (default: terraform, then tofu, on PATH)."_s, u"path"_s);
    const QCommandLineOption ansible(u"ansible-playbook"_s, u"ansible-playbook binary (default: on PATH)."_s, u"path"_s);
    const QCommandLineOption dataDir(u"data-dir"_s, u"Working data: Terraform workspaces and local instances."_s, u"dir"_s);
    const QCommandLineOption infraDir(u"infrastructure-dir"_s, u"Directory with terraform/modules and ansible/ (default: installed copy)."_s, u"dir"_s);
    const QCommandLineOption sshKey(u"ssh-private-key"_s, u"SSH private key for real hosts (ec2-instance)."_s, u"file"_s);
    const QCommandLineOption tlsCa(u"tls-ca"_s, u"CA certificate (PEM) for TLS (TEMPORAL_TLS_CA_PATH)."_s, u"file"_s);
    const QCommandLineOption tlsCert(u"tls-cert"_s, u"Client certificate for mTLS (TEMPORAL_TLS_CLIENT_CERT_PATH)."_s, u"file"_s);
    const QCommandLineOption tlsKey(u"tls-key"_s, u"Client key for mTLS (TEMPORAL_TLS_CLIENT_KEY_PATH)."_s, u"file"_s);
    const QCommandLineOption tlsServerName(u"tls-server-name"_s, u"Server name to verify (TEMPORAL_TLS_SERVER_NAME)."_s, u"name"_s);
    const QCommandLineOption tls(u"tls"_s, u"Use TLS with the system's CA certificates (TEMPORAL_TLS)."_s);
    const QCommandLineOption apiKeyFile(u"api-key-file"_s, u"File holding the API key (or use TEMPORAL_API_KEY; never pass keys as flags)."_s, u"file"_s);
    const QCommandLineOption identity(u"identity"_s, u"Worker identity shown in Temporal (default pid@host)."_s, u"text"_s);
    const QCommandLineOption logLevel(u"log-level"_s, u"trace, debug, info, warn or error (default info)."_s, u"level"_s);
    const QCommandLineOption logFormat(u"log-format"_s, u"text or json (one object per line)."_s, u"format"_s);
    const QCommandLineOption logFile(u"log-file"_s, u"Also write logs to this file."_s, u"file"_s);
    const QCommandLineOption heartbeat(u"heartbeat-timeout"_s, u"Seconds without a heartbeat before a running tool's activity is retried elsewhere (default 10)."_s, u"seconds"_s);
    const QCommandLineOption role(u"role"_s, u"all (default), workflows (no tools needed) or activities (runs the tools)."_s, u"role"_s);
    const QCommandLineOption attempts(u"activity-attempts"_s, u"How often a failing tool stage is tried before the run fails (default 4)."_s, u"n"_s);
    const QCommandLineOption check(u"check"_s, u"Check the configuration and the tools, print what was found, and exit."_s);
    parser.addOptions({help, version, config, address, nameSpace, taskQueue, maxActivities, maxWorkflowTasks,
                       terraform, ansible, dataDir, infraDir, sshKey, tls, tlsCa, tlsCert, tlsKey, tlsServerName,
                       apiKeyFile, identity, logLevel, logFormat, logFile, heartbeat, role, attempts, check});
    if (!parser.parse(arguments))
        return configError(parser.errorText() + u"\nRun nebula-worker --help for the options."_s);
    if (parser.isSet(help)) {
        *helpOrVersion = parser.helpText();
        return WorkerConfig{};
    }
    if (parser.isSet(version)) {
        *helpOrVersion = u"nebula-worker %1\n"_s.arg(Nebula::version());
        return WorkerConfig{};
    }
    if (!parser.positionalArguments().isEmpty())
        return configError(u"Unexpected argument \"%1\"; nebula-worker takes only options (see --help)."_s.arg(
            parser.positionalArguments().first().left(80)));

    WorkerConfig c;
    c.worker.taskQueue = Provisioning::DefaultTaskQueue.toString();
    c.activities.dataDir = defaultDataDir();
    c.activities.infrastructureDir = defaultInfrastructureDir();
    c.connection.clientName = u"nebulaops-worker"_s;

    // 1. The configuration file.
    QString file = parser.value(config);
    const bool explicitFile = !file.isEmpty();
    if (!explicitFile && QFileInfo::exists(u"/etc/nebulaops/worker.conf"_s))
        file = u"/etc/nebulaops/worker.conf"_s;
    QHash<QString, QString> values;
    if (!file.isEmpty()) {
        if (!QFileInfo(file).isReadable())
            return configError(u"The configuration file %1 does not exist or cannot be read."_s.arg(file));
        QSettings ini(file, QSettings::IniFormat);
        if (ini.status() != QSettings::NoError)
            return configError(u"The configuration file %1 is not valid INI."_s.arg(file));
        static const QStringList known = {
            u"temporal/address"_s, u"temporal/namespace"_s, u"temporal/task-queue"_s, u"temporal/tls"_s,
            u"temporal/tls-ca"_s, u"temporal/tls-cert"_s, u"temporal/tls-key"_s, u"temporal/tls-server-name"_s,
            u"temporal/api-key-file"_s, u"temporal/identity"_s, u"worker/max-activities"_s,
            u"worker/max-workflow-tasks"_s, u"worker/heartbeat-timeout"_s, u"worker/role"_s, u"worker/activity-attempts"_s, u"worker/data-dir"_s, u"worker/infrastructure-dir"_s,
            u"tools/terraform"_s, u"tools/ansible-playbook"_s, u"tools/ssh-private-key"_s,
            u"log/level"_s, u"log/format"_s, u"log/file"_s};
        for (const auto &key : ini.allKeys()) {
            if (!known.contains(key))
                return configError(u"Unknown setting \"%1\" in %2. Known settings: %3."_s.arg(key, file, known.join(u", "_s)));
            values.insert(key, ini.value(key).toString());
        }
        c.configFile = file;
    }
    const auto pick = [&](const QString &key, const QCommandLineOption &flag) -> QString {
        return parser.isSet(flag) ? parser.value(flag) : values.value(key);
    };

    // 2. Environment, 3. flags.
    if (auto v = values.value(u"temporal/address"_s); !v.isEmpty()) c.connection.address = v;
    if (auto v = values.value(u"temporal/namespace"_s); !v.isEmpty()) c.connection.nameSpace = v;
    c.connection = Temporal::ConnectionOptions::fromEnvironment(env, c.connection);
    if (parser.isSet(address)) c.connection.address = parser.value(address);
    if (parser.isSet(nameSpace)) c.connection.nameSpace = parser.value(nameSpace);
    if (auto v = pick(u"temporal/tls-ca"_s, tlsCa); !v.isEmpty()) c.connection.tlsCaFile = v;
    if (auto v = pick(u"temporal/tls-cert"_s, tlsCert); !v.isEmpty()) c.connection.tlsCertFile = v;
    if (auto v = pick(u"temporal/tls-key"_s, tlsKey); !v.isEmpty()) c.connection.tlsKeyFile = v;
    if (auto v = pick(u"temporal/tls-server-name"_s, tlsServerName); !v.isEmpty()) c.connection.tlsServerName = v;
    if (parser.isSet(tls) || values.value(u"temporal/tls"_s) == u"true"_s) c.connection.tls = true;
    if (auto v = pick(u"temporal/api-key-file"_s, apiKeyFile); !v.isEmpty()) {
        auto key = readSecretFile(v, u"API key"_s);
        if (!key)
            return key.error();
        c.connection.apiKey = *key;
    }
    if (auto v = pick(u"temporal/identity"_s, identity); !v.isEmpty()) c.connection.identity = v;
    if (auto v = pick(u"temporal/task-queue"_s, taskQueue); !v.isEmpty()) c.worker.taskQueue = v;
    c.worker.identity = c.connection.effectiveIdentity();
    if (auto v = pick(u"worker/max-activities"_s, maxActivities); !v.isEmpty()) {
        auto n = positiveInt(v, u"max-activities"_s, 256);
        if (!n) return n.error();
        c.worker.maxConcurrentActivities = *n;
    }
    if (auto v = pick(u"worker/max-workflow-tasks"_s, maxWorkflowTasks); !v.isEmpty()) {
        auto n = positiveInt(v, u"max-workflow-tasks"_s, 256);
        if (!n) return n.error();
        c.worker.maxConcurrentWorkflowTasks = *n;
    }
    if (auto v = pick(u"worker/heartbeat-timeout"_s, heartbeat); !v.isEmpty()) {
        auto n = positiveInt(v, u"heartbeat-timeout"_s, 3600);
        if (!n) return n.error();
        c.timings.heartbeatTimeout = std::chrono::seconds(*n);
    }
    if (auto v = pick(u"worker/activity-attempts"_s, attempts); !v.isEmpty()) {
        auto n = positiveInt(v, u"activity-attempts"_s, 100);
        if (!n) return n.error();
        c.timings.maximumAttempts = *n;
    }
    if (auto v = pick(u"worker/role"_s, role); !v.isEmpty()) {
        if (v == u"all"_s) c.role = Role::All;
        else if (v == u"workflows"_s) c.role = Role::Workflows;
        else if (v == u"activities"_s) c.role = Role::Activities;
        else return configError(u"Unknown role \"%1\": use all, workflows or activities."_s.arg(v.left(20)));
    }
    if (auto v = pick(u"worker/data-dir"_s, dataDir); !v.isEmpty()) c.activities.dataDir = v;
    if (auto v = pick(u"worker/infrastructure-dir"_s, infraDir); !v.isEmpty()) c.activities.infrastructureDir = v;
    if (auto v = pick(u"tools/terraform"_s, terraform); !v.isEmpty()) c.activities.terraformPath = v;
    if (auto v = pick(u"tools/ansible-playbook"_s, ansible); !v.isEmpty()) c.activities.ansiblePlaybookPath = v;
    if (auto v = pick(u"tools/ssh-private-key"_s, sshKey); !v.isEmpty()) c.activities.sshPrivateKeyFile = v;
    // Cloud credentials and settings the tools need, passed through explicitly (never the whole
    // environment): AWS_* for the EC2 module, NEBULA_EC2_* for its variables.
    for (const auto &key : env.keys()) {
        if (key.startsWith(u"AWS_"_s) || key.startsWith(u"NEBULA_EC2_"_s) || key == u"SSH_AUTH_SOCK"_s)
            c.activities.toolEnvironment.insert(key, env.value(key));
    }

    if (auto v = pick(u"log/level"_s, logLevel); !v.isEmpty() && !Log::parseLevel(v, &c.log.level))
        return configError(u"Unknown log level \"%1\": use trace, debug, info, warn or error."_s.arg(v.left(20)));
    if (auto v = pick(u"log/format"_s, logFormat); !v.isEmpty()) {
        if (v == u"json"_s)
            c.log.format = Log::Format::Json;
        else if (v != u"text"_s)
            return configError(u"Unknown log format \"%1\": use text or json."_s.arg(v.left(20)));
    }
    c.log.file = pick(u"log/file"_s, logFile);
    c.checkOnly = parser.isSet(check);

    if (auto ok = c.connection.validate(); !ok)
        return ok.error();
    if (c.worker.taskQueue.trimmed().isEmpty() || c.worker.taskQueue.size() > 1000)
        return configError(u"The task queue name must be 1 to 1000 characters."_s);
    if (!QDir::isAbsolutePath(c.activities.dataDir))
        c.activities.dataDir = QDir::current().absoluteFilePath(c.activities.dataDir);
    if (!QFileInfo(c.activities.infrastructureDir + u"/terraform/modules"_s).isDir())
        return configError(u"The infrastructure directory %1 has no terraform/modules; pass --infrastructure-dir."_s.arg(
            c.activities.infrastructureDir));
    if (!c.activities.sshPrivateKeyFile.isEmpty() && !QFileInfo(c.activities.sshPrivateKeyFile).isReadable())
        return configError(u"The SSH private key %1 cannot be read."_s.arg(c.activities.sshPrivateKeyFile));
    return c;
}

} // namespace Nebula::Worker
