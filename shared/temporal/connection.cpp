#include "temporal/connection.h"

#include "common/version.h"
#include "temporal/grpcstatus.h"

#include <temporal/api/errordetails/v1/message.pb.h>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <QFile>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal {
namespace {

Result<std::string> readFile(const QString &path, const QString &what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"Cannot read the %1 file %2."_s.arg(what, path), file.errorString());
    return file.readAll().toStdString();
}

QString codeName(grpc::StatusCode code)
{
    switch (code) {
    case grpc::OK: return u"OK"_s;
    case grpc::CANCELLED: return u"CANCELLED"_s;
    case grpc::UNKNOWN: return u"UNKNOWN"_s;
    case grpc::INVALID_ARGUMENT: return u"INVALID_ARGUMENT"_s;
    case grpc::DEADLINE_EXCEEDED: return u"DEADLINE_EXCEEDED"_s;
    case grpc::NOT_FOUND: return u"NOT_FOUND"_s;
    case grpc::ALREADY_EXISTS: return u"ALREADY_EXISTS"_s;
    case grpc::PERMISSION_DENIED: return u"PERMISSION_DENIED"_s;
    case grpc::RESOURCE_EXHAUSTED: return u"RESOURCE_EXHAUSTED"_s;
    case grpc::FAILED_PRECONDITION: return u"FAILED_PRECONDITION"_s;
    case grpc::ABORTED: return u"ABORTED"_s;
    case grpc::OUT_OF_RANGE: return u"OUT_OF_RANGE"_s;
    case grpc::UNIMPLEMENTED: return u"UNIMPLEMENTED"_s;
    case grpc::INTERNAL: return u"INTERNAL"_s;
    case grpc::UNAVAILABLE: return u"UNAVAILABLE"_s;
    case grpc::DATA_LOSS: return u"DATA_LOSS"_s;
    case grpc::UNAUTHENTICATED: return u"UNAUTHENTICATED"_s;
    default: return u"STATUS_%1"_s.arg(static_cast<int>(code));
    }
}

} // namespace

Connection::Connection(ConnectionOptions options) : m_options(std::move(options))
{
    m_namespace = m_options.nameSpace.toStdString();
    m_identity = m_options.effectiveIdentity().toStdString();
    if (!m_options.apiKey.isEmpty())
        m_authorization = "Bearer " + m_options.apiKey.toStdString();
}

Result<std::shared_ptr<Connection>> Connection::create(const ConnectionOptions &options)
{
    if (auto ok = options.validate(); !ok)
        return ok.error();
    std::shared_ptr<Connection> c(new Connection(options));
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(128 * 1024 * 1024);
    args.SetMaxSendMessageSize(128 * 1024 * 1024);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 15000);
    // Reconnect quickly after the server comes back (defaults back off up to 120 s).
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    std::shared_ptr<grpc::ChannelCredentials> creds;
    if (options.usesTls()) {
        grpc::SslCredentialsOptions ssl;
        if (!options.tlsCaFile.isEmpty()) {
            auto ca = readFile(options.tlsCaFile, u"TLS CA certificate"_s);
            if (!ca)
                return ca.error();
            ssl.pem_root_certs = *ca;
        }
        if (!options.tlsCertFile.isEmpty()) {
            auto cert = readFile(options.tlsCertFile, u"TLS client certificate"_s);
            auto key = readFile(options.tlsKeyFile, u"TLS client key"_s);
            if (!cert)
                return cert.error();
            if (!key)
                return key.error();
            ssl.pem_cert_chain = *cert;
            ssl.pem_private_key = *key;
        }
        if (!options.tlsServerName.isEmpty())
            args.SetSslTargetNameOverride(options.tlsServerName.toStdString());
        creds = grpc::SslCredentials(ssl);
    } else {
        creds = grpc::InsecureChannelCredentials();
    }
    c->m_channel = grpc::CreateCustomChannel(options.address.toStdString(), creds, args);
    c->m_stub = WorkflowService::NewStub(c->m_channel);
    return c;
}

