#include "temporal/worker/internal/workflowtaskprocessor.h"

#include "common/logging.h"
#include "common/version.h"
#include "temporal/internal/convert.h"
#include "temporal/payloadconverter.h"
#include "temporal/worker/internal/failureconvert.h"

#include <temporal/api/enums/v1/event_type.pb.h>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal::Internal {

namespace enums = temporal::api::enums::v1;

namespace {

std::vector<const HistoryEvent *> eventsUpTo(const temporal::api::history::v1::History &history, qint64 upTo,
                                             qint64 from = 1)
{
    std::vector<const HistoryEvent *> events;
    events.reserve(static_cast<size_t>(history.events_size()));
    for (const auto &e : history.events()) {
        if (e.event_id() >= from && (upTo <= 0 || e.event_id() <= upTo))
            events.push_back(&e);
    }
    return events;
}

void setQueryAnswer(const Result<QJsonValue> &answer, temporal::api::query::v1::WorkflowQueryResult *result)
{
    if (answer) {
        result->set_result_type(enums::QUERY_RESULT_TYPE_ANSWERED);
        *result->mutable_answer()->add_payloads() = PayloadConverter::fromJson(*answer);
    } else {
        result->set_result_type(enums::QUERY_RESULT_TYPE_FAILED);
        result->set_error_message(answer.error().message.toStdString());
        *result->mutable_failure() = toFailure(answer.error());
    }
}

Result<QJsonValue> runQuery(WorkflowRun &run, const temporal::api::query::v1::WorkflowQuery &query)
{
    auto args = PayloadConverter::toJsonArgs(query.query_args());
    if (!args)
        return args.error();
    return run.query(QString::fromStdString(query.query_type()), *args);
}

} // namespace

WorkflowTaskProcessor::WorkflowTaskProcessor(const Registry &registry, Options options, HistoryFetcher fetcher)
    : m_registry(registry), m_options(std::move(options)), m_fetcher(std::move(fetcher)),
      m_cache(m_options.stickyQueue.isEmpty() ? 0 : m_options.cacheSize)
{
}

Result<void> WorkflowTaskProcessor::appendPages(const temporal::api::common::v1::WorkflowExecution &execution,
                                                std::string token, temporal::api::history::v1::History *history)
{
    while (!token.empty()) {
        ++m_historyFetches;
        auto page = m_fetcher(execution, token);
        if (!page)
            return page.error();
        for (auto &e : *page->mutable_history()->mutable_events())
            *history->add_events() = std::move(e);
        token = page->next_page_token();
    }
    return {};
}

Result<std::unique_ptr<WorkflowRun>> WorkflowTaskProcessor::replayFromStart(
    const ws::PollWorkflowTaskQueueResponse &task, qint64 upTo)
{
    ++m_fullReplays;
    temporal::api::history::v1::History history;
    const bool haveStart = task.history().events_size() > 0 && task.history().events(0).event_id() == 1;
    if (haveStart) {
        history = task.history();
        if (auto ok = appendPages(task.workflow_execution(), task.next_page_token(), &history); !ok)
            return ok.error();
    } else {
        ++m_historyFetches;
        auto first = m_fetcher(task.workflow_execution(), std::string());
        if (!first)
            return first.error();
        history = std::move(*first->mutable_history());
        if (auto ok = appendPages(task.workflow_execution(), first->next_page_token(), &history); !ok)
            return ok.error();
    }
    auto events = eventsUpTo(history, upTo);
    if (upTo > 0 && (events.empty() || events.back()->event_id() != upTo)) {
        return makeError(ErrorCode::Internal, u"The history of run %1 ends at event %2, before the task's "
                                              u"started event %3."_s
                                                  .arg(QString::fromStdString(task.workflow_execution().run_id()))
                                                  .arg(events.empty() ? 0 : events.back()->event_id())
                                                  .arg(upTo));
    }
    auto run = std::make_unique<WorkflowRun>(m_registry, m_options.nameSpace);
    run->setExecution(QString::fromStdString(task.workflow_execution().workflow_id()),
                      QString::fromStdString(task.workflow_execution().run_id()));
    if (auto ok = run->apply(events); !ok)
        return ok.error();
    return run;
}

