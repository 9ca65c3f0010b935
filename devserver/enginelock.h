#pragma once

// Private to the engine's .cpp files.
#include "engine.h"

namespace Nebula::DevServer {

// Holds the engine mutex for one operation. On release it runs the "after commit" phase (history
// long polls, matching new tasks with waiting pollers, dropping closed runs from memory), then
// unlocks and only then answers calls, so no gRPC completion ever runs under the mutex.
class Engine::Locked
{
public:
    explicit Locked(Engine *engine) : m_engine(engine), m_lock(engine->m_mutex) {}
    ~Locked()
    {
        m_engine->afterCommit();
        auto deferred = std::move(m_engine->m_deferred);
        m_engine->m_deferred.clear();
        m_lock.unlock();
        for (auto &fn : deferred)
            fn();
    }
    Locked(const Locked &) = delete;
    Locked &operator=(const Locked &) = delete;

private:
    Engine *m_engine;
    std::unique_lock<std::mutex> m_lock;
};

} // namespace Nebula::DevServer
