#pragma once

#include <QString>

#include <chrono>
#include <functional>
#include <memory>

class QObject;

namespace Nebula::Temporal {

enum class CancelReason {
    None,
    CancelRequested,  // the workflow asked to cancel the activity (heartbeat cancel_requested)
    NotFound,         // the server no longer knows the task (timed out, workflow closed)
    TimedOut,         // the attempt's start-to-close deadline passed
    WorkerShutdown,   // the worker is shutting down and the grace period ended
};

QString cancelReasonName(CancelReason reason);

// A thread-safe, one-shot cancellation signal for activity code. Cheap to copy (shared state).
// Cancel it once; every copy sees it. Callbacks registered before run on the cancelling thread,
// callbacks registered after run at once on the registering thread.
class CancellationToken
{
public:
    CancellationToken();

    bool isCancelled() const;
    CancelReason reason() const;
    // Blocks up to `timeout`; true when cancelled (at once if it already was).
    bool waitFor(std::chrono::milliseconds timeout) const;

    // Keeps a callback registered while it lives; destroying it unregisters (and waits for a
    // running callback to return, so captured objects may be destroyed right after).
    class Registration
    {
    public:
        Registration() = default;
        Registration(Registration &&) noexcept;
        Registration &operator=(Registration &&) noexcept;
        ~Registration();
        void reset();

    private:
        friend class CancellationToken;
        struct State;
        std::shared_ptr<State> m_state;
    };

    // `callback` runs once, on the thread that cancels (a heartbeat or shutdown thread): keep it
    // short and thread-safe.
    [[nodiscard]] Registration onCancel(std::function<void()> callback) const;
    // `slot` runs once on `context`'s thread (queued), and not at all once `context` is destroyed.
    // This is how an activity running a QEventLoop (e.g. around a QProcess) reacts to cancellation.
    // Keep the Registration no longer than `context` (declare it after the context object).
    [[nodiscard]] Registration onCancel(QObject *context, std::function<void()> slot) const;

    // Returns false if it was already cancelled.
    bool cancel(CancelReason reason) const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace Nebula::Temporal
