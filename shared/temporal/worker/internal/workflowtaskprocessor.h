#pragma once

// Turns one polled workflow task into its answer: finds or rebuilds the run (sticky cache, or
// full history with paging), applies the new events, and builds RespondWorkflowTaskCompleted
// (commands, query answers, sticky attributes, sdk_metadata), RespondWorkflowTaskFailed
// (nondeterminism, workflow code exceptions; attempt 1 only, like core) or, for a legacy query
// task, RespondQueryTaskCompleted. No gRPC here except through the history fetcher, so tests drive
// it directly.

#include "common/result.h"
#include "temporal/worker/internal/workflowcache.h"
#include "temporal/worker/registry.h"

#include <temporal/api/workflowservice/v1/request_response.pb.h>

#include <chrono>
#include <functional>

namespace Nebula::Temporal::Internal {

namespace ws = temporal::api::workflowservice::v1;

struct WorkflowTaskOutcome
{
    enum class Kind { Completed, Failed, QueryAnswered, Silent };
    Kind kind = Kind::Silent;
    ws::RespondWorkflowTaskCompletedRequest completed;
    ws::RespondWorkflowTaskFailedRequest failed;
    ws::RespondQueryTaskCompletedRequest queryAnswer;
    QString workflowId;
    QString runId;
    QString failureMessage; // Failed / Silent after a failure
    bool closesWorkflow = false;
};

class WorkflowTaskProcessor
{
public:
    struct Options
    {
        QString nameSpace = QStringLiteral("default");
        QString identity;
        QString stickyQueue; // empty = no sticky execution
        QString normalQueue;
        std::chrono::milliseconds stickyScheduleToStartTimeout{10000};
        int cacheSize = 0;
    };
    // One page of history from GetWorkflowExecutionHistory (token empty = the first page).
    using HistoryFetcher = std::function<Result<ws::GetWorkflowExecutionHistoryResponse>(
        const temporal::api::common::v1::WorkflowExecution &execution, const std::string &pageToken)>;

    WorkflowTaskProcessor(const Registry &registry, Options options, HistoryFetcher fetcher);

    WorkflowTaskOutcome process(const ws::PollWorkflowTaskQueueResponse &task);
    // After answering: a failed RPC (or a closed run) drops the cached run.
    void answered(const WorkflowTaskOutcome &outcome, bool ok);
    int cachedRuns() const { return m_cache.size(); }
    // Counters for tests and logs.
    int fullReplays() const { return m_fullReplays; }
    int historyFetches() const { return m_historyFetches; }

private:
    Result<std::unique_ptr<WorkflowRun>> replayFromStart(const ws::PollWorkflowTaskQueueResponse &task,
                                                         qint64 upTo);
    Result<void> appendPages(const temporal::api::common::v1::WorkflowExecution &execution,
                             std::string token, temporal::api::history::v1::History *history);
    WorkflowTaskOutcome answerLegacyQuery(const ws::PollWorkflowTaskQueueResponse &task, CacheEntry &entry);
    void fail(WorkflowTaskOutcome &outcome, const ws::PollWorkflowTaskQueueResponse &task, const Error &error);

    const Registry &m_registry;
    Options m_options;
    HistoryFetcher m_fetcher;
    WorkflowCache m_cache;
    std::atomic<int> m_fullReplays = 0;
    std::atomic<int> m_historyFetches = 0;
};

} // namespace Nebula::Temporal::Internal
