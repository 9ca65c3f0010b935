#include "temporal/temporalclient.h"

#include "common/logging.h"
#include "temporal/internal/asynccall.h"
#include "temporal/internal/convert.h"
#include "temporal/payloadconverter.h"

#include <temporal/api/enums/v1/task_queue.pb.h>
#include <temporal/api/enums/v1/workflow.pb.h>

#include <QUuid>

#include <atomic>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal {

namespace ws = temporal::api::workflowservice::v1;
namespace enums = temporal::api::enums::v1;
using Internal::AsyncStub;
using Internal::fromStd;
using Internal::UnaryCall;

namespace Internal {
std::chrono::milliseconds retryDelay(int attempt)
{
    const double base = 100.0 * std::pow(2.0, std::min(attempt - 1, 10));
    const double capped = std::min(base, 5000.0);
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    return std::chrono::milliseconds(static_cast<qint64>(capped * jitter));
}
} // namespace Internal

struct TemporalClient::Private
{
    std::shared_ptr<Connection> connection;
    std::atomic<ConnectionState> state{ConnectionState::Unknown};
};

namespace {

void setExecution(temporal::api::common::v1::WorkflowExecution *e, const WorkflowRef &ref)
{
    e->set_workflow_id(ref.workflowId.toStdString());
    e->set_run_id(ref.runId.toStdString());
}

enums::WorkflowIdReusePolicy toProto(IdReusePolicy p)
{
    switch (p) {
    case IdReusePolicy::AllowDuplicate: return enums::WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE;
    case IdReusePolicy::AllowDuplicateFailedOnly: return enums::WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY;
    case IdReusePolicy::RejectDuplicate: return enums::WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE;
    case IdReusePolicy::Unspecified: break;
    }
    return enums::WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED;
}

enums::WorkflowIdConflictPolicy toProto(IdConflictPolicy p)
{
    switch (p) {
    case IdConflictPolicy::Fail: return enums::WORKFLOW_ID_CONFLICT_POLICY_FAIL;
    case IdConflictPolicy::UseExisting: return enums::WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING;
    case IdConflictPolicy::TerminateExisting: return enums::WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING;
    case IdConflictPolicy::Unspecified: break;
    }
    return enums::WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED;
}

template <typename R>
void fillStart(R *req, const StartWorkflowRequest &s, const Connection &conn)
{
    req->set_namespace_(conn.nameSpace());
    req->set_workflow_id(s.workflowId.toStdString());
    req->mutable_workflow_type()->set_name(s.workflowType.toStdString());
    req->mutable_task_queue()->set_name(s.taskQueue.toStdString());
    req->mutable_task_queue()->set_kind(enums::TASK_QUEUE_KIND_NORMAL);
    if (!s.args.isEmpty())
        *req->mutable_input() = PayloadConverter::fromJsonArgs(s.args);
    if (s.executionTimeout.count() > 0)
        *req->mutable_workflow_execution_timeout() = Internal::toDuration(s.executionTimeout);
    if (s.runTimeout.count() > 0)
        *req->mutable_workflow_run_timeout() = Internal::toDuration(s.runTimeout);
    if (s.taskTimeout.count() > 0)
        *req->mutable_workflow_task_timeout() = Internal::toDuration(s.taskTimeout);
    req->set_identity(conn.identity());
    req->set_request_id((s.requestId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces)
                                               : s.requestId)
                            .toStdString());
    req->set_workflow_id_reuse_policy(toProto(s.reusePolicy));
    req->set_workflow_id_conflict_policy(toProto(s.conflictPolicy));
    for (auto it = s.memo.begin(); it != s.memo.end(); ++it)
        (*req->mutable_memo()->mutable_fields())[it.key().toStdString()] = PayloadConverter::fromJson(it.value());
    for (auto it = s.searchAttributes.begin(); it != s.searchAttributes.end(); ++it) {
        auto payload = PayloadConverter::fromJson(it.value());
        (*payload.mutable_metadata())["type"] = "Keyword";
        (*req->mutable_search_attributes()->mutable_indexed_fields())[it.key().toStdString()] = payload;
    }
}

