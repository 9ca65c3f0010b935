#pragma once

// The one mechanism behind every asynchronous client RPC: issue a unary call with the gRPC
// callback API, hop back to the caller's thread, retry UNAVAILABLE / RESOURCE_EXHAUSTED with capped
// exponential backoff and jitter, and cancel when the caller's context object goes away.

#include "temporal/connection.h"
#include "temporal/types.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

namespace Nebula::Temporal::Internal {

using AsyncStub = WorkflowService::StubInterface::async_interface;

// Backoff before retry number `attempt` (1-based): 100 ms × 2^(attempt-1), capped at 5 s, ±20 %.
std::chrono::milliseconds retryDelay(int attempt);

template <typename Req, typename Resp>
class UnaryCall : public std::enable_shared_from_this<UnaryCall<Req, Resp>>
{
public:
    using Invoke = std::function<void(AsyncStub *, grpc::ClientContext *, const Req *, Resp *,
                                      std::function<void(grpc::Status)>)>;
    // Runs on the context's thread with the final status (and the response when OK).
    using Done = std::function<void(const grpc::Status &, Resp &)>;

    static void start(std::shared_ptr<Connection> connection, Req request, QObject *context,
                      CallOptions options, Invoke invoke, Done done)
    {
        Q_ASSERT_X(context, "UnaryCall", "every asynchronous call needs a context object");
        auto call = std::shared_ptr<UnaryCall>(new UnaryCall);
        call->m_connection = std::move(connection);
        call->m_request = std::move(request);
        call->m_target = context;
        call->m_options = options;
        call->m_invoke = std::move(invoke);
        call->m_done = std::move(done);
        call->m_firstAttempt = std::chrono::steady_clock::now();
        call->m_relay = new QObject;
        if (call->m_relay->thread() != context->thread())
            call->m_relay->moveToThread(context->thread());
        std::weak_ptr<UnaryCall> weak = call;
        QObject::connect(context, &QObject::destroyed, call->m_relay, [weak] {
            if (auto c = weak.lock())
                c->cancel();
        });
        call->issue();
    }

private:
    UnaryCall() = default;

    void issue()
    {
        {
            std::lock_guard lock(m_mutex);
            m_context = m_connection->newContext(m_options.timeout);
        }
        m_response.Clear();
        auto self = this->shared_from_this();
        m_invoke(m_connection->stub().async(), m_context.get(), &m_request, &m_response,
                 [self](grpc::Status status) {
                     QMetaObject::invokeMethod(
                         self->m_relay, [self, status] { self->complete(status); }, Qt::QueuedConnection);
                 });
    }

    void cancel()
    {
        std::lock_guard lock(m_mutex);
        m_cancelled = true;
        if (m_context)
            m_context->TryCancel();
    }

    void complete(const grpc::Status &status)
    {
        if (!m_target || m_cancelled) {
            finish();
            return;
        }
        if (!status.ok() && isRetryable(status.error_code())) {
            const auto delay = retryDelay(++m_attempt);
            const auto elapsed = std::chrono::steady_clock::now() - m_firstAttempt;
            if (elapsed + delay < m_options.retryBudget) {
                auto self = this->shared_from_this();
                QTimer::singleShot(delay, m_relay, [self] {
                    if (self->m_target && !self->m_cancelled)
                        self->issue();
                    else
                        self->finish();
                });
                return;
            }
        }
        m_done(status, m_response);
        finish();
    }

    void finish()
    {
        m_done = nullptr;
        m_relay->deleteLater();
    }

    std::shared_ptr<Connection> m_connection;
    Req m_request;
    Resp m_response;
    QPointer<QObject> m_target;
    QObject *m_relay = nullptr;
    CallOptions m_options;
    Invoke m_invoke;
    Done m_done;
    std::chrono::steady_clock::time_point m_firstAttempt;
    int m_attempt = 0;
    std::mutex m_mutex;
    std::unique_ptr<grpc::ClientContext> m_context;
    bool m_cancelled = false;
};

} // namespace Nebula::Temporal::Internal
