#include "activities/provisioningactivities.h"

#include "activities/progressreporter.h"
#include "common/logging.h"
#include "provisioning/catalogue.h"
#include "provisioning/contract.h"
#include "provisioning/progress.h"
#include "provisioning/resourcespec.h"
#include "temporal/worker/failure.h"
#include "temporal/worker/worker.h"
#include "tools/ansibleinventory.h"
#include "tools/localwebserver.h"
#include "tools/toolfailure.h"
#include "workflows/provisioningworkflows.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Worker {

using namespace Provisioning;
using Temporal::ActivityContext;

namespace {

auto log()
{
    static auto logger = Log::get("worker.activities");
    return logger;
}

Error toolMissing(const Error &detectError, const QString &tool)
{
    Error e = Tools::makeFailure(ErrorCode::Tool, Tools::FailureType::ToolNotFound, false,
                                 u"This worker cannot run %1: %2"_s.arg(tool, detectError.message),
                                 detectError.detail);
    return e;
}

Result<ResourceSpec> specFromArgs(const QJsonArray &args)
{
    auto spec = ResourceSpec::fromJson(args.isEmpty() ? QJsonValue() : args.first());
    if (!spec)
        return Temporal::nonRetryable(spec.error());
    auto valid = validated(*spec);
    if (!valid)
        return Temporal::nonRetryable(valid.error());
    return *valid;
}

QString describePlan(const Tools::TerraformPlan &plan)
{
    return plan.hasChanges ? plan.changes.toText() : u"No changes: the infrastructure matches the configuration."_s;
}

// Turns a tool error into the activity's failure, adding the cancel case.
Error activityFailure(const Error &error, const ActivityContext &ctx)
{
    if (ctx.isCancelled() && ctx.cancellationToken().reason() == Temporal::CancelReason::CancelRequested)
        return Temporal::cancelledError(u"Cancelled while %1 was running."_s.arg(ctx.info().activityType));
    return error;
}

} // namespace

