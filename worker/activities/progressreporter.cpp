#include "activities/progressreporter.h"

#include <QDateTime>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Worker {

ProgressReporter::ProgressReporter(Temporal::ActivityContext &ctx, QString stage,
                                   std::chrono::milliseconds flushInterval)
    : m_ctx(ctx), m_stage(std::move(stage)), m_interval(flushInterval)
{
    m_pending.stage = m_stage;
    m_pending.attempt = ctx.info().attempt;
    m_pending.startedAt = QDateTime::currentDateTimeUtc();
    m_lastFlush = std::chrono::steady_clock::now();
    m_cancelRegistration = ctx.cancellationToken().onCancel([this] { m_stop.request_stop(); });
    if (ctx.isCancelled())
        m_stop.request_stop();
    // Announce the attempt at once, so the progress view shows "attempt N" immediately.
    flush();
    m_thread = std::jthread([this](std::stop_token stop) { pump(stop); });
}

ProgressReporter::~ProgressReporter()
{
    m_thread.request_stop();
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    m_cancelRegistration.reset();
    flush();
}

void ProgressReporter::add(const Tools::ToolEvent &event)
{
    bool due = false;
    {
        std::lock_guard lock(m_mutex);
        m_pending.events.append(event.toProgressEvent());
        if (event.percent >= 0)
            m_pending.percent = event.percent;
        // Keep a batch bounded even if the tool floods us.
        if (m_pending.events.size() > Provisioning::MaxStageEvents)
            m_pending.events.remove(0, m_pending.events.size() - Provisioning::MaxStageEvents);
        due = std::chrono::steady_clock::now() - m_lastFlush >= m_interval;
    }
    if (due)
        flush();
    else
        m_wake.notify_all();
}

void ProgressReporter::info(const QString &text)
{
    Tools::ToolEvent e;
    e.time = QDateTime::currentDateTimeUtc();
    e.level = u"info"_s;
    e.text = text;
    add(e);
}

void ProgressReporter::setMessage(const QString &message)
{
    std::lock_guard lock(m_mutex);
    m_pending.message = message;
}

Tools::ToolEventHandler ProgressReporter::handler()
{
    return [this](const Tools::ToolEvent &event) { add(event); };
}

void ProgressReporter::flush()
{
    ProgressBatch batch;
    {
        std::lock_guard lock(m_mutex);
        m_lastFlush = std::chrono::steady_clock::now();
        if (m_sentStart && m_pending.events.isEmpty() && m_pending.message.isEmpty() && m_pending.percent < 0)
            return;
        batch = m_pending;
        if (m_sentStart)
            batch.startedAt = {};
        m_sentStart = true;
        m_pending.events.clear();
        m_pending.message.clear();
        m_pending.percent = -1;
    }
    m_ctx.signalWorkflow(ProgressSignalName.toString(), QJsonArray{batch.toJson()});
}

void ProgressReporter::pump(std::stop_token stop)
{
    // Heartbeat often (the runtime throttles the RPCs) and flush events that wait too long.
    const auto tick = std::min(m_interval, std::chrono::milliseconds(500));
    auto lastHeartbeat = std::chrono::steady_clock::time_point();
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, stop, tick, [] { return false; });
        }
        if (stop.stop_requested())
            break;
        const auto now = std::chrono::steady_clock::now();
        if (now - lastHeartbeat >= std::chrono::seconds(1)) {
            m_ctx.heartbeat(QJsonObject{{u"stage"_s, m_stage}});
            lastHeartbeat = now;
        }
        bool due = false;
        {
            std::lock_guard lock(m_mutex);
            due = !m_pending.events.isEmpty() && now - m_lastFlush >= m_interval;
        }
        if (due)
            flush();
    }
}

} // namespace Nebula::Worker
