#include "common/jwt.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Jwt {
namespace {

constexpr auto B64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray mac(const QByteArray &data, const QByteArray &key)
{
    return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha256);
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

Error invalid(const QString &detail)
{
    return makeError(ErrorCode::Unauthenticated,
                     u"The session token is not valid; log in again."_s, detail);
}

} // namespace

QByteArray sign(const Claims &claims, const QByteArray &key)
{
    QJsonObject payload = claims.extra;
    payload.insert(u"sub"_s, claims.subject);
    payload.insert(u"role"_s, claims.role);
    payload.insert(u"iat"_s, claims.issuedAt.toSecsSinceEpoch());
    payload.insert(u"exp"_s, claims.expiresAt.toSecsSinceEpoch());
    const QByteArray header = QJsonDocument(QJsonObject{{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}})
                                  .toJson(QJsonDocument::Compact)
                                  .toBase64(B64);
    const QByteArray body = QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(B64);
    const QByteArray signingInput = header + '.' + body;
    return signingInput + '.' + mac(signingInput, key).toBase64(B64);
}

Result<Claims> verify(const QByteArray &token, const QByteArray &key, const QDateTime &now,
                      int leewaySeconds)
{
    if (key.isEmpty())
        return invalid(u"no verification key configured"_s);
    const auto parts = token.split('.');
    if (parts.size() != 3)
        return invalid(u"token is not a compact JWS (three dot-separated parts)"_s);
    const auto decode = [](const QByteArray &part) {
        return QByteArray::fromBase64Encoding(part, B64);
    };
    const auto header = decode(parts[0]);
    const auto body = decode(parts[1]);
    const auto signature = decode(parts[2]);
    if (!header || !body || !signature)
        return invalid(u"token parts are not base64url"_s);
    if ((*header).isEmpty() || (*body).isEmpty() || !QJsonDocument::fromJson(*header).isObject())
        return invalid(u"token header or payload is not base64url-encoded JSON"_s);
    const auto headerJson = QJsonDocument::fromJson(*header).object();
    if (headerJson.value(u"alg"_s).toString() != u"HS256"_s)
        return invalid(u"unsupported algorithm \"%1\"; only HS256 is accepted"_s.arg(
            headerJson.value(u"alg"_s).toString().left(16)));
    if (!constantTimeEquals(mac(parts[0] + '.' + parts[1], key), *signature))
        return invalid(u"signature does not match"_s);
    QJsonObject payload = QJsonDocument::fromJson(*body).object();
    if (!payload.value(u"exp"_s).isDouble())
        return invalid(u"token has no exp claim"_s);
    Claims claims;
    claims.subject = payload.take(u"sub"_s).toString();
    claims.role = payload.take(u"role"_s).toString();
    claims.issuedAt = QDateTime::fromSecsSinceEpoch(payload.take(u"iat"_s).toInteger(), Qt::UTC);
    claims.expiresAt = QDateTime::fromSecsSinceEpoch(payload.take(u"exp"_s).toInteger(), Qt::UTC);
    claims.extra = payload;
    if (now.addSecs(-leewaySeconds) >= claims.expiresAt)
        return makeError(ErrorCode::Unauthenticated, u"The session has expired; log in again."_s,
                         u"token expired at %1"_s.arg(claims.expiresAt.toString(Qt::ISODate)));
    if (claims.issuedAt.isValid() && claims.issuedAt > now.addSecs(leewaySeconds))
        return invalid(u"token issued in the future"_s);
    return claims;
}

} // namespace Nebula::Jwt
