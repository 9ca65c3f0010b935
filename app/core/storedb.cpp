#include "core/storedb.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>
#include <QVariant>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

// Migration i (1-based) brings a store from version i-1 to version i. Never edit a released entry:
// add a new one.
const QStringList &migrations()
{
    static const QStringList steps = {
        // 1: the first schema.
        uR"(CREATE TABLE users (
              name TEXT PRIMARY KEY NOT NULL,
              password_hash TEXT NOT NULL,
              role TEXT NOT NULL,
              created_at INTEGER NOT NULL);
            CREATE TABLE resources (
              name TEXT PRIMARY KEY NOT NULL,
              type TEXT NOT NULL,
              region TEXT NOT NULL,
              size TEXT NOT NULL,
              status TEXT NOT NULL DEFAULT '',
              created_at INTEGER NOT NULL);
            CREATE TABLE audit_log (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              at INTEGER NOT NULL,
              actor TEXT NOT NULL,
              action TEXT NOT NULL,
              detail TEXT NOT NULL DEFAULT ''))"_s,
        // 2: owners and results of resources, workflow runs, audit targets and outcomes.
        uR"(ALTER TABLE users ADD COLUMN last_login_at INTEGER;
            ALTER TABLE resources ADD COLUMN owner TEXT NOT NULL DEFAULT '';
            ALTER TABLE resources ADD COLUMN ip_address TEXT NOT NULL DEFAULT '';
            ALTER TABLE resources ADD COLUMN url TEXT NOT NULL DEFAULT '';
            ALTER TABLE resources ADD COLUMN ssh_command TEXT NOT NULL DEFAULT '';
            ALTER TABLE resources ADD COLUMN updated_at INTEGER;
            UPDATE resources SET updated_at = created_at;
            ALTER TABLE audit_log ADD COLUMN target TEXT NOT NULL DEFAULT '';
            ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
            CREATE TABLE workflow_runs (
              workflow_id TEXT NOT NULL,
              run_id TEXT NOT NULL,
              resource TEXT NOT NULL,
              workflow_type TEXT NOT NULL,
              started_by TEXT NOT NULL DEFAULT '',
              status TEXT NOT NULL,
              started_at INTEGER,
              closed_at INTEGER,
              result_json TEXT NOT NULL DEFAULT '',
              failure TEXT NOT NULL DEFAULT '',
              memo_json TEXT NOT NULL DEFAULT '',
              PRIMARY KEY (workflow_id, run_id));
            CREATE INDEX workflow_runs_by_resource ON workflow_runs(resource, started_at))"_s,
        // 3: per-account login throttling.
        uR"(CREATE TABLE login_throttle (
              name TEXT PRIMARY KEY NOT NULL,
              failures INTEGER NOT NULL DEFAULT 0,
              locked_until INTEGER))"_s,
    };
    return steps;
}

QVariant fromTime(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType(QMetaType::LongLong));
}

QDateTime toTime(const QVariant &v)
{
    if (v.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

Error sqlError(const QString &what, const QSqlError &e)
{
    return makeError(ErrorCode::Io, u"The local store failed while %1."_s.arg(what), e.text());
}

// A prepared query that reports errors as values.
class Query
{
public:
    Query(QSqlDatabase &db, const QString &sql) : m_q(db) { m_ok = m_q.prepare(sql); }
    Query &bind(const QVariant &v)
    {
        // A null QString would be bound as SQL NULL; our text columns are NOT NULL ''.
        if (v.typeId() == QMetaType::QString && v.toString().isNull())
            m_q.addBindValue(QVariant(QStringLiteral("")));
        else
            m_q.addBindValue(v);
        return *this;
    }
    Result<void> run(const QString &what)
    {
        if (!m_ok || !m_q.exec())
            return sqlError(what, m_q.lastError());
        return {};
    }
    QSqlQuery &q() { return m_q; }

private:
    QSqlQuery m_q;
    bool m_ok = false;
};

UserRecord readUser(const QSqlQuery &q)
{
    UserRecord u;
    u.name = q.value(0).toString();
    u.passwordHash = q.value(1).toString();
    roleFromName(q.value(2).toString(), &u.role);
    u.createdAt = toTime(q.value(3));
    u.lastLoginAt = toTime(q.value(4));
    return u;
}

// Separate statements for QSqlQuery, which runs one at a time. Our migration scripts hold no ';'
// inside literals.
QStringList statements(const QString &script)
{
    QStringList out;
    for (const auto &part : script.split(u';')) {
        const auto s = part.trimmed();
        if (!s.isEmpty())
            out << s;
    }
    return out;
}

} // namespace

QString defaultStorePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/console.sqlite"_s;
}

