#pragma once

// The coroutine types of workflow code.
//
//   WorkflowTask<T>   – what a workflow function (or a helper coroutine it calls) returns. Lazy:
//                       nothing runs until it is awaited (or, for the workflow function itself,
//                       started by the runtime). co_await gives T; an exception escaping workflow
//                       code fails the workflow *task* (never the workflow).
//   WorkflowFuture<T> – the result of a runtime operation (activity, timer, condition). The
//                       operation starts when it is created, so several can run in parallel:
//                         auto a = ctx.executeActivity(u"A"_s, {}, opts);
//                         auto b = ctx.executeActivity(u"B"_s, {}, opts);
//                         auto ra = co_await a; auto rb = co_await b;
//
// Both are single-threaded: workflow code of one run is resumed by the runtime, one coroutine at a
// time, in an order fixed by history, so replaying the same history resumes it the same way.

#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace Nebula::Temporal {

template <typename T>
class WorkflowTask;

namespace Detail {

struct FinalAwaiter
{
    bool await_ready() const noexcept { return false; }
    template <typename Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) const noexcept
    {
        auto next = h.promise().continuation;
        return next ? next : std::noop_coroutine();
    }
    void await_resume() const noexcept {}
};

struct PromiseBase
{
    std::coroutine_handle<> continuation;
    std::exception_ptr exception;

    std::suspend_always initial_suspend() const noexcept { return {}; }
    FinalAwaiter final_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <typename T>
struct Promise : PromiseBase
{
    std::optional<T> value;
    WorkflowTask<T> get_return_object();
    template <typename U>
    void return_value(U &&v) { value.emplace(std::forward<U>(v)); }
};

template <>
struct Promise<void> : PromiseBase
{
    WorkflowTask<void> get_return_object();
    void return_void() noexcept {}
};

template <typename T>
struct FutureState
{
    std::optional<T> value;
    std::vector<std::coroutine_handle<>> waiters;
};

} // namespace Detail

template <typename T>
class [[nodiscard]] WorkflowTask
{
public:
    using promise_type = Detail::Promise<T>;
    using Handle = std::coroutine_handle<promise_type>;

    WorkflowTask() = default;
    explicit WorkflowTask(Handle h) : m_handle(h) {}
    WorkflowTask(WorkflowTask &&other) noexcept : m_handle(std::exchange(other.m_handle, {})) {}
    WorkflowTask &operator=(WorkflowTask &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_handle = std::exchange(other.m_handle, {});
        }
        return *this;
    }
    WorkflowTask(const WorkflowTask &) = delete;
    WorkflowTask &operator=(const WorkflowTask &) = delete;
    ~WorkflowTask() { reset(); }

    bool isValid() const { return bool(m_handle); }
    bool isDone() const { return m_handle && m_handle.done(); }

    // Awaiting starts the coroutine and resumes the awaiter when it returns.
    bool await_ready() const noexcept { return !m_handle || m_handle.done(); }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) noexcept
    {
        m_handle.promise().continuation = awaiter;
        return m_handle;
    }
    T await_resume() { return takeResult(); }

    // For the runtime: start a top-level task (runs until its first suspension).
    void start()
    {
        if (m_handle && !m_handle.done())
            m_handle.resume();
    }
    std::exception_ptr exception() const { return m_handle ? m_handle.promise().exception : nullptr; }
    T takeResult()
    {
        if (m_handle.promise().exception)
            std::rethrow_exception(m_handle.promise().exception);
        if constexpr (!std::is_void_v<T>)
            return std::move(*m_handle.promise().value);
    }

private:
    void reset()
    {
        if (m_handle)
            m_handle.destroy();
        m_handle = {};
    }
    Handle m_handle;
};

template <typename T>
WorkflowTask<T> Detail::Promise<T>::get_return_object()
{
    return WorkflowTask<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}

inline WorkflowTask<void> Detail::Promise<void>::get_return_object()
{
    return WorkflowTask<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

// A value the runtime delivers later (activity result, timer, condition). Copyable handle to a
// shared state; co_await it any number of times.
template <typename T>
class WorkflowFuture
{
public:
    WorkflowFuture() : m_state(std::make_shared<Detail::FutureState<T>>()) {}

    bool isReady() const { return m_state->value.has_value(); }
    // Only when isReady().
    const T &result() const { return *m_state->value; }

    bool await_ready() const noexcept { return m_state->value.has_value(); }
    void await_suspend(std::coroutine_handle<> h) { m_state->waiters.push_back(h); }
    T await_resume() const { return *m_state->value; }

    // For the runtime: stores the value and resumes the waiting coroutines in the order they
    // started waiting. Resolving twice is a no-op.
    void resolve(T value) const
    {
        if (m_state->value)
            return;
        m_state->value.emplace(std::move(value));
        auto waiters = std::move(m_state->waiters);
        m_state->waiters.clear();
        for (auto h : waiters)
            h.resume();
    }

private:
    std::shared_ptr<Detail::FutureState<T>> m_state;
};

} // namespace Nebula::Temporal
