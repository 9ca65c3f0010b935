#include "toolfailure.h"

#include <QJsonValue>

#include <array>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools {
namespace {

bool containsAny(QStringView text, const auto &needles)
{
    for (const QStringView needle : needles) {
        if (text.contains(needle))
            return true;
    }
    return false;
}

} // namespace

Error makeFailure(ErrorCode code, QStringView type, bool retryable, QString message,
                  QString detail, const FailureInfo &info)
{
    Error error = makeError(code, std::move(message), std::move(detail));
    error.data.insert(u"type"_s, type.toString());
    error.data.insert(u"nonRetryable"_s, !retryable);
    if (!info.tool.isEmpty())
        error.data.insert(u"tool"_s, info.tool);
    if (!info.command.isEmpty())
        error.data.insert(u"command"_s, info.command);
    if (info.exitCode >= 0)
        error.data.insert(u"exitCode"_s, info.exitCode);
    return error;
}

bool isRetryable(const Error &error)
{
    return !error.data.value(u"nonRetryable"_s).toBool(false);
}

QString failureType(const Error &error)
{
    const QString type = error.data.value(u"type"_s).toString();
    return type.isEmpty() ? errorCodeName(error.code) : type;
}

bool looksTransient(QStringView lowerText)
{
    static constexpr std::array<QStringView, 26> needles = {
        u"timeout", u"timed out", u"deadline exceeded", u"connection reset",
        u"connection refused", u"connection closed", u"broken pipe", u"no route to host",
        u"network is unreachable", u"temporary failure", u"try again", u"no such host",
        u"tls handshake", u"too many requests", u"rate exceeded", u"rate limit", u"throttl",
        u"requestlimitexceeded", u"service unavailable", u"503", u"502 bad gateway",
        u"internalerror", u"insufficientinstancecapacity", u"failed to query available provider",
        u"failed to install provider", u"could not get lock"};
    return containsAny(lowerText, needles);
}

bool looksLikeCredentials(QStringView lowerText)
{
    static constexpr std::array<QStringView, 13> needles = {
        u"no valid credential sources", u"invalidclienttokenid", u"signaturedoesnotmatch",
        u"authfailure", u"unauthorizedoperation", u"unauthorized", u"accessdenied",
        u"access denied", u"expiredtoken", u"invalid credentials", u"security token included",
        u"permission denied (publickey", u"authentication failed"};
    return containsAny(lowerText, needles);
}

} // namespace Nebula::Tools
