#pragma once

#include "call.h"
#include "store.h"
#include "timerqueue.h"

#include <devserver/state.pb.h>
#include <temporal/api/history/v1/message.pb.h>
#include <temporal/api/workflowservice/v1/request_response.pb.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace Nebula::DevServer {

namespace ws = temporal::api::workflowservice::v1;
namespace hist = temporal::api::history::v1;
namespace st = nebula::devserver::v1;

struct EngineOptions
{
    std::vector<std::string> namespaces{"default"};
    std::chrono::milliseconds taskLongPoll{60000};
    std::chrono::milliseconds historyLongPoll{20000};
    std::chrono::milliseconds stickyPollerWindow{10000};
    int historyPageSize = 256;
};

// The history and task engine: the mutable state of every open run (in memory, committed to
// SQLite before any caller is answered), task queues with long polls, timers and timeouts. One
// mutex serialises everything; gRPC threads never block in here for longer than a commit.
// Behaviour follows docs/temporal-protocol.md §3–§5 (see docs/devserver.md for deviations).
class Engine
{
public:
    static Result<std::unique_ptr<Engine>> create(std::unique_ptr<Store> store, EngineOptions options);
    ~Engine();
    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    // Ends every waiting call (UNAVAILABLE) and stops the timers. Idempotent.
    void shutdown();
    bool hasNamespace(const std::string &ns) const;
    const std::vector<std::string> &namespaces() const { return m_options.namespaces; }
    std::size_t openRunCount() const;

    grpc::Status startWorkflowExecution(const ws::StartWorkflowExecutionRequest &req,
                                        ws::StartWorkflowExecutionResponse *resp);
    grpc::Status signalWithStart(const ws::SignalWithStartWorkflowExecutionRequest &req,
                                 ws::SignalWithStartWorkflowExecutionResponse *resp);
    grpc::Status signalWorkflowExecution(const ws::SignalWorkflowExecutionRequest &req);
    grpc::Status requestCancelWorkflowExecution(const ws::RequestCancelWorkflowExecutionRequest &req);
    grpc::Status terminateWorkflowExecution(const ws::TerminateWorkflowExecutionRequest &req);

    void pollWorkflowTaskQueue(const ws::PollWorkflowTaskQueueRequest &req, CallPtr call);
    grpc::Status respondWorkflowTaskCompleted(const ws::RespondWorkflowTaskCompletedRequest &req,
                                              ws::RespondWorkflowTaskCompletedResponse *resp);
    grpc::Status respondWorkflowTaskFailed(const ws::RespondWorkflowTaskFailedRequest &req);
    grpc::Status respondQueryTaskCompleted(const ws::RespondQueryTaskCompletedRequest &req);

    void pollActivityTaskQueue(const ws::PollActivityTaskQueueRequest &req, CallPtr call);
    grpc::Status recordActivityTaskHeartbeat(const std::string &token, const std::string &ns,
                                             const std::string &workflowId, const std::string &runId,
                                             const std::string &activityId,
                                             const temporal::api::common::v1::Payloads *details,
                                             const std::string &identity, bool *cancelRequested);
    // kind: 0 completed, 1 failed, 2 canceled. With an empty token, the ById fields are used.
    struct ActivityOutcome
    {
        int kind = 0;
        std::string token;
        std::string ns, workflowId, runId, activityId;
        const temporal::api::common::v1::Payloads *payloads = nullptr; // result / details
        const temporal::api::failure::v1::Failure *failure = nullptr;
        const temporal::api::common::v1::Payloads *lastHeartbeatDetails = nullptr;
        std::string identity;
    };
    grpc::Status respondActivityTask(const ActivityOutcome &outcome);