Result<WorkflowOutcome> outcomeFromCloseEvent(const temporal::api::history::v1::HistoryEvent &e)
{
    WorkflowOutcome o;
    switch (e.event_type()) {
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: {
        o.status = WorkflowStatus::Completed;
        auto v = PayloadConverter::firstToJson(e.workflow_execution_completed_event_attributes().result());
        if (!v)
            return v.error();
        o.result = *v;
        o.newRunId = fromStd(e.workflow_execution_completed_event_attributes().new_execution_run_id());
        break;
    }
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: {
        o.status = WorkflowStatus::Failed;
        const auto &f = e.workflow_execution_failed_event_attributes().failure();
        // The workflow's failure usually wraps the activity failure that caused it.
        o.failureMessage = fromStd(f.message());
        if (f.has_cause() && !f.cause().message().empty())
            o.failureMessage += u": "_s + fromStd(f.cause().message());
        o.failureType = fromStd(f.application_failure_info().type());
        o.newRunId = fromStd(e.workflow_execution_failed_event_attributes().new_execution_run_id());
        break;
    }
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        o.status = WorkflowStatus::TimedOut;
        o.failureMessage = u"The workflow timed out."_s;
        o.newRunId = fromStd(e.workflow_execution_timed_out_event_attributes().new_execution_run_id());
        break;
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
        o.status = WorkflowStatus::Canceled;
        o.failureMessage = u"The workflow was canceled."_s;
        break;
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
        o.status = WorkflowStatus::Terminated;
        o.failureMessage = fromStd(e.workflow_execution_terminated_event_attributes().reason());
        break;
    case enums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        o.status = WorkflowStatus::ContinuedAsNew;
        o.newRunId = fromStd(e.workflow_execution_continued_as_new_event_attributes().new_execution_run_id());
        break;
    default:
        return makeError(ErrorCode::Parse, u"The server returned a non-closing event as the close event."_s,
                         Internal::eventTypeName(e.event_type()));
    }
    return o;
}

} // namespace

TemporalClient::TemporalClient(std::shared_ptr<Connection> connection, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->connection = std::move(connection);
}

TemporalClient::~TemporalClient() = default;

Result<std::unique_ptr<TemporalClient>> TemporalClient::create(const ConnectionOptions &options, QObject *parent)
{
    auto connection = Connection::create(options);
    if (!connection)
        return connection.error();
    return std::unique_ptr<TemporalClient>(new TemporalClient(*connection, parent));
}

const ConnectionOptions &TemporalClient::options() const
{
    return d->connection->options();
}

TemporalClient::ConnectionState TemporalClient::connectionState() const
{
    return d->state.load();
}

void TemporalClient::setAuthToken(const QString &token)
{
    d->connection->setAuthToken(token);
}

std::shared_ptr<Connection> TemporalClient::connection() const
{
    return d->connection;
}

void TemporalClient::noteOutcome(const Error *error)
{
    ConnectionState next = ConnectionState::Connected;
    if (error) {
        if (error->code == ErrorCode::Unavailable)
            next = ConnectionState::Unavailable;
        else if (error->code == ErrorCode::Unauthenticated)
            next = ConnectionState::Unauthorized;
        else if (error->code == ErrorCode::DeadlineExceeded || error->code == ErrorCode::Cancelled)
            return; // says nothing about the connection
    }
    if (d->state.exchange(next) != next)
        Q_EMIT connectionStateChanged(next);
}

template <typename Resp, typename T, typename Convert>
auto TemporalClient::completion(const char *rpc, Callback<T> callback, Convert convert)
{
    return [self = QPointer<TemporalClient>(this), address = options().address, rpc,
            callback = std::move(callback), convert = std::move(convert)](const grpc::Status &status,
                                                                          Resp &resp) {
        if (!status.ok()) {
            const Error error = errorFromStatus(status, rpc, address);
            if (self)
                self->noteOutcome(&error);
            callback(Result<T>(error));
            return;
        }
        if (self)
            self->noteOutcome(nullptr);
        callback(convert(resp));
    };
}

void TemporalClient::startWorkflow(const StartWorkflowRequest &request, QObject *context,
                                   Callback<StartResult> callback, CallOptions call)
{
    using Req = ws::StartWorkflowExecutionRequest;
    using Resp = ws::StartWorkflowExecutionResponse;
    Req req;
    fillStart(&req, request, *d->connection);
    // `started` is false only when USE_EXISTING returned the running workflow; servers that
    // predate the field leave it unset, so trust it only for that policy.
    const bool mayReuse = request.conflictPolicy == IdConflictPolicy::UseExisting;
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->StartWorkflowExecution(c, q, r, std::move(f)); },
        completion<Resp>("StartWorkflowExecution", std::move(callback), [mayReuse](Resp &resp) {
            return Result<StartResult>(StartResult{fromStd(resp.run_id()), resp.started() || !mayReuse});
        }));
}

