#include "core/session.h"

#include "common/jwt.h"
#include "core/secretstore.h"

#include <QFile>

#include <openssl/rand.h>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

// 32 random bytes, kept as unpadded base64url text: the text itself is the HMAC key, so the key
// file for nebula-devserver is plain ASCII.
QByteArray newKey()
{
    QByteArray raw(32, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), 32) != 1)
        qFatal("OpenSSL could not produce random bytes for the session key");
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

SessionManager::SessionManager(SecretStore *secrets, QObject *parent) : QObject(parent), m_secrets(secrets) {}

void SessionManager::loadKey(QObject *context, std::function<void(const Result<void> &)> done)
{
    m_secrets->read(KeyEntry, context, [this, context, done](const Result<QByteArray> &r) {
        if (r && r->size() >= 32) {
            m_key = *r;
            m_keyPersistent = m_secrets->persistent();
            done({});
            return;
        }
        const bool missing = !r && r.error().code == ErrorCode::NotFound;
        if (!r && !missing) {
            m_key = newKey();
            m_keyPersistent = false;
            m_keyWarning = tr("The keychain is not available (%1): sessions last only while the console "
                              "runs and \"Remember me\" is off.").arg(r.error().message);
            done({});
            return;
        }
        const QByteArray key = newKey();
        m_secrets->write(KeyEntry, key, context, [this, key, done](const Result<void> &w) {
            m_key = key;
            m_keyPersistent = w.ok() && m_secrets->persistent();
            if (!w)
                m_keyWarning = tr("The session key could not be saved in the keychain (%1): sessions last "
                                  "only while the console runs.").arg(w.error().message);
            done({});
        });
    });
}

Session SessionManager::issue(const QString &user, Role role, std::chrono::seconds lifetime, const QDateTime &now) const
{
    Q_ASSERT_X(!m_key.isEmpty(), "SessionManager::issue", "loadKey() first");
    Jwt::Claims claims;
    claims.subject = user;
    claims.role = roleName(role);
    claims.issuedAt = now;
    claims.expiresAt = now.addSecs(lifetime.count());
    return Session{user, role, Jwt::sign(claims, m_key), claims.expiresAt};
}

Result<Session> SessionManager::verify(const QByteArray &token, const QDateTime &now) const
{
    if (m_key.isEmpty())
        return makeError(ErrorCode::FailedPrecondition, tr("The session key is not loaded."));
    auto claims = Jwt::verify(token, m_key, now, 0);
    if (!claims)
        return claims.error();
    Role role;
    if (!roleFromName(claims->role, &role) || claims->subject.isEmpty())
        return makeError(ErrorCode::Unauthenticated, tr("The session token is not valid; log in again."),
                         u"unknown role or empty subject"_s);
    return Session{claims->subject, role, token, claims->expiresAt};
}

void SessionManager::remember(const Session &session, QObject *context, std::function<void(const Result<void> &)> done)
{
    if (!m_keyPersistent) {
        done(makeError(ErrorCode::FailedPrecondition, tr("\"Remember me\" needs the system keychain, which is not available.")));
        return;
    }
    const auto longLived = issue(session.user, session.role, std::chrono::duration_cast<std::chrono::seconds>(RememberLifetime));
    m_secrets->write(RememberEntry, longLived.token, context, std::move(done));
}

void SessionManager::resume(QObject *context, std::function<void(const Result<Session> &)> done)
{
    m_secrets->read(RememberEntry, context, [this, done](const Result<QByteArray> &r) {
        if (!r) {
            done(r.error());
            return;
        }
        auto s = verify(*r);
        if (!s) {
            done(s.error());
            return;
        }
        done(*s);
    });
}

void SessionManager::forget(QObject *context, std::function<void(const Result<void> &)> done)
{
    m_secrets->remove(RememberEntry, context, std::move(done));
}

Result<void> SessionManager::exportKey(const QString &path) const
{
    if (m_key.isEmpty())
        return makeError(ErrorCode::FailedPrecondition, tr("The session key is not loaded."));
    // Owner-only from the first byte: tighten an existing file before writing, create new ones 0600.
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    QFile file(path);
    if (file.exists() && !file.setPermissions(ownerOnly))
        return makeError(ErrorCode::Io, tr("Cannot restrict the permissions of %1: %2").arg(path, file.errorString()));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate, ownerOnly))
        return makeError(ErrorCode::Io, tr("Cannot write %1: %2").arg(path, file.errorString()));
    if (file.write(m_key) != m_key.size() || !file.flush())
        return makeError(ErrorCode::Io, tr("Cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace Nebula::Console
