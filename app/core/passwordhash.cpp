#include "core/passwordhash.h"

#include <QStringList>

#include <openssl/evp.h>
#include <openssl/rand.h>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console::PasswordHash {
namespace {

constexpr auto B64 = QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals;
constexpr QStringView Scheme = u"pbkdf2-sha256";
constexpr int MaxIterations = 100000000;

QByteArray derive(const QByteArray &password, const QByteArray &salt, int iterations, int length)
{
    QByteArray out(length, Qt::Uninitialized);
    const int ok = PKCS5_PBKDF2_HMAC(password.constData(), static_cast<int>(password.size()),
                                     reinterpret_cast<const unsigned char *>(salt.constData()),
                                     static_cast<int>(salt.size()), iterations, EVP_sha256(), length,
                                     reinterpret_cast<unsigned char *>(out.data()));
    return ok == 1 ? out : QByteArray();
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size() || a.isEmpty())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

struct Parsed
{
    int iterations = 0;
    QByteArray salt;
    QByteArray hash;
};

Parsed parse(const QString &stored)
{
    const auto parts = stored.split(u'$');
    if (parts.size() != 4 || parts[0] != Scheme)
        return {};
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < 1 || iterations > MaxIterations)
        return {};
    auto salt = QByteArray::fromBase64Encoding(parts[2].toLatin1(), B64);
    auto hash = QByteArray::fromBase64Encoding(parts[3].toLatin1(), B64);
    if (!salt || !hash || salt.decoded.isEmpty() || hash.decoded.isEmpty())
        return {};
    return {iterations, salt.decoded, hash.decoded};
}

} // namespace

QString hash(const QString &password, int iterations)
{
    QByteArray salt(SaltBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), SaltBytes) != 1)
        qFatal("OpenSSL could not produce random bytes for a password salt");
    const QByteArray derived = derive(password.toUtf8(), salt, iterations, HashBytes);
    Q_ASSERT_X(!derived.isEmpty(), "PasswordHash::hash", "PBKDF2 failed");
    return u"%1$%2$%3$%4"_s.arg(Scheme, QString::number(iterations), QString::fromLatin1(salt.toBase64(B64)),
                                 QString::fromLatin1(derived.toBase64(B64)));
}

bool verify(const QString &password, const QString &stored)
{
    const Parsed p = parse(stored);
    if (p.iterations == 0)
        return false;
    const QByteArray derived = derive(password.toUtf8(), p.salt, p.iterations, static_cast<int>(p.hash.size()));
    return constantTimeEquals(derived, p.hash);
}

int iterationsOf(const QString &stored)
{
    return parse(stored).iterations;
}

} // namespace Nebula::Console::PasswordHash
