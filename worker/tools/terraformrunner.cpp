#include "terraformrunner.h"

#include "common/logging.h"
#include "terraformfailure.h"
#include "toolfailure.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools {
namespace {

constexpr QStringView ManifestFile = u".nebula-module-files";

std::shared_ptr<spdlog::logger> logger()
{
    static const auto log = Log::get("worker.terraform");
    return log;
}

Error workspaceError(const QString &message, const QString &detail = {})
{
    return makeFailure(ErrorCode::Io, FailureType::WorkspaceError, false, message, detail,
                       {u"terraform"_s, u"prepare"_s, -1});
}

void collectSecretStrings(const QJsonValue &value, QStringList &out)
{
    if (value.isString()) {
        out.append(value.toString());
    } else if (value.isDouble()) {
        out.append(QString::number(value.toDouble()));
    } else if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            collectSecretStrings(v, out);
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            collectSecretStrings(it.value(), out);
    }
}

} // namespace

QString TerraformBinary::displayName() const
{
    return flavor + u' ' + version.toString();
}

Result<TerraformBinary> TerraformRunner::detect(const QString &configured,
                                                const QHash<QString, QString> &environment)
{
    const QStringList candidates =
        configured.isEmpty() ? QStringList{u"terraform"_s, u"tofu"_s} : QStringList{configured};
    const QProcessEnvironment env = ToolProcess::restrictedEnvironment(environment);
    const QStringList path = env.value(u"PATH"_s).split(u':', Qt::SkipEmptyParts);
    for (const QString &candidate : candidates) {
        const QString program = candidate.contains(u'/')
                                    ? candidate
                                    : QStandardPaths::findExecutable(candidate, path);
        if (program.isEmpty() || !QFileInfo(program).isExecutable())
            continue;
        QByteArray out;
        ToolCommand cmd{program, {u"version"_s, u"-json"_s}, QDir::tempPath(), environment,
                        {}, std::chrono::seconds(5), 64 * 1024, u"terraform version"_s};
        const ToolResult result =
            ToolProcess::run(cmd, [&out](QByteArrayView line) { out += line.toByteArray(); });
        if (!result.succeeded()) {
            return makeFailure(ErrorCode::FailedPrecondition, FailureType::ToolStartFailed, false,
                               u"%1 version -json failed: %2"_s.arg(
                                   program, result.errorString.isEmpty()
                                                ? result.stderrText.trimmed()
                                                : result.errorString));
        }
        const QJsonObject v = QJsonDocument::fromJson(out).object();
        // OpenTofu answers with the same key as Terraform.
        QString text = v.value(u"terraform_version"_s).toString();
        if (text.isEmpty())
            text = v.value(u"tofu_version"_s).toString();
        const QVersionNumber version = QVersionNumber::fromString(text);
        if (version.isNull()) {
            return makeFailure(ErrorCode::FailedPrecondition, FailureType::ToolStartFailed, false,
                               u"Could not read the version of %1"_s.arg(program),
                               QString::fromUtf8(out.left(500)));
        }
        if (version < QVersionNumber(1, 5)) {
            return makeFailure(ErrorCode::FailedPrecondition, FailureType::ToolStartFailed, false,
                               u"%1 is version %2; NebulaOps needs Terraform or OpenTofu 1.5 "
                               u"or newer"_s.arg(program, version.toString()));
        }
        const QString name = QFileInfo(program).fileName();
        return TerraformBinary{QFileInfo(program).absoluteFilePath(),
                               name.startsWith(u"tofu"_s) ? u"tofu"_s : u"terraform"_s, version};
    }
    return makeFailure(ErrorCode::NotFound, FailureType::ToolNotFound, false,
                       configured.isEmpty()
                           ? u"Neither terraform nor tofu was found on PATH; install one or set "
                             u"its path in the worker configuration"_s
                           : u"The configured Terraform binary %1 was not found or is not "
                             u"executable"_s.arg(configured));
}

