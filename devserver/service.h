#pragma once

#include "auth.h"
#include "call.h"

#include <grpcpp/generic/async_generic_service.h>

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

namespace Nebula::DevServer {

class Engine;

// The WorkflowService over gRPC's generic callback API: one table maps full method names to
// handlers, so every RPC outside the subset answers UNIMPLEMENTED naming itself, authorization
// happens in one place, and dispatch() can be driven without a network (tests, fuzzing).
class Service final : public grpc::CallbackGenericService
{
public:
    Service(Engine &engine, std::optional<Auth> auth);

    grpc::ServerGenericBidiReactor *CreateReactor(grpc::GenericCallbackServerContext *ctx) override;

    // method: "/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution" etc.
    void dispatch(const std::string &method, const std::string &request, const std::string &authorization,
                  CallPtr call);

    static constexpr const char *ServiceName = "temporal.api.workflowservice.v1.WorkflowService";

private:
    struct Handler
    {
        Access access = Access::Read;
        std::function<void(const std::string &, CallPtr)> fn;
    };
    template <typename Req, typename Resp, typename Fn>
    void addUnary(const char *name, Access access, Fn fn);
    template <typename Req, typename Fn>
    void addAsync(const char *name, Access access, Fn fn);
    void registerHandlers();

    Engine &m_engine;
    std::optional<Auth> m_auth;
    std::unordered_map<std::string, Handler> m_handlers;
};

} // namespace Nebula::DevServer
