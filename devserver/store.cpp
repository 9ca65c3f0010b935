#include "store.h"

#include "protoutil.h"

#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;
using nebula::devserver::v1::RunState;
using temporal::api::history::v1::HistoryEvent;

namespace Nebula::DevServer {

namespace {

const char *const Schema = R"sql(
CREATE TABLE IF NOT EXISTS executions (
    namespace TEXT NOT NULL,
    run_id TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    workflow_type TEXT NOT NULL,
    task_queue TEXT NOT NULL,
    status INTEGER NOT NULL,
    start_time INTEGER NOT NULL,
    close_time INTEGER,
    execution_time INTEGER,
    history_length INTEGER NOT NULL,
    execution_duration INTEGER,
    parent_workflow_id TEXT,
    state BLOB NOT NULL,
    PRIMARY KEY (namespace, run_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS executions_open ON executions (status) WHERE status = 1;
CREATE INDEX IF NOT EXISTS executions_start ON executions (namespace, start_time);
CREATE INDEX IF NOT EXISTS executions_wid ON executions (namespace, workflow_id);
CREATE TABLE IF NOT EXISTS events (
    run_id TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (run_id, event_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS current_runs (
    namespace TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (namespace, workflow_id)
) WITHOUT ROWID;
)sql";

void bindText(sqlite3_stmt *stmt, int index, const std::string &text)
{
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void bindBlob(sqlite3_stmt *stmt, int index, const std::string &data)
{
    sqlite3_bind_blob(stmt, index, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
}

std::string columnBlob(sqlite3_stmt *stmt, int index)
{
    const void *data = sqlite3_column_blob(stmt, index);
    const int size = sqlite3_column_bytes(stmt, index);
    return data ? std::string(static_cast<const char *>(data), static_cast<std::size_t>(size))
                : std::string();
}

void bindParams(sqlite3_stmt *stmt, int first, const std::vector<SqlValue> &params)
{
    int i = first;
    for (const auto &p : params) {
        if (p.isText)
            bindText(stmt, i, p.text);
        else
            sqlite3_bind_int64(stmt, i, p.number);
        ++i;
    }
}

// Finalises a statement prepared for one query.
struct StmtGuard
{
    sqlite3_stmt *stmt = nullptr;
    ~StmtGuard() { sqlite3_finalize(stmt); }
};

} // namespace

Result<std::unique_ptr<Store>> Store::open(const QString &path)
{
    sqlite3 *db = nullptr;
    const QByteArray file = path.toUtf8();
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(file.constData(), &db, flags, nullptr) != SQLITE_OK) {
        const QString detail = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString();
        sqlite3_close(db);
        return makeError(ErrorCode::Io, u"cannot open the database %1; check --db"_s.arg(path), detail);
    }
    std::unique_ptr<Store> store(new Store(db));
    sqlite3_busy_timeout(db, 5000);
    // WAL + synchronous=NORMAL: a commit is in the WAL (in the OS) before we answer, so a killed
    // process loses nothing acknowledged; only a power loss may drop the last commits.
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                               "PRAGMA foreign_keys=OFF", "PRAGMA temp_store=MEMORY",
                               "PRAGMA cache_size=-8000"}) {
        if (auto r = store->exec(pragma); !r)
            return r.error();
    }
    if (auto r = store->exec(Schema); !r)
        return r.error();
    store->m_saveRun = store->prepare(
        "INSERT OR REPLACE INTO executions (namespace, run_id, workflow_id, workflow_type, "
        "task_queue, status, start_time, close_time, execution_time, history_length, "
        "execution_duration, parent_workflow_id, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,?)");
    store->m_appendEvent =
        store->prepare("INSERT OR REPLACE INTO events (run_id, event_id, data) VALUES (?,?,?)");
    store->m_setCurrent = store->prepare(
        "INSERT OR REPLACE INTO current_runs (namespace, workflow_id, run_id) VALUES (?,?,?)");
    store->m_loadRun = store->prepare("SELECT state FROM executions WHERE namespace=? AND run_id=?");
    store->m_current =
        store->prepare("SELECT run_id FROM current_runs WHERE namespace=? AND workflow_id=?");
    store->m_loadEvents = store->prepare(
        "SELECT data FROM events WHERE run_id=? AND event_id>=? ORDER BY event_id LIMIT ?");
    store->m_begin = store->prepare("BEGIN IMMEDIATE");
    store->m_commit = store->prepare("COMMIT");
    for (auto *s : {store->m_saveRun, store->m_appendEvent, store->m_setCurrent, store->m_loadRun,
                    store->m_current, store->m_loadEvents, store->m_begin, store->m_commit}) {
        if (!s)
            return store->sqlError("prepare");
    }
    return store;
}

Store::~Store()
{
    for (auto *s : {m_saveRun, m_appendEvent, m_setCurrent, m_loadRun, m_current, m_loadEvents,
                    m_begin, m_commit})
        sqlite3_finalize(s);
    sqlite3_close(m_db);
}

Error Store::sqlError(const char *what) const
{
    return makeError(ErrorCode::Io, u"database error"_s,
                     QString::fromUtf8(what) + u": "_s + QString::fromUtf8(sqlite3_errmsg(m_db)));
}

Result<void> Store::exec(const char *sql)
{
    char *err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const QString detail = QString::fromUtf8(err ? err : "?");
        sqlite3_free(err);
        return makeError(ErrorCode::Io, u"database error"_s, detail);
    }
    return {};
}

sqlite3_stmt *Store::prepare(const char *sql)
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        return nullptr;
    return stmt;
}

Result<void> Store::begin()
{
    const int rc = sqlite3_step(m_begin);
    sqlite3_reset(m_begin);
    if (rc != SQLITE_DONE)
        return sqlError("begin");
    return {};
}

Result<void> Store::commit()
{
    const int rc = sqlite3_step(m_commit);
    sqlite3_reset(m_commit);
    if (rc != SQLITE_DONE) {
        rollback();
        return sqlError("commit");
    }
    return {};
}

void Store::rollback()
{
    if (!sqlite3_get_autocommit(m_db))
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Store::saveRun(const RunState &run)
{
    sqlite3_stmt *s = m_saveRun;
    bindText(s, 1, run.namespace_());
    bindText(s, 2, run.run_id());
    bindText(s, 3, run.workflow_id());
    bindText(s, 4, run.workflow_type());
    bindText(s, 5, run.task_queue());
    sqlite3_bind_int(s, 6, run.status());
    const std::int64_t start = toMicros(fromTimestamp(run.start_time()));
    sqlite3_bind_int64(s, 7, start);
    if (run.has_close_time()) {
        const std::int64_t close = toMicros(fromTimestamp(run.close_time()));
        sqlite3_bind_int64(s, 8, close);
        sqlite3_bind_int64(s, 11, close - start);
    } else {
        sqlite3_bind_null(s, 8);
        sqlite3_bind_null(s, 11);
    }
    sqlite3_bind_int64(s, 9, toMicros(fromTimestamp(run.execution_time())));
    sqlite3_bind_int64(s, 10, run.next_event_id() - 1);
    bindBlob(s, 12, run.SerializeAsString());
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return sqlError("save run");
    return {};
}

Result<void> Store::appendEvents(const std::string &runId, const std::vector<HistoryEvent> &events,
                                 std::size_t from)
{
    std::string blob;
    for (std::size_t i = from; i < events.size(); ++i) {
        sqlite3_stmt *s = m_appendEvent;
        bindText(s, 1, runId);
        sqlite3_bind_int64(s, 2, events[i].event_id());
        events[i].SerializeToString(&blob);
        bindBlob(s, 3, blob);
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return sqlError("append event");
    }
    return {};
}

Result<void> Store::setCurrentRun(const std::string &ns, const std::string &workflowId,
                                  const std::string &runId)
{
    bindText(m_setCurrent, 1, ns);
    bindText(m_setCurrent, 2, workflowId);
    bindText(m_setCurrent, 3, runId);
    const int rc = sqlite3_step(m_setCurrent);
    sqlite3_reset(m_setCurrent);
    if (rc != SQLITE_DONE)
        return sqlError("set current run");
    return {};
}

std::vector<RunState> Store::loadOpenRuns()
{
    std::vector<RunState> runs;
    StmtGuard g{prepare("SELECT state FROM executions WHERE status = 1")};
    while (g.stmt && sqlite3_step(g.stmt) == SQLITE_ROW) {
        RunState run;
        if (run.ParseFromString(columnBlob(g.stmt, 0)))
            runs.push_back(std::move(run));
    }
    return runs;
}

std::optional<RunState> Store::loadRun(const std::string &ns, const std::string &runId)
{
    bindText(m_loadRun, 1, ns);
    bindText(m_loadRun, 2, runId);
    std::optional<RunState> out;
    if (sqlite3_step(m_loadRun) == SQLITE_ROW) {
        RunState run;
        if (run.ParseFromString(columnBlob(m_loadRun, 0)))
            out = std::move(run);
    }
    sqlite3_reset(m_loadRun);
    return out;
}

std::optional<std::string> Store::currentRunId(const std::string &ns, const std::string &workflowId)
{
    bindText(m_current, 1, ns);
    bindText(m_current, 2, workflowId);
    std::optional<std::string> out;
    if (sqlite3_step(m_current) == SQLITE_ROW)
        out = reinterpret_cast<const char *>(sqlite3_column_text(m_current, 0));
    sqlite3_reset(m_current);
    return out;
}

std::vector<HistoryEvent> Store::loadEvents(const std::string &runId, std::int64_t fromEventId,
                                            std::int64_t maxCount)
{
    std::vector<HistoryEvent> events;
    bindText(m_loadEvents, 1, runId);
    sqlite3_bind_int64(m_loadEvents, 2, fromEventId);
    sqlite3_bind_int64(m_loadEvents, 3, maxCount);
    while (sqlite3_step(m_loadEvents) == SQLITE_ROW) {
        HistoryEvent e;
        if (e.ParseFromString(columnBlob(m_loadEvents, 0)))
            events.push_back(std::move(e));
    }
    sqlite3_reset(m_loadEvents);
    return events;
}

Result<std::vector<RunState>> Store::listRuns(const std::string &ns, const SqlFilter &filter,
                                              std::int64_t limit, std::int64_t offset)
{
    std::string sql = "SELECT state FROM executions WHERE namespace = ?";
    if (!filter.where.empty())
        sql += " AND (" + filter.where + ")";
    sql += " ORDER BY ";
    sql += filter.orderBy.empty()
               ? "(close_time IS NULL) DESC, close_time DESC, start_time DESC, run_id"
               : filter.orderBy + ", run_id";
    sql += " LIMIT ? OFFSET ?";
    StmtGuard g{prepare(sql.c_str())};
    if (!g.stmt)
        return sqlError("list");
    bindText(g.stmt, 1, ns);
    bindParams(g.stmt, 2, filter.params);
    const int next = 2 + static_cast<int>(filter.params.size());
    sqlite3_bind_int64(g.stmt, next, limit);
    sqlite3_bind_int64(g.stmt, next + 1, offset);
    std::vector<RunState> runs;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(g.stmt)) == SQLITE_ROW) {
        RunState run;
        if (run.ParseFromString(columnBlob(g.stmt, 0)))
            runs.push_back(std::move(run));
    }
    if (rc != SQLITE_DONE)
        return sqlError("list");
    return runs;
}

