#include "workflows/provisioningworkflows.h"

#include "provisioning/contract.h"
#include "provisioning/progress.h"
#include "provisioning/resourcespec.h"
#include "temporal/worker/failure.h"
#include "workflows/progresssignal.h"

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Worker {

using namespace Provisioning;
using Temporal::ActivityOptions;
using Temporal::WorkflowContext;
using Temporal::WorkflowTask;

namespace {

// State shared by the workflow coroutine and its query/signal handlers. Owned by a shared_ptr the
// handlers capture, so it outlives the coroutine frame's suspension points.
struct RunState
{
    RunProgress progress;
};

ActivityOptions activityOptions(const WorkflowTimings &t, std::chrono::milliseconds startToClose)
{
    ActivityOptions o;
    o.startToCloseTimeout = startToClose;
    o.heartbeatTimeout = t.heartbeatTimeout;
    Temporal::RetryPolicy retry;
    retry.initialInterval = t.retryInitialInterval;
    retry.backoffCoefficient = 2.0;
    retry.maximumInterval = t.retryMaximumInterval;
    retry.maximumAttempts = t.maximumAttempts;
    o.retryPolicy = retry;
    return o;
}

void installHandlers(WorkflowContext &ctx, const std::shared_ptr<RunState> &state)
{
    ctx.setQueryHandler(ProgressQueryName.toString(), [state](const QJsonArray &) -> Result<QJsonValue> {
        return QJsonValue(state->progress.toJson());
    });
    ctx.setSignalHandler(ProgressSignalName.toString(), [state](const QJsonArray &args) {
        for (const auto &arg : args)
            ProgressBatch::fromJson(arg.toObject()).applyTo(state->progress);
    });
}

void startStage(WorkflowContext &ctx, RunState &state, QStringView id)
{
    auto *s = state.progress.stage(id);
    s->status = StageStatus::Running;
    s->startedAt = ctx.now();
    s->attempt = std::max(s->attempt, 1);
    state.progress.updatedAt = ctx.now();
}

void finishStage(WorkflowContext &ctx, RunState &state, QStringView id, StageStatus status,
                 const QString &message = {})
{
    auto *s = state.progress.stage(id);
    s->status = status;
    s->finishedAt = ctx.now();
    if (status == StageStatus::Succeeded)
        s->percent = 100;
    if (!message.isEmpty())
        s->message = message;
    state.progress.updatedAt = ctx.now();
}

// Ends the run after a failed stage: marks it (and the run) failed or canceled and returns the
// error the workflow ends with.
Error endWithStageError(WorkflowContext &ctx, RunState &state, QStringView id, const Error &error)
{
    const bool cancelled = Temporal::isCancellation(error) || ctx.isCancelRequested();
    const QString message = cancelled ? u"Canceled: %1"_s.arg(ctx.cancelReason().isEmpty()
                                                                 ? u"cancellation requested"_s
                                                                 : ctx.cancelReason())
                                      : error.message;
    finishStage(ctx, state, id, cancelled ? StageStatus::Canceled : StageStatus::Failed, message);
    for (auto &s : state.progress.stages) {
        if (s.status == StageStatus::Pending)
            s.status = StageStatus::Skipped;
    }
    state.progress.status = cancelled ? StageStatus::Canceled : StageStatus::Failed;
    state.progress.failedStage = id.toString();
    state.progress.errorMessage = message;
    if (cancelled)
        return Temporal::cancelledError(message);
    const auto *stage = state.progress.stage(id);
    // The workflow's failure names the stage and carries the tool's own message.
    Error failure = error;
    failure.message = u"%1 failed: %2"_s.arg(stage ? stage->title : id.toString(), error.message);
    failure.data.insert(u"stage"_s, id.toString());
    return failure;
}

} // namespace

WorkflowTask<Result<QJsonValue>> provisionResource(WorkflowContext &ctx, QJsonArray args, WorkflowTimings timings)
{
    auto parsed = ResourceSpec::fromJson(args.isEmpty() ? QJsonValue() : args.first());
    if (!parsed)
        co_return Temporal::nonRetryable(parsed.error());
    const auto valid = validated(*parsed);
    if (!valid)
        co_return Temporal::nonRetryable(valid.error());
    const ResourceSpec spec = *valid;

    auto state = std::make_shared<RunState>();
    state->progress = RunProgress::forProvision(spec.name);
    state->progress.status = StageStatus::Running;
    state->progress.updatedAt = ctx.now();
    installHandlers(ctx, state);

    const QJsonArray specArg{spec.toJson()};

    startStage(ctx, *state, StagePlan);
    auto plan = co_await ctx.executeActivity(ActivityName::TerraformPlan.toString(), specArg,
                                             activityOptions(timings, timings.planTimeout));
    if (!plan)
        co_return endWithStageError(ctx, *state, StagePlan, plan.error());
    finishStage(ctx, *state, StagePlan, StageStatus::Succeeded,
                plan->toObject().value(u"summary"_s).toString());

    startStage(ctx, *state, StageApply);
    auto apply = co_await ctx.executeActivity(ActivityName::TerraformApply.toString(), specArg,
                                              activityOptions(timings, timings.applyTimeout));
    if (!apply)
        co_return endWithStageError(ctx, *state, StageApply, apply.error());
    const QJsonObject outputs = apply->toObject().value(u"outputs"_s).toObject();
    state->progress.outputs = outputs;
    finishStage(ctx, *state, StageApply, StageStatus::Succeeded,
                apply->toObject().value(u"summary"_s).toString());

    const QJsonArray withOutputs{spec.toJson(), outputs};
    startStage(ctx, *state, StageConfigure);
    auto configure = co_await ctx.executeActivity(ActivityName::AnsibleConfigure.toString(), withOutputs,
                                                  activityOptions(timings, timings.configureTimeout));
    if (!configure)
        co_return endWithStageError(ctx, *state, StageConfigure, configure.error());
    finishStage(ctx, *state, StageConfigure, StageStatus::Succeeded,
                configure->toObject().value(u"summary"_s).toString());

    startStage(ctx, *state, StageVerify);
    auto verify = co_await ctx.executeActivity(ActivityName::VerifyResource.toString(), withOutputs,
                                               activityOptions(timings, timings.verifyTimeout));
    if (!verify)
        co_return endWithStageError(ctx, *state, StageVerify, verify.error());
    finishStage(ctx, *state, StageVerify, StageStatus::Succeeded,
                verify->toObject().value(u"summary"_s).toString());

    ProvisionResult result = ProvisionResult::fromJson(verify->toObject().value(u"result"_s).toObject());
    result.name = spec.name;
    result.type = spec.type;
    result.outputs = outputs;
    state->progress.result = result;
    state->progress.status = StageStatus::Succeeded;
    state->progress.updatedAt = ctx.now();
    co_return QJsonValue(result.toJson());
}

WorkflowTask<Result<QJsonValue>> destroyResource(WorkflowContext &ctx, QJsonArray args, WorkflowTimings timings)
{
    auto request = DestroyRequest::fromJson(args.isEmpty() ? QJsonValue() : args.first());
    if (!request)
        co_return Temporal::nonRetryable(request.error());
    if (const auto nameError = validateName(request->name); !nameError.isEmpty())
        co_return Temporal::nonRetryable(makeError(ErrorCode::Validation, nameError));

    auto state = std::make_shared<RunState>();
    state->progress = RunProgress::forDestroy(request->name);
    state->progress.status = StageStatus::Running;
    state->progress.updatedAt = ctx.now();
    installHandlers(ctx, state);

    startStage(ctx, *state, StageDestroy);
    // (Arguments are built before the co_await: GCC 12 mishandles initializer_list temporaries that
    // live across a suspension point.)
    QJsonArray destroyArgs;
    destroyArgs.append(request->toJson());
    auto destroyed = co_await ctx.executeActivity(ActivityName::TerraformDestroy.toString(), destroyArgs,
                                                  activityOptions(timings, timings.applyTimeout));
    if (!destroyed)
        co_return endWithStageError(ctx, *state, StageDestroy, destroyed.error());
    const auto result = DestroyResult::fromJson(destroyed->toObject());
    finishStage(ctx, *state, StageDestroy, StageStatus::Succeeded,
                result.existed ? u"Destroyed"_s : u"Nothing to destroy"_s);
    state->progress.status = StageStatus::Succeeded;
    co_return QJsonValue(result.toJson());
}

} // namespace Nebula::Worker
