#pragma once

#include "common/result.h"
#include "temporal/connectionoptions.h"

#include <temporal/api/workflowservice/v1/service.grpc.pb.h>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <chrono>
#include <memory>
#include <mutex>

namespace Nebula::Temporal {

using WorkflowService = temporal::api::workflowservice::v1::WorkflowService;

// One gRPC channel to a Temporal frontend plus the request metadata every call carries
// (client-name, client-version, temporal-namespace, authorization, user headers).
// Thread-safe; shared by the client and the worker runtime.
class Connection
{
public:
    static Result<std::shared_ptr<Connection>> create(const ConnectionOptions &options);

    const ConnectionOptions &options() const { return m_options; }
    const std::string &nameSpace() const { return m_namespace; }
    const std::string &identity() const { return m_identity; }
    WorkflowService::Stub &stub() { return *m_stub; }
    std::shared_ptr<grpc::Channel> channel() const { return m_channel; }

    // A context with the metadata applied and a deadline `timeout` from now.
    std::unique_ptr<grpc::ClientContext> newContext(std::chrono::milliseconds timeout) const;
    void setAuthToken(const QString &token);

private:
    explicit Connection(ConnectionOptions options);

    ConnectionOptions m_options;
    std::string m_namespace;
    std::string m_identity;
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<WorkflowService::Stub> m_stub;
    mutable std::mutex m_mutex;
    std::string m_authorization;
};

// Maps a failed gRPC status to an Error a person can act on. `rpc` names the call
// ("StartWorkflowExecution"), `address` the server; detail carries code, server text and the
// Temporal error-detail type. data may carry {"runId": ...} for an already started workflow.
Error errorFromStatus(const grpc::Status &status, const char *rpc, const QString &address);
bool isRetryable(grpc::StatusCode code);

} // namespace Nebula::Temporal
