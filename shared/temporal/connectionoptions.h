#pragma once

#include "common/result.h"

#include <QMap>
#include <QProcessEnvironment>
#include <QString>

namespace Nebula::Temporal {

// How to reach a Temporal frontend, with the temporal CLI's conventions and environment variables:
//   TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default "default"),
//   TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CA_PATH, TEMPORAL_TLS_CLIENT_CERT_PATH,
//   TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_SERVER_NAME (older names TEMPORAL_TLS_CA,
//   TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY are accepted too).
struct ConnectionOptions
{
    QString address = QStringLiteral("127.0.0.1:7233");
    QString nameSpace = QStringLiteral("default");
    bool tls = false;          // implied by any of the TLS files or the server name
    QString tlsCaFile;         // PEM; empty = system roots
    QString tlsCertFile;       // client certificate (mTLS)
    QString tlsKeyFile;        // client key (mTLS)
    QString tlsServerName;     // overrides the name checked against the server certificate
    QString apiKey;            // sent as "authorization: Bearer <key>" (API key or session token)
    QString identity;          // default "<pid>@<hostname>"
    QString clientName = QStringLiteral("nebulaops");
    QString clientVersion; // default: the NebulaOps version
    QMap<QString, QString> headers; // extra gRPC metadata (lowercase ASCII keys)

    // Reads the TEMPORAL_* variables over the defaults (or over `base`).
    static ConnectionOptions fromEnvironment(const QProcessEnvironment &env, ConnectionOptions base);
    static ConnectionOptions fromEnvironment(const QProcessEnvironment &env);
    // Checks what a person can get wrong: address syntax, TLS files readable, key without cert.
    Result<void> validate() const;
    bool usesTls() const;
    QString effectiveIdentity() const;
};

QString defaultIdentity();

} // namespace Nebula::Temporal