    void queryWorkflow(const ws::QueryWorkflowRequest &req, CallPtr call);
    grpc::Status describeWorkflowExecution(const ws::DescribeWorkflowExecutionRequest &req,
                                           ws::DescribeWorkflowExecutionResponse *resp);
    void getWorkflowExecutionHistory(const ws::GetWorkflowExecutionHistoryRequest &req, CallPtr call);
    grpc::Status listWorkflowExecutions(const ws::ListWorkflowExecutionsRequest &req,
                                        ws::ListWorkflowExecutionsResponse *resp);
    grpc::Status listOpenOrClosed(const std::string &ns, bool open, int pageSize,
                                  const std::string &pageToken, const std::string &workflowId,
                                  const std::string &workflowType,
                                  std::vector<temporal::api::workflow::v1::WorkflowExecutionInfo> *out,
                                  std::string *nextPageToken);
    grpc::Status countWorkflowExecutions(const ws::CountWorkflowExecutionsRequest &req,
                                         ws::CountWorkflowExecutionsResponse *resp);
    grpc::Status describeTaskQueue(const ws::DescribeTaskQueueRequest &req,
                                   ws::DescribeTaskQueueResponse *resp);
    grpc::Status shutdownWorker(const ws::ShutdownWorkerRequest &req);

private:
    struct Run
    {
        st::RunState s;
        std::vector<hist::HistoryEvent> events; // every written event; [0, persisted) in SQLite
        std::size_t persisted = 0;
        std::vector<std::string> attachedQueries; // delivered with the started workflow task
        std::vector<std::string> waitingQueries;  // for the next workflow task
        bool newWorkflowTaskWanted = false;        // set while handling a completion
    };
    struct TaskRef
    {
        enum class Kind { Workflow, Activity, Query } kind = Kind::Workflow;
        std::string runId;
        std::int64_t scheduledId = 0;
        std::int32_t attempt = 0;
        std::int64_t dispatchId = 0;
        std::string queryId;
    };
    struct Poller
    {
        CallPtr call;
        std::string identity;
        std::uint64_t timerId = 0;
        bool sticky = false;
    };
    struct QueueKey
    {
        std::string ns;
        std::string name;
        int type = 1; // 1 workflow, 2 activity
        bool operator<(const QueueKey &o) const
        {
            return std::tie(ns, name, type) < std::tie(o.ns, o.name, o.type);
        }
    };
    struct TaskQueue
    {
        std::deque<TaskRef> tasks;
        std::deque<Poller> pollers;
        std::map<std::string, TimePoint> recentPollers; // identity -> last access
        TimePoint lastPoll{};
        bool sticky = false;
        bool shutDown = false;
    };
    struct PendingQuery
    {
        std::string id;
        std::string ns;
        std::string runId;
        temporal::api::query::v1::WorkflowQuery query;
        std::string taskQueue;
        CallPtr call;
        std::uint64_t timerId = 0;
        bool dispatched = false;
        bool sticky = false;
    };
    struct HistoryWaiter
    {
        std::string runId;
        ws::GetWorkflowExecutionHistoryRequest req;
        CallPtr call;
    };

    class Locked;
    friend class Locked;

    Engine(std::unique_ptr<Store> store, EngineOptions options);
    void recover();
    void afterCommit();

    // Runs
    Run *openRun(const std::string &ns, const std::string &runId);
    Run *findRun(const std::string &ns, const std::string &workflowId, const std::string &runId,
                 std::optional<st::RunState> *closedOut, grpc::Status *error);
    grpc::Status persist(Run &run, bool setCurrent = false);
    void closeRun(Run &run);

    // Events
    hist::HistoryEvent &append(Run &run, temporal::api::enums::v1::EventType type);
    hist::HistoryEvent &appendOrBuffer(Run &run, temporal::api::enums::v1::EventType type);
    void flushBuffered(Run &run);
    bool workflowTaskInFlight(const Run &run) const;

    // Workflow tasks (engine_workflowtask.cpp)
    void scheduleWorkflowTask(Run &run, int attempt);
    void scheduleWorkflowTaskIfNeeded(Run &run);
    bool dispatchWorkflowTask(Run &run, const TaskRef &ref, const Poller &poller, bool fromSticky);
    bool dispatchQueryTask(PendingQuery &query, const Poller &poller, bool fromSticky);
    void failWorkflowTask(Run &run, temporal::api::enums::v1::WorkflowTaskFailedCause cause,
                          const temporal::api::failure::v1::Failure *failure,
                          const std::string &identity, int timeoutType);
    void fillHistory(const Run &run, std::int64_t fromId, bool withTransient,
                     hist::History *out, std::string *nextPageToken);
    void onWorkflowTaskTimeout(const std::string &runId, std::int64_t scheduledId, std::int32_t attempt,
                               std::int64_t dispatchId, bool scheduleToStart);
    bool validateCommands(const Run &run, const ws::RespondWorkflowTaskCompletedRequest &req,
                          temporal::api::enums::v1::WorkflowTaskFailedCause *cause, std::string *message);
    void applyCommands(Run &run, const ws::RespondWorkflowTaskCompletedRequest &req,
                       std::int64_t completedId, bool *closed);
    void forceClose(Run &run);
    void terminateRun(Run &run, const std::string &reason,
                      const temporal::api::common::v1::Payloads *details, const std::string &identity);
    void answerQuery(PendingQuery &q, bool answered, const temporal::api::common::v1::Payloads &answer,
                     const std::string &errorMessage, const temporal::api::failure::v1::Failure *failure);
    void releaseQueries(Run &run);
    void routeQuery(PendingQuery &query, Run *run);