void TemporalClient::signalWithStartWorkflow(const StartWorkflowRequest &request, QObject *context,
                                             Callback<StartResult> callback, CallOptions call)
{
    using Req = ws::SignalWithStartWorkflowExecutionRequest;
    using Resp = ws::SignalWithStartWorkflowExecutionResponse;
    Req req;
    fillStart(&req, request, *d->connection);
    req.set_signal_name(request.signalName.toStdString());
    if (!request.signalArgs.isEmpty())
        *req.mutable_signal_input() = PayloadConverter::fromJsonArgs(request.signalArgs);
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->SignalWithStartWorkflowExecution(c, q, r, std::move(f)); },
        completion<Resp>("SignalWithStartWorkflowExecution", std::move(callback), [](Resp &resp) {
            return Result<StartResult>(StartResult{fromStd(resp.run_id()), resp.started()});
        }));
}

void TemporalClient::describeWorkflow(const WorkflowRef &ref, QObject *context,
                                      Callback<WorkflowDescription> callback, CallOptions call)
{
    using Req = ws::DescribeWorkflowExecutionRequest;
    using Resp = ws::DescribeWorkflowExecutionResponse;
    Req req;
    req.set_namespace_(d->connection->nameSpace());
    setExecution(req.mutable_execution(), ref);
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->DescribeWorkflowExecution(c, q, r, std::move(f)); },
        completion<Resp>("DescribeWorkflowExecution", std::move(callback), [](Resp &resp) {
            WorkflowDescription out;
            out.info = Internal::toWorkflowInfo(resp.workflow_execution_info());
            out.workflowTaskPending = resp.has_pending_workflow_task();
            for (const auto &pa : resp.pending_activities()) {
                PendingActivity a;
                a.activityId = fromStd(pa.activity_id());
                a.activityType = fromStd(pa.activity_type().name());
                switch (pa.state()) {
                case enums::PENDING_ACTIVITY_STATE_STARTED: a.state = u"Started"_s; break;
                case enums::PENDING_ACTIVITY_STATE_CANCEL_REQUESTED: a.state = u"CancelRequested"_s; break;
                default: a.state = u"Scheduled"_s; break;
                }
                a.attempt = pa.attempt();
                a.maximumAttempts = pa.maximum_attempts();
                a.lastFailureMessage = fromStd(pa.last_failure().message());
                if (auto details = PayloadConverter::toJsonArgs(pa.heartbeat_details()); details && !details->isEmpty())
                    a.heartbeatDetails = details->size() == 1 ? details->first() : QJsonValue(*details);
                a.lastHeartbeatTime = Internal::toDateTime(pa.last_heartbeat_time());
                a.lastStartedTime = Internal::toDateTime(pa.last_started_time());
                a.lastWorkerIdentity = fromStd(pa.last_worker_identity());
                out.pendingActivities.append(a);
            }
            return Result<WorkflowDescription>(out);
        }));
}

void TemporalClient::listWorkflows(const QString &query, int pageSize, const QByteArray &pageToken,
                                   QObject *context, Callback<WorkflowPage> callback, CallOptions call)
{
    using Req = ws::ListWorkflowExecutionsRequest;
    using Resp = ws::ListWorkflowExecutionsResponse;
    Req req;
    req.set_namespace_(d->connection->nameSpace());
    req.set_query(query.toStdString());
    req.set_page_size(pageSize);
    req.set_next_page_token(pageToken.toStdString());
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->ListWorkflowExecutions(c, q, r, std::move(f)); },
        completion<Resp>("ListWorkflowExecutions", std::move(callback), [](Resp &resp) {
            WorkflowPage page;
            page.executions.reserve(resp.executions_size());
            for (const auto &e : resp.executions())
                page.executions.append(Internal::toWorkflowInfo(e));
            page.nextPageToken = QByteArray::fromStdString(resp.next_page_token());
            return Result<WorkflowPage>(page);
        }));
}

void TemporalClient::countWorkflows(const QString &query, QObject *context, Callback<qint64> callback,
                                    CallOptions call)
{
    using Req = ws::CountWorkflowExecutionsRequest;
    using Resp = ws::CountWorkflowExecutionsResponse;
    Req req;
    req.set_namespace_(d->connection->nameSpace());
    req.set_query(query.toStdString());
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->CountWorkflowExecutions(c, q, r, std::move(f)); },
        completion<Resp>("CountWorkflowExecutions", std::move(callback),
                         [](Resp &resp) { return Result<qint64>(static_cast<qint64>(resp.count())); }));
}