std::unique_ptr<grpc::ClientContext> Connection::newContext(std::chrono::milliseconds timeout) const
{
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + timeout);
    ctx->AddMetadata("client-name", m_options.clientName.toStdString());
    ctx->AddMetadata("client-version", (m_options.clientVersion.isEmpty() ? Nebula::version()
                                                                          : m_options.clientVersion)
                                           .toStdString());
    ctx->AddMetadata("temporal-namespace", m_namespace);
    bool userAuthorization = false;
    for (auto it = m_options.headers.cbegin(); it != m_options.headers.cend(); ++it) {
        ctx->AddMetadata(it.key().toStdString(), it.value().toStdString());
        userAuthorization = userAuthorization || it.key() == u"authorization"_s;
    }
    std::lock_guard lock(m_mutex);
    if (!userAuthorization && !m_authorization.empty())
        ctx->AddMetadata("authorization", m_authorization);
    return ctx;
}

void Connection::setAuthToken(const QString &token)
{
    std::lock_guard lock(m_mutex);
    m_authorization = token.isEmpty() ? std::string() : "Bearer " + token.toStdString();
}

bool isRetryable(grpc::StatusCode code)
{
    return code == grpc::UNAVAILABLE || code == grpc::RESOURCE_EXHAUSTED;
}

Error errorFromStatus(const grpc::Status &status, const char *rpc, const QString &address)
{
    const QString rpcName = QString::fromLatin1(rpc);
    const QString serverText = QString::fromStdString(status.error_message());
    const QString detailType = QString::fromStdString(firstDetailTypeName(status));
    QString detail = u"%1: %2: %3"_s.arg(rpcName, codeName(status.error_code()), serverText);
    if (!detailType.isEmpty())
        detail += u" ["_s + detailType + u']';

    Error e;
    e.detail = detail;
    switch (status.error_code()) {
    case grpc::UNAVAILABLE:
        e.code = ErrorCode::Unavailable;
        e.message = u"Cannot reach the Temporal server at %1. Check that it is running (make run starts "
                    u"one) and that the address is right."_s.arg(address);
        break;
    case grpc::DEADLINE_EXCEEDED:
        e.code = ErrorCode::DeadlineExceeded;
        e.message = rpcName == u"QueryWorkflow"_s
                        ? u"No worker answered the query in time. Is a nebula-worker running for this task queue?"_s
                        : u"The Temporal server at %1 did not answer in time (%2)."_s.arg(address, rpcName);
        break;
    case grpc::UNAUTHENTICATED:
        e.code = ErrorCode::Unauthenticated;
        e.message = u"The Temporal server rejected the credentials: log in again or check the API key."_s;
        break;
    case grpc::PERMISSION_DENIED:
        e.code = ErrorCode::PermissionDenied;
        e.message = u"Your role does not allow this action (%1)."_s.arg(rpcName);
        break;
    case grpc::NOT_FOUND:
        e.code = ErrorCode::NotFound;
        e.message = detailType == u"NamespaceNotFoundFailure"_s
                        ? u"The namespace does not exist on the Temporal server: check the connection profile."_s
                        : u"Not found: %1"_s.arg(serverText);
        break;
    case grpc::ALREADY_EXISTS: {
        e.code = ErrorCode::AlreadyExists;
        e.message = u"Already exists: %1"_s.arg(serverText);
        if (auto started = statusDetail<temporal::api::errordetails::v1::WorkflowExecutionAlreadyStartedFailure>(status)) {
            e.message = u"A run of this workflow is already in progress."_s;
            e.data.insert(u"runId"_s, QString::fromStdString(started->run_id()));
        }
        break;
    }
    case grpc::INVALID_ARGUMENT:
        e.code = ErrorCode::InvalidArgument;
        e.message = u"The Temporal server rejected the request: %1"_s.arg(serverText);
        break;
    case grpc::FAILED_PRECONDITION:
        e.code = ErrorCode::FailedPrecondition;
        e.message = u"The Temporal server cannot do this now: %1"_s.arg(serverText);
        break;
    case grpc::RESOURCE_EXHAUSTED:
        e.code = ErrorCode::ResourceExhausted;
        e.message = u"The Temporal server is busy (rate limited); try again shortly."_s;
        break;
    case grpc::CANCELLED:
        e.code = ErrorCode::Cancelled;
        e.message = u"The request was cancelled."_s;
        break;
    case grpc::UNIMPLEMENTED:
        e.code = ErrorCode::Unimplemented;
        e.message = u"The Temporal server does not support %1."_s.arg(rpcName);
        break;
    case grpc::ABORTED:
        e.code = ErrorCode::Aborted;
        e.message = u"The Temporal server aborted the request: %1"_s.arg(serverText);
        break;
    default:
        e.code = ErrorCode::Internal;
        e.message = u"The Temporal server failed: %1"_s.arg(serverText);
        break;
    }
    return e;
}

} // namespace Nebula::Temporal
