#pragma once

#include "temporal/temporalclient.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

namespace Nebula::Console {

// Watches the Temporal connection and the task queue: probes GetSystemInfo (every 15 s while
// connected, with growing delays up to 30 s while the server is unreachable, so the console
// reconnects on its own) and DescribeTaskQueue (is a worker polling?).
class ConnectionMonitor final : public QObject
{
    Q_OBJECT

public:
    enum class State { Connecting, Connected, Reconnecting, Unauthorized };
    Q_ENUM(State)
    enum class Workers { Unknown, Polling, None };
    Q_ENUM(Workers)

    // A poller seen within this window counts as a worker that is polling now.
    static constexpr int RecentPollSeconds = 90;

    ConnectionMonitor(Temporal::TemporalClient *client, QString taskQueue, QObject *parent = nullptr);

    void start();
    void probeNow(); // e.g. after the user asked to retry
    State state() const { return m_state; }
    Workers workers() const { return m_workers; }
    QString message() const { return m_message; }      // why we are not connected
    QString serverVersion() const { return m_serverVersion; }
    int workerCount() const { return m_workerCount; }
    QString taskQueue() const { return m_taskQueue; }

    // Probe cadence, shortened by tests.
    void setIntervals(int connectedMs, int maxBackoffMs);

    // The poller list → Workers, given the time now.
    static Workers workersFrom(const QList<Temporal::Poller> &pollers, const QDateTime &now, int *count = nullptr);

Q_SIGNALS:
    void stateChanged(Nebula::Console::ConnectionMonitor::State state, const QString &message);
    void workersChanged(Nebula::Console::ConnectionMonitor::Workers workers, int count);

private:
    void probe();
    void checkWorkers();
    void setState(State state, const QString &message);
    void handleClientState(Temporal::TemporalClient::ConnectionState state);

    Temporal::TemporalClient *m_client;
    QString m_taskQueue;
    QTimer m_timer;
    State m_state = State::Connecting;
    Workers m_workers = Workers::Unknown;
    QString m_message;
    QString m_serverVersion;
    int m_workerCount = 0;
    int m_failures = 0;
    bool m_inFlight = false;
    int m_connectedInterval = 15000;
    int m_maxBackoff = 30000;
};

} // namespace Nebula::Console