void TemporalClient::getHistory(const WorkflowRef &ref, const HistoryOptions &history, QObject *context,
                                Callback<HistoryPage> callback, CallOptions call)
{
    using Req = ws::GetWorkflowExecutionHistoryRequest;
    using Resp = ws::GetWorkflowExecutionHistoryResponse;
    Req req;
    req.set_namespace_(d->connection->nameSpace());
    setExecution(req.mutable_execution(), ref);
    req.set_maximum_page_size(history.pageSize);
    req.set_next_page_token(history.pageToken.toStdString());
    req.set_wait_new_event(history.waitNewEvent);
    req.set_history_event_filter_type(history.closeEventOnly ? enums::HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT
                                                             : enums::HISTORY_EVENT_FILTER_TYPE_ALL_EVENT);
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->GetWorkflowExecutionHistory(c, q, r, std::move(f)); },
        completion<Resp>("GetWorkflowExecutionHistory", std::move(callback), [](Resp &resp) {
            HistoryPage page;
            page.events.reserve(resp.history().events_size());
            for (const auto &e : resp.history().events())
                page.events.append(Internal::toHistoryEvent(e));
            page.nextPageToken = QByteArray::fromStdString(resp.next_page_token());
            return Result<HistoryPage>(page);
        }));
}

void TemporalClient::waitForOutcome(const WorkflowRef &ref, QObject *context, Callback<WorkflowOutcome> callback)
{
    // Long-polls for the close event; each round is bounded by the server's hold time, and an
    // empty answer carries a token to continue with.
    struct Waiter
    {
        std::function<void(const QByteArray &)> next;
    };
    auto waiter = std::make_shared<Waiter>();
    auto conn = d->connection;
    const QString address = options().address;
    // `next` holds the waiter only weakly; each call in flight holds it strongly. So the waiter lives
    // exactly as long as a poll is under way, and goes away when the context object dies (the
    // call is then dropped without a completion).
    waiter->next = [self = QPointer<TemporalClient>(this), weak = std::weak_ptr<Waiter>(waiter), conn, ref,
                    context, callback, address](const QByteArray &token) {
        using Req = ws::GetWorkflowExecutionHistoryRequest;
        using Resp = ws::GetWorkflowExecutionHistoryResponse;
        auto alive = weak.lock();
        if (!self || !alive)
            return;
        Req req;
        req.set_namespace_(conn->nameSpace());
        setExecution(req.mutable_execution(), ref);
        req.set_wait_new_event(true);
        req.set_history_event_filter_type(enums::HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT);
        req.set_next_page_token(token.toStdString());
        CallOptions call;
        call.timeout = std::chrono::seconds(70);
        UnaryCall<Req, Resp>::start(
            conn, std::move(req), context, call,
            [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->GetWorkflowExecutionHistory(c, q, r, std::move(f)); },
            [waiter = std::move(alive), callback, address](const grpc::Status &status, Resp &resp) {
                if (!status.ok()) {
                    if (status.error_code() == grpc::DEADLINE_EXCEEDED) {
                        waiter->next({}); // no news within our deadline: poll again
                        return;
                    }
                    callback(Result<WorkflowOutcome>(errorFromStatus(status, "GetWorkflowExecutionHistory", address)));
                    return;
                }
                if (resp.history().events_size() > 0) {
                    callback(outcomeFromCloseEvent(resp.history().events(resp.history().events_size() - 1)));
                    return;
                }
                waiter->next(QByteArray::fromStdString(resp.next_page_token()));
            });
    };
    waiter->next({});
}

void TemporalClient::queryWorkflow(const WorkflowRef &ref, const QString &queryType, const QJsonArray &args,
                                   QObject *context, Callback<QJsonValue> callback, CallOptions call)
{
    using Req = ws::QueryWorkflowRequest;
    using Resp = ws::QueryWorkflowResponse;
    Req req;
    req.set_namespace_(d->connection->nameSpace());
    setExecution(req.mutable_execution(), ref);
    req.mutable_query()->set_query_type(queryType.toStdString());
    if (!args.isEmpty())
        *req.mutable_query()->mutable_query_args() = PayloadConverter::fromJsonArgs(args);
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->QueryWorkflow(c, q, r, std::move(f)); },
        completion<Resp>("QueryWorkflow", std::move(callback), [](Resp &resp) -> Result<QJsonValue> {
            if (resp.has_query_rejected())
                return makeError(ErrorCode::FailedPrecondition,
                                 u"The query was rejected because the workflow is no longer running."_s,
                                 u"query_rejected status %1"_s.arg(static_cast<int>(resp.query_rejected().status())));
            return PayloadConverter::firstToJson(resp.query_result());
        }));
}

