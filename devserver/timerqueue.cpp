#include "timerqueue.h"

namespace Nebula::DevServer {

TimerQueue::TimerQueue() : m_thread([this] { run(); }) {}

TimerQueue::~TimerQueue()
{
    stop();
}

std::uint64_t TimerQueue::schedule(TimePoint when, std::function<void()> callback)
{
    std::lock_guard lock(m_mutex);
    const std::uint64_t id = m_nextId++;
    const bool earliest = m_entries.empty() || when < m_entries.begin()->first.first;
    m_entries.emplace(std::make_pair(when, id), std::move(callback));
    m_byId.emplace(id, when);
    if (earliest)
        m_cv.notify_one();
    return id;
}

void TimerQueue::cancel(std::uint64_t id)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_byId.find(id);
    if (it == m_byId.end())
        return;
    m_entries.erase(std::make_pair(it->second, id));
    m_byId.erase(it);
}

void TimerQueue::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_entries.clear();
        m_byId.clear();
    }
    m_cv.notify_all();
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id())
        m_thread.join();
}

std::size_t TimerQueue::size() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

void TimerQueue::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_entries.empty()) {
            m_cv.wait(lock);
            continue;
        }
        const auto due = m_entries.begin()->first.first;
        if (Clock::now() < due) {
            m_cv.wait_until(lock, due);
            continue;
        }
        auto node = m_entries.extract(m_entries.begin());
        m_byId.erase(node.key().second);
        lock.unlock();
        node.mapped()();
        lock.lock();
    }
}

} // namespace Nebula::DevServer
