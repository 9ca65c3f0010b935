#pragma once

// Workflows the runtime tests run (the recorded histories in histories/ were written for them).

#include "temporal/worker/failure.h"
#include "temporal/worker/registry.h"
#include "temporal/worker/workflowcontext.h"

#include <QJsonObject>

#include <memory>

namespace TestWorkflows {

using namespace Nebula;
using namespace Nebula::Temporal;
using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

inline ActivityOptions options()
{
    ActivityOptions o;
    o.startToCloseTimeout = 60s;
    return o;
}

// TerraformPlan, then TerraformApply with the plan; query "state" shows the stage.
inline WorkflowTask<Result<QJsonValue>> twoActivities(WorkflowContext &ctx, QJsonArray args)
{
    // Queries are answered after the function returns too: state lives outside the coroutine frame.
    auto state = std::make_shared<QJsonObject>(QJsonObject{{u"stage"_s, u"plan"_s}});
    ctx.setQueryHandler(u"state"_s, [state](const QJsonArray &) -> Result<QJsonValue> { return QJsonValue(*state); });
    auto plan = co_await ctx.executeActivity(u"TerraformPlan"_s, args, options());
    if (!plan)
        co_return plan.error();
    state->insert(u"stage"_s, u"apply"_s);
    state->insert(u"plan"_s, *plan);
    auto apply = co_await ctx.executeActivity(u"TerraformApply"_s, args, options());
    if (!apply)
        co_return apply.error();
    state->insert(u"stage"_s, u"done"_s);
    co_return QJsonObject{{u"plan"_s, *plan}, {u"apply"_s, *apply}};
}

// The same workflow after a careless change: applies before planning.
inline WorkflowTask<Result<QJsonValue>> twoActivitiesReordered(WorkflowContext &ctx, QJsonArray args)
{
    auto apply = co_await ctx.executeActivity(u"TerraformApply"_s, args, options());
    auto plan = co_await ctx.executeActivity(u"TerraformPlan"_s, args, options());
    co_return QJsonObject{{u"plan"_s, plan.valueOr({})}, {u"apply"_s, apply.valueOr({})}};
}

// Runs "Long"; when cancelled, runs the detached "Cleanup" and ends as canceled.
inline WorkflowTask<Result<QJsonValue>> cancellable(WorkflowContext &ctx, QJsonArray args)
{
    ActivityOptions o = options();
    o.heartbeatTimeout = 10s;
    auto result = co_await ctx.executeActivity(u"Long"_s, args, o);
    if (!result && isCancellation(result.error())) {
        ActivityOptions cleanup = options();
        cleanup.detached = true;
        auto cleaned = co_await ctx.executeActivity(u"Cleanup"_s, args, cleanup);
        if (!cleaned)
            co_return cleaned.error();
        co_return cancelledError(u"Cancelled after clean-up."_s);
    }
    co_return result;
}

// Waits for the "approve" signal, sleeps 5 s and completes naming the approver.
inline WorkflowTask<Result<QJsonValue>> approval(WorkflowContext &ctx, QJsonArray)
{
    auto approver = std::make_shared<QString>();
    ctx.setSignalHandler(u"approve"_s, [approver](const QJsonArray &args) { *approver = args.at(0).toString(); });
    ctx.setQueryHandler(u"approver"_s, [approver](const QJsonArray &) -> Result<QJsonValue> { return QJsonValue(*approver); });
    co_await ctx.waitCondition([approver] { return !approver->isEmpty(); });
    auto slept = co_await ctx.sleep(5s);
    if (!slept)
        co_return slept.error();
    co_return QJsonValue(u"approved by "_s + *approver);
}

// Throws from workflow code (a bug): fails the workflow task, not the workflow.
inline WorkflowTask<Result<QJsonValue>> throwing(WorkflowContext &, QJsonArray)
{
    throw std::runtime_error("bug in workflow code");
    co_return QJsonValue();
}

// A query handler that (wrongly) starts an activity.
inline WorkflowTask<Result<QJsonValue>> badQuery(WorkflowContext &ctx, QJsonArray)
{
    ctx.setQueryHandler(u"sneaky"_s, [&ctx](const QJsonArray &) -> Result<QJsonValue> {
        ctx.executeActivity(u"X"_s, {}, options());
        return QJsonValue(1);
    });
    co_await ctx.waitCondition([] { return false; });
    co_return QJsonValue();
}

// Two activities in parallel, then deterministic randomness in the result.
inline WorkflowTask<Result<QJsonValue>> parallel(WorkflowContext &ctx, QJsonArray)
{
    auto a = ctx.executeActivity(u"A"_s, {}, options());
    auto b = ctx.executeActivity(u"B"_s, {}, options());
    auto ra = co_await a;
    auto rb = co_await b;
    co_return QJsonObject{{u"a"_s, ra.valueOr({})}, {u"b"_s, rb.valueOr({})},
                          {u"uuid"_s, ctx.randomUuid().toString(QUuid::WithoutBraces)}};
}

inline void registerAll(Registry &r)
{
    r.registerWorkflow(u"TwoActivities"_s, &twoActivities);
    r.registerWorkflow(u"Cancellable"_s, &cancellable);
    r.registerWorkflow(u"Approval"_s, &approval);
    r.registerWorkflow(u"Throwing"_s, &throwing);
    r.registerWorkflow(u"BadQuery"_s, &badQuery);
    r.registerWorkflow(u"Parallel"_s, &parallel);
}

} // namespace TestWorkflows
