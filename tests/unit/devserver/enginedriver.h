#pragma once

// Test helper: drives nebula-devserver's Service in-process (no network) with typed requests,
// playing client and worker the way sdk-core does.
#include "call.h"
#include "engine.h"
#include "service.h"
#include "store.h"

#include <temporal/api/enums/v1/event_type.pb.h>
#include <temporal/api/workflowservice/v1/request_response.pb.h>

#include <QString>
#include <QTest>

#include <memory>
#include <string>
#include <vector>

namespace Nebula::DevServer::Testing {

namespace ws = temporal::api::workflowservice::v1;
namespace en = temporal::api::enums::v1;

template <typename Resp>
struct Reply
{
    grpc::Status status;
    Resp resp;
    bool ok() const { return status.ok(); }
};

class EngineDriver
{
public:
    explicit EngineDriver(const QString &db = QStringLiteral(":memory:"), std::optional<Auth> auth = std::nullopt,
                          EngineOptions options = {})
    {
        auto store = Store::open(db);
        Q_ASSERT(store.ok());
        auto engine = Engine::create(std::move(*store), std::move(options));
        Q_ASSERT(engine.ok());
        m_engine = std::move(*engine);
        m_service = std::make_unique<Service>(*m_engine, std::move(auth));
    }
    ~EngineDriver() { m_engine->shutdown(); }

    Engine &engine() { return *m_engine; }
    Service &service() { return *m_service; }
    std::string authorization;

    template <typename Resp, typename Req>
    Reply<Resp> call(const std::string &rpc, const Req &req, std::chrono::milliseconds wait = std::chrono::seconds(10),
                     TimePoint deadline = Clock::now() + std::chrono::seconds(70))
    {
        auto c = std::make_shared<SyncCall>(deadline);
        m_service->dispatch(std::string("/temporal.api.workflowservice.v1.WorkflowService/") + rpc,
                            req.SerializeAsString(), authorization, c);
        Reply<Resp> r;
        if (!c->wait(wait)) {
            r.status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "test: no answer in time");
            c->finish(grpc::Status(grpc::StatusCode::CANCELLED, "test gave up"));
            return r;
        }
        r.status = c->status();
        if (r.status.ok())
            r.resp.ParseFromString(c->bytes());
        return r;
    }

    // Asynchronous variant for long polls answered later.
    std::shared_ptr<SyncCall> start(const std::string &rpc, const google::protobuf::Message &req,
                                    TimePoint deadline = Clock::now() + std::chrono::seconds(70))
    {
        auto c = std::make_shared<SyncCall>(deadline);
        m_service->dispatch(std::string("/temporal.api.workflowservice.v1.WorkflowService/") + rpc,
                            req.SerializeAsString(), authorization, c);
        return c;
    }

    Reply<ws::StartWorkflowExecutionResponse> startWorkflow(const std::string &id, const std::string &queue = "tq",
                                                            const std::string &type = "Wf", int taskTimeoutSec = 10)
    {
        ws::StartWorkflowExecutionRequest req;
        req.set_namespace_("default");
        req.set_workflow_id(id);
        req.mutable_workflow_type()->set_name(type);
        req.mutable_task_queue()->set_name(queue);
        req.set_identity("test-client");
        req.mutable_workflow_task_timeout()->set_seconds(taskTimeoutSec);
        return call<ws::StartWorkflowExecutionResponse>("StartWorkflowExecution", req);
    }

    Reply<ws::PollWorkflowTaskQueueResponse> pollWorkflow(const std::string &queue = "tq", bool sticky = false,
                                                          std::chrono::milliseconds wait = std::chrono::seconds(10))
    {
        ws::PollWorkflowTaskQueueRequest req;
        req.set_namespace_("default");
        req.mutable_task_queue()->set_name(queue);
        req.mutable_task_queue()->set_kind(sticky ? en::TASK_QUEUE_KIND_STICKY : en::TASK_QUEUE_KIND_NORMAL);
        req.set_identity("test-worker");
        return call<ws::PollWorkflowTaskQueueResponse>("PollWorkflowTaskQueue", req, wait);
    }

    Reply<ws::PollActivityTaskQueueResponse> pollActivity(const std::string &queue = "tq",
                                                          std::chrono::milliseconds wait = std::chrono::seconds(10))
    {
        ws::PollActivityTaskQueueRequest req;
        req.set_namespace_("default");
        req.mutable_task_queue()->set_name(queue);
        req.set_identity("test-worker");
        return call<ws::PollActivityTaskQueueResponse>("PollActivityTaskQueue", req, wait);
    }

