#include "service.h"

#include "engine.h"
#include "protoutil.h"

#include "common/logging.h"

#include <grpcpp/support/byte_buffer.h>

#include <mutex>

namespace Nebula::DevServer {

using namespace temporal::api;

namespace {

constexpr auto FarFuture = std::chrono::hours(24 * 365);

std::string toString(const grpc::ByteBuffer &buffer)
{
    std::vector<grpc::Slice> slices;
    std::string out;
    if (!buffer.Dump(&slices).ok())
        return out;
    out.reserve(buffer.Length());
    for (const auto &s : slices)
        out.append(reinterpret_cast<const char *>(s.begin()), s.size());
    return out;
}

// One generic RPC: reads the single request message, hands it to the dispatcher and answers once.
class Reactor final : public grpc::ServerGenericBidiReactor
{
public:
    Reactor(Service *service, grpc::GenericCallbackServerContext *ctx) : m_service(service), m_ctx(ctx)
    {
        StartRead(&m_request);
    }

    void OnReadDone(bool ok) override
    {
        if (!ok) {
            Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request message"));
            return;
        }
        TimePoint deadline = m_ctx->deadline();
        if (deadline > Clock::now() + FarFuture)
            deadline = TimePoint::max();
        std::string authorization;
        const auto &md = m_ctx->client_metadata();
        if (const auto it = md.find("authorization"); it != md.end())
            authorization.assign(it->second.data(), it->second.size());
        auto call = std::make_shared<ReactorCall>(this, deadline);
        {
            std::lock_guard lock(m_mutex);
            m_call = call;
        }
        m_service->dispatch(m_ctx->method(), toString(m_request), authorization, call);
    }

    void OnCancel() override
    {
        std::shared_ptr<Call> call;
        {
            std::lock_guard lock(m_mutex);
            call = m_call.lock();
        }
        if (call)
            call->finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client"));
    }

    void OnWriteDone(bool) override {}
    void OnDone() override { delete this; }

    void respond(const grpc::Status &status, std::string bytes)
    {
        if (!status.ok()) {
            Finish(status);
            return;
        }
        grpc::Slice slice(bytes.data(), bytes.size());
        m_response = grpc::ByteBuffer(&slice, 1);
        StartWriteAndFinish(&m_response, grpc::WriteOptions(), grpc::Status::OK);
    }

private:
    class ReactorCall final : public Call
    {
    public:
        ReactorCall(Reactor *reactor, TimePoint deadline) : Call(deadline), m_reactor(reactor) {}

    protected:
        void deliver(const grpc::Status &status, std::string bytes) override
        {
            m_reactor->respond(status, std::move(bytes));
        }

    private:
        Reactor *m_reactor;
    };

    Service *m_service;
    grpc::GenericCallbackServerContext *m_ctx;
    grpc::ByteBuffer m_request;
    grpc::ByteBuffer m_response;
    std::mutex m_mutex;
    std::weak_ptr<Call> m_call;
};

template <typename Req>
const std::string *namespaceOf(const Req &req)
{
    if constexpr (requires { req.namespace_(); })
        return &req.namespace_();
    else
        return nullptr;
}

} // namespace

Service::Service(Engine &engine, std::optional<Auth> auth) : m_engine(engine), m_auth(std::move(auth))
{
    registerHandlers();
}

grpc::ServerGenericBidiReactor *Service::CreateReactor(grpc::GenericCallbackServerContext *ctx)
{
    return new Reactor(this, ctx);
}

void Service::dispatch(const std::string &method, const std::string &request, const std::string &authorization,
                       CallPtr call)
{
    const std::string prefix = std::string("/") + ServiceName + "/";
    const bool ours = method.rfind(prefix, 0) == 0;
    const std::string rpc = ours ? method.substr(prefix.size()) : method;
    const auto it = ours ? m_handlers.find(rpc) : m_handlers.end();
    if (m_auth) {
        const Access access = it != m_handlers.end() ? it->second.access : Access::Admin;
        if (auto s = m_auth->check(authorization, access, rpc); !s.ok()) {
            call->finish(s);
            return;
        }
    }
    if (it == m_handlers.end()) {
        call->finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                  ours ? "method " + rpc + " is not implemented by nebula-devserver"
                                       : "service method " + method + " is not implemented by nebula-devserver"));
        return;
    }
    it->second.fn(request, std::move(call));
}

