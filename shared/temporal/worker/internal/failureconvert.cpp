#include "temporal/worker/internal/failureconvert.h"

#include "temporal/payloadconverter.h"
#include "temporal/worker/failure.h"

#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal::Internal {
namespace {

QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

// The innermost application failure carries the activity's own message and type.
const Failure &rootCause(const Failure &failure)
{
    const Failure *f = &failure;
    while (!f->has_application_failure_info() && f->has_cause())
        f = &f->cause();
    return *f;
}

} // namespace

Failure toFailure(const Error &error)
{
    Failure f;
    f.set_message(error.message.toStdString());
    f.set_source("NebulaOps");
    auto *info = f.mutable_application_failure_info();
    info->set_type(failureType(error).toStdString());
    info->set_non_retryable(isNonRetryable(error));
    QJsonObject detail{{u"code"_s, errorCodeName(error.code)}};
    if (!error.detail.isEmpty())
        detail.insert(u"detail"_s, error.detail);
    if (!error.data.isEmpty())
        detail.insert(u"data"_s, error.data);
    *info->mutable_details()->add_payloads() = PayloadConverter::fromJson(detail);
    return f;
}

Error fromFailure(const Failure &failure)
{
    Error e;
    e.code = ErrorCode::Unknown;
    e.message = fromStd(failure.message());
    if (failure.has_application_failure_info()) {
        const auto &info = failure.application_failure_info();
        bool ours = false;
        if (info.details().payloads_size() == 1) {
            auto detail = PayloadConverter::firstToJson(info.details());
            if (detail && detail->isObject() && detail->toObject().contains(u"code"_s)) {
                const QJsonObject o = detail->toObject();
                ours = errorCodeFromName(o.value(u"code"_s).toString(), &e.code);
                e.detail = o.value(u"detail"_s).toString();
                e.data = o.value(u"data"_s).toObject();
            }
        }
        if (!ours) {
            errorCodeFromName(fromStd(info.type()), &e.code);
            if (info.details().payloads_size() > 0) {
                if (auto args = PayloadConverter::toJsonArgs(info.details()))
                    e.data.insert(u"details"_s, *args);
            }
        }
        e.data.insert(u"type"_s, fromStd(info.type()));
        e.data.insert(u"nonRetryable"_s, info.non_retryable());
    } else if (failure.has_canceled_failure_info()) {
        e.code = ErrorCode::Cancelled;
        e.data.insert(u"cancelled"_s, true);
    } else if (failure.has_timeout_failure_info()) {
        e.code = ErrorCode::DeadlineExceeded;
        e.data.insert(u"timedOut"_s, true);
    }
    if (!failure.stack_trace().empty() && e.detail.isEmpty())
        e.detail = fromStd(failure.stack_trace());
    return e;
}

Error activityError(const temporal::api::history::v1::HistoryEvent &event, const QString &activityType,
                    const QString &activityId)
{
    Error e;
    if (event.has_activity_task_failed_event_attributes()) {
        const auto &a = event.activity_task_failed_event_attributes();
        e = fromFailure(rootCause(a.failure()));
        e.data.insert(u"retryState"_s, static_cast<int>(a.retry_state()));
    } else if (event.has_activity_task_timed_out_event_attributes()) {
        const auto &a = event.activity_task_timed_out_event_attributes();
        const auto &f = a.failure();
        QString cause;
        if (f.has_cause())
            cause = fromStd(rootCause(f.cause()).message());
        e.code = ErrorCode::DeadlineExceeded;
        e.message = cause.isEmpty()
                        ? u"Activity %1 timed out (%2)."_s.arg(activityType, fromStd(f.message()))
                        : u"Activity %1 timed out (%2); last failure: %3"_s.arg(activityType, fromStd(f.message()), cause);
        e.data.insert(u"timedOut"_s, true);
        e.data.insert(u"timeoutType"_s, static_cast<int>(f.timeout_failure_info().timeout_type()));
        e.data.insert(u"retryState"_s, static_cast<int>(a.retry_state()));
    } else {
        e = cancelledError(u"Activity %1 was cancelled."_s.arg(activityType));
    }
    e.data.insert(u"activityType"_s, activityType);
    e.data.insert(u"activityId"_s, activityId);
    if (!e.data.contains(u"cancelled"_s))
        e.data.insert(u"cancelled"_s, e.code == ErrorCode::Cancelled);
    if (!e.data.contains(u"timedOut"_s))
        e.data.insert(u"timedOut"_s, false);
    if (e.detail.isEmpty())
        e.detail = u"activity %1 (id %2) closed with event %3"_s.arg(activityType, activityId).arg(event.event_id());
    return e;
}

} // namespace Nebula::Temporal::Internal
