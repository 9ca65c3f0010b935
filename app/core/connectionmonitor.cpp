#include "core/connectionmonitor.h"

#include "common/logging.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

using Temporal::TemporalClient;

ConnectionMonitor::ConnectionMonitor(TemporalClient *client, QString taskQueue, QObject *parent)
    : QObject(parent), m_client(client), m_taskQueue(std::move(taskQueue))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionMonitor::probe);
    connect(m_client, &TemporalClient::connectionStateChanged, this, &ConnectionMonitor::handleClientState);
}

void ConnectionMonitor::setIntervals(int connectedMs, int maxBackoffMs)
{
    m_connectedInterval = connectedMs;
    m_maxBackoff = maxBackoffMs;
}

void ConnectionMonitor::start()
{
    probe();
}

void ConnectionMonitor::probeNow()
{
    m_failures = 0;
    if (!m_inFlight) {
        m_timer.stop();
        probe();
    }
}

void ConnectionMonitor::handleClientState(TemporalClient::ConnectionState state)
{
    // Another call found the server gone (or back): probe soon instead of at the next tick.
    if (state == TemporalClient::ConnectionState::Unavailable && m_state == State::Connected) {
        setState(State::Reconnecting, tr("Lost the connection to Temporal; reconnecting…"));
        if (!m_inFlight)
            m_timer.start(1000);
    } else if (state == TemporalClient::ConnectionState::Unauthorized) {
        setState(State::Unauthorized, tr("Temporal rejected the credentials."));
    }
}

void ConnectionMonitor::probe()
{
    m_inFlight = true;
    Temporal::CallOptions call;
    call.timeout = std::chrono::milliseconds(5000);
    call.retryBudget = std::chrono::milliseconds(0); // we retry here, on our own schedule
    m_client->getSystemInfo(this, [this](const Result<Temporal::SystemInfo> &r) {
        m_inFlight = false;
        if (r) {
            m_failures = 0;
            m_serverVersion = r->serverVersion;
            setState(State::Connected, {});
            checkWorkers();
            m_timer.start(m_connectedInterval);
            return;
        }
        ++m_failures;
        const int delay = std::min(m_maxBackoff, 1000 * (1 << std::min(m_failures - 1, 5)));
        if (r.error().code == ErrorCode::Unauthenticated || r.error().code == ErrorCode::PermissionDenied) {
            setState(State::Unauthorized, r.error().message);
            m_timer.start(m_maxBackoff);
        } else {
            setState(m_state == State::Connected || m_state == State::Reconnecting || m_failures > 1
                         ? State::Reconnecting
                         : State::Connecting,
                     tr("%1 Retrying in %n s.", nullptr, delay / 1000).arg(r.error().message));
            m_timer.start(delay);
        }
        if (m_workers != Workers::Unknown) {
            m_workers = Workers::Unknown;
            Q_EMIT workersChanged(m_workers, 0);
        }
    }, call);
}

ConnectionMonitor::Workers ConnectionMonitor::workersFrom(const QList<Temporal::Poller> &pollers, const QDateTime &now,
                                                          int *count)
{
    int n = 0;
    for (const auto &p : pollers) {
        if (!p.lastAccessTime.isValid() || p.lastAccessTime.secsTo(now) <= RecentPollSeconds)
            ++n;
    }
    if (count)
        *count = n;
    return n > 0 ? Workers::Polling : Workers::None;
}

void ConnectionMonitor::checkWorkers()
{
    m_client->describeTaskQueue(m_taskQueue, this, [this](const Result<QList<Temporal::Poller>> &r) {
        int count = 0;
        const Workers w = r ? workersFrom(*r, QDateTime::currentDateTimeUtc(), &count) : Workers::Unknown;
        if (w != m_workers || count != m_workerCount) {
            m_workers = w;
            m_workerCount = count;
            Q_EMIT workersChanged(w, count);
        }
    });
}

void ConnectionMonitor::setState(State state, const QString &message)
{
    if (state == m_state && message == m_message)
        return;
    m_state = state;
    m_message = message;
    Q_EMIT stateChanged(state, message);
}

} // namespace Nebula::Console
