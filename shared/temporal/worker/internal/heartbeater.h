#pragma once

// The worker's outbox for running activities: throttled heartbeats and the signals activities
// send to their workflows. One thread schedules; the RPCs themselves are asynchronous (gRPC
// callback API), so a slow server never blocks activity code.
//
// Throttling follows sdk-core: the first heartbeat goes out at once, later ones at most once per
// interval (0.8 × heartbeat timeout, 30 s without a timeout, 60 s at most), always with the latest
// details. A heartbeat response with cancel_requested, or NotFound, cancels the activity's token;
// so does passing its deadline.

#include "temporal/payloadconverter.h"
#include "temporal/worker/cancellationtoken.h"

#include <temporal/api/common/v1/message.pb.h>

#include <grpcpp/support/status.h>

#include <QJsonArray>
#include <QJsonValue>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace Nebula::Temporal::Internal {

class Heartbeater
{
public:
    using Clock = std::chrono::steady_clock;
    struct Transport
    {
        // done(status, cancelRequested), called on any thread.
        std::function<void(const std::string &taskToken, const Payloads &details,
                           std::function<void(const grpc::Status &, bool)> done)>
            heartbeat;
        std::function<void(const temporal::api::common::v1::WorkflowExecution &execution,
                           const std::string &signalName, const Payloads &input,
                           std::function<void(const grpc::Status &)> done)>
            signal;
    };

    struct Activity
    {
        std::string taskToken;
        temporal::api::common::v1::WorkflowExecution execution;
        CancellationToken token;
        std::chrono::milliseconds interval{0};
        std::optional<Clock::time_point> deadline;
        // Guarded by the heartbeater's mutex:
        std::optional<QJsonValue> pending;
        Clock::time_point nextAllowed{};
        bool inFlight = false;
        std::optional<QJsonValue> lastSent;
        int sent = 0;
        std::deque<std::pair<std::string, Payloads>> signals;
        bool signalInFlight = false;
    };

    explicit Heartbeater(Transport transport);
    ~Heartbeater();

    static std::chrono::milliseconds throttleInterval(std::chrono::milliseconds heartbeatTimeout);

    std::shared_ptr<Activity> add(std::string taskToken, temporal::api::common::v1::WorkflowExecution execution,
                                  CancellationToken token, std::chrono::milliseconds heartbeatTimeout,
                                  std::optional<Clock::time_point> deadline);
    void heartbeat(const std::shared_ptr<Activity> &activity, const QJsonValue &details);
    void signal(const std::shared_ptr<Activity> &activity, const QString &name, const QJsonArray &args);
    // Sends details still pending and waits (up to `timeout`) until nothing is in flight.
    void flush(const std::shared_ptr<Activity> &activity, std::chrono::milliseconds timeout);
    void remove(const std::shared_ptr<Activity> &activity);
    // The details of the last heartbeat (sent or pending), for RespondActivityTaskFailed.
    std::optional<QJsonValue> lastDetails(const std::shared_ptr<Activity> &activity) const;
    int sentCount(const std::shared_ptr<Activity> &activity) const;

private:
    void loop();
    std::function<void()> sendHeartbeat(const std::shared_ptr<Activity> &activity, QJsonValue details);
    std::function<void()> sendNextSignal(const std::shared_ptr<Activity> &activity);

    Transport m_transport;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;      // wakes the scheduler
    std::condition_variable m_idle;    // in-flight RPCs finished
    std::set<std::shared_ptr<Activity>> m_activities;
    bool m_stop = false;
    int m_rpcsInFlight = 0;
    std::thread m_thread;
};

} // namespace Nebula::Temporal::Internal
