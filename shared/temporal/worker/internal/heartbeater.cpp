#include "temporal/worker/internal/heartbeater.h"

#include "common/logging.h"

#include <algorithm>

namespace Nebula::Temporal::Internal {

using namespace std::chrono_literals;

Heartbeater::Heartbeater(Transport transport) : m_transport(std::move(transport))
{
    m_thread = std::thread([this] { loop(); });
}

Heartbeater::~Heartbeater()
{
    std::unique_lock lock(m_mutex);
    m_stop = true;
    m_cv.notify_all();
    // Callbacks of RPCs still in flight refer to this object (their deadlines bound the wait).
    m_idle.wait_for(lock, 15s, [this] { return m_rpcsInFlight == 0; });
    lock.unlock();
    m_thread.join();
}

std::chrono::milliseconds Heartbeater::throttleInterval(std::chrono::milliseconds heartbeatTimeout)
{
    if (heartbeatTimeout.count() <= 0)
        return 30s;
    const auto interval = std::chrono::milliseconds(heartbeatTimeout.count() * 4 / 5);
    return std::min<std::chrono::milliseconds>(interval, 60s);
}

std::shared_ptr<Heartbeater::Activity> Heartbeater::add(std::string taskToken,
                                                         temporal::api::common::v1::WorkflowExecution execution,
                                                         CancellationToken token,
                                                         std::chrono::milliseconds heartbeatTimeout,
                                                         std::optional<Clock::time_point> deadline)
{
    auto a = std::make_shared<Activity>();
    a->taskToken = std::move(taskToken);
    a->execution = std::move(execution);
    a->token = std::move(token);
    a->interval = throttleInterval(heartbeatTimeout);
    a->deadline = deadline;
    std::lock_guard lock(m_mutex);
    m_activities.insert(a);
    m_cv.notify_all();
    return a;
}

void Heartbeater::heartbeat(const std::shared_ptr<Activity> &activity, const QJsonValue &details)
{
    std::function<void()> rpc;
    {
        std::lock_guard lock(m_mutex);
        const auto now = Clock::now();
        if (!activity->inFlight && !activity->pending && now >= activity->nextAllowed) {
            // Not throttled: send now from this thread (the RPC is asynchronous).
            activity->nextAllowed = now + activity->interval;
            rpc = sendHeartbeat(activity, details);
        } else {
            activity->pending = details;
            m_cv.notify_all();
        }
    }
    if (rpc)
        rpc();
}

void Heartbeater::signal(const std::shared_ptr<Activity> &activity, const QString &name, const QJsonArray &args)
{
    std::lock_guard lock(m_mutex);
    activity->signals.emplace_back(name.toStdString(), PayloadConverter::fromJsonArgs(args));
    m_cv.notify_all();
}

void Heartbeater::flush(const std::shared_ptr<Activity> &activity, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    if (activity->pending && !activity->inFlight) {
        activity->nextAllowed = Clock::now();
        m_cv.notify_all();
    }
    m_idle.wait_for(lock, timeout, [&] {
        return !activity->pending && !activity->inFlight && activity->signals.empty() && !activity->signalInFlight;
    });
}

void Heartbeater::remove(const std::shared_ptr<Activity> &activity)
{
    std::lock_guard lock(m_mutex);
    m_activities.erase(activity);
}

std::optional<QJsonValue> Heartbeater::lastDetails(const std::shared_ptr<Activity> &activity) const
{
    std::lock_guard lock(m_mutex);
    return activity->pending ? activity->pending : activity->lastSent;
}

int Heartbeater::sentCount(const std::shared_ptr<Activity> &activity) const
{
    std::lock_guard lock(m_mutex);
    return activity->sent;
}

// Called with m_mutex held; returns the RPC to start once it is released (a transport may call
// back inline).
std::function<void()> Heartbeater::sendHeartbeat(const std::shared_ptr<Activity> &activity, QJsonValue details)
{
    activity->inFlight = true;
    activity->lastSent = details;
    ++activity->sent;
    ++m_rpcsInFlight;
    Payloads payloads;
    if (!details.isUndefined())
        *payloads.add_payloads() = PayloadConverter::fromJson(details);
    return [this, activity, payloads] {
    m_transport.heartbeat(activity->taskToken, payloads, [this, activity](const grpc::Status &status, bool cancel) {
        if (status.error_code() == grpc::NOT_FOUND)
            activity->token.cancel(CancelReason::NotFound);
        else if (status.ok() && cancel)
            activity->token.cancel(CancelReason::CancelRequested);
        else if (!status.ok())
            Log::get("temporal.activity")->debug("heartbeat failed: {}", status.error_message());
        std::lock_guard lock(m_mutex);
        activity->inFlight = false;
        --m_rpcsInFlight;
        m_cv.notify_all();
        m_idle.notify_all();
    });
    };
}

// Called with m_mutex held; like sendHeartbeat.
std::function<void()> Heartbeater::sendNextSignal(const std::shared_ptr<Activity> &activity)
{
    auto [name, input] = std::move(activity->signals.front());
    activity->signals.pop_front();
    activity->signalInFlight = true;
    ++m_rpcsInFlight;
    return [this, activity, name, input] {
    m_transport.signal(activity->execution, name, input, [this, activity, name](const grpc::Status &status) {
        if (!status.ok())
            Log::get("temporal.activity")->warn("signal {} to workflow {} failed: {}", name,
                                                activity->execution.workflow_id(), status.error_message());
        std::lock_guard lock(m_mutex);
        activity->signalInFlight = false;
        --m_rpcsInFlight;
        m_cv.notify_all();
        m_idle.notify_all();
    });
    };
}

void Heartbeater::loop()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        const auto now = Clock::now();
        auto wake = now + 1s;
        std::vector<std::shared_ptr<Activity>> expired;
        std::vector<std::function<void()>> rpcs;
        for (const auto &a : m_activities) {
            if (a->pending && !a->inFlight) {
                if (now >= a->nextAllowed) {
                    QJsonValue details = std::move(*a->pending);
                    a->pending.reset();
                    a->nextAllowed = now + a->interval;
                    rpcs.push_back(sendHeartbeat(a, std::move(details)));
                } else {
                    wake = std::min(wake, a->nextAllowed);
                }
            }
            if (!a->signals.empty() && !a->signalInFlight)
                rpcs.push_back(sendNextSignal(a));
            if (a->deadline) {
                if (now >= *a->deadline)
                    expired.push_back(a);
                else
                    wake = std::min(wake, *a->deadline);
            }
        }
        if (!expired.empty() || !rpcs.empty()) {
            lock.unlock();
            for (const auto &rpc : rpcs)
                rpc();
            for (const auto &a : expired)
                a->token.cancel(CancelReason::TimedOut);
            lock.lock();
            for (const auto &a : expired)
                a->deadline.reset();
            continue;
        }
        m_idle.notify_all();
        m_cv.wait_until(lock, wake);
    }
}

} // namespace Nebula::Temporal::Internal