Result<std::int64_t> Store::countRuns(const std::string &ns, const SqlFilter &filter)
{
    std::string sql = "SELECT COUNT(*) FROM executions WHERE namespace = ?";
    if (!filter.where.empty())
        sql += " AND (" + filter.where + ")";
    StmtGuard g{prepare(sql.c_str())};
    if (!g.stmt)
        return sqlError("count");
    bindText(g.stmt, 1, ns);
    bindParams(g.stmt, 2, filter.params);
    if (sqlite3_step(g.stmt) != SQLITE_ROW)
        return sqlError("count");
    return static_cast<std::int64_t>(sqlite3_column_int64(g.stmt, 0));
}

Result<std::vector<std::pair<std::int32_t, std::int64_t>>>
Store::countByStatus(const std::string &ns, const SqlFilter &filter)
{
    std::string sql = "SELECT status, COUNT(*) FROM executions WHERE namespace = ?";
    if (!filter.where.empty())
        sql += " AND (" + filter.where + ")";
    sql += " GROUP BY status ORDER BY status";
    StmtGuard g{prepare(sql.c_str())};
    if (!g.stmt)
        return sqlError("count");
    bindText(g.stmt, 1, ns);
    bindParams(g.stmt, 2, filter.params);
    std::vector<std::pair<std::int32_t, std::int64_t>> out;
    while (sqlite3_step(g.stmt) == SQLITE_ROW)
        out.emplace_back(sqlite3_column_int(g.stmt, 0),
                         static_cast<std::int64_t>(sqlite3_column_int64(g.stmt, 1)));
    return out;
}

} // namespace Nebula::DevServer
