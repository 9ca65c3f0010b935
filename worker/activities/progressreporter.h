#pragma once

#include "temporal/worker/activitycontext.h"
#include "tools/toolevent.h"
#include "workflows/progresssignal.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

namespace Nebula::Worker {

// Runs beside one activity attempt: turns tool events into throttled progress signals to the
// workflow (a batch at most every `flushInterval`), heartbeats while the tool runs (so a dead
// worker is noticed within the heartbeat timeout and a cancel request reaches us), and exposes the
// activity's cancellation as a std::stop_token for the tool runners.
class ProgressReporter
{
public:
    ProgressReporter(Temporal::ActivityContext &ctx, QString stage,
                     std::chrono::milliseconds flushInterval = std::chrono::milliseconds(400));
    ~ProgressReporter(); // flushes what is pending and stops the pump

    // Thread-safe; suitable as a ToolEventHandler.
    void add(const Tools::ToolEvent &event);
    void info(const QString &text);
    void setMessage(const QString &message);
    Tools::ToolEventHandler handler();
    std::stop_token stopToken() const { return m_stop.get_token(); }
    void flush();

private:
    void pump(std::stop_token stop);

    Temporal::ActivityContext &m_ctx;
    QString m_stage;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::condition_variable_any m_wake;
    ProgressBatch m_pending;
    bool m_sentStart = false;
    std::chrono::steady_clock::time_point m_lastFlush;
    std::stop_source m_stop;
    Temporal::CancellationToken::Registration m_cancelRegistration;
    std::jthread m_thread;
};

} // namespace Nebula::Worker
