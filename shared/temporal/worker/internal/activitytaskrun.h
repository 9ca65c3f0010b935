#pragma once

// One activity attempt: its context (info, heartbeats, cancellation, signals) and the translation
// of the activity function's Result into RespondActivityTaskCompleted / Failed / Canceled.

#include "temporal/worker/activitycontext.h"
#include "temporal/worker/internal/heartbeater.h"
#include "temporal/worker/registry.h"

#include <temporal/api/workflowservice/v1/request_response.pb.h>

#include <memory>

namespace Nebula::Temporal::Internal {

namespace ws = temporal::api::workflowservice::v1;

struct ActivityOutcome
{
    enum class Kind { Completed, Failed, Canceled };
    Kind kind = Kind::Failed;
    ws::RespondActivityTaskCompletedRequest completed;
    ws::RespondActivityTaskFailedRequest failed;
    ws::RespondActivityTaskCanceledRequest canceled;
    QString message; // for logs
};

class ActivityTaskRun
{
public:
    ActivityTaskRun(const ws::PollActivityTaskQueueResponse &task, QString nameSpace, QString identity,
                    Heartbeater *heartbeater);
    ~ActivityTaskRun();

    // Runs the registered function (on the calling thread) and builds the answer. Pending
    // heartbeat details and signals are flushed first.
    ActivityOutcome execute(const Registry &registry);

    const ActivityInfo &info() const { return m_info; }
    CancellationToken token() const { return m_token; }
    void heartbeat(const QJsonValue &details);
    void signalWorkflow(const QString &name, const QJsonArray &args);
    int heartbeatsSent() const;

private:
    ActivityInfo m_info;
    ws::PollActivityTaskQueueResponse m_task;
    QString m_nameSpace;
    QString m_identity;
    Heartbeater *m_heartbeater;
    CancellationToken m_token;
    std::shared_ptr<Heartbeater::Activity> m_outbox;
};

} // namespace Nebula::Temporal::Internal
