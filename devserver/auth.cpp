#include "auth.h"

#include "protoutil.h"

#include "common/jwt.h"

#include <temporal/api/errordetails/v1/message.pb.h>

#include <QDateTime>
#include <QFile>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::DevServer {

namespace {

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
    return diff == 0;
}

} // namespace

Role parseRole(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"reader"_s || n == u"viewer"_s)
        return Role::Reader;
    if (n == u"operator"_s)
        return Role::Operator;
    if (n == u"worker"_s)
        return Role::Worker;
    if (n == u"admin"_s)
        return Role::Admin;
    return Role::None;
}

bool roleAllows(Role role, Access access)
{
    switch (role) {
    case Role::Admin:
        return true;
    case Role::Operator:
        return access == Access::Read || access == Access::Operate;
    case Role::Worker:
        return access == Access::Read || access == Access::Work;
    case Role::Reader:
        return access == Access::Read;
    case Role::None:
        break;
    }
    return false;
}

Result<Auth> Auth::load(const QString &keysFile, const QString &jwtKeyFile)
{
    std::vector<std::pair<Role, QByteArray>> keys;
    QFile f(keysFile);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"cannot read the auth keys file %1; check --auth-keys"_s.arg(keysFile),
                         f.errorString());
    int lineNo = 0;
    while (!f.atEnd()) {
        ++lineNo;
        QByteArray line = f.readLine();
        const auto hash = line.indexOf('#');
        if (hash >= 0)
            line.truncate(hash);
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> parts = line.simplified().split(' ');
        if (parts.size() != 2)
            return makeError(ErrorCode::Parse,
                             u"%1 line %2: expected \"ROLE TOKEN\" (e.g. \"operator 3f9c…\")"_s.arg(keysFile).arg(lineNo));
        const Role role = parseRole(QString::fromUtf8(parts[0]));
        if (role == Role::None)
            return makeError(ErrorCode::Parse,
                             u"%1 line %2: unknown role \"%3\"; use reader, operator, worker or admin"_s.arg(keysFile)
                                 .arg(lineNo)
                                 .arg(QString::fromUtf8(parts[0])));
        if (parts[1].size() < 16)
            return makeError(ErrorCode::Parse,
                             u"%1 line %2: the token is shorter than 16 characters"_s.arg(keysFile).arg(lineNo));
        keys.emplace_back(role, parts[1]);
    }
    QByteArray jwtKey;
    if (!jwtKeyFile.isEmpty()) {
        QFile k(jwtKeyFile);
        if (!k.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Io, u"cannot read the JWT key file %1; check --jwt-key-file"_s.arg(jwtKeyFile),
                             k.errorString());
        jwtKey = k.readAll();
        while (jwtKey.endsWith('\n') || jwtKey.endsWith('\r'))
            jwtKey.chop(1);
        if (jwtKey.size() < 16)
            return makeError(ErrorCode::Parse, u"the JWT key in %1 is shorter than 16 bytes"_s.arg(jwtKeyFile));
    }
    return fromKeys(std::move(keys), std::move(jwtKey));
}

Auth Auth::fromKeys(std::vector<std::pair<Role, QByteArray>> keys, QByteArray jwtKey)
{
    Auth a;
    a.m_keys = std::move(keys);
    a.m_jwtKey = std::move(jwtKey);
    return a;
}

grpc::Status Auth::check(const std::string &header, Access access, const std::string &method) const
{
    static const std::string Prefix = "Bearer ";
    if (header.size() <= Prefix.size() || header.compare(0, Prefix.size(), Prefix) != 0)
        return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                            "authorization required: send the metadata \"authorization: Bearer <token>\"");
    const QByteArray token = QByteArray::fromStdString(header.substr(Prefix.size())).trimmed();
    Role role = Role::None;
    for (const auto &[r, key] : m_keys) {
        if (constantTimeEquals(token, key))
            role = r;
    }
    if (role == Role::None && !m_jwtKey.isEmpty() && token.count('.') == 2) {
        auto claims = Jwt::verify(token, m_jwtKey, QDateTime::currentDateTimeUtc());
        if (!claims)
            return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "invalid token: " + claims.error().message.toStdString());
        role = parseRole(claims->role);
        if (role == Role::None)
            return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "the token's role claim is missing or unknown");
    }
    if (role == Role::None)
        return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "invalid token");
    if (!roleAllows(role, access)) {
        temporal::api::errordetails::v1::PermissionDeniedFailure detail;
        detail.set_reason("role does not allow " + method);
        return detailedStatus(grpc::StatusCode::PERMISSION_DENIED,
                                    "Request unauthorized: this token's role does not allow " + method, detail);
    }
    return grpc::Status::OK;
}

} // namespace Nebula::DevServer
