#include "result.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Unknown: return u"unknown"_s;
    case ErrorCode::InvalidArgument: return u"invalid-argument"_s;
    case ErrorCode::NotFound: return u"not-found"_s;
    case ErrorCode::AlreadyExists: return u"already-exists"_s;
    case ErrorCode::PermissionDenied: return u"permission-denied"_s;
    case ErrorCode::Unauthenticated: return u"unauthenticated"_s;
    case ErrorCode::Unavailable: return u"unavailable"_s;
    case ErrorCode::DeadlineExceeded: return u"deadline-exceeded"_s;
    case ErrorCode::ResourceExhausted: return u"resource-exhausted"_s;
    case ErrorCode::FailedPrecondition: return u"failed-precondition"_s;
    case ErrorCode::Cancelled: return u"cancelled"_s;
    case ErrorCode::Aborted: return u"aborted"_s;
    case ErrorCode::Internal: return u"internal"_s;
    case ErrorCode::Unimplemented: return u"unimplemented"_s;
    case ErrorCode::Io: return u"io"_s;
    case ErrorCode::Parse: return u"parse"_s;
    case ErrorCode::Validation: return u"validation"_s;
    case ErrorCode::Tool: return u"tool"_s;
    }
    return u"unknown"_s;
}

QString Error::toString() const
{
    if (detail.isEmpty())
        return message;
    return message + u" ("_s + detail + u')';
}

} // namespace Nebula
