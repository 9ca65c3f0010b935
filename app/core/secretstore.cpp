#include "core/secretstore.h"

#include <qt6keychain/keychain.h>

#include <QPointer>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

Error keychainError(QKeychain::Error code, const QString &text)
{
    switch (code) {
    case QKeychain::EntryNotFound:
        return makeError(ErrorCode::NotFound, u"The keychain has no such entry."_s, text);
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return makeError(ErrorCode::PermissionDenied, u"Access to the keychain was denied."_s, text);
    case QKeychain::NoBackendAvailable:
        return makeError(ErrorCode::Unavailable,
                         u"No keychain is available (no Secret Service or KWallet running)."_s, text);
    default:
        return makeError(ErrorCode::Unavailable, u"The keychain failed: %1"_s.arg(text), text);
    }
}

template <typename Job, typename Fn>
void finish(Job *job, QObject *context, Fn onDone)
{
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [onDone = std::move(onDone)](QKeychain::Job *j) { onDone(j); });
    job->start();
}

// Delivers on the next event-loop turn, like the real keychain.
template <typename Fn>
void later(QObject *context, Fn fn)
{
    QMetaObject::invokeMethod(context, std::move(fn), Qt::QueuedConnection);
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent)
    : SecretStore(parent), m_service(std::move(service))
{
}

void KeychainSecretStore::read(const QString &key, QObject *context, ReadCallback callback)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    finish(job, context, [callback = std::move(callback)](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError)
            callback(keychainError(j->error(), j->errorString()));
        else
            callback(static_cast<QKeychain::ReadPasswordJob *>(j)->binaryData());
    });
}

void KeychainSecretStore::write(const QString &key, const QByteArray &value, QObject *context, WriteCallback callback)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setBinaryData(value);
    finish(job, context, [callback = std::move(callback)](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError)
            callback(keychainError(j->error(), j->errorString()));
        else
            callback(Result<void>());
    });
}

void KeychainSecretStore::remove(const QString &key, QObject *context, WriteCallback callback)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    finish(job, context, [callback = std::move(callback)](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError && j->error() != QKeychain::EntryNotFound)
            callback(keychainError(j->error(), j->errorString()));
        else
            callback(Result<void>());
    });
}

QString KeychainSecretStore::description() const
{
    return tr("the system keychain");
}

void MemorySecretStore::read(const QString &key, QObject *context, ReadCallback callback)
{
    Result<QByteArray> r = failWith ? Result<QByteArray>(*failWith)
                           : entries.contains(key)
                               ? Result<QByteArray>(entries.value(key))
                               : Result<QByteArray>(makeError(ErrorCode::NotFound, u"The keychain has no such entry."_s));
    later(context, [callback = std::move(callback), r]() { callback(r); });
}

void MemorySecretStore::write(const QString &key, const QByteArray &value, QObject *context, WriteCallback callback)
{
    Result<void> r;
    if (failWith)
        r = *failWith;
    else
        entries.insert(key, value);
    later(context, [callback = std::move(callback), r]() { callback(r); });
}

void MemorySecretStore::remove(const QString &key, QObject *context, WriteCallback callback)
{
    Result<void> r;
    if (failWith)
        r = *failWith;
    else
        entries.remove(key);
    later(context, [callback = std::move(callback), r]() { callback(r); });
}

QString MemorySecretStore::description() const
{
    return tr("memory only (no keychain available)");
}

} // namespace Nebula::Console
