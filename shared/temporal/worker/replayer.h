#pragma once

#include "common/result.h"
#include "temporal/worker/registry.h"

#include <QByteArray>
#include <QString>

namespace Nebula::Temporal {

// Runs recorded histories through workflow code to check that the code still produces the
// commands history has (sdk-go's WorkflowReplayer). Histories are JSON as exported by the temporal
// CLI (`temporal workflow show --output json`) or the Web UI: {"events": [...]} with event types
// written either "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" or "ActivityTaskScheduled"; unknown fields
// are ignored.
class Replayer
{
public:
    void registerWorkflow(const QString &name, WorkflowFunction function);

    // Ok, or an Error whose message is the nondeterminism error (e.g. "[TMPRL1100] Nondeterminism
    // error: event 5 ActivityTaskScheduled ... does not match ..."), or what is wrong with the input.
    Result<void> replayJson(const QByteArray &json) const;
    Result<void> replayFile(const QString &path) const;

private:
    Registry m_registry;
};

} // namespace Nebula::Temporal