template <typename Req, typename Resp, typename Fn>
void Service::addUnary(const char *name, Access access, Fn fn)
{
    m_handlers[name] = Handler{access, [this, fn, name](const std::string &bytes, CallPtr call) {
                                   Req req;
                                   if (!req.ParseFromString(bytes)) {
                                       call->finish(invalidArgument(std::string("malformed ") + name + " request"));
                                       return;
                                   }
                                   if (const std::string *ns = namespaceOf(req); ns && !m_engine.hasNamespace(*ns)) {
                                       call->finish(namespaceNotFound(*ns));
                                       return;
                                   }
                                   Resp resp;
                                   const grpc::Status status = fn(req, &resp);
                                   call->finish(status, &resp);
                               }};
}

template <typename Req, typename Fn>
void Service::addAsync(const char *name, Access access, Fn fn)
{
    m_handlers[name] = Handler{access, [this, fn, name](const std::string &bytes, CallPtr call) {
                                   Req req;
                                   if (!req.ParseFromString(bytes)) {
                                       call->finish(invalidArgument(std::string("malformed ") + name + " request"));
                                       return;
                                   }
                                   if (!m_engine.hasNamespace(req.namespace_())) {
                                       call->finish(namespaceNotFound(req.namespace_()));
                                       return;
                                   }
                                   fn(req, std::move(call));
                               }};
}

