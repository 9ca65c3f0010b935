#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace Nebula::Console {

// Where the console keeps secrets: the session signing key, a remembered session, API keys.
// Asynchronous, because the OS keychain may prompt the user or talk D-Bus. Results arrive on
// the thread of `context` while it is alive. A missing entry is Error{NotFound}.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using ReadCallback = std::function<void(const Result<QByteArray> &)>;
    using WriteCallback = std::function<void(const Result<void> &)>;

    using QObject::QObject;

    virtual void read(const QString &key, QObject *context, ReadCallback callback) = 0;
    virtual void write(const QString &key, const QByteArray &value, QObject *context, WriteCallback callback) = 0;
    // Removing a missing entry succeeds.
    virtual void remove(const QString &key, QObject *context, WriteCallback callback) = 0;
    // A short description for the user ("the Secret Service keychain", "memory only").
    virtual QString description() const = 0;
    // false when secrets do not survive the process (memory fallback).
    virtual bool persistent() const = 0;
};

// The OS keychain through QtKeychain (Secret Service / KWallet on Linux, Keychain on macOS,
// Credential Manager on Windows). Never falls back to a plain file.
class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT

public:
    explicit KeychainSecretStore(QString service, QObject *parent = nullptr);
    void read(const QString &key, QObject *context, ReadCallback callback) override;
    void write(const QString &key, const QByteArray &value, QObject *context, WriteCallback callback) override;
    void remove(const QString &key, QObject *context, WriteCallback callback) override;
    QString description() const override;
    bool persistent() const override { return true; }

private:
    QString m_service;
};

// Secrets kept in memory only: used when no keychain is available (and by tests).
class MemorySecretStore final : public SecretStore
{
    Q_OBJECT

public:
    using SecretStore::SecretStore;
    void read(const QString &key, QObject *context, ReadCallback callback) override;
    void write(const QString &key, const QByteArray &value, QObject *context, WriteCallback callback) override;
    void remove(const QString &key, QObject *context, WriteCallback callback) override;
    QString description() const override;
    bool persistent() const override { return pretendPersistent; }

    QHash<QString, QByteArray> entries; // visible to tests
    bool pretendPersistent = false;     // tests: behave like a keychain that keeps secrets

    // For tests: fail every call with this error when set.
    std::optional<Error> failWith;
};

} // namespace Nebula::Console