    Reply<ws::RespondWorkflowTaskCompletedResponse>
    complete(const std::string &token, std::vector<temporal::api::command::v1::Command> commands,
             const std::string &stickyQueue = {})
    {
        ws::RespondWorkflowTaskCompletedRequest req;
        req.set_namespace_("default");
        req.set_task_token(token);
        req.set_identity("test-worker");
        for (auto &c : commands)
            *req.add_commands() = std::move(c);
        if (!stickyQueue.empty()) {
            req.mutable_sticky_attributes()->mutable_worker_task_queue()->set_name(stickyQueue);
            req.mutable_sticky_attributes()->mutable_worker_task_queue()->set_kind(en::TASK_QUEUE_KIND_STICKY);
            req.mutable_sticky_attributes()->mutable_schedule_to_start_timeout()->set_seconds(10);
        }
        req.mutable_sdk_metadata()->add_lang_used_flags(1);
        return call<ws::RespondWorkflowTaskCompletedResponse>("RespondWorkflowTaskCompleted", req);
    }

    Reply<ws::RespondActivityTaskCompletedResponse> completeActivity(const std::string &token)
    {
        ws::RespondActivityTaskCompletedRequest req;
        req.set_namespace_("default");
        req.set_task_token(token);
        req.set_identity("test-worker");
        auto *p = req.mutable_result()->add_payloads();
        (*p->mutable_metadata())["encoding"] = "json/plain";
        p->set_data("\"done\"");
        return call<ws::RespondActivityTaskCompletedResponse>("RespondActivityTaskCompleted", req);
    }

    Reply<ws::RespondActivityTaskFailedResponse> failActivity(const std::string &token, const std::string &message,
                                                              bool nonRetryable = false)
    {
        ws::RespondActivityTaskFailedRequest req;
        req.set_namespace_("default");
        req.set_task_token(token);
        req.set_identity("test-worker");
        req.mutable_failure()->set_message(message);
        req.mutable_failure()->mutable_application_failure_info()->set_type("Error");
        req.mutable_failure()->mutable_application_failure_info()->set_non_retryable(nonRetryable);
        return call<ws::RespondActivityTaskFailedResponse>("RespondActivityTaskFailed", req);
    }

    Reply<ws::GetWorkflowExecutionHistoryResponse> history(const std::string &workflowId, const std::string &runId = {})
    {
        ws::GetWorkflowExecutionHistoryRequest req;
        req.set_namespace_("default");
        req.mutable_execution()->set_workflow_id(workflowId);
        req.mutable_execution()->set_run_id(runId);
        return call<ws::GetWorkflowExecutionHistoryResponse>("GetWorkflowExecutionHistory", req);
    }

    // "1 WorkflowExecutionStarted, 2 WorkflowTaskScheduled, ..." as numbers of EventType.
    std::vector<int> eventTypes(const std::string &workflowId)
    {
        std::vector<int> out;
        const auto reply = history(workflowId);
        for (const auto &e : reply.resp.history().events())
            out.push_back(e.event_type());
        return out;
    }

    static temporal::api::command::v1::Command scheduleActivity(const std::string &id, int startToCloseSec = 10,
                                                                int maxAttempts = 0, int initialIntervalMs = 100)
    {
        temporal::api::command::v1::Command c;
        c.set_command_type(en::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK);
        auto *a = c.mutable_schedule_activity_task_command_attributes();
        a->set_activity_id(id);
        a->mutable_activity_type()->set_name("Act");
        a->mutable_start_to_close_timeout()->set_seconds(startToCloseSec);
        a->mutable_retry_policy()->mutable_initial_interval()->set_nanos(initialIntervalMs * 1000000);
        a->mutable_retry_policy()->set_maximum_attempts(maxAttempts);
        return c;
    }
    static temporal::api::command::v1::Command completeWorkflow()
    {
        temporal::api::command::v1::Command c;
        c.set_command_type(en::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION);
        auto *p = c.mutable_complete_workflow_execution_command_attributes()->mutable_result()->add_payloads();
        (*p->mutable_metadata())["encoding"] = "json/plain";
        p->set_data("\"ok\"");
        return c;
    }
    static temporal::api::command::v1::Command startTimer(const std::string &id, int ms)
    {
        temporal::api::command::v1::Command c;
        c.set_command_type(en::COMMAND_TYPE_START_TIMER);
        c.mutable_start_timer_command_attributes()->set_timer_id(id);
        c.mutable_start_timer_command_attributes()->mutable_start_to_fire_timeout()->set_seconds(ms / 1000);
        c.mutable_start_timer_command_attributes()->mutable_start_to_fire_timeout()->set_nanos((ms % 1000) * 1000000);
        return c;
    }

private:
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Service> m_service;
};

} // namespace Nebula::DevServer::Testing
