#pragma once

#include "toolevent.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace Nebula::Tools {

struct AnsibleHostStats
{
    int ok = 0;
    int changed = 0;
    int failures = 0;
    int unreachable = 0;
    int skipped = 0;
    int rescued = 0;
    int ignored = 0;
};

// A failed or unreachable host result.
struct AnsibleTaskFailure
{
    QString host;
    QString task;
    QString action;
    QString message; // the module's msg (plus stderr tail for commands)
    bool unreachable = false;
};

// One line of the nebula_jsonl callback (infrastructure/ansible/callback_plugins), typed.
struct AnsibleEvent
{
    enum class Type {
        PlaybookStart, PlayStart, TaskStart, HandlerTaskStart, CleanupTaskStart, RunnerOk,
        RunnerFailed, RunnerSkipped, RunnerUnreachable, RunnerItemFailed, RunnerRetry,
        NoHostsMatched, NoHostsRemaining, Stats,
        Other,    // an event name this parser does not know
        PlainText // a stdout line that is not JSON (e.g. a foreign callback)
    };

    Type type = Type::Other;
    QString eventName; // "runner_on_ok", ...
    QDateTime time;
    QString level; // "info", "warn", "error"
    QString text;  // one line for an operator
    int percent = -1;

    QString playbook;
    QString play;
    QString task;
    QString action;
    QString host;
    QString message;
    bool changed = false;
    bool ignoreErrors = false;
    int rc = -1;
    QMap<QString, AnsibleHostStats> stats;

    ToolEvent toToolEvent() const;
};

// Turns the callback's JSON lines into events and keeps what decides the outcome: the final
// stats per host, the failed and unreachable results, and how many tasks started. Feed it
// stdout lines only (warnings and errors are on stderr).
class AnsibleEventParser
{
public:
    AnsibleEvent parseLine(QByteArrayView line);

    bool hasStats() const { return m_hasStats; }
    const QMap<QString, AnsibleHostStats> &stats() const { return m_stats; }
    // Failed results that were not ignored, and unreachable hosts, in order.
    const QList<AnsibleTaskFailure> &failures() const { return m_failures; }
    int tasksStarted() const { return m_tasks; }
    int totalChanged() const;
    int totalFailures() const;
    int totalUnreachable() const;

private:
    QMap<QString, AnsibleHostStats> m_stats;
    QList<AnsibleTaskFailure> m_failures;
    int m_tasks = 0;
    bool m_hasStats = false;
};

} // namespace Nebula::Tools