void Service::registerHandlers()
{
    Engine &e = m_engine;
    addUnary<ws::StartWorkflowExecutionRequest, ws::StartWorkflowExecutionResponse>(
        "StartWorkflowExecution", Access::Operate, [&e](const auto &req, auto *resp) { return e.startWorkflowExecution(req, resp); });
    addUnary<ws::SignalWithStartWorkflowExecutionRequest, ws::SignalWithStartWorkflowExecutionResponse>(
        "SignalWithStartWorkflowExecution", Access::Operate, [&e](const auto &req, auto *resp) { return e.signalWithStart(req, resp); });
    addUnary<ws::SignalWorkflowExecutionRequest, ws::SignalWorkflowExecutionResponse>(
        "SignalWorkflowExecution", Access::Operate, [&e](const auto &req, auto *) { return e.signalWorkflowExecution(req); });
    addUnary<ws::RequestCancelWorkflowExecutionRequest, ws::RequestCancelWorkflowExecutionResponse>(
        "RequestCancelWorkflowExecution", Access::Operate,
        [&e](const auto &req, auto *) { return e.requestCancelWorkflowExecution(req); });
    addUnary<ws::TerminateWorkflowExecutionRequest, ws::TerminateWorkflowExecutionResponse>(
        "TerminateWorkflowExecution", Access::Operate, [&e](const auto &req, auto *) { return e.terminateWorkflowExecution(req); });

    addAsync<ws::PollWorkflowTaskQueueRequest>("PollWorkflowTaskQueue", Access::Work,
                                               [&e](const auto &req, CallPtr call) { e.pollWorkflowTaskQueue(req, std::move(call)); });
    addUnary<ws::RespondWorkflowTaskCompletedRequest, ws::RespondWorkflowTaskCompletedResponse>(
        "RespondWorkflowTaskCompleted", Access::Work, [&e](const auto &req, auto *resp) { return e.respondWorkflowTaskCompleted(req, resp); });
    addUnary<ws::RespondWorkflowTaskFailedRequest, ws::RespondWorkflowTaskFailedResponse>(
        "RespondWorkflowTaskFailed", Access::Work, [&e](const auto &req, auto *) { return e.respondWorkflowTaskFailed(req); });
    addUnary<ws::RespondQueryTaskCompletedRequest, ws::RespondQueryTaskCompletedResponse>(
        "RespondQueryTaskCompleted", Access::Work, [&e](const auto &req, auto *) { return e.respondQueryTaskCompleted(req); });
    addAsync<ws::PollActivityTaskQueueRequest>("PollActivityTaskQueue", Access::Work,
                                               [&e](const auto &req, CallPtr call) { e.pollActivityTaskQueue(req, std::move(call)); });
    addUnary<ws::RecordActivityTaskHeartbeatRequest, ws::RecordActivityTaskHeartbeatResponse>(
        "RecordActivityTaskHeartbeat", Access::Work, [&e](const auto &req, auto *resp) {
            bool cancel = false;
            auto s = e.recordActivityTaskHeartbeat(req.task_token(), req.namespace_(), {}, {}, {},
                                                   req.has_details() ? &req.details() : nullptr, req.identity(), &cancel);
            resp->set_cancel_requested(cancel);
            return s;
        });
    addUnary<ws::RecordActivityTaskHeartbeatByIdRequest, ws::RecordActivityTaskHeartbeatByIdResponse>(
        "RecordActivityTaskHeartbeatById", Access::Work, [&e](const auto &req, auto *resp) {
            bool cancel = false;
            auto s = e.recordActivityTaskHeartbeat({}, req.namespace_(), req.workflow_id(), req.run_id(), req.activity_id(),
                                                   req.has_details() ? &req.details() : nullptr, req.identity(), &cancel);
            resp->set_cancel_requested(cancel);
            return s;
        });
    addUnary<ws::RespondActivityTaskCompletedRequest, ws::RespondActivityTaskCompletedResponse>(
        "RespondActivityTaskCompleted", Access::Work, [&e](const auto &req, auto *) {
            Engine::ActivityOutcome o;
            o.kind = 0;
            o.token = req.task_token();
            o.ns = req.namespace_();
            o.payloads = req.has_result() ? &req.result() : nullptr;
            o.identity = req.identity();
            return e.respondActivityTask(o);
        });
    addUnary<ws::RespondActivityTaskCompletedByIdRequest, ws::RespondActivityTaskCompletedByIdResponse>(
        "RespondActivityTaskCompletedById", Access::Work, [&e](const auto &req, auto *) {
            Engine::ActivityOutcome o;
            o.kind = 0;
            o.ns = req.namespace_();
            o.workflowId = req.workflow_id();
            o.runId = req.run_id();
            o.activityId = req.activity_id();
            o.payloads = req.has_result() ? &req.result() : nullptr;
            o.identity = req.identity();
            return e.respondActivityTask(o);
        });
    addUnary<ws::RespondActivityTaskFailedRequest, ws::RespondActivityTaskFailedResponse>(
        "RespondActivityTaskFailed", Access::Work, [&e](const auto &req, auto *) {
            Engine::ActivityOutcome o;
            o.kind = 1;
            o.token = req.task_token();
            o.ns = req.namespace_();
            o.failure = req.has_failure() ? &req.failure() : nullptr;
            o.lastHeartbeatDetails = req.has_last_heartbeat_details() ? &req.last_heartbeat_details() : nullptr;
            o.identity = req.identity();
            return e.respondActivityTask(o);
        });
    addUnary<ws::RespondActivityTaskFailedByIdRequest, ws::RespondActivityTaskFailedByIdResponse>(
        "RespondActivityTaskFailedById", Access::Work, [&e](const auto &req, auto *) {
            Engine::ActivityOutcome o;
            o.kind = 1;
            o.ns = req.namespace_();
            o.workflowId = req.workflow_id();
            o.runId = req.run_id();
            o.activityId = req.activity_id();
            o.failure = req.has_failure() ? &req.failure() : nullptr;
            o.lastHeartbeatDetails = req.has_last_heartbeat_details() ? &req.last_heartbeat_details() : nullptr;
            o.identity = req.identity();
            return e.respondActivityTask(o);
        });
    addUnary<ws::RespondActivityTaskCanceledRequest, ws::RespondActivityTaskCanceledResponse>(
        "RespondActivityTaskCanceled", Access::Work, [&e](const auto &req, auto *) {
            Engine::ActivityOutcome o;
            o.kind = 2;
            o.token = req.task_token();
            o.ns = req.namespace_();
            o.payloads = req.has_details() ? &req.details() : nullptr;
            o.identity = req.identity();
            return e.respondActivityTask(o);
        });
    addUnary<ws::RespondActivityTaskCanceledByIdRequest, ws::RespondActivityTaskCanceledByIdResponse>(
        "RespondActivityTaskCanceledById", Access::Work, [&e](const auto &req, auto *) {
            Engine::ActivityOutcome o;
            o.kind = 2;
            o.ns = req.namespace_();
            o.workflowId = req.workflow_id();
            o.runId = req.run_id();
            o.activityId = req.activity_id();
            o.payloads = req.has_details() ? &req.details() : nullptr;
            o.identity = req.identity();
            return e.respondActivityTask(o);
        });
    addUnary<ws::ShutdownWorkerRequest, ws::ShutdownWorkerResponse>(
        "ShutdownWorker", Access::Work, [&e](const auto &req, auto *) { return e.shutdownWorker(req); });

    addAsync<ws::QueryWorkflowRequest>("QueryWorkflow", Access::Read,
                                       [&e](const auto &req, CallPtr call) { e.queryWorkflow(req, std::move(call)); });
    addAsync<ws::GetWorkflowExecutionHistoryRequest>(
        "GetWorkflowExecutionHistory", Access::Read,
        [&e](const auto &req, CallPtr call) { e.getWorkflowExecutionHistory(req, std::move(call)); });
    addUnary<ws::DescribeWorkflowExecutionRequest, ws::DescribeWorkflowExecutionResponse>(
        "DescribeWorkflowExecution", Access::Read, [&e](const auto &req, auto *resp) { return e.describeWorkflowExecution(req, resp); });
    addUnary<ws::ListWorkflowExecutionsRequest, ws::ListWorkflowExecutionsResponse>(
        "ListWorkflowExecutions", Access::Read, [&e](const auto &req, auto *resp) { return e.listWorkflowExecutions(req, resp); });
    addUnary<ws::ListOpenWorkflowExecutionsRequest, ws::ListOpenWorkflowExecutionsResponse>(
        "ListOpenWorkflowExecutions", Access::Read, [&e](const auto &req, auto *resp) {
            std::vector<workflow::v1::WorkflowExecutionInfo> out;
            std::string next;
            auto s = e.listOpenOrClosed(req.namespace_(), true, req.maximum_page_size(), req.next_page_token(),
                                        req.has_execution_filter() ? req.execution_filter().workflow_id() : std::string(),
                                        req.has_type_filter() ? req.type_filter().name() : std::string(), &out, &next);
            for (auto &i : out)
                *resp->add_executions() = std::move(i);
            resp->set_next_page_token(next);
            return s;
        });
    addUnary<ws::ListClosedWorkflowExecutionsRequest, ws::ListClosedWorkflowExecutionsResponse>(
        "ListClosedWorkflowExecutions", Access::Read, [&e](const auto &req, auto *resp) {
            std::vector<workflow::v1::WorkflowExecutionInfo> out;
            std::string next;
            auto s = e.listOpenOrClosed(req.namespace_(), false, req.maximum_page_size(), req.next_page_token(),
                                        req.has_execution_filter() ? req.execution_filter().workflow_id() : std::string(),
                                        req.has_type_filter() ? req.type_filter().name() : std::string(), &out, &next);
            for (auto &i : out)
                *resp->add_executions() = std::move(i);
            resp->set_next_page_token(next);
            return s;
        });
    addUnary<ws::CountWorkflowExecutionsRequest, ws::CountWorkflowExecutionsResponse>(
        "CountWorkflowExecutions", Access::Read, [&e](const auto &req, auto *resp) { return e.countWorkflowExecutions(req, resp); });
    addUnary<ws::DescribeTaskQueueRequest, ws::DescribeTaskQueueResponse>(
        "DescribeTaskQueue", Access::Read, [&e](const auto &req, auto *resp) { return e.describeTaskQueue(req, resp); });

    // Namespaces and capabilities.
    m_handlers["GetSystemInfo"] = Handler{Access::Read, [](const std::string &bytes, CallPtr call) {
                                              ws::GetSystemInfoRequest req;
                                              if (!req.ParseFromString(bytes)) {
                                                  call->finish(invalidArgument("malformed GetSystemInfo request"));
                                                  return;
                                              }
                                              ws::GetSystemInfoResponse resp;
                                              resp.set_server_version(NEBULA_VERSION_STRING);
                                              auto *c = resp.mutable_capabilities();
                                              c->set_signal_and_query_header(true);
                                              c->set_internal_error_differentiation(true);
                                              c->set_activity_failure_include_heartbeat(true);
                                              c->set_encoded_failure_attributes(true);
                                              c->set_upsert_memo(true);
                                              c->set_sdk_metadata(true);
                                              c->set_count_group_by_execution_status(true);
                                              call->finish(grpc::Status::OK, &resp);
                                          }};
    const auto describeNamespace = [](const std::string &name, namespace_::v1::NamespaceInfo *info,
                                      namespace_::v1::NamespaceConfig *config) {
        info->set_name(name);
        info->set_state(enums::v1::NAMESPACE_STATE_REGISTERED);
        info->set_description("nebula-devserver namespace");
        info->set_id(name);
        info->mutable_capabilities(); // every capability false: none is implemented
        *config->mutable_workflow_execution_retention_ttl() = toDuration(std::chrono::hours(24 * 30));
    };
    m_handlers["DescribeNamespace"] = Handler{Access::Read, [this, describeNamespace](const std::string &bytes, CallPtr call) {
                                                  ws::DescribeNamespaceRequest req;
                                                  if (!req.ParseFromString(bytes)) {
                                                      call->finish(invalidArgument("malformed DescribeNamespace request"));
                                                      return;
                                                  }
                                                  const std::string name = req.namespace_().empty() ? req.id() : req.namespace_();
                                                  if (!m_engine.hasNamespace(name)) {
                                                      call->finish(namespaceNotFound(name));
                                                      return;
                                                  }
                                                  ws::DescribeNamespaceResponse resp;
                                                  describeNamespace(name, resp.mutable_namespace_info(), resp.mutable_config());
                                                  resp.set_is_global_namespace(false);
                                                  call->finish(grpc::Status::OK, &resp);
                                              }};
    m_handlers["ListNamespaces"] = Handler{Access::Read, [this, describeNamespace](const std::string &bytes, CallPtr call) {
                                               ws::ListNamespacesRequest req;
                                               if (!req.ParseFromString(bytes)) {
                                                   call->finish(invalidArgument("malformed ListNamespaces request"));
                                                   return;
                                               }
                                               ws::ListNamespacesResponse resp;
                                               for (const auto &name : m_engine.namespaces()) {
                                                   auto *n = resp.add_namespaces();
                                                   describeNamespace(name, n->mutable_namespace_info(), n->mutable_config());
                                               }
                                               call->finish(grpc::Status::OK, &resp);
                                           }};
}

} // namespace Nebula::DevServer
