#pragma once

#include "common/result.h"

#include <grpcpp/support/status.h>

#include <QByteArray>
#include <QString>

#include <string>
#include <vector>

namespace Nebula::DevServer {

// What a caller may do. reader: describe/list/count/history/query/system info; operator: reader +
// start/signal/cancel/terminate; worker: reader + poll/respond/heartbeat; admin: everything.
enum class Role { None, Reader, Operator, Worker, Admin };
enum class Access { Read, Operate, Work, Admin };

Role parseRole(const QString &name); // "viewer" counts as reader; None when unknown
bool roleAllows(Role role, Access access);

// Bearer-token authorization (--auth-keys FILE, optionally --jwt-key-file FILE). The keys file has
// one "ROLE TOKEN" pair per line (whitespace separated; '#' starts a comment); JWTs are HS256,
// verified with the key file's bytes (trailing newline stripped), role in the "role" claim.
class Auth
{
public:
    static Result<Auth> load(const QString &keysFile, const QString &jwtKeyFile);
    static Auth fromKeys(std::vector<std::pair<Role, QByteArray>> keys, QByteArray jwtKey = {});

    // OK, UNAUTHENTICATED (no/unknown/expired token) or PERMISSION_DENIED (role too weak).
    grpc::Status check(const std::string &authorizationHeader, Access access, const std::string &method) const;

private:
    std::vector<std::pair<Role, QByteArray>> m_keys;
    QByteArray m_jwtKey;
};

} // namespace Nebula::DevServer
