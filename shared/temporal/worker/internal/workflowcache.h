#pragma once

// Runs kept in memory between workflow tasks (sticky execution), least recently used first out.

#include "temporal/worker/internal/workflowrun.h"

#include <QHash>
#include <QString>

#include <list>
#include <memory>
#include <mutex>

namespace Nebula::Temporal::Internal {

struct CacheEntry
{
    std::mutex mutex; // held while a task of this run is processed
    std::unique_ptr<WorkflowRun> run;
};

class WorkflowCache
{
public:
    explicit WorkflowCache(int capacity) : m_capacity(capacity) {}

    // The entry of `runId` (created empty when absent), now the most recently used. With capacity
    // 0 the entry is not kept.
    std::shared_ptr<CacheEntry> acquire(const QString &runId);
    void remove(const QString &runId);
    int size() const;
    int capacity() const { return m_capacity; }

private:
    struct Slot
    {
        std::shared_ptr<CacheEntry> entry;
        std::list<QString>::iterator position;
    };
    const int m_capacity;
    mutable std::mutex m_mutex;
    std::list<QString> m_order; // front = most recently used
    QHash<QString, Slot> m_slots;
};

} // namespace Nebula::Temporal::Internal
