#include "ansiblerunner.h"

#include "ansiblefailure.h"
#include "ansibleinventory.h"
#include "common/logging.h"
#include "toolfailure.h"
#include "toolprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools {
namespace {

std::shared_ptr<spdlog::logger> logger()
{
    static const auto log = Log::get("worker.ansible");
    return log;
}

Result<void> writePrivateJson(const QString &path, const QJsonObject &json)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return makeFailure(ErrorCode::Io, FailureType::WorkspaceError, false,
                           u"Could not write %1"_s.arg(path), file.errorString());
    }
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(QJsonDocument(json).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        return makeFailure(ErrorCode::Io, FailureType::WorkspaceError, false,
                           u"Could not write %1"_s.arg(path), file.errorString());
    }
    return {};
}

} // namespace

QString AnsibleBinary::displayName() const
{
    return u"ansible-playbook "_s + version.toString();
}

Result<AnsibleBinary> AnsibleRunner::detect(const QString &configured,
                                            const QHash<QString, QString> &environment)
{
    const QString name = configured.isEmpty() ? u"ansible-playbook"_s : configured;
    const QProcessEnvironment env = ToolProcess::restrictedEnvironment(environment);
    const QString program =
        name.contains(u'/')
            ? (QFileInfo(name).isExecutable() ? name : QString())
            : QStandardPaths::findExecutable(name, env.value(u"PATH"_s).split(u':', Qt::SkipEmptyParts));
    if (program.isEmpty()) {
        return makeFailure(ErrorCode::NotFound, FailureType::ToolNotFound, false,
                           configured.isEmpty()
                               ? u"ansible-playbook was not found on PATH; install ansible-core "
                                 u"or set its path in the worker configuration"_s
                               : u"The configured ansible-playbook %1 was not found or is not "
                                 u"executable"_s.arg(configured));
    }
    QByteArray first;
    ToolCommand cmd{program, {u"--version"_s}, QDir::tempPath(), environment, {},
                    std::chrono::seconds(5), 64 * 1024, u"ansible-playbook --version"_s};
    const ToolResult result = ToolProcess::run(cmd, [&first](QByteArrayView line) {
        if (first.isEmpty())
            first = line.toByteArray();
    });
    // "ansible-playbook [core 2.14.18]"
    static const QRegularExpression re(u"\\[core ([0-9][0-9.]*)"_s);
    const auto match = re.match(QString::fromUtf8(first));
    const QVersionNumber version =
        match.hasMatch() ? QVersionNumber::fromString(match.captured(1)) : QVersionNumber();
    if (!result.succeeded() || version.isNull()) {
        return makeFailure(ErrorCode::FailedPrecondition, FailureType::ToolStartFailed, false,
                           u"Could not read the version of %1 (is it from ansible-core?)"_s.arg(program),
                           result.errorString + result.stderrText.left(500));
    }
    if (version < QVersionNumber(2, 14)) {
        return makeFailure(ErrorCode::FailedPrecondition, FailureType::ToolStartFailed, false,
                           u"%1 is ansible-core %2; NebulaOps needs 2.14 or newer"_s.arg(
                               program, version.toString()));
    }
    return AnsibleBinary{QFileInfo(program).absoluteFilePath(), version};
}

AnsibleRunner::AnsibleRunner(AnsibleBinary binary, QString workingDirectory,
                             AnsibleSettings settings)
    : m_binary(std::move(binary)), m_dir(std::move(workingDirectory)),
      m_settings(std::move(settings))
{
}

QHash<QString, QString> AnsibleRunner::environment(bool localOnly) const
{
    const QDir playbooks(m_settings.playbookDir);
    const QString home = QDir(m_dir).filePath(u".ansible"_s);
    QHash<QString, QString> env = m_settings.environment;
    if (playbooks.exists(u"ansible.cfg"_s))
        env.insert(u"ANSIBLE_CONFIG"_s, playbooks.filePath(u"ansible.cfg"_s));
    env.insert(u"ANSIBLE_STDOUT_CALLBACK"_s, u"nebula_jsonl"_s);
    env.insert(u"ANSIBLE_CALLBACK_PLUGINS"_s, playbooks.filePath(u"callback_plugins"_s));
    env.insert(u"ANSIBLE_NOCOLOR"_s, u"1"_s);
    env.insert(u"ANSIBLE_HOST_KEY_CHECKING"_s, u"False"_s);
    env.insert(u"ANSIBLE_RETRY_FILES_ENABLED"_s, u"False"_s);
    env.insert(u"ANSIBLE_HOME"_s, home);
    env.insert(u"ANSIBLE_LOCAL_TEMP"_s, home + u"/tmp"_s);
    // A remote temp under our directory only makes sense when the "remote" is this host.
    if (localOnly)
        env.insert(u"ANSIBLE_REMOTE_TEMP"_s, home + u"/remote-tmp"_s);
    env.insert(u"PYTHONUNBUFFERED"_s, u"1"_s);
    // The callback plugin may live in a read-only or source directory: no __pycache__ there.
    env.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
    return env;
}

Result<AnsibleRun> AnsibleRunner::runPlaybook(const QString &playbook,
                                              const QJsonObject &inventory,
                                              const QJsonObject &extraVars,
                                              const ToolEventHandler &onEvent,
                                              std::stop_token stop)
{
    QDir dir(m_dir);
    if (!dir.mkpath(u".ansible/tmp"_s)) {
        return makeFailure(ErrorCode::Io, FailureType::WorkspaceError, false,
                           u"Could not create the Ansible working directory %1"_s.arg(m_dir));
    }
    const QString inventoryPath = dir.filePath(u"inventory.json"_s);
    if (auto written = writePrivateJson(inventoryPath, inventory); !written)
        return written.error();
    const QString playbookPath = QDir(m_settings.playbookDir).absoluteFilePath(playbook);
    QStringList args{u"-i"_s, inventoryPath};
    if (!extraVars.isEmpty()) {
        const QString varsPath = dir.filePath(u"extra-vars.json"_s);
        if (auto written = writePrivateJson(varsPath, extraVars); !written)
            return written.error();
        args << u"-e"_s << u'@' + varsPath;
    }
    args << playbookPath;

    ToolCommand cmd;
    cmd.program = m_binary.path;
    cmd.arguments = args;
    cmd.workingDirectory = m_dir;
    cmd.environment = environment(AnsibleInventory::isLocalOnly(inventory));
    cmd.secrets = m_settings.secrets;
    cmd.gracePeriod = m_settings.gracePeriod;
    cmd.displayName = u"ansible-playbook "_s + QFileInfo(playbook).fileName();

    AnsibleEventParser parser;
    const QStringList secrets = ToolProcess::allSecrets(cmd);
    const auto onStdout = [&parser, &onEvent, &secrets](QByteArrayView line) {
        if (line.trimmed().isEmpty())
            return;
        const AnsibleEvent event = parser.parseLine(line);
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
    const ToolResult result = ToolProcess::run(cmd, onStdout, stop, onStderr);
    if (auto error = classifyAnsibleRun(parser, result,
                                        {u"ansible-playbook"_s, QFileInfo(playbook).fileName(),
                                         result.exitCode})) {
        error->message = ToolProcess::redact(error->message, secrets);
        error->detail = ToolProcess::redact(error->detail, secrets);
        logger()->warn("ansible-playbook {} failed ({}): {}", playbook.toStdString(),
                       failureType(*error).toStdString(), error->message.toStdString());
        return *error;
    }
    return AnsibleRun{parser.stats(), parser.totalChanged(), parser.tasksStarted()};
}

} // namespace Nebula::Tools