Result<QString> TerraformRunner::workspaceDirectory(const QString &dataDir,
                                                    const QString &resourceName)
{
    static const QRegularExpression label(u"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"_s);
    if (!label.match(resourceName).hasMatch()) {
        return makeError(ErrorCode::InvalidArgument,
                         u"\"%1\" is not a valid resource name for a working directory"_s.arg(
                             resourceName));
    }
    if (dataDir.isEmpty())
        return makeError(ErrorCode::InvalidArgument, u"The worker has no data directory"_s);
    return QDir::cleanPath(QDir(dataDir).absoluteFilePath(u"resources/"_s + resourceName));
}

TerraformRunner::TerraformRunner(TerraformBinary binary, QString workingDirectory,
                                 TerraformSettings settings)
    : m_binary(std::move(binary)), m_dir(std::move(workingDirectory)),
      m_settings(std::move(settings))
{
}

Result<void> TerraformRunner::prepare(const QString &moduleDir, const QJsonObject &variables,
                                      const QStringList &sensitiveVariables)
{
    QDir dir(m_dir);
    if (!dir.mkpath(u"."_s))
        return workspaceError(u"Could not create the working directory %1"_s.arg(m_dir));
    QFile::setPermissions(m_dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    const QDir module(moduleDir);
    if (!module.exists(u"main.tf"_s))
        return workspaceError(u"The Terraform module %1 has no main.tf"_s.arg(moduleDir));

    // Remove the previous copy (listed in the manifest), keep state and the .terraform dir.
    QFile manifest(dir.filePath(ManifestFile.toString()));
    if (manifest.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : manifest.readAll().split('\n')) {
            const QString rel = QString::fromUtf8(line).trimmed();
            if (!rel.isEmpty() && !rel.contains(u".."_s))
                QFile::remove(dir.filePath(rel));
        }
        manifest.close();
    }
    QStringList copied;
    QDirIterator it(moduleDir, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString rel = module.relativeFilePath(source);
        if (rel.startsWith(u".terraform"_s) || rel.endsWith(u".tfstate"_s)
            || rel.endsWith(u".tfstate.backup"_s) || rel.endsWith(u".md"_s))
            continue;
        const QString target = dir.filePath(rel);
        dir.mkpath(QFileInfo(rel).path());
        QFile::remove(target);
        if (!QFile::copy(source, target))
            return workspaceError(u"Could not copy %1 into %2"_s.arg(source, m_dir));
        copied.append(rel);
    }
    QSaveFile list(dir.filePath(ManifestFile.toString()));
    if (!list.open(QIODevice::WriteOnly)
        || list.write(copied.join(u'\n').toUtf8() + '\n') < 0 || !list.commit())
        return workspaceError(u"Could not write %1 in %2"_s.arg(ManifestFile, m_dir));

    // The variables file can hold secrets: private from the start.
    QSaveFile vars(dir.filePath(VariablesFile.toString()));
    if (!vars.open(QIODevice::WriteOnly))
        return workspaceError(u"Could not write the Terraform variables in %1"_s.arg(m_dir));
    vars.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    vars.write(QJsonDocument(variables).toJson(QJsonDocument::Indented));
    if (!vars.commit())
        return workspaceError(u"Could not write the Terraform variables in %1"_s.arg(m_dir));

    m_secrets.clear();
    for (const QString &name : sensitiveVariables)
        collectSecretStrings(variables.value(name), m_secrets);
    logger()->info("prepared {} from module {} ({} files)", m_dir.toStdString(),
                   moduleDir.toStdString(), copied.size());
    return {};
}

