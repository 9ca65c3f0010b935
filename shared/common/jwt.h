#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Nebula::Jwt {

// Compact JWS with HS256 (RFC 7519 / 7515): what the console issues as its session token and what
// nebula-devserver verifies. Claims used by NebulaOps: sub, role, iat, exp (seconds since epoch).
struct Claims
{
    QString subject;
    QString role;
    QDateTime issuedAt;
    QDateTime expiresAt;
    QJsonObject extra; // any other claims, passed through
};

QByteArray sign(const Claims &claims, const QByteArray &key);

// Verifies the signature (constant-time), the algorithm (only HS256 is accepted; "none" and others
// are rejected) and the expiry against `now` (with `leewaySeconds` of clock skew).
Result<Claims> verify(const QByteArray &token, const QByteArray &key, const QDateTime &now,
                      int leewaySeconds = 30);

} // namespace Nebula::Jwt