WorkflowTaskOutcome WorkflowTaskProcessor::process(const ws::PollWorkflowTaskQueueResponse &task)
{
    const QString runId = QString::fromStdString(task.workflow_execution().run_id());
    auto entry = m_cache.acquire(runId);
    std::lock_guard lock(entry->mutex);
    if (task.has_query())
        return answerLegacyQuery(task, *entry);

    WorkflowTaskOutcome outcome;
    outcome.workflowId = QString::fromStdString(task.workflow_execution().workflow_id());
    outcome.runId = runId;
    const auto &history = task.history();
    const qint64 first = history.events_size() > 0 ? history.events(0).event_id() : 0;
    WorkflowRun *run = entry->run.get();
    const bool incremental = first > 1 && run && run->lastEventId() + 1 == first
                             && run->lastStartedEventId() == task.previous_started_event_id()
                             && history.events(0).event_type() == enums::EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
    if (incremental) {
        temporal::api::history::v1::History full = history;
        auto ok = appendPages(task.workflow_execution(), task.next_page_token(), &full);
        if (ok)
            ok = run->apply(eventsUpTo(full, task.started_event_id()));
        if (!ok) {
            entry->run.reset();
            m_cache.remove(runId);
            fail(outcome, task, ok.error());
            return outcome;
        }
    } else {
        entry->run.reset();
        auto rebuilt = replayFromStart(task, task.started_event_id());
        if (!rebuilt) {
            m_cache.remove(runId);
            fail(outcome, task, rebuilt.error());
            return outcome;
        }
        entry->run = std::move(*rebuilt);
        run = entry->run.get();
    }

    outcome.kind = WorkflowTaskOutcome::Kind::Completed;
    auto &req = outcome.completed;
    req.set_task_token(task.task_token());
    req.set_identity(m_options.identity.toStdString());
    req.set_namespace_(m_options.nameSpace.toStdString());
    for (auto &command : run->newCommands())
        *req.add_commands() = std::move(command);
    auto *meta = req.mutable_sdk_metadata();
    meta->set_sdk_name("nebulaops");
    meta->set_sdk_version(Nebula::version().toStdString());
    for (const auto &[id, query] : task.queries())
        setQueryAnswer(runQuery(*run, query), &(*req.mutable_query_results())[id]);
    outcome.closesWorkflow = run->isClosed();
    if (!m_options.stickyQueue.isEmpty() && m_cache.capacity() > 0 && !outcome.closesWorkflow) {
        auto *sticky = req.mutable_sticky_attributes();
        sticky->mutable_worker_task_queue()->set_name(m_options.stickyQueue.toStdString());
        sticky->mutable_worker_task_queue()->set_kind(enums::TASK_QUEUE_KIND_STICKY);
        sticky->mutable_worker_task_queue()->set_normal_name(m_options.normalQueue.toStdString());
        *sticky->mutable_schedule_to_start_timeout() = toDuration(m_options.stickyScheduleToStartTimeout);
    }
    return outcome;
}

void WorkflowTaskProcessor::fail(WorkflowTaskOutcome &outcome, const ws::PollWorkflowTaskQueueResponse &task,
                                 const Error &error)
{
    outcome.failureMessage = error.message;
    // Like core: report only the first attempt; later attempts time out on the server.
    if (task.attempt() > 1) {
        outcome.kind = WorkflowTaskOutcome::Kind::Silent;
        return;
    }
    const bool nondeterministic = error.data.value(u"nondeterministic"_s).toBool();
    outcome.kind = WorkflowTaskOutcome::Kind::Failed;
    auto &req = outcome.failed;
    req.set_task_token(task.task_token());
    req.set_cause(nondeterministic ? enums::WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR
                                   : enums::WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE);
    req.set_identity(m_options.identity.toStdString());
    req.set_namespace_(m_options.nameSpace.toStdString());
    auto *failure = req.mutable_failure();
    failure->set_message(error.message.toStdString());
    failure->set_source("NebulaOps");
    failure->mutable_application_failure_info()->set_type(nondeterministic ? "NondeterminismError"
                                                                           : "WorkflowTaskError");
    if (!error.detail.isEmpty())
        failure->set_stack_trace(error.detail.toStdString());
}

WorkflowTaskOutcome WorkflowTaskProcessor::answerLegacyQuery(const ws::PollWorkflowTaskQueueResponse &task,
                                                             CacheEntry &entry)
{
    WorkflowTaskOutcome outcome;
    outcome.kind = WorkflowTaskOutcome::Kind::QueryAnswered;
    outcome.workflowId = QString::fromStdString(task.workflow_execution().workflow_id());
    outcome.runId = QString::fromStdString(task.workflow_execution().run_id());
    auto &req = outcome.queryAnswer;
    req.set_task_token(task.task_token());
    req.set_namespace_(m_options.nameSpace.toStdString());

    Result<QJsonValue> answer = QJsonValue();
    const bool fullHistory = task.history().events_size() > 0 && task.history().events(0).event_id() == 1;
    if (entry.run && !fullHistory) {
        answer = runQuery(*entry.run, task.query());
    } else {
        // Not cached (or the server sent full history): replay everything into a scratch run.
        auto run = replayFromStart(task, 0);
        if (!run)
            answer = run.error();
        else if (auto finished = (*run)->finishReplay(); !finished)
            answer = finished.error();
        else
            answer = runQuery(**run, task.query());
    }
    if (answer) {
        req.set_completed_type(enums::QUERY_RESULT_TYPE_ANSWERED);
        *req.mutable_query_result()->add_payloads() = PayloadConverter::fromJson(*answer);
    } else {
        req.set_completed_type(enums::QUERY_RESULT_TYPE_FAILED);
        req.set_error_message(answer.error().message.toStdString());
        *req.mutable_failure() = toFailure(answer.error());
    }
    return outcome;
}

void WorkflowTaskProcessor::answered(const WorkflowTaskOutcome &outcome, bool ok)
{
    if (outcome.kind == WorkflowTaskOutcome::Kind::QueryAnswered)
        return;
    if (!ok || outcome.closesWorkflow || outcome.kind != WorkflowTaskOutcome::Kind::Completed)
        m_cache.remove(outcome.runId);
}

} // namespace Nebula::Temporal::Internal
