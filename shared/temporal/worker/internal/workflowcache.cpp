#include "temporal/worker/internal/workflowcache.h"

namespace Nebula::Temporal::Internal {

std::shared_ptr<CacheEntry> WorkflowCache::acquire(const QString &runId)
{
    if (m_capacity <= 0)
        return std::make_shared<CacheEntry>();
    std::lock_guard lock(m_mutex);
    auto it = m_slots.find(runId);
    if (it != m_slots.end()) {
        m_order.splice(m_order.begin(), m_order, it->position);
        return it->entry;
    }
    m_order.push_front(runId);
    auto entry = std::make_shared<CacheEntry>();
    m_slots.insert(runId, Slot{entry, m_order.begin()});
    // Evict from the cold end; an entry in use elsewhere just leaves the map (its holder finishes).
    while (m_slots.size() > m_capacity) {
        const QString victim = m_order.back();
        m_order.pop_back();
        m_slots.remove(victim);
    }
    return entry;
}

void WorkflowCache::remove(const QString &runId)
{
    std::lock_guard lock(m_mutex);
    auto it = m_slots.find(runId);
    if (it == m_slots.end())
        return;
    m_order.erase(it->position);
    m_slots.erase(it);
}

int WorkflowCache::size() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_slots.size());
}

} // namespace Nebula::Temporal::Internal
