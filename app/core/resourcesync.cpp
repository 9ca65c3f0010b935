#include "core/resourcesync.h"

#include "core/localstore.h"
#include "provisioning/contract.h"

#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

QString runKey(const QString &workflowId, const QString &runId)
{
    return workflowId + u'/' + runId;
}

QString fingerprint(const Temporal::WorkflowInfo &info)
{
    return Temporal::workflowStatusName(info.status) + u'|' + info.closeTime.toString(Qt::ISODateWithMs);
}

} // namespace

ResourceSync::ResourceSync(LocalStore *store, Temporal::TemporalClient *client, QObject *parent)
    : QObject(parent), m_store(store), m_client(client)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ResourceSync::refresh);
}

void ResourceSync::setBaseInterval(int ms)
{
    m_baseInterval = std::max(100, ms);
    m_interval = m_baseInterval;
}

void ResourceSync::start()
{
    m_stopped = false;
    // Show what the store knows at once; visibility follows.
    remerge(false);
    refresh();
}

void ResourceSync::stop()
{
    m_stopped = true;
    m_timer.stop();
}

void ResourceSync::refreshNow()
{
    m_stopped = false;
    m_interval = m_baseInterval;
    if (m_loading) {
        m_pendingRefresh = true;
        return;
    }
    m_timer.stop();
    refresh();
}

void ResourceSync::setLoading(bool loading)
{
    if (m_loading != loading) {
        m_loading = loading;
        Q_EMIT loadingChanged(loading);
    }
}

void ResourceSync::refresh()
{
    if (m_loading)
        return;
    setLoading(true);
    m_listing.clear();
    if (!m_client) {
        finishListing(makeError(ErrorCode::FailedPrecondition, tr("No Temporal connection is configured.")));
        return;
    }
    fetchPage({}, 0);
}

void ResourceSync::fetchPage(const QByteArray &token, int page)
{
    // Fail fast while the server is away: the connection monitor does the reconnecting, and the
    // dashboard shows the stored state meanwhile.
    Temporal::CallOptions call;
    call.timeout = std::chrono::milliseconds(15000);
    call.retryBudget = std::chrono::milliseconds(1000);
    m_client->listWorkflows(VisibilityQuery, PageSize, token, this,
                            [this, page](const Result<Temporal::WorkflowPage> &r) {
                                if (!r) {
                                    finishListing(r.error());
                                    return;
                                }
                                m_listing.append(r->executions);
                                if (!r->nextPageToken.isEmpty() && page + 1 < MaxPages)
                                    fetchPage(r->nextPageToken, page + 1);
                                else
                                    finishListing(std::nullopt);
                            },
                            call);
}

void ResourceSync::finishListing(const std::optional<Error> &error)
{
    QList<RunRecord> changed;
    if (!error) {
        for (const auto &info : std::as_const(m_listing)) {
            const QString key = runKey(info.workflowId, info.runId);
            const QString print = fingerprint(info);
            if (m_seen.value(key) == print)
                continue;
            auto run = runFromVisibility(info);
            if (run.resource.isEmpty())
                continue;
            m_seen.insert(key, print);
            changed << run;
        }
    }
    m_listing.clear();
    if (error)
        Q_EMIT refreshFailed(*error);
    else
        Q_EMIT refreshSucceeded();
    m_store->run<QList<ResourceRow>>(
        [changed](StoreDb &db) -> Result<QList<ResourceRow>> {
            if (!db.isOpen())
                return makeError(ErrorCode::FailedPrecondition, u"The local store is not open."_s);
            if (!changed.isEmpty()) {
                if (auto w = db.upsertRuns(changed); !w)
                    return w.error();
            }
            auto resources = db.resources();
            if (!resources)
                return resources.error();
            auto runs = db.runs();
            if (!runs)
                return runs.error();
            return mergeResources(*resources, *runs);
        },
        this,
        [this](const Result<QList<ResourceRow>> &rows) {
            setLoading(false);
            const bool changedRows = rows && *rows != m_rows;
            if (rows)
                apply(*rows, true);
            else
                Q_EMIT refreshFailed(rows.error());
            scheduleNext(changedRows);
            fetchMissingOutcomes();
            if (m_pendingRefresh) {
                m_pendingRefresh = false;
                refreshNow();
            }
        });
}

