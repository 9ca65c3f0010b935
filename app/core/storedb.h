#pragma once

#include "common/result.h"
#include "core/storerecords.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace Nebula::Console {

// The console's local SQLite store, synchronous. Use it from one thread only: the console runs it
// on the LocalStore thread; tests use it directly. Schema changes are numbered migrations applied
// in order and recorded in PRAGMA user_version. WAL and a busy timeout let two consoles share one
// file.
class StoreDb
{
public:
    static constexpr int SchemaVersion = 3;

    struct OpenReport
    {
        int fromVersion = 0;  // the file's schema version before migration (0 = new)
        int toVersion = 0;
        QString movedAsideTo; // set when an unreadable file was renamed and a new one created
        QString movedAsideReason;
    };

    StoreDb();
    ~StoreDb();
    StoreDb(const StoreDb &) = delete;
    StoreDb &operator=(const StoreDb &) = delete;

    // Opens (creating directories and the file as needed) and migrates. A file that is not a
    // readable SQLite database is renamed to "<path>.unreadable-<timestamp>" and a new store is
    // created; the report says so. A file from a newer console is an error and is left untouched.
    // ":memory:" opens a private in-memory store.
    Result<OpenReport> open(const QString &path);
    bool isOpen() const;
    QString path() const { return m_path; }

    // Users
    Result<int> userCount();
    Result<std::optional<UserRecord>> findUser(const QString &name);
    Result<QList<UserRecord>> users();
    Result<void> insertUser(const UserRecord &user);
    Result<void> setRole(const QString &name, Role role);
    Result<void> setPasswordHash(const QString &name, const QString &hash);
    Result<void> setLastLogin(const QString &name, const QDateTime &at);

    // Login throttling, per account name (also for names that do not exist, so that the delay
    // does not reveal which accounts exist).
    Result<ThrottleState> throttle(const QString &name);
    Result<void> setThrottle(const QString &name, const ThrottleState &state);

    // Resources and runs
    Result<void> upsertResource(const ResourceRecord &resource);
    Result<QList<ResourceRecord>> resources();
    Result<void> upsertRun(const RunRecord &run);
    Result<void> upsertRuns(const QList<RunRecord> &runs); // one transaction
    Result<QList<RunRecord>> runs();

    // Audit log
    Result<void> appendAudit(const AuditEntry &entry);
    Result<QList<AuditEntry>> audit(int limit);

    // Runs `fn` in one transaction (BEGIN IMMEDIATE), committing when it succeeds.
    template <typename Fn>
    auto transaction(Fn &&fn) -> decltype(fn())
    {
        if (auto b = exec(QStringLiteral("BEGIN IMMEDIATE")); !b)
            return b.error();
        auto r = fn();
        if (r) {
            if (auto c = exec(QStringLiteral("COMMIT")); !c) {
                static_cast<void>(exec(QStringLiteral("ROLLBACK")));
                return c.error();
            }
        } else {
            static_cast<void>(exec(QStringLiteral("ROLLBACK")));
        }
        return r;
    }

    Result<void> exec(const QString &sql);
    QSqlDatabase &database() { return m_db; }

private:
    Result<OpenReport> openFile(const QString &path);
    Result<int> readVersion();
    Result<void> migrate(int from);
    void close();

    QString m_connectionName;
    QString m_path;
    QSqlDatabase m_db;
};

// The default store location: <AppDataLocation>/console.sqlite.
QString defaultStorePath();

} // namespace Nebula::Console
