#include "core/accounts.h"

#include "core/passwordhash.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console::Accounts {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Accounts", text);
}

void audit(StoreDb &db, const QDateTime &now, const QString &actor, const QString &action, const QString &target,
           const QString &outcome, const QString &detail = {})
{
    static_cast<void>(db.appendAudit(AuditEntry{0, now, actor, action, target, outcome, detail}));
}

// A hash to verify unknown names against, so that they take as long as known ones.
const QString &dummyHash(int iterations)
{
    static const QString hash = PasswordHash::hash(u"not-a-password"_s, iterations);
    return hash;
}

Result<void> requireAdmin(StoreDb &db, const QString &actor)
{
    auto user = db.findUser(actor);
    if (!user)
        return user.error();
    if (!*user || (*user)->role != Role::Admin)
        return makeError(ErrorCode::PermissionDenied, tr("Only administrators can manage accounts."));
    return {};
}

} // namespace

QString genericFailureMessage()
{
    return tr("The user name or password is incorrect.");
}

std::chrono::seconds delayAfter(int failures)
{
    if (failures < FreeAttempts)
        return std::chrono::seconds(0);
    const int exponent = std::min(failures - FreeAttempts + 1, 12);
    return std::chrono::seconds(std::min(1 << exponent, MaxDelaySeconds));
}

QString validateUserName(const QString &name)
{
    if (name.isEmpty())
        return tr("Enter a user name.");
    if (name.size() > MaxUserNameLength)
        return tr("Use at most %1 characters for the user name.").arg(MaxUserNameLength);
    for (const QChar c : name) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
                        || c == u'.' || c == u'_' || c == u'-' || c == u'@';
        if (!ok)
            return tr("Use only letters, digits and . _ - @ in the user name.");
    }
    return {};
}

QString validatePassword(const QString &password)
{
    if (password.size() < MinPasswordLength)
        return tr("Use at least %1 characters for the password.").arg(MinPasswordLength);
    if (password.size() > MaxPasswordLength)
        return tr("Use at most %1 characters for the password.").arg(MaxPasswordLength);
    for (const QChar c : password) {
        if (c.category() == QChar::Other_Control)
            return tr("The password contains a control character.");
    }
    return {};
}

Result<LoginOutcome> login(StoreDb &db, const QString &name, const QString &password, const QDateTime &now,
                           const Policy &policy)
{
    // Bound what an attacker can make us hash or store.
    const QString key = name.left(MaxUserNameLength * 2);
    auto throttle = db.throttle(key);
    if (!throttle)
        return throttle.error();
    if (throttle->lockedUntil.isValid() && throttle->lockedUntil > now) {
        const auto wait = std::max<qint64>(1, (now.msecsTo(throttle->lockedUntil) + 999) / 1000);
        audit(db, now, key, u"login-throttled"_s, key, u"denied"_s);
        LoginOutcome out;
        out.retryAfterSeconds = static_cast<int>(wait);
        out.message = tr("Too many failed attempts for this account. Wait %n second(s) and try again.")
                          .replace(u"%n"_s, QString::number(wait));
        return out;
    }

    auto user = db.findUser(key);
    if (!user)
        return user.error();
    const bool known = user->has_value();
    const bool match = PasswordHash::verify(password.left(MaxPasswordLength),
                                            known ? (*user)->passwordHash : dummyHash(policy.iterations));
    if (known && match) {
        LoginOutcome out;
        out.ok = true;
        out.user = **user;
        auto r = db.transaction([&]() -> Result<void> {
            if (auto t = db.setThrottle(key, {}); !t)
                return t;
            if (PasswordHash::iterationsOf(out.user.passwordHash) < policy.iterations) {
                out.user.passwordHash = PasswordHash::hash(password, policy.iterations);
                if (auto h = db.setPasswordHash(key, out.user.passwordHash); !h)
                    return h;
            }
            out.user.lastLoginAt = now;
            if (auto l = db.setLastLogin(key, now); !l)
                return l;
            return db.appendAudit(AuditEntry{0, now, key, u"login"_s, key, u"ok"_s, {}});
        });
        if (!r)
            return r.error();
        return out;
    }

    ThrottleState next;
    next.failures = throttle->failures + 1;
    const auto delay = delayAfter(next.failures);
    if (delay.count() > 0)
        next.lockedUntil = now.addSecs(delay.count());
    if (auto t = db.setThrottle(key, next); !t)
        return t.error();
    audit(db, now, key, u"login-failed"_s, key, u"denied"_s,
          u"failure %1%2"_s.arg(next.failures).arg(delay.count() > 0 ? u", locked %1 s"_s.arg(delay.count()) : QString()));
    LoginOutcome out;
    out.message = genericFailureMessage();
    return out;
}