StoreDb::StoreDb() : m_connectionName(u"nebula-store-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces)) {}

StoreDb::~StoreDb()
{
    close();
}

void StoreDb::close()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool StoreDb::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

Result<void> StoreDb::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        return sqlError(u"running \"%1\""_s.arg(sql.left(60)), q.lastError());
    return {};
}

Result<int> StoreDb::readVersion()
{
    QSqlQuery q(m_db);
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
        return sqlError(u"reading the schema version"_s, q.lastError());
    return q.value(0).toInt();
}

Result<StoreDb::OpenReport> StoreDb::openFile(const QString &path)
{
    close();
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(path);
    if (path != u":memory:"_s)
        m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!m_db.open())
        return sqlError(u"opening %1"_s.arg(path), m_db.lastError());
    // Reading the schema touches the file header: this is where a non-database file fails.
    QSqlQuery probe(m_db);
    if (!probe.exec(u"SELECT count(*) FROM sqlite_master"_s))
        return makeError(ErrorCode::Parse, u"The file is not a readable SQLite database."_s, probe.lastError().text());
    if (probe.exec(u"PRAGMA quick_check"_s) && probe.next() && probe.value(0).toString() != u"ok"_s)
        return makeError(ErrorCode::Parse, u"The database file is damaged."_s, probe.value(0).toString());
    auto version = readVersion();
    if (!version)
        return version.error();
    OpenReport report;
    report.fromVersion = *version;
    report.toVersion = SchemaVersion;
    return report;
}

Result<StoreDb::OpenReport> StoreDb::open(const QString &path)
{
    m_path = path;
    const bool memory = path == u":memory:"_s;
    if (!memory) {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath()))
            return makeError(ErrorCode::Io, u"Cannot create the folder %1 for the local store."_s.arg(info.absolutePath()));
    }
    auto report = openFile(path);
    if (!report && report.error().code == ErrorCode::Parse && !memory) {
        // Keep the unreadable file for inspection or recovery; never delete it.
        close();
        const QString reason = report.error().message + u' ' + report.error().detail;
        const QString aside = path + u".unreadable-"_s
                              + QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s);
        for (const auto &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
            if (QFile::exists(path + suffix) && !QFile::rename(path + suffix, aside + suffix))
                return makeError(ErrorCode::Io,
                                 u"The local store %1 cannot be read and could not be moved aside; move or "
                                 u"remove it yourself."_s.arg(path),
                                 reason);
        }
        report = openFile(path);
        if (report) {
            report->movedAsideTo = aside;
            report->movedAsideReason = reason;
        }
    }
    if (!report) {
        close();
        return report.error();
    }
    if (report->fromVersion > SchemaVersion) {
        close();
        return makeError(ErrorCode::FailedPrecondition,
                         u"The local store %1 was written by a newer NebulaOps console (schema %2; this one "
                         u"knows %3). Upgrade the console or use another store (--store)."_s
                             .arg(path)
                             .arg(report->fromVersion)
                             .arg(SchemaVersion));
    }
    if (!memory) {
        QSqlQuery q(m_db);
        if (!q.exec(u"PRAGMA journal_mode=WAL"_s))
            return sqlError(u"switching to WAL"_s, q.lastError());
        static_cast<void>(exec(u"PRAGMA synchronous=NORMAL"_s));
    }
    static_cast<void>(exec(u"PRAGMA foreign_keys=ON"_s));
    if (auto m = migrate(report->fromVersion); !m) {
        close();
        return m.error();
    }
    return report;
}

Result<void> StoreDb::migrate(int from)
{
    const auto &steps = migrations();
    static_assert(SchemaVersion == 3);
    Q_ASSERT(steps.size() == SchemaVersion);
    for (int v = from; v < SchemaVersion; ++v) {
        auto step = transaction([&]() -> Result<void> {
            // Re-read inside the write lock: another console may have migrated meanwhile.
            auto current = readVersion();
            if (!current)
                return current.error();
            if (*current > v)
                return {};
            for (const auto &sql : statements(steps[v])) {
                if (auto r = exec(sql); !r)
                    return r;
            }
            return exec(u"PRAGMA user_version = %1"_s.arg(v + 1));
        });
        if (!step)
            return makeError(ErrorCode::Io, u"The local store could not be upgraded to schema %1."_s.arg(v + 1),
                             step.error().detail);
    }
    return {};
}

Result<int> StoreDb::userCount()
{
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT count(*) FROM users"_s) || !q.next())
        return sqlError(u"counting users"_s, q.lastError());
    return q.value(0).toInt();
}