QString shellQuote(const QString &word)
{
    static const QRegularExpression safe(u"^[A-Za-z0-9_@%+=:,./-]+$"_s);
    if (safe.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u"'"_s + quoted + u"'"_s;
}

ProvisioningActivities::ProvisioningActivities(ActivitySettings settings) : m_settings(std::move(settings)) {}

void ProvisioningActivities::detectTools()
{
    m_terraform = Tools::TerraformRunner::detect(m_settings.terraformPath, m_settings.toolEnvironment);
    m_ansible = Tools::AnsibleRunner::detect(m_settings.ansiblePlaybookPath, m_settings.toolEnvironment);
    if (*m_terraform)
        log()->info("found {} at {}", (*m_terraform)->displayName().toStdString(), (*m_terraform)->path.toStdString());
    else
        log()->error("provisioning is refused until this is fixed: {}", m_terraform->error().message.toStdString());
    if (*m_ansible)
        log()->info("found {} at {}", (*m_ansible)->displayName().toStdString(), (*m_ansible)->path.toStdString());
    else
        log()->error("configuration is refused until this is fixed: {}", m_ansible->error().message.toStdString());
}

bool ProvisioningActivities::toolsReady() const
{
    return m_terraform && *m_terraform && m_ansible && *m_ansible;
}

QString ProvisioningActivities::toolSummary() const
{
    QStringList parts;
    parts << (m_terraform && *m_terraform ? (*m_terraform)->displayName() : u"terraform: missing"_s);
    parts << (m_ansible && *m_ansible ? (*m_ansible)->displayName() : u"ansible-playbook: missing"_s);
    return parts.join(u", "_s);
}

void ProvisioningActivities::registerWith(Temporal::Worker &worker)
{
    const auto bind = [this](auto method) {
        return [this, method](ActivityContext &ctx, const QJsonArray &args) { return (this->*method)(ctx, args); };
    };
    worker.registerActivity(ActivityName::TerraformPlan.toString(), bind(&ProvisioningActivities::plan));
    worker.registerActivity(ActivityName::TerraformApply.toString(), bind(&ProvisioningActivities::apply));
    worker.registerActivity(ActivityName::AnsibleConfigure.toString(), bind(&ProvisioningActivities::configure));
    worker.registerActivity(ActivityName::VerifyResource.toString(), bind(&ProvisioningActivities::verify));
    worker.registerActivity(ActivityName::TerraformDestroy.toString(), bind(&ProvisioningActivities::destroy));
}

Tools::TerraformSettings ProvisioningActivities::terraformSettings() const
{
    Tools::TerraformSettings s;
    s.environment = m_settings.toolEnvironment;
    s.gracePeriod = m_settings.toolGracePeriod;
    return s;
}

Result<Tools::TerraformRunner> ProvisioningActivities::prepareTerraform(const QJsonArray &args, QString *resourceType)
{
    if (!m_terraform)
        detectTools();
    if (!*m_terraform)
        return toolMissing(m_terraform->error(), u"Terraform"_s);
    auto spec = specFromArgs(args);
    if (!spec)
        return spec.error();
    const ResourceType *type = findResourceType(spec->type);
    *resourceType = spec->type;
    const QString moduleDir = QDir(m_settings.infrastructureDir).filePath(u"terraform/modules/"_s + type->terraformModule);
    if (!QFileInfo(moduleDir + u"/main.tf"_s).exists())
        return Tools::makeFailure(ErrorCode::Tool, Tools::FailureType::WorkspaceError, false,
                                  u"The Terraform module %1 is not installed on this worker (looked in %2)."_s.arg(
                                      type->terraformModule, moduleDir));
    auto workspace = Tools::TerraformRunner::workspaceDirectory(m_settings.dataDir, spec->name);
    if (!workspace)
        return Temporal::nonRetryable(workspace.error());
    Tools::TerraformRunner runner(**m_terraform, *workspace, terraformSettings());

    QJsonObject variables;
    if (spec->type == u"local-webserver"_s) {
        auto local = Tools::LocalWebserver::variables(runner, spec->name,
                                                      QDir(m_settings.dataDir).filePath(u"instances"_s));
        if (!local)
            return local.error();
        variables = *local;
    } else {
        variables = {{u"name"_s, spec->name}, {u"region"_s, spec->region}, {u"instance_type"_s, spec->size}};
        if (auto key = m_settings.toolEnvironment.value(u"NEBULA_EC2_KEY_NAME"_s); !key.isEmpty())
            variables.insert(u"key_name"_s, key);
    }
    if (auto ok = runner.prepare(moduleDir, variables); !ok)
        return ok.error();
    return runner;
}

Result<QJsonValue> ProvisioningActivities::plan(ActivityContext &ctx, const QJsonArray &args)
{
    ProgressReporter progress(ctx, StagePlan.toString());
    QString type;
    auto runner = prepareTerraform(args, &type);
    if (!runner)
        return activityFailure(runner.error(), ctx);
    progress.info(u"%1 in %2"_s.arg(runner->binary().displayName(), runner->workingDirectory()));
    if (auto ok = runner->init(progress.handler(), progress.stopToken()); !ok)
        return activityFailure(ok.error(), ctx);
    auto plan = runner->plan(progress.handler(), progress.stopToken());
    if (!plan)
        return activityFailure(plan.error(), ctx);
    progress.setMessage(describePlan(*plan));
    return QJsonValue(QJsonObject{{u"hasChanges"_s, plan->hasChanges},
                                  {u"summary"_s, describePlan(*plan)},
                                  {u"plannedChanges"_s, QJsonArray::fromStringList(plan->plannedChanges)}});
}

Result<QJsonValue> ProvisioningActivities::apply(ActivityContext &ctx, const QJsonArray &args)
{
    ProgressReporter progress(ctx, StageApply.toString());
    QString type;
    auto runner = prepareTerraform(args, &type);
    if (!runner)
        return activityFailure(runner.error(), ctx);
    // Plan again to a fresh plan file and apply exactly that file: the plan stage's file may be on
    // another worker host, and after a retry the state may have moved on.
    if (auto ok = runner->init(progress.handler(), progress.stopToken()); !ok)
        return activityFailure(ok.error(), ctx);
    auto plan = runner->plan(progress.handler(), progress.stopToken());
    if (!plan)
        return activityFailure(plan.error(), ctx);
    QString summary = describePlan(*plan);
    if (plan->hasChanges) {
        auto applied = runner->apply(progress.handler(), progress.stopToken());
        if (!applied)
            return activityFailure(applied.error(), ctx);
        summary = u"Applied: "_s + applied->changes.toText();
    }
    auto outputs = runner->outputs(progress.stopToken());
    if (!outputs)
        return activityFailure(outputs.error(), ctx);
    progress.setMessage(summary);
    return QJsonValue(QJsonObject{{u"outputs"_s, *outputs}, {u"summary"_s, summary}});
}

Result<QJsonValue> ProvisioningActivities::configure(ActivityContext &ctx, const QJsonArray &args)
{
    ProgressReporter progress(ctx, StageConfigure.toString());
    if (!m_ansible)
        detectTools();
    if (!*m_ansible)
        return toolMissing(m_ansible->error(), u"Ansible"_s);
    auto spec = specFromArgs(args);
    if (!spec)
        return spec.error();
    const QJsonObject outputs = args.size() > 1 ? args.at(1).toObject() : QJsonObject();
    auto inventory = Tools::AnsibleInventory::fromTerraformOutputs(spec->type, spec->name, outputs,
                                                                    m_settings.sshPrivateKeyFile);
    if (!inventory)
        return Temporal::nonRetryable(inventory.error());
    auto workspace = Tools::TerraformRunner::workspaceDirectory(m_settings.dataDir, spec->name);
    if (!workspace)
        return Temporal::nonRetryable(workspace.error());
    QDir().mkpath(*workspace);
    Tools::AnsibleSettings settings;
    settings.playbookDir = QDir(m_settings.infrastructureDir).filePath(u"ansible"_s);
    settings.environment = m_settings.toolEnvironment;
    settings.gracePeriod = m_settings.toolGracePeriod;
    Tools::AnsibleRunner runner(**m_ansible, *workspace, settings);
    progress.info(u"%1: configure.yml on %2"_s.arg(m_ansible->value().displayName(), spec->name));
    auto run = runner.runPlaybook(u"configure.yml"_s, *inventory, {}, progress.handler(), progress.stopToken());
    if (!run)
        return activityFailure(run.error(), ctx);
    const QString summary = u"%1 tasks, %2 changed"_s.arg(run->tasks).arg(run->changed);
    progress.setMessage(summary);
    return QJsonValue(QJsonObject{{u"changed"_s, run->changed}, {u"tasks"_s, run->tasks}, {u"summary"_s, summary}});
}

Result<QJsonValue> ProvisioningActivities::verify(ActivityContext &ctx, const QJsonArray &args)
{
    ProgressReporter progress(ctx, StageVerify.toString());
    auto spec = specFromArgs(args);
    if (!spec)
        return spec.error();
    const QJsonObject outputs = args.size() > 1 ? args.at(1).toObject() : QJsonObject();

    ProvisionResult result;
    result.name = spec->name;
    result.type = spec->type;
    result.outputs = outputs;
    if (spec->type == u"local-webserver"_s) {
        result.ipAddress = outputs.value(u"ip"_s).toString();
        result.url = outputs.value(u"url"_s).toString();
        result.instanceId = outputs.value(u"instance_id"_s).toString();
        // The "instance" lives on the worker host: the way in is a shell there, in its directory.
        const QString dir = outputs.value(u"instance_dir"_s).toString();
        result.sshCommand = u"ssh -t %1 %2"_s.arg(shellQuote(QSysInfo::machineHostName()),
                                                  shellQuote(u"cd "_s + shellQuote(dir) + u" && exec \"$SHELL\" -l"_s));
    } else {
        result.ipAddress = outputs.value(u"public_ip"_s).toString();
        result.url = u"http://%1/"_s.arg(result.ipAddress);
        result.instanceId = outputs.value(u"instance_id"_s).toString();
        const QString user = outputs.value(u"ssh_user"_s).toString(u"admin"_s);
        result.sshCommand = m_settings.sshPrivateKeyFile.isEmpty()
                                ? u"ssh %1@%2"_s.arg(user, result.ipAddress)
                                : u"ssh -i %1 %2@%3"_s.arg(shellQuote(m_settings.sshPrivateKeyFile), user, result.ipAddress);
    }
    if (result.url.isEmpty())
        return Temporal::nonRetryable(makeError(ErrorCode::Validation,
                                                u"Terraform returned no URL to verify (outputs: %1)."_s.arg(
                                                    QStringList(outputs.keys()).join(u", "_s))));

    // GET the URL until it answers 200 with a page naming the resource, or the deadline passes.
    QNetworkAccessManager network;
    const auto deadline = std::chrono::steady_clock::now() + m_settings.verifyTimeout;
    QString lastProblem;
    int attempt = 0;
    while (std::chrono::steady_clock::now() < deadline && !ctx.isCancelled()) {
        ++attempt;
        QNetworkRequest request{QUrl(result.url)};
        request.setTransferTimeout(5000);
        QEventLoop loop;
        QNetworkReply *reply = network.get(request);
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        const bool ok = reply->error() == QNetworkReply::NoError && status == 200;
        lastProblem = ok ? u"the page does not name %1"_s.arg(spec->name)
                         : u"%1 (HTTP %2)"_s.arg(reply->errorString()).arg(status);
        reply->deleteLater();
        if (ok && body.contains(spec->name.toUtf8())) {
            progress.info(u"GET %1 → 200, the page names %2"_s.arg(result.url, spec->name));
            progress.setMessage(u"%1 answers"_s.arg(result.url));
            return QJsonValue(QJsonObject{{u"result"_s, result.toJson()},
                                          {u"summary"_s, u"%1 answers"_s.arg(result.url)}});
        }
        progress.info(u"GET %1: %2; retrying"_s.arg(result.url, lastProblem));
        ctx.cancellationToken().waitFor(std::chrono::milliseconds(std::min(500 * attempt, 3000)));
    }
    if (ctx.isCancelled())
        return activityFailure(Temporal::cancelledError(), ctx);
    return Tools::makeFailure(ErrorCode::Tool, u"VerifyFailed", true,
                              u"%1 did not answer as expected: %2."_s.arg(result.url, lastProblem));
}

Result<QJsonValue> ProvisioningActivities::destroy(ActivityContext &ctx, const QJsonArray &args)
{
    ProgressReporter progress(ctx, StageDestroy.toString());
    auto request = DestroyRequest::fromJson(args.isEmpty() ? QJsonValue() : args.first());
    if (!request)
        return Temporal::nonRetryable(request.error());
    auto workspace = Tools::TerraformRunner::workspaceDirectory(m_settings.dataDir, request->name);
    if (!workspace)
        return Temporal::nonRetryable(workspace.error());
    if (!QFileInfo::exists(*workspace)) {
        progress.info(u"Nothing to destroy: no working data for %1 on this worker."_s.arg(request->name));
        return QJsonValue(DestroyResult{request->name, false}.toJson());
    }
    if (!m_terraform)
        detectTools();
    if (!*m_terraform)
        return toolMissing(m_terraform->error(), u"Terraform"_s);
    Tools::TerraformRunner runner(**m_terraform, *workspace, terraformSettings());
    const bool existed = runner.hasResourcesInState();
    if (existed) {
        if (auto ok = runner.init(progress.handler(), progress.stopToken()); !ok)
            return activityFailure(ok.error(), ctx);
        auto destroyed = runner.destroy(progress.handler(), progress.stopToken());
        if (!destroyed)
            return activityFailure(destroyed.error(), ctx);
        progress.setMessage(u"Destroyed: "_s + destroyed->changes.toText());
    }
    if (auto ok = runner.removeWorkspace(); !ok)
        return ok.error();
    progress.info(u"Removed the working data of %1."_s.arg(request->name));
    return QJsonValue(DestroyResult{request->name, existed}.toJson());
}

} // namespace Nebula::Worker
