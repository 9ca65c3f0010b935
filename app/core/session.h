#pragma once

#include "common/result.h"
#include "core/roles.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>

namespace Nebula::Console {

class SecretStore;

struct Session
{
    QString user;
    Role role = Role::Viewer;
    QByteArray token; // HS256 JWT: sub, role, iat, exp
    QDateTime expiresAt;
};

// Session tokens: HS256 JWTs signed with a key that lives in the keychain (created on first use).
// nebula-devserver verifies the same tokens when given the key (exportKey / --export-session-key).
// "Remember me" keeps a longer-lived token in the keychain only; logout removes it.
class SessionManager final : public QObject
{
    Q_OBJECT

public:
    static constexpr auto SessionLifetime = std::chrono::hours(8);
    static constexpr auto RememberLifetime = std::chrono::hours(24 * 14);
    static inline const QString KeyEntry = QStringLiteral("session-signing-key");
    static inline const QString RememberEntry = QStringLiteral("remembered-session");

    explicit SessionManager(SecretStore *secrets, QObject *parent = nullptr);

    // Loads the signing key, creating and storing one on first run. When the keychain cannot keep
    // it, a key for this process only is used and `warning` says what that means.
    void loadKey(QObject *context, std::function<void(const Result<void> &)> done);
    bool hasKey() const { return !m_key.isEmpty(); }
    bool keyIsPersistent() const { return m_keyPersistent; }
    QString keyWarning() const { return m_keyWarning; }
    QByteArray key() const { return m_key; }

    Session issue(const QString &user, Role role, std::chrono::seconds lifetime = SessionLifetime,
                  const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    Result<Session> verify(const QByteArray &token, const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

    // Remember me: store a long-lived token for `session` in the keychain.
    void remember(const Session &session, QObject *context, std::function<void(const Result<void> &)> done);
    // The remembered session, if any, still valid and signed by our key (NotFound otherwise).
    void resume(QObject *context, std::function<void(const Result<Session> &)> done);
    void forget(QObject *context, std::function<void(const Result<void> &)> done);

    // Writes the key to `path` (mode 0600) for a local nebula-devserver: the file holds the HMAC key
    // bytes exactly, no newline.
    Result<void> exportKey(const QString &path) const;

private:
    SecretStore *m_secrets;
    QByteArray m_key;
    bool m_keyPersistent = false;
    QString m_keyWarning;
};

} // namespace Nebula::Console
