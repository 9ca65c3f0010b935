#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace Nebula::DevServer {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// One thread that runs callbacks at (wall-clock) deadlines: workflow and activity timeouts, timers,
// retry backoffs and long-poll expiries. Callbacks must re-check that what they fire for still
// exists: cancelling is optional (cancel()), and stale callbacks are expected.
class TimerQueue
{
public:
    TimerQueue();
    ~TimerQueue();
    TimerQueue(const TimerQueue &) = delete;
    TimerQueue &operator=(const TimerQueue &) = delete;

    // Returns an id for cancel().
    std::uint64_t schedule(TimePoint when, std::function<void()> callback);
    void cancel(std::uint64_t id);
    void stop();
    std::size_t size() const;

private:
    void run();

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::map<std::pair<TimePoint, std::uint64_t>, std::function<void()>> m_entries;
    std::map<std::uint64_t, TimePoint> m_byId;
    std::uint64_t m_nextId = 1;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace Nebula::DevServer
