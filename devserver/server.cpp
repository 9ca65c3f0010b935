#include "server.h"

#include "engine.h"
#include "service.h"
#include "store.h"

#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <QDir>
#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::DevServer {

Result<std::unique_ptr<DevServer>> DevServer::start(const Options &options)
{
    std::optional<Auth> auth;
    if (!options.authKeys.isEmpty()) {
        auto loaded = Auth::load(options.authKeys, options.jwtKeyFile);
        if (!loaded)
            return loaded.error();
        auth = std::move(*loaded);
    }
    if (options.db != u":memory:"_s) {
        const QString dir = QFileInfo(options.db).absolutePath();
        if (!QDir().mkpath(dir))
            return makeError(ErrorCode::Io, u"cannot create the directory %1 for --db"_s.arg(dir));
    }
    auto store = Store::open(options.db);
    if (!store)
        return store.error();
    EngineOptions eo;
    eo.namespaces = options.namespaces;
    auto engine = Engine::create(std::move(*store), eo);
    if (!engine)
        return engine.error();

    std::unique_ptr<DevServer> server(new DevServer);
    server->m_engine = std::move(*engine);
    server->m_service = std::make_unique<Service>(*server->m_engine, std::move(auth));
    server->m_bind = options.bind;

    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    // Without this a second server could silently share the port (SO_REUSEPORT).
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.SetMaxReceiveMessageSize(64 * 1024 * 1024);
    builder.SetMaxSendMessageSize(128 * 1024 * 1024);
    const QString host = options.bind.contains(u':') ? u"[%1]"_s.arg(options.bind) : options.bind;
    int selectedPort = 0;
    builder.AddListeningPort(QString(host + u":"_s + QString::number(options.port)).toStdString(),
                             grpc::InsecureServerCredentials(), &selectedPort);
    builder.RegisterCallbackGenericService(server->m_service.get());
    server->m_server = builder.BuildAndStart();
    if (!server->m_server || selectedPort == 0) {
        server->m_engine->shutdown();
        return makeError(ErrorCode::Unavailable,
                         u"port %1 on %2 is in use; pass --port"_s.arg(options.port).arg(options.bind));
    }
    server->m_port = selectedPort;
    if (auto *health = server->m_server->GetHealthCheckService()) {
        health->SetServingStatus(Service::ServiceName, true);
        health->SetServingStatus("", true);
    }
    return server;
}

DevServer::~DevServer()
{
    shutdown();
}

QString DevServer::address() const
{
    return m_bind + u":"_s + QString::number(m_port);
}

void DevServer::shutdown()
{
    if (m_engine)
        m_engine->shutdown();
    if (m_server) {
        m_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
        m_server->Wait();
        m_server.reset();
    }
}

} // namespace Nebula::DevServer