    // Activities (engine_activity.cpp)
    st::ActivityState *findActivity(Run &run, std::int64_t scheduledId);
    void enqueueActivity(Run &run, st::ActivityState &act);
    bool dispatchActivity(Run &run, const TaskRef &ref, const Poller &poller);
    void armScheduleToClose(Run &run, const st::ActivityState &act);
    void armAttemptTimers(Run &run, const st::ActivityState &act);
    void externalEventAdded(Run &run);
    st::ActivityState *resolveActivity(const std::string &token, const std::string &ns,
                                       const std::string &workflowId, const std::string &runId,
                                       const std::string &activityId, Run **runOut, grpc::Status *error);
    void onActivityTimeout(const std::string &runId, std::int64_t scheduledId, std::int32_t attempt,
                           std::int64_t dispatchId, int timeoutType);
    void activityAttemptFailed(Run &run, st::ActivityState &act,
                               const temporal::api::failure::v1::Failure &failure, int timeoutType,
                               const std::string &identity);
    std::int64_t writeActivityStarted(Run &run, const st::ActivityState &act);
    void removeActivity(Run &run, std::int64_t scheduledId);
    void onRetryBackoffDone(const std::string &runId, std::int64_t scheduledId, std::int32_t attempt);

    // Timers & workflow timeouts (engine_control.cpp)
    void onUserTimer(const std::string &runId, const std::string &timerId, std::int64_t startedId);
    void onRunTimeout(const std::string &runId);
    Run *startRun(const std::string &ns, const std::string &workflowId,
                  const ws::StartWorkflowExecutionRequest &req, const std::string &requestId,
                  const std::string &firstRunId);
    bool checkExisting(const std::string &ns, const std::string &workflowId, const std::string &requestId,
                       int reusePolicy, int conflictPolicy, ws::StartWorkflowExecutionResponse *resp,
                       grpc::Status *status, std::string *firstRunId);
    void addSignal(Run &run, const std::string &name, const temporal::api::common::v1::Payloads &input,
                   const std::string &identity, const temporal::api::common::v1::Header *header,
                   const std::string &requestId);

    // Matching
    TaskQueue &queue(const std::string &ns, const std::string &name, int type);
    void enqueue(const std::string &ns, const std::string &queueName, int type, TaskRef ref);
    void matchQueue(const QueueKey &key);
    bool tryDispatch(TaskQueue &q, const QueueKey &key, const TaskRef &ref, const Poller &poller);
    void poll(const std::string &ns, const temporal::api::taskqueue::v1::TaskQueue &tq, int type,
              const std::string &identity, CallPtr call);
    bool stickyAlive(const std::string &ns, const std::string &stickyName);

    // History long polls
    void notifyHistoryWaiters(const std::string &runId);
    bool answerHistory(const ws::GetWorkflowExecutionHistoryRequest &req, Run *run,
                       const std::optional<st::RunState> &closed, bool mayWait, const CallPtr &call);

    // Helpers
    TimePoint now() const { return Clock::now(); }
    std::string makeToken(const st::TaskToken &token) const;
    void defer(std::function<void()> fn) { m_deferred.push_back(std::move(fn)); }
    void logClose(const Run &run);

    mutable std::mutex m_mutex;
    std::vector<std::function<void()>> m_deferred;
    std::unique_ptr<Store> m_store;
    EngineOptions m_options;
    TimerQueue m_timers;
    std::unordered_map<std::string, std::unique_ptr<Run>> m_runs; // open runs by run id
    std::map<QueueKey, TaskQueue> m_queues;
    std::set<QueueKey> m_toMatch;
    std::unordered_map<std::string, PendingQuery> m_queries;
    std::map<std::uint64_t, HistoryWaiter> m_historyWaiters;
    std::uint64_t m_waiterCounter = 0;
    std::set<std::string> m_touched; // runs committed in the current locked section
    std::set<std::string> m_closing; // runs closed in the current locked section
    bool m_shutdown = false;
};

} // namespace Nebula::DevServer