QJsonObject TerraformRunner::currentVariables() const
{
    QFile file(QDir(m_dir).filePath(VariablesFile.toString()));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool TerraformRunner::hasResourcesInState() const
{
    QFile file(QDir(m_dir).filePath(StateFile.toString()));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonArray resources =
        QJsonDocument::fromJson(file.readAll()).object().value(u"resources"_s).toArray();
    return !resources.isEmpty();
}

TerraformRunner::Run TerraformRunner::runCommand(const QString &command,
                                                 const QStringList &arguments,
                                                 const ToolEventHandler &onEvent,
                                                 std::stop_token stop, bool applying)
{
    Run run;
    run.parser.setApplying(applying);
    QHash<QString, QString> env = m_settings.environment;
    env.insert(u"TF_IN_AUTOMATION"_s, u"1"_s);
    env.insert(u"TF_INPUT"_s, u"0"_s);
    ToolCommand cmd;
    cmd.program = m_binary.path;
    cmd.arguments = QStringList{command} + arguments;
    cmd.workingDirectory = m_dir;
    cmd.environment = env;
    cmd.secrets = m_secrets;
    cmd.gracePeriod = m_settings.gracePeriod;
    cmd.displayName = m_binary.flavor + u' ' + command;
    const QStringList secrets = ToolProcess::allSecrets(cmd);
    const auto onStdout = [&run, &onEvent, &secrets](QByteArrayView line) {
        if (line.trimmed().isEmpty())
            return;
        TerraformEvent event = run.parser.parseLine(line);
        if (!onEvent)
            return;
        ToolEvent out = event.toToolEvent();
        out.text = ToolProcess::redact(out.text, secrets);
        onEvent(out);
    };
    const auto onStderr = [&cmd, &secrets](QByteArrayView line) {
        if (!line.trimmed().isEmpty()) {
            logger()->warn("{} stderr: {}", cmd.displayName.toStdString(),
                           ToolProcess::redact(QString::fromUtf8(line), secrets).toStdString());
        }
    };
    run.result = ToolProcess::run(cmd, onStdout, stop, onStderr);
    return run;
}

Error TerraformRunner::failure(const Run &run, const QString &command) const
{
    Error error = classifyTerraformFailure(run.parser, run.result,
                                           {m_binary.flavor, command, run.result.exitCode});
    const QStringList all = secrets();
    error.message = ToolProcess::redact(error.message, all);
    error.detail = ToolProcess::redact(error.detail, all);
    logger()->warn("{} {} failed ({}): {}", m_binary.flavor.toStdString(), command.toStdString(),
                   failureType(error).toStdString(), error.message.toStdString());
    return error;
}

Result<void> TerraformRunner::init(const ToolEventHandler &onEvent, std::stop_token stop)
{
    QStringList args{u"-input=false"_s, u"-no-color"_s};
    // init -json exists since Terraform 1.9 and OpenTofu 1.7.
    const bool json = m_binary.flavor == u"tofu"_s ? m_binary.version >= QVersionNumber(1, 7)
                                                  : m_binary.version >= QVersionNumber(1, 9);
    if (json)
        args.prepend(u"-json"_s);
    const Run run = runCommand(u"init"_s, args, onEvent, stop, false);
    if (!run.result.succeeded())
        return failure(run, u"init"_s);
    return {};
}

Result<TerraformPlan> TerraformRunner::plan(const ToolEventHandler &onEvent, std::stop_token stop,
                                            bool destroy)
{
    deletePlanFile();
    QStringList args{u"-json"_s, u"-input=false"_s, u"-detailed-exitcode"_s,
                     u"-lock-timeout="_s + m_settings.lockTimeout, u"-out="_s + PlanFile};
    if (destroy)
        args.append(u"-destroy"_s);
    const Run run = runCommand(u"plan"_s, args, onEvent, stop, false);
    const int code = run.result.exitCode;
    if (run.result.cancelled || run.result.status != ToolResult::Status::Exited
        || (code != 0 && code != 2)) {
        deletePlanFile();
        return failure(run, u"plan"_s);
    }
    QFile::setPermissions(QDir(m_dir).filePath(PlanFile.toString()),
                          QFile::ReadOwner | QFile::WriteOwner);
    TerraformPlan plan;
    plan.hasChanges = code == 2;
    plan.changes = run.parser.changeSummary().value_or(TerraformChangeSummary{});
    plan.plannedChanges = run.parser.plannedChanges();
    plan.warnings = run.parser.warnings();
    return plan;
}

Result<TerraformApply> TerraformRunner::apply(const ToolEventHandler &onEvent,
                                              std::stop_token stop)
{
    if (!QFileInfo::exists(QDir(m_dir).filePath(PlanFile.toString()))) {
        return makeFailure(ErrorCode::FailedPrecondition, FailureType::TerraformError, true,
                           u"There is no saved plan to apply; run the plan stage again"_s, {},
                           {m_binary.flavor, u"apply"_s, -1});
    }
    const Run run = runCommand(u"apply"_s,
                               {u"-json"_s, u"-input=false"_s,
                                u"-lock-timeout="_s + m_settings.lockTimeout, PlanFile.toString()},
                               onEvent, stop, true);
    // A plan file is single-use and holds every value in clear text.
    deletePlanFile();
    if (!run.result.succeeded())
        return failure(run, u"apply"_s);
    return TerraformApply{run.parser.changeSummary().value_or(TerraformChangeSummary{}),
                          run.parser.warnings()};
}

Result<QJsonObject> TerraformRunner::outputs(std::stop_token stop)
{
    QByteArray out;
    ToolCommand cmd{m_binary.path, {u"output"_s, u"-json"_s, u"-no-color"_s}, m_dir,
                    m_settings.environment, m_secrets, m_settings.gracePeriod, 64 * 1024,
                    m_binary.flavor + u" output"_s};
    cmd.environment.insert(u"TF_IN_AUTOMATION"_s, u"1"_s);
    cmd.environment.insert(u"TF_INPUT"_s, u"0"_s);
    const ToolResult result = ToolProcess::run(
        cmd, [&out](QByteArrayView line) { out += line.toByteArray() + '\n'; }, stop);
    if (!result.succeeded()) {
        Run run;
        run.result = result;
        return failure(run, u"output"_s);
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(out, &error);
    if (!doc.isObject()) {
        return makeFailure(ErrorCode::Parse, FailureType::TerraformError, false,
                           u"%1 output -json printed something that is not a JSON object"_s.arg(
                               m_binary.flavor),
                           error.errorString(), {m_binary.flavor, u"output"_s, 0});
    }
    QJsonObject values;
    const QJsonObject all = doc.object();
    for (auto it = all.begin(); it != all.end(); ++it)
        values.insert(it.key(), it.value().toObject().value(u"value"_s));
    return values;
}

Result<TerraformApply> TerraformRunner::destroy(const ToolEventHandler &onEvent,
                                                std::stop_token stop)
{
    deletePlanFile();
    const Run run = runCommand(u"destroy"_s,
                               {u"-json"_s, u"-input=false"_s, u"-auto-approve"_s,
                                u"-lock-timeout="_s + m_settings.lockTimeout},
                               onEvent, stop, true);
    if (!run.result.succeeded())
        return failure(run, u"destroy"_s);
    return TerraformApply{run.parser.changeSummary().value_or(TerraformChangeSummary{}),
                          run.parser.warnings()};
}

Result<void> TerraformRunner::removeWorkspace()
{
    QDir dir(m_dir);
    if (dir.exists() && !dir.removeRecursively())
        return workspaceError(u"Could not remove the working directory %1"_s.arg(m_dir));
    return {};
}

QStringList TerraformRunner::secrets() const
{
    ToolCommand probe;
    probe.secrets = m_secrets;
    probe.environment = m_settings.environment;
    return ToolProcess::allSecrets(probe);
}

void TerraformRunner::deletePlanFile() const
{
    QFile::remove(QDir(m_dir).filePath(PlanFile.toString()));
}

} // namespace Nebula::Tools
