#pragma once

#include "timerqueue.h"

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace Nebula::DevServer {

// One RPC in flight, independent of the transport: the gRPC service wraps a callback reactor in
// it, tests and the fuzzer use SyncCall. finish() answers exactly once; later calls are ignored,
// which is what makes racing long-poll expiries, cancellations and task matches safe.
class Call
{
public:
    explicit Call(TimePoint deadline) : m_deadline(deadline) {}
    virtual ~Call() = default;
    Call(const Call &) = delete;
    Call &operator=(const Call &) = delete;

    bool finish(const grpc::Status &status, const google::protobuf::Message *response = nullptr)
    {
        if (m_done.exchange(true))
            return false;
        std::string bytes;
        if (status.ok() && response)
            response->SerializeToString(&bytes);
        deliver(status, std::move(bytes));
        return true;
    }
    bool done() const { return m_done.load(); }
    // TimePoint::max() when the caller set no deadline.
    TimePoint deadline() const { return m_deadline; }

protected:
    virtual void deliver(const grpc::Status &status, std::string bytes) = 0;

private:
    TimePoint m_deadline;
    std::atomic<bool> m_done{false};
};
using CallPtr = std::shared_ptr<Call>;

// A call whose answer is waited for on the calling thread (tests, fuzzing, benchmarks).
class SyncCall final : public Call
{
public:
    explicit SyncCall(TimePoint deadline = TimePoint::max()) : Call(deadline) {}

    // Waits for the answer; false when it did not come in time.
    bool wait(std::chrono::milliseconds timeout)
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, timeout, [this] { return m_status.has_value(); });
    }
    grpc::Status status() const
    {
        std::lock_guard lock(m_mutex);
        return m_status.value_or(grpc::Status(grpc::StatusCode::UNKNOWN, "no answer yet"));
    }
    std::string bytes() const
    {
        std::lock_guard lock(m_mutex);
        return m_bytes;
    }

protected:
    void deliver(const grpc::Status &status, std::string bytes) override
    {
        {
            std::lock_guard lock(m_mutex);
            m_status = status;
            m_bytes = std::move(bytes);
        }
        m_cv.notify_all();
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::optional<grpc::Status> m_status;
    std::string m_bytes;
};

} // namespace Nebula::DevServer
