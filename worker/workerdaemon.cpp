#include "workerdaemon.h"

#include "common/version.h"
#include "provisioning/contract.h"
#include "temporal/connection.h"

#include <QDir>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Worker {

void registerWorkflows(Temporal::Worker &worker, const WorkflowTimings &timings)
{
    worker.registerWorkflow(Provisioning::ProvisionWorkflowType.toString(),
                            [timings](Temporal::WorkflowContext &ctx, QJsonArray args) {
                                return provisionResource(ctx, std::move(args), timings);
                            });
    worker.registerWorkflow(Provisioning::DestroyWorkflowType.toString(),
                            [timings](Temporal::WorkflowContext &ctx, QJsonArray args) {
                                return destroyResource(ctx, std::move(args), timings);
                            });
}

WorkerDaemon::WorkerDaemon(WorkerConfig config, QObject *parent) : QObject(parent), m_config(std::move(config)) {}

WorkerDaemon::~WorkerDaemon()
{
    stop();
}

Result<void> WorkerDaemon::start()
{
    auto log = Log::get("worker");
    if (!QDir().mkpath(m_config.activities.dataDir))
        return makeError(ErrorCode::Io, u"Cannot create the data directory %1; pass --data-dir."_s.arg(
                                            m_config.activities.dataDir));
    const bool runsActivities = m_config.role != WorkerConfig::Role::Workflows;
    const bool runsWorkflows = m_config.role != WorkerConfig::Role::Activities;
    m_activities = std::make_unique<ProvisioningActivities>(m_config.activities);
    if (runsActivities)
        m_activities->detectTools();

    auto connection = Temporal::Connection::create(m_config.connection);
    if (!connection)
        return connection.error();
    m_worker = std::make_unique<Temporal::Worker>(*connection, m_config.worker);
    if (runsWorkflows)
        registerWorkflows(*m_worker, m_config.timings);
    if (runsActivities)
        m_activities->registerWith(*m_worker);
    connect(m_worker.get(), &Temporal::Worker::statusChanged, this, [log](Temporal::Worker::Status s) {
        switch (s) {
        case Temporal::Worker::Status::Polling: log->info("polling"); break;
        case Temporal::Worker::Status::ServerUnavailable:
            log->warn("the Temporal server is unavailable; retrying with backoff");
            break;
        case Temporal::Worker::Status::ShuttingDown: log->info("shutting down"); break;
        case Temporal::Worker::Status::Stopped: log->info("stopped"); break;
        }
    });
    connect(m_worker.get(), &Temporal::Worker::workflowTaskFailed, this,
            [log](const QString &id, const QString &run, const QString &message) {
                log->error("workflow task of {} (run {}) failed: {}", id.toStdString(), run.toStdString(),
                           message.toStdString());
            });
    if (auto ok = m_worker->start(); !ok)
        return ok;
    log->info("nebula-worker {} polling task queue '{}' on {} (namespace '{}') as {}; data in {}; tools: {}",
              Nebula::version().toStdString(), m_config.worker.taskQueue.toStdString(),
              m_config.connection.address.toStdString(), m_config.connection.nameSpace.toStdString(),
              m_config.worker.identity.toStdString(), m_config.activities.dataDir.toStdString(),
              runsActivities ? m_activities->toolSummary().toStdString() : std::string("none (workflows only)"));
    return {};
}

void WorkerDaemon::stop()
{
    if (!m_worker)
        return;
    m_worker->shutdown();
    m_worker.reset();
    Q_EMIT stopped();
}

} // namespace Nebula::Worker
