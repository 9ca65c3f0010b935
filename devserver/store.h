#pragma once

#include "common/result.h"

#include <devserver/state.pb.h>
#include <temporal/api/history/v1/message.pb.h>

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace Nebula::DevServer {

// A bound parameter: a number or a text. (Not a std::variant: GCC 12 reports false
// -Wmaybe-uninitialized warnings for variants holding strings at -O2.)
struct SqlValue
{
    SqlValue(std::int64_t n) : number(n) {}
    SqlValue(std::string t) : isText(true), text(std::move(t)) {}
    bool isText = false;
    std::int64_t number = 0;
    std::string text;
};

// A WHERE clause (without the keyword) over the `executions` columns, with `?` placeholders.
struct SqlFilter
{
    std::string where;
    std::vector<SqlValue> params;
    std::string orderBy; // empty: the real server's default order
};

// The SQLite file: one row per run (visibility columns + the serialized RunState), one row per
// history event (serialized HistoryEvent), and the current run of each workflow id. Not
// thread-safe: the engine serialises every call under its own mutex.
class Store
{
public:
    // ":memory:" gives a private in-memory database.
    static Result<std::unique_ptr<Store>> open(const QString &path);
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    Result<void> begin();
    Result<void> commit();
    void rollback();

    // Inside a transaction.
    Result<void> saveRun(const nebula::devserver::v1::RunState &run);
    Result<void> appendEvents(const std::string &runId,
                              const std::vector<temporal::api::history::v1::HistoryEvent> &events,
                              std::size_t from);
    Result<void> setCurrentRun(const std::string &ns, const std::string &workflowId,
                               const std::string &runId);

    std::vector<nebula::devserver::v1::RunState> loadOpenRuns();
    std::optional<nebula::devserver::v1::RunState> loadRun(const std::string &ns,
                                                           const std::string &runId);
    std::optional<std::string> currentRunId(const std::string &ns, const std::string &workflowId);
    // Events with ids in [fromEventId, fromEventId + maxCount).
    std::vector<temporal::api::history::v1::HistoryEvent>
    loadEvents(const std::string &runId, std::int64_t fromEventId, std::int64_t maxCount);

    Result<std::vector<nebula::devserver::v1::RunState>>
    listRuns(const std::string &ns, const SqlFilter &filter, std::int64_t limit, std::int64_t offset);
    Result<std::int64_t> countRuns(const std::string &ns, const SqlFilter &filter);
    Result<std::vector<std::pair<std::int32_t, std::int64_t>>>
    countByStatus(const std::string &ns, const SqlFilter &filter);

private:
    explicit Store(sqlite3 *db) : m_db(db) {}
    Result<void> exec(const char *sql);
    sqlite3_stmt *prepare(const char *sql);
    Error sqlError(const char *what) const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_saveRun = nullptr;
    sqlite3_stmt *m_appendEvent = nullptr;
    sqlite3_stmt *m_setCurrent = nullptr;
    sqlite3_stmt *m_loadRun = nullptr;
    sqlite3_stmt *m_current = nullptr;
    sqlite3_stmt *m_loadEvents = nullptr;
    sqlite3_stmt *m_begin = nullptr;
    sqlite3_stmt *m_commit = nullptr;
};

} // namespace Nebula::DevServer
