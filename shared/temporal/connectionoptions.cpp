#include "temporal/connectionoptions.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSysInfo>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal {
namespace {

QString firstOf(const QProcessEnvironment &env, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        const auto value = env.value(QString::fromLatin1(name));
        if (!value.isEmpty())
            return value;
    }
    return {};
}

bool isTrue(const QString &value)
{
    const auto v = value.trimmed().toLower();
    return v == u"1"_s || v == u"true"_s || v == u"yes"_s || v == u"on"_s;
}

Result<void> checkReadable(const QString &path, const QString &what)
{
    if (path.isEmpty())
        return {};
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(ErrorCode::InvalidArgument, u"The %1 file %2 does not exist."_s.arg(what, path));
    if (!info.isFile() || !info.isReadable())
        return makeError(ErrorCode::InvalidArgument, u"The %1 file %2 cannot be read."_s.arg(what, path));
    return {};
}

} // namespace

QString defaultIdentity()
{
    return u"%1@%2"_s.arg(QCoreApplication::applicationPid()).arg(QSysInfo::machineHostName());
}

ConnectionOptions ConnectionOptions::fromEnvironment(const QProcessEnvironment &env, ConnectionOptions base)
{
    ConnectionOptions o = std::move(base);
    if (auto v = firstOf(env, {"TEMPORAL_ADDRESS"}); !v.isEmpty())
        o.address = v;
    if (auto v = firstOf(env, {"TEMPORAL_NAMESPACE"}); !v.isEmpty())
        o.nameSpace = v;
    if (auto v = firstOf(env, {"TEMPORAL_API_KEY"}); !v.isEmpty())
        o.apiKey = v;
    if (auto v = firstOf(env, {"TEMPORAL_TLS_CA_PATH", "TEMPORAL_TLS_CA"}); !v.isEmpty())
        o.tlsCaFile = v;
    if (auto v = firstOf(env, {"TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CERT"}); !v.isEmpty())
        o.tlsCertFile = v;
    if (auto v = firstOf(env, {"TEMPORAL_TLS_CLIENT_KEY_PATH", "TEMPORAL_TLS_KEY"}); !v.isEmpty())
        o.tlsKeyFile = v;
    if (auto v = firstOf(env, {"TEMPORAL_TLS_SERVER_NAME"}); !v.isEmpty())
        o.tlsServerName = v;
    if (auto v = firstOf(env, {"TEMPORAL_TLS"}); !v.isEmpty())
        o.tls = isTrue(v);
    if (auto v = firstOf(env, {"TEMPORAL_IDENTITY"}); !v.isEmpty())
        o.identity = v;
    return o;
}

ConnectionOptions ConnectionOptions::fromEnvironment(const QProcessEnvironment &env)
{
    return fromEnvironment(env, ConnectionOptions());
}

bool ConnectionOptions::usesTls() const
{
    return tls || !tlsCaFile.isEmpty() || !tlsCertFile.isEmpty() || !tlsKeyFile.isEmpty()
           || !tlsServerName.isEmpty();
}

QString ConnectionOptions::effectiveIdentity() const
{
    return identity.isEmpty() ? defaultIdentity() : identity;
}

Result<void> ConnectionOptions::validate() const
{
    const auto colon = address.lastIndexOf(u':');
    bool portOk = false;
    const int port = colon > 0 ? address.mid(colon + 1).toInt(&portOk) : 0;
    if (address.trimmed().isEmpty() || colon <= 0 || !portOk || port <= 0 || port > 65535)
        return makeError(ErrorCode::InvalidArgument,
                         u"The Temporal address \"%1\" is not HOST:PORT (for example 127.0.0.1:7233)."_s.arg(
                             address.left(200)));
    if (nameSpace.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, u"The Temporal namespace is empty; use \"default\" or your namespace."_s);
    if (tlsCertFile.isEmpty() != tlsKeyFile.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         u"mTLS needs both a client certificate and its key; only one was given."_s);
    for (const auto &[path, what] : {std::pair{tlsCaFile, u"TLS CA certificate"_s},
                                     std::pair{tlsCertFile, u"TLS client certificate"_s},
                                     std::pair{tlsKeyFile, u"TLS client key"_s}}) {
        if (auto ok = checkReadable(path, what); !ok)
            return ok;
    }
    for (auto it = headers.cbegin(); it != headers.cend(); ++it) {
        const auto &key = it.key();
        if (key.isEmpty() || key != key.toLower() || key.startsWith(u"grpc-"_s))
            return makeError(ErrorCode::InvalidArgument,
                             u"The header name \"%1\" is not allowed: use lowercase names that do not start with grpc-."_s.arg(key.left(64)));
    }
    return {};
}

} // namespace Nebula::Temporal