Result<std::optional<UserRecord>> StoreDb::findUser(const QString &name)
{
    Query q(m_db, u"SELECT name, password_hash, role, created_at, last_login_at FROM users WHERE name = ?"_s);
    if (auto r = q.bind(name).run(u"reading a user"_s); !r)
        return r.error();
    if (!q.q().next())
        return std::optional<UserRecord>();
    return std::optional<UserRecord>(readUser(q.q()));
}

Result<QList<UserRecord>> StoreDb::users()
{
    Query q(m_db, u"SELECT name, password_hash, role, created_at, last_login_at FROM users ORDER BY name"_s);
    if (auto r = q.run(u"listing users"_s); !r)
        return r.error();
    QList<UserRecord> out;
    while (q.q().next())
        out << readUser(q.q());
    return out;
}

Result<void> StoreDb::insertUser(const UserRecord &user)
{
    Query q(m_db, u"INSERT INTO users (name, password_hash, role, created_at, last_login_at) VALUES (?, ?, ?, ?, ?)"_s);
    auto r = q.bind(user.name)
                 .bind(user.passwordHash)
                 .bind(roleName(user.role))
                 .bind(fromTime(user.createdAt))
                 .bind(fromTime(user.lastLoginAt))
                 .run(u"adding a user"_s);
    // SQLITE_CONSTRAINT and its PRIMARYKEY / UNIQUE extended codes.
    static const QStringList duplicate{u"19"_s, u"1555"_s, u"2067"_s};
    if (!r && duplicate.contains(q.q().lastError().nativeErrorCode()))
        return makeError(ErrorCode::AlreadyExists, u"An account named \"%1\" already exists."_s.arg(user.name));
    return r;
}

Result<void> StoreDb::setRole(const QString &name, Role role)
{
    return Query(m_db, u"UPDATE users SET role = ? WHERE name = ?"_s).bind(roleName(role)).bind(name).run(u"changing a role"_s);
}

Result<void> StoreDb::setPasswordHash(const QString &name, const QString &hash)
{
    return Query(m_db, u"UPDATE users SET password_hash = ? WHERE name = ?"_s).bind(hash).bind(name).run(u"setting a password"_s);
}

Result<void> StoreDb::setLastLogin(const QString &name, const QDateTime &at)
{
    return Query(m_db, u"UPDATE users SET last_login_at = ? WHERE name = ?"_s).bind(fromTime(at)).bind(name).run(u"recording a login"_s);
}

Result<ThrottleState> StoreDb::throttle(const QString &name)
{
    Query q(m_db, u"SELECT failures, locked_until FROM login_throttle WHERE name = ?"_s);
    if (auto r = q.bind(name).run(u"reading login attempts"_s); !r)
        return r.error();
    ThrottleState s;
    if (q.q().next()) {
        s.failures = q.q().value(0).toInt();
        s.lockedUntil = toTime(q.q().value(1));
    }
    return s;
}

Result<void> StoreDb::setThrottle(const QString &name, const ThrottleState &state)
{
    if (state.failures == 0)
        return Query(m_db, u"DELETE FROM login_throttle WHERE name = ?"_s).bind(name).run(u"clearing login attempts"_s);
    return Query(m_db, u"INSERT INTO login_throttle (name, failures, locked_until) VALUES (?, ?, ?) "
                       u"ON CONFLICT(name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until"_s)
        .bind(name)
        .bind(state.failures)
        .bind(fromTime(state.lockedUntil))
        .run(u"recording a failed login"_s);
}

Result<void> StoreDb::upsertResource(const ResourceRecord &r)
{
    return Query(m_db, u"INSERT INTO resources (name, type, region, size, status, created_at, owner, ip_address, url, "
                       u"ssh_command, updated_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?) "
                       u"ON CONFLICT(name) DO UPDATE SET type = excluded.type, region = excluded.region, "
                       u"size = excluded.size, owner = excluded.owner, ip_address = excluded.ip_address, "
                       u"url = excluded.url, ssh_command = excluded.ssh_command, updated_at = excluded.updated_at"_s)
        .bind(r.name)
        .bind(r.type)
        .bind(r.region)
        .bind(r.size)
        .bind(fromTime(r.createdAt.isValid() ? r.createdAt : QDateTime::currentDateTimeUtc()))
        .bind(r.owner)
        .bind(r.ipAddress)
        .bind(r.url)
        .bind(r.sshCommand)
        .bind(fromTime(r.updatedAt))
        .run(u"saving a resource"_s);
}

