#pragma once

#include "core/resourcerow.h"
#include "temporal/temporalclient.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Nebula::Console {

class LocalStore;

// Keeps the dashboard's rows: lists the NebulaOps workflows through Temporal visibility (all pages),
// records what changed in the local store, merges store and visibility off the UI thread and
// publishes the rows. Refreshes every base interval while things change and backs off (x2 up to
// x12) while nothing does; refreshNow() (F5) resets the pace. Without Temporal, the rows come from
// the store alone and refreshFailed says why.
class ResourceSync final : public QObject
{
    Q_OBJECT

public:
    static inline const QString VisibilityQuery =
        QStringLiteral("WorkflowType = 'ProvisionResource' OR WorkflowType = 'DestroyResource'");
    static constexpr int PageSize = 1000;
    static constexpr int MaxPages = 100;
    static constexpr int MaxBackoffFactor = 12;

    ResourceSync(LocalStore *store, Temporal::TemporalClient *client, QObject *parent = nullptr);

    void setBaseInterval(int ms);
    int currentInterval() const { return m_interval; }
    void start();
    void refreshNow();
    void stop();
    bool isLoading() const { return m_loading; }
    const QList<ResourceRow> &rows() const { return m_rows; }

    // Records a run this console just started (before visibility shows it).
    void noteStarted(const ResourceRecord &resource, const RunRecord &run);
    // Records the outcome of a run this console watched (result or failure).
    void noteOutcome(const RunRecord &run);

Q_SIGNALS:
    void rowsChanged(const QList<Nebula::Console::ResourceRow> &rows);
    void loadingChanged(bool loading);
    void refreshFailed(const Nebula::Error &error);
    void refreshSucceeded();
    // A run that this console saw in progress has closed.
    void runFinished(const Nebula::Console::ResourceRow &row);

private:
    void refresh();
    void fetchPage(const QByteArray &token, int page);
    void finishListing(const std::optional<Error> &error);
    void remerge(bool fromRefresh);
    void apply(const QList<ResourceRow> &rows, bool fromRefresh);
    void fetchMissingOutcomes();
    void scheduleNext(bool changed);
    void setLoading(bool loading);

    LocalStore *m_store;
    Temporal::TemporalClient *m_client;
    QTimer m_timer;
    int m_baseInterval = 5000;
    int m_interval = 5000;
    bool m_loading = false;
    bool m_pendingRefresh = false;
    bool m_stopped = true;
    QList<Temporal::WorkflowInfo> m_listing;
    QHash<QString, QString> m_seen; // workflowId/runId → status|closeTime already stored
    QList<ResourceRow> m_rows;
    QSet<QString> m_outcomeRequested; // workflowId/runId
    int m_outcomesInFlight = 0;
};

} // namespace Nebula::Console