void TemporalClient::signalWorkflow(const WorkflowRef &ref, const QString &signalName, const QJsonArray &args,
                                    QObject *context, Callback<void> callback, CallOptions call)
{
    using Req = ws::SignalWorkflowExecutionRequest;
    using Resp = ws::SignalWorkflowExecutionResponse;
    Req req;
    req.set_namespace_(d->connection->nameSpace());
    setExecution(req.mutable_workflow_execution(), ref);
    req.set_signal_name(signalName.toStdString());
    if (!args.isEmpty())
        *req.mutable_input() = PayloadConverter::fromJsonArgs(args);
    req.set_identity(d->connection->identity());
    req.set_request_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->SignalWorkflowExecution(c, q, r, std::move(f)); },
        completion<Resp>("SignalWorkflowExecution", std::move(callback), [](Resp &) { return Result<void>(); }));
}

void TemporalClient::requestCancelWorkflow(const WorkflowRef &ref, const QString &reason, QObject *context,
                                           Callback<void> callback, CallOptions call)
{
    using Req = ws::RequestCancelWorkflowExecutionRequest;
    using Resp = ws::RequestCancelWorkflowExecutionResponse;
    Req req;
    req.set_namespace_(d->connection->nameSpace());
    setExecution(req.mutable_workflow_execution(), ref);
    req.set_identity(d->connection->identity());
    req.set_request_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
    req.set_reason(reason.toStdString());
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->RequestCancelWorkflowExecution(c, q, r, std::move(f)); },
        completion<Resp>("RequestCancelWorkflowExecution", std::move(callback), [](Resp &) { return Result<void>(); }));
}

void TemporalClient::terminateWorkflow(const WorkflowRef &ref, const QString &reason, QObject *context,
                                       Callback<void> callback, CallOptions call)
{
    using Req = ws::TerminateWorkflowExecutionRequest;
    using Resp = ws::TerminateWorkflowExecutionResponse;
    Req req;
    req.set_namespace_(d->connection->nameSpace());
    setExecution(req.mutable_workflow_execution(), ref);
    req.set_reason(reason.toStdString());
    req.set_identity(d->connection->identity());
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->TerminateWorkflowExecution(c, q, r, std::move(f)); },
        completion<Resp>("TerminateWorkflowExecution", std::move(callback), [](Resp &) { return Result<void>(); }));
}

void TemporalClient::getSystemInfo(QObject *context, Callback<SystemInfo> callback, CallOptions call)
{
    using Req = ws::GetSystemInfoRequest;
    using Resp = ws::GetSystemInfoResponse;
    UnaryCall<Req, Resp>::start(
        d->connection, Req(), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->GetSystemInfo(c, q, r, std::move(f)); },
        completion<Resp>("GetSystemInfo", std::move(callback), [](Resp &resp) {
            SystemInfo info;
            info.serverVersion = fromStd(resp.server_version());
            const auto &caps = resp.capabilities();
            const auto *descriptor = caps.GetDescriptor();
            const auto *reflection = caps.GetReflection();
            for (int i = 0; i < descriptor->field_count(); ++i) {
                const auto *field = descriptor->field(i);
                if (field->type() == google::protobuf::FieldDescriptor::TYPE_BOOL)
                    info.capabilities.insert(fromStd(field->name()), reflection->GetBool(caps, field));
            }
            return Result<SystemInfo>(info);
        }));
}

void TemporalClient::describeTaskQueue(const QString &taskQueue, QObject *context,
                                       Callback<QList<Poller>> callback, CallOptions call)
{
    using Req = ws::DescribeTaskQueueRequest;
    using Resp = ws::DescribeTaskQueueResponse;
    Req req;
    req.set_namespace_(d->connection->nameSpace());
    req.mutable_task_queue()->set_name(taskQueue.toStdString());
    req.mutable_task_queue()->set_kind(enums::TASK_QUEUE_KIND_NORMAL);
    req.set_task_queue_type(enums::TASK_QUEUE_TYPE_WORKFLOW);
    UnaryCall<Req, Resp>::start(
        d->connection, std::move(req), context, call,
        [](AsyncStub *a, auto *c, auto *q, auto *r, auto f) { a->DescribeTaskQueue(c, q, r, std::move(f)); },
        completion<Resp>("DescribeTaskQueue", std::move(callback), [](Resp &resp) {
            QList<Poller> pollers;
            for (const auto &p : resp.pollers())
                pollers.append(Poller{fromStd(p.identity()), Internal::toDateTime(p.last_access_time()),
                                      p.rate_per_second()});
            return Result<QList<Poller>>(pollers);
        }));
}

} // namespace Nebula::Temporal
