#pragma once

#include "workerconfig.h"

#include <QObject>

#include <memory>

namespace Nebula::Worker {

// nebula-worker as an object: connects to Temporal, registers the provisioning workflows and
// activities, polls until SIGINT/SIGTERM (or stop()), then shuts down gracefully.
class WorkerDaemon final : public QObject
{
    Q_OBJECT

public:
    explicit WorkerDaemon(WorkerConfig config, QObject *parent = nullptr);
    ~WorkerDaemon() override;

    // Creates the data directory, finds the tools, connects and starts polling.
    Result<void> start();
    // Graceful: running activities get the grace period, then are cancelled.
    void stop();

    const WorkerConfig &config() const { return m_config; }
    Temporal::Worker *worker() const { return m_worker.get(); }
    const ProvisioningActivities &activities() const { return *m_activities; }

Q_SIGNALS:
    void stopped();

private:
    WorkerConfig m_config;
    std::unique_ptr<ProvisioningActivities> m_activities;
    std::unique_ptr<Temporal::Worker> m_worker;
};

// Registers ProvisionResource and DestroyResource with these timings.
void registerWorkflows(Temporal::Worker &worker, const WorkflowTimings &timings);

} // namespace Nebula::Worker
