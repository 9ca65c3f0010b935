#pragma once

#include <QJsonObject>
#include <QString>

#include <utility>
#include <variant>

namespace Nebula {

// What went wrong, as a value. `message` is for the person in front of the screen and says what
// to do; `detail` is for logs (status codes, server text, file names).
enum class ErrorCode {
    Unknown,
    InvalidArgument,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
    DeadlineExceeded,
    ResourceExhausted,
    FailedPrecondition,
    Cancelled,
    Aborted,
    Internal,
    Unimplemented,
    Io,
    Parse,
    Validation,
    Tool,
};

struct Error
{
    ErrorCode code = ErrorCode::Unknown;
    QString message;
    QString detail;
    // Structured extras a caller may act on (e.g. {"runId": ...} for an already started workflow).
    QJsonObject data;

    QString toString() const;
};

QString errorCodeName(ErrorCode code);

// An expected-like result: either a value or an Error. std::expected is C++23; this is the small
// subset we need.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

    const Error &error() const { return std::get<1>(m_v); }
    // The error's message, or an empty string on success (handy in log lines and test messages).
    QString errorMessage() const { return ok() ? QString() : error().toString(); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error &error() const { return m_error; }
    QString errorMessage() const { return m_ok ? QString() : m_error.toString(); }

private:
    Error m_error;
    bool m_ok = true;
};

inline Error makeError(ErrorCode code, QString message, QString detail = {})
{
    return Error{code, std::move(message), std::move(detail), {}};
}

} // namespace Nebula
