#pragma once

#include "common/result.h"
#include "core/storedb.h"

#include <QDateTime>
#include <QString>

#include <chrono>

// Local accounts: first-run admin, login with throttling, user management. Every function runs
// against a StoreDb (on the store thread in the console) and writes its own audit entries.
namespace Nebula::Console::Accounts {

struct Policy
{
    int iterations = 600000; // PBKDF2 rounds for new hashes; lower only in tests
};

inline constexpr int FreeAttempts = 5;        // failures before any delay
inline constexpr int MaxDelaySeconds = 900;   // cap of the growing delay
inline constexpr int MinPasswordLength = 10;
inline constexpr int MaxPasswordLength = 1024;
inline constexpr int MaxUserNameLength = 64;

// The lock imposed after `failures` consecutive failures: none up to FreeAttempts, then 2 s,
// 4 s, 8 s, ... capped at MaxDelaySeconds.
std::chrono::seconds delayAfter(int failures);

// Empty when acceptable, else a message that says what to change.
QString validateUserName(const QString &name);
QString validatePassword(const QString &password);

struct LoginOutcome
{
    bool ok = false;
    UserRecord user;       // when ok
    QString message;       // when not ok: generic failure, or the throttle notice
    int retryAfterSeconds = 0; // > 0 when throttled
};

// Never says whether the name exists: unknown names cost the same hashing time, share the generic
// message and are throttled the same way.
Result<LoginOutcome> login(StoreDb &db, const QString &name, const QString &password, const QDateTime &now,
                           const Policy &policy = {});

// Only while no account exists.
Result<UserRecord> createFirstAdmin(StoreDb &db, const QString &name, const QString &password,
                                    const QDateTime &now, const Policy &policy = {});

// Admin actions; `actor` must be an admin (checked against the store, not trusted from the UI).
Result<void> addUser(StoreDb &db, const QString &actor, const QString &name, const QString &password, Role role,
                     const QDateTime &now, const Policy &policy = {});
Result<void> changeRole(StoreDb &db, const QString &actor, const QString &name, Role role, const QDateTime &now);
Result<void> resetPassword(StoreDb &db, const QString &actor, const QString &name, const QString &password,
                           const QDateTime &now, const Policy &policy = {});

QString genericFailureMessage();

} // namespace Nebula::Console::Accounts
