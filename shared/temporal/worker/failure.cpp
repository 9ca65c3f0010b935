#include "temporal/worker/failure.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal {

Error applicationError(const QString &message, const QString &type, bool nonRetryable,
                       const QJsonObject &data)
{
    Error e;
    e.code = ErrorCode::Unknown;
    errorCodeFromName(type, &e.code);
    e.message = message;
    e.data = data;
    e.data.insert(u"type"_s, type);
    if (nonRetryable)
        e.data.insert(u"nonRetryable"_s, true);
    return e;
}

Error nonRetryable(Error error)
{
    error.data.insert(u"nonRetryable"_s, true);
    return error;
}

Error cancelledError(const QString &message)
{
    Error e = makeError(ErrorCode::Cancelled, message.isEmpty() ? u"Cancelled."_s : message);
    e.data.insert(u"cancelled"_s, true);
    return e;
}

QString failureType(const Error &error)
{
    const QString type = error.data.value(u"type"_s).toString();
    return type.isEmpty() ? errorCodeName(error.code) : type;
}

bool isNonRetryable(const Error &error)
{
    return error.data.value(u"nonRetryable"_s).toBool();
}

bool isCancellation(const Error &error)
{
    return error.code == ErrorCode::Cancelled;
}

bool errorCodeFromName(const QString &name, ErrorCode *code)
{
    for (int i = 0; i <= static_cast<int>(ErrorCode::Tool); ++i) {
        const auto candidate = static_cast<ErrorCode>(i);
        if (errorCodeName(candidate) == name) {
            *code = candidate;
            return true;
        }
    }
    return false;
}

} // namespace Nebula::Temporal
