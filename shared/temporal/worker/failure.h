#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QString>

namespace Nebula::Temporal {

// Errors with the failure semantics of the official SDKs' ApplicationFailure, for activities and
// workflows to return. The type string travels in Error.data "type" and the non-retryable flag in
// Error.data "nonRetryable"; both survive the trip through history (an activity's Error arrives in
// workflow code with the same code, message, type and data).
Error applicationError(const QString &message, const QString &type, bool nonRetryable = false,
                       const QJsonObject &data = {});
// An error that the retry policy must not retry (same code and message, data "nonRetryable").
Error nonRetryable(Error error);
// The cancellation error an activity returns after a cancel request, or workflow code returns to
// end the run as canceled.
Error cancelledError(const QString &message = QString());

QString failureType(const Error &error); // data "type", else the ErrorCode name
bool isNonRetryable(const Error &error);
bool isCancellation(const Error &error);

// "validation" (errorCodeName) → ErrorCode::Validation; false when the name is not an ErrorCode.
bool errorCodeFromName(const QString &name, ErrorCode *code);

} // namespace Nebula::Temporal
