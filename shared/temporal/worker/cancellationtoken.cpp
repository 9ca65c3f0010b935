#include "temporal/worker/cancellationtoken.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <condition_variable>
#include <list>
#include <mutex>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal {

QString cancelReasonName(CancelReason reason)
{
    switch (reason) {
    case CancelReason::None: return u"none"_s;
    case CancelReason::CancelRequested: return u"cancel requested"_s;
    case CancelReason::NotFound: return u"activity no longer known to the server"_s;
    case CancelReason::TimedOut: return u"deadline passed"_s;
    case CancelReason::WorkerShutdown: return u"worker shutdown"_s;
    }
    return u"none"_s;
}

struct CancellationToken::Registration::State
{
    std::function<void()> callback;
    std::recursive_mutex runMutex; // held while the callback runs (a callback may reset its own registration)
    bool active = true;
};

struct CancellationToken::State
{
    mutable std::mutex mutex;
    std::condition_variable cv;
    CancelReason reason = CancelReason::None;
    std::list<std::weak_ptr<Registration::State>> callbacks;
};

CancellationToken::CancellationToken() : m_state(std::make_shared<State>()) {}

bool CancellationToken::isCancelled() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->reason != CancelReason::None;
}

CancelReason CancellationToken::reason() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->reason;
}

bool CancellationToken::waitFor(std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_state->mutex);
    return m_state->cv.wait_for(lock, timeout, [this] { return m_state->reason != CancelReason::None; });
}

bool CancellationToken::cancel(CancelReason reason) const
{
    std::list<std::weak_ptr<Registration::State>> callbacks;
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->reason != CancelReason::None)
            return false;
        m_state->reason = reason == CancelReason::None ? CancelReason::CancelRequested : reason;
        callbacks.swap(m_state->callbacks);
    }
    m_state->cv.notify_all();
    for (auto &weak : callbacks) {
        if (auto reg = weak.lock()) {
            std::lock_guard run(reg->runMutex);
            if (reg->active && reg->callback)
                reg->callback();
        }
    }
    return true;
}

CancellationToken::Registration CancellationToken::onCancel(std::function<void()> callback) const
{
    Registration registration;
    registration.m_state = std::make_shared<Registration::State>();
    registration.m_state->callback = std::move(callback);
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->reason == CancelReason::None) {
            m_state->callbacks.push_back(registration.m_state);
            return registration;
        }
    }
    registration.m_state->callback();
    return registration;
}

CancellationToken::Registration CancellationToken::onCancel(QObject *context, std::function<void()> slot) const
{
    QPointer<QObject> guard(context);
    return onCancel([guard, slot = std::move(slot)] {
        if (QObject *target = guard.data())
            QMetaObject::invokeMethod(target, [guard, slot] {
                if (guard)
                    slot();
            }, Qt::QueuedConnection);
    });
}

CancellationToken::Registration::Registration(Registration &&other) noexcept
    : m_state(std::move(other.m_state))
{
}

CancellationToken::Registration &CancellationToken::Registration::operator=(Registration &&other) noexcept
{
    if (this != &other) {
        reset();
        m_state = std::move(other.m_state);
    }
    return *this;
}

CancellationToken::Registration::~Registration()
{
    reset();
}

void CancellationToken::Registration::reset()
{
    if (!m_state)
        return;
    {
        std::lock_guard run(m_state->runMutex);
        m_state->active = false;
        m_state->callback = nullptr;
    }
    m_state.reset();
}

} // namespace Nebula::Temporal