Result<UserRecord> createFirstAdmin(StoreDb &db, const QString &name, const QString &password, const QDateTime &now,
                                    const Policy &policy)
{
    if (const auto e = validateUserName(name); !e.isEmpty())
        return makeError(ErrorCode::Validation, e);
    if (const auto e = validatePassword(password); !e.isEmpty())
        return makeError(ErrorCode::Validation, e);
    UserRecord user{name, PasswordHash::hash(password, policy.iterations), Role::Admin, now, now};
    auto r = db.transaction([&]() -> Result<void> {
        auto count = db.userCount();
        if (!count)
            return count.error();
        if (*count > 0)
            return makeError(ErrorCode::FailedPrecondition,
                             tr("An administrator account already exists; log in with it."));
        if (auto i = db.insertUser(user); !i)
            return i;
        return db.appendAudit(AuditEntry{0, now, name, u"first-admin-created"_s, name, u"ok"_s, {}});
    });
    if (!r)
        return r.error();
    return user;
}

Result<void> addUser(StoreDb &db, const QString &actor, const QString &name, const QString &password, Role role,
                     const QDateTime &now, const Policy &policy)
{
    if (const auto e = validateUserName(name); !e.isEmpty())
        return makeError(ErrorCode::Validation, e);
    if (const auto e = validatePassword(password); !e.isEmpty())
        return makeError(ErrorCode::Validation, e);
    if (auto a = requireAdmin(db, actor); !a) {
        audit(db, now, actor, u"user-add"_s, name, u"denied"_s);
        return a;
    }
    const UserRecord user{name, PasswordHash::hash(password, policy.iterations), role, now, {}};
    auto r = db.insertUser(user);
    audit(db, now, actor, u"user-add"_s, name, r ? u"ok"_s : u"error"_s, u"role %1"_s.arg(roleName(role)));
    return r;
}

Result<void> changeRole(StoreDb &db, const QString &actor, const QString &name, Role role, const QDateTime &now)
{
    if (auto a = requireAdmin(db, actor); !a) {
        audit(db, now, actor, u"role-change"_s, name, u"denied"_s);
        return a;
    }
    auto r = db.transaction([&]() -> Result<void> {
        auto users = db.users();
        if (!users)
            return users.error();
        const auto it = std::find_if(users->begin(), users->end(), [&](const UserRecord &u) { return u.name == name; });
        if (it == users->end())
            return makeError(ErrorCode::NotFound, tr("There is no account named \"%1\".").arg(name));
        const auto admins = std::count_if(users->begin(), users->end(), [](const UserRecord &u) { return u.role == Role::Admin; });
        if (it->role == Role::Admin && role != Role::Admin && admins <= 1)
            return makeError(ErrorCode::FailedPrecondition,
                             tr("This is the last administrator; make another account an administrator first."));
        return db.setRole(name, role);
    });
    audit(db, now, actor, u"role-change"_s, name, r ? u"ok"_s : u"error"_s, u"role %1"_s.arg(roleName(role)));
    return r;
}

Result<void> resetPassword(StoreDb &db, const QString &actor, const QString &name, const QString &password,
                           const QDateTime &now, const Policy &policy)
{
    if (const auto e = validatePassword(password); !e.isEmpty())
        return makeError(ErrorCode::Validation, e);
    if (auto a = requireAdmin(db, actor); !a) {
        audit(db, now, actor, u"password-reset"_s, name, u"denied"_s);
        return a;
    }
    auto user = db.findUser(name);
    if (!user)
        return user.error();
    if (!*user)
        return makeError(ErrorCode::NotFound, tr("There is no account named \"%1\".").arg(name));
    const QString hash = PasswordHash::hash(password, policy.iterations);
    auto r = db.transaction([&]() -> Result<void> {
        if (auto h = db.setPasswordHash(name, hash); !h)
            return h;
        return db.setThrottle(name, {}); // a reset also lifts a lock
    });
    audit(db, now, actor, u"password-reset"_s, name, r ? u"ok"_s : u"error"_s);
    return r;
}

} // namespace Nebula::Console::Accounts
