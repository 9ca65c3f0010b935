#pragma once

#include "common/result.h"
#include "options.h"

#include <memory>

namespace grpc {
class Server;
}

namespace Nebula::DevServer {

class Engine;
class Service;

// The whole dev server: SQLite store, engine, gRPC server (WorkflowService + health). Used by
// main() and by in-process tests.
class DevServer
{
public:
    static Result<std::unique_ptr<DevServer>> start(const Options &options);
    ~DevServer();
    DevServer(const DevServer &) = delete;
    DevServer &operator=(const DevServer &) = delete;

    int port() const { return m_port; }
    QString address() const;
    Engine &engine() { return *m_engine; }
    Service &service() { return *m_service; }
    // Ends long polls, stops accepting calls and waits for running ones. Idempotent.
    void shutdown();

private:
    DevServer() = default;

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Service> m_service;
    std::unique_ptr<grpc::Server> m_server;
    QString m_bind;
    int m_port = 0;
};

} // namespace Nebula::DevServer