Result<QList<ResourceRecord>> StoreDb::resources()
{
    Query q(m_db, u"SELECT name, type, region, size, owner, ip_address, url, ssh_command, created_at, updated_at "
                  u"FROM resources"_s);
    if (auto r = q.run(u"listing resources"_s); !r)
        return r.error();
    QList<ResourceRecord> out;
    while (q.q().next()) {
        const auto &s = q.q();
        out << ResourceRecord{s.value(0).toString(), s.value(1).toString(), s.value(2).toString(),
                              s.value(3).toString(), s.value(4).toString(), s.value(5).toString(),
                              s.value(6).toString(), s.value(7).toString(), toTime(s.value(8)), toTime(s.value(9))};
    }
    return out;
}

Result<void> StoreDb::upsertRun(const RunRecord &run)
{
    const auto json = [](const QJsonObject &o) {
        return o.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    };
    // Never lose what we learned: a later partial record (e.g. from visibility, without the result)
    // keeps the stored result, failure and starter.
    return Query(m_db, u"INSERT INTO workflow_runs (workflow_id, run_id, resource, workflow_type, started_by, status, "
                       u"started_at, closed_at, result_json, failure, memo_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       u"ON CONFLICT(workflow_id, run_id) DO UPDATE SET status = excluded.status, "
                       u"closed_at = coalesce(excluded.closed_at, closed_at), "
                       u"started_at = coalesce(excluded.started_at, started_at), "
                       u"started_by = CASE WHEN excluded.started_by = '' THEN started_by ELSE excluded.started_by END, "
                       u"result_json = CASE WHEN excluded.result_json = '' THEN result_json ELSE excluded.result_json END, "
                       u"failure = CASE WHEN excluded.failure = '' THEN failure ELSE excluded.failure END, "
                       u"memo_json = CASE WHEN excluded.memo_json = '' THEN memo_json ELSE excluded.memo_json END"_s)
        .bind(run.workflowId)
        .bind(run.runId)
        .bind(run.resource)
        .bind(run.workflowType)
        .bind(run.startedBy)
        .bind(run.status)
        .bind(fromTime(run.startedAt))
        .bind(fromTime(run.closedAt))
        .bind(json(run.result))
        .bind(run.failure)
        .bind(json(run.memo))
        .run(u"saving a workflow run"_s);
}

Result<void> StoreDb::upsertRuns(const QList<RunRecord> &runs)
{
    return transaction([&]() -> Result<void> {
        for (const auto &run : runs) {
            if (auto r = upsertRun(run); !r)
                return r;
        }
        return {};
    });
}

Result<QList<RunRecord>> StoreDb::runs()
{
    Query q(m_db, u"SELECT workflow_id, run_id, resource, workflow_type, started_by, status, started_at, closed_at, "
                  u"result_json, failure, memo_json FROM workflow_runs"_s);
    if (auto r = q.run(u"listing workflow runs"_s); !r)
        return r.error();
    QList<RunRecord> out;
    while (q.q().next()) {
        const auto &s = q.q();
        RunRecord run;
        run.workflowId = s.value(0).toString();
        run.runId = s.value(1).toString();
        run.resource = s.value(2).toString();
        run.workflowType = s.value(3).toString();
        run.startedBy = s.value(4).toString();
        run.status = s.value(5).toString();
        run.startedAt = toTime(s.value(6));
        run.closedAt = toTime(s.value(7));
        const auto json = s.value(8).toString();
        if (!json.isEmpty())
            run.result = QJsonDocument::fromJson(json.toUtf8()).object();
        run.failure = s.value(9).toString();
        const auto memo = s.value(10).toString();
        if (!memo.isEmpty())
            run.memo = QJsonDocument::fromJson(memo.toUtf8()).object();
        out << run;
    }
    return out;
}

Result<void> StoreDb::appendAudit(const AuditEntry &e)
{
    return Query(m_db, u"INSERT INTO audit_log (at, actor, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)"_s)
        .bind(fromTime(e.at.isValid() ? e.at : QDateTime::currentDateTimeUtc()))
        .bind(e.actor)
        .bind(e.action)
        .bind(e.target)
        .bind(e.outcome)
        .bind(e.detail)
        .run(u"writing the audit log"_s);
}

Result<QList<AuditEntry>> StoreDb::audit(int limit)
{
    Query q(m_db, u"SELECT id, at, actor, action, target, outcome, detail FROM audit_log ORDER BY id DESC LIMIT ?"_s);
    if (auto r = q.bind(limit).run(u"reading the audit log"_s); !r)
        return r.error();
    QList<AuditEntry> out;
    while (q.q().next()) {
        const auto &s = q.q();
        out << AuditEntry{s.value(0).toLongLong(), toTime(s.value(1)), s.value(2).toString(), s.value(3).toString(),
                          s.value(4).toString(), s.value(5).toString(), s.value(6).toString()};
    }
    return out;
}

} // namespace Nebula::Console
