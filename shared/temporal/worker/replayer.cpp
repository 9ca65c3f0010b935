#include "temporal/worker/replayer.h"

#include "temporal/worker/internal/historyjson.h"
#include "temporal/worker/internal/workflowrun.h"

#include <QFile>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal {

void Replayer::registerWorkflow(const QString &name, WorkflowFunction function)
{
    m_registry.registerWorkflow(name, std::move(function));
}

Result<void> Replayer::replayJson(const QByteArray &json) const
{
    if (auto ok = m_registry.validate(); !ok)
        return ok;
    auto history = Internal::historyFromJson(json);
    if (!history)
        return history.error();
    std::vector<const Internal::HistoryEvent *> events;
    events.reserve(static_cast<size_t>(history->events_size()));
    for (const auto &event : history->events())
        events.push_back(&event);
    Internal::WorkflowRun run(m_registry, u"default"_s);
    if (auto ok = run.apply(events); !ok)
        return ok;
    return run.finishReplay();
}

Result<void> Replayer::replayFile(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"Cannot read the history file %1."_s.arg(path), file.errorString());
    return replayJson(file.readAll());
}

} // namespace Nebula::Temporal