void ResourceSync::remerge(bool fromRefresh)
{
    m_store->run<QList<ResourceRow>>(
        [](StoreDb &db) -> Result<QList<ResourceRow>> {
            if (!db.isOpen())
                return makeError(ErrorCode::FailedPrecondition, u"The local store is not open."_s);
            auto resources = db.resources();
            if (!resources)
                return resources.error();
            auto runs = db.runs();
            if (!runs)
                return runs.error();
            return mergeResources(*resources, *runs);
        },
        this,
        [this, fromRefresh](const Result<QList<ResourceRow>> &rows) {
            if (rows)
                apply(*rows, fromRefresh);
        });
}

void ResourceSync::apply(const QList<ResourceRow> &rows, bool fromRefresh)
{
    Q_UNUSED(fromRefresh);
    if (rows == m_rows)
        return;
    QHash<QString, const ResourceRow *> before;
    before.reserve(m_rows.size());
    for (const auto &r : std::as_const(m_rows))
        before.insert(r.name, &r);
    QList<ResourceRow> finished;
    for (const auto &r : rows) {
        const ResourceRow *old = before.value(r.name);
        if (old && isActive(old->state) && !isActive(r.state) && old->runId == r.runId)
            finished << r;
    }
    m_rows = rows;
    Q_EMIT rowsChanged(m_rows);
    for (const auto &r : std::as_const(finished))
        Q_EMIT runFinished(r);
}

void ResourceSync::scheduleNext(bool changed)
{
    if (m_stopped)
        return;
    m_interval = changed ? m_baseInterval : std::min(m_interval * 2, m_baseInterval * MaxBackoffFactor);
    // Something is running: keep the base pace so its end shows up promptly.
    for (const auto &r : std::as_const(m_rows)) {
        if (isActive(r.state)) {
            m_interval = m_baseInterval;
            break;
        }
    }
    m_timer.start(m_interval);
}

void ResourceSync::fetchMissingOutcomes()
{
    if (!m_client)
        return;
    constexpr int MaxInFlight = 8;
    for (const auto &row : std::as_const(m_rows)) {
        if (m_outcomesInFlight >= MaxInFlight)
            break;
        const bool needResult = row.state == ResourceState::Ready && row.address.isEmpty();
        const bool needFailure = (row.state == ResourceState::Failed || row.state == ResourceState::DestroyFailed)
                                 && row.failure.isEmpty();
        if (!needResult && !needFailure)
            continue;
        const QString key = runKey(row.workflowId, row.runId);
        if (m_outcomeRequested.contains(key))
            continue;
        m_outcomeRequested.insert(key);
        ++m_outcomesInFlight;
        const Temporal::WorkflowRef ref{row.workflowId, row.runId};
        RunRecord base;
        base.workflowId = row.workflowId;
        base.runId = row.runId;
        base.resource = row.name;
        base.workflowType = row.workflowType;
        m_client->waitForOutcome(ref, this, [this, base](const Result<Temporal::WorkflowOutcome> &o) mutable {
            --m_outcomesInFlight;
            if (!o)
                return;
            base.status = Temporal::workflowStatusName(o->status);
            if (o->result.isObject())
                base.result = o->result.toObject();
            base.failure = o->failureMessage;
            noteOutcome(base);
        });
    }
}

void ResourceSync::noteStarted(const ResourceRecord &resource, const RunRecord &run)
{
    m_store->run<bool>(
        [resource, run](StoreDb &db) -> Result<bool> {
            auto r = db.transaction([&]() -> Result<void> {
                if (auto a = db.upsertResource(resource); !a)
                    return a;
                return db.upsertRun(run);
            });
            if (!r)
                return r.error();
            return true;
        },
        this, [this](const Result<bool> &) { refreshNow(); });
}

void ResourceSync::noteOutcome(const RunRecord &run)
{
    m_store->run<bool>(
        [run](StoreDb &db) -> Result<bool> {
            if (auto r = db.upsertRun(run); !r)
                return r.error();
            return true;
        },
        this, [this](const Result<bool> &) { remerge(false); });
}

} // namespace Nebula::Console
