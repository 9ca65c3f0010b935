#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace Nebula::Console {

// Salted slow password hashes: PBKDF2-HMAC-SHA256, stored as "pbkdf2-sha256$<iterations>$<salt>$<hash>"
// (salt and hash in unpadded base64) so that the iteration count can rise later without breaking
// existing accounts. Both calls take hundreds of milliseconds on purpose: never call them on the
// UI thread.
namespace PasswordHash {

inline constexpr int DefaultIterations = 600000;
inline constexpr int SaltBytes = 16;
inline constexpr int HashBytes = 32;

// A new hash with a fresh random salt. `iterations` below DefaultIterations is for tests only.
QString hash(const QString &password, int iterations = DefaultIterations);

// True when `password` matches `stored`. Malformed stored strings never match.
bool verify(const QString &password, const QString &stored);

// The iteration count of a stored hash (0 when malformed), to re-hash old entries on login.
int iterationsOf(const QString &stored);

} // namespace PasswordHash
} // namespace Nebula::Console
