#include "visibilityquery.h"

#include "protoutil.h"

#include <QDateTime>
#include <QString>

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::DevServer {

namespace {

enum class Kind { Keyword, Datetime, Int, Status, Duration };

struct Column
{
    const char *attribute;
    const char *column;
    Kind kind;
};

constexpr Column Columns[] = {
    {"WorkflowId", "workflow_id", Kind::Keyword},
    {"RunId", "run_id", Kind::Keyword},
    {"WorkflowType", "workflow_type", Kind::Keyword},
    {"TaskQueue", "task_queue", Kind::Keyword},
    {"ExecutionStatus", "status", Kind::Status},
    {"StartTime", "start_time", Kind::Datetime},
    {"CloseTime", "close_time", Kind::Datetime},
    {"ExecutionTime", "execution_time", Kind::Datetime},
    {"HistoryLength", "history_length", Kind::Int},
    {"ExecutionDuration", "execution_duration", Kind::Duration},
    {"ParentWorkflowId", "parent_workflow_id", Kind::Keyword},
};

constexpr const char *Statuses[] = {"Unspecified", "Running", "Completed", "Failed", "Canceled",
                                    "Terminated", "ContinuedAsNew", "TimedOut"};

struct Token
{
    enum Type { End, Ident, String, Number, Op, LParen, RParen, Comma } type = End;
    std::string text;
    std::size_t pos = 0;
};

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

class Parser
{
public:
    explicit Parser(const std::string &q) : m_q(q) {}

    Result<VisibilityQuery> parse(bool allowGroupBy)
    {
        if (auto err = tokenize())
            return *err;
        VisibilityQuery out;
        if (!atKeyword("ORDER") && !atKeyword("GROUP") && peek().type != Token::End) {
            auto where = expr();
            if (!where)
                return where.error();
            out.filter.where = *where;
        }
        if (atKeyword("ORDER")) {
            next();
            if (!atKeyword("BY"))
                return error("expected BY after ORDER");
            next();
            std::string order;
            for (;;) {
                const Token t = next();
                if (t.type != Token::Ident)
                    return error("expected an attribute name after ORDER BY", t.pos);
                const Column *col = column(t.text);
                if (!col)
                    return error("unknown attribute '" + t.text + "' in ORDER BY", t.pos);
                std::string dir = "ASC";
                if (atKeyword("ASC") || atKeyword("DESC"))
                    dir = upper(next().text);
                if (!order.empty())
                    order += ", ";
                order += std::string(col->column) + " " + dir;
                if (peek().type != Token::Comma)
                    break;
                next();
            }
            out.filter.orderBy = order;
        } else if (atKeyword("GROUP")) {
            next();
            if (!atKeyword("BY"))
                return error("expected BY after GROUP");
            next();
            const Token t = next();
            if (t.type != Token::Ident || t.text != "ExecutionStatus")
                return error("GROUP BY supports only ExecutionStatus", t.pos);
            if (!allowGroupBy)
                return error("GROUP BY is only supported by CountWorkflowExecutions", t.pos);
            out.groupByStatus = true;
        }
        if (atKeyword("LIMIT"))
            return error("LIMIT is not supported; use the page size of the request", peek().pos);
        if (peek().type != Token::End)
            return error("unexpected '" + peek().text + "'", peek().pos);
        out.filter.params = std::move(m_params);
        return out;
    }

private:
    std::optional<Error> tokenize()
    {
        std::size_t i = 0;
        while (i < m_q.size()) {
            const char c = m_q[i];
            if (std::isspace(static_cast<unsigned char>(c))) {
                ++i;
                continue;
            }
            Token t;
            t.pos = i;
            if (c == '\'' || c == '"') {
                std::string s;
                ++i;
                bool closed = false;
                while (i < m_q.size()) {
                    if (m_q[i] == '\\' && i + 1 < m_q.size()) {
                        s += m_q[i + 1];
                        i += 2;
                        continue;
                    }
                    if (m_q[i] == c) {
                        if (i + 1 < m_q.size() && m_q[i + 1] == c) { // '' inside a literal
                            s += c;
                            i += 2;
                            continue;
                        }
                        closed = true;
                        ++i;
                        break;
                    }
                    s += m_q[i++];
                }
                if (!closed)
                    return error("unterminated string literal", t.pos);
                t.type = Token::String;
                t.text = s;
            } else if (c == '`') {
                const auto end = m_q.find('`', i + 1);
                if (end == std::string::npos)
                    return error("unterminated `quoted` attribute name", t.pos);
                t.type = Token::Ident;
                t.text = m_q.substr(i + 1, end - i - 1);
                i = end + 1;
            } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                std::size_t j = i;
                while (j < m_q.size() && (std::isalnum(static_cast<unsigned char>(m_q[j])) || m_q[j] == '_'))
                    ++j;
                t.type = Token::Ident;
                t.text = m_q.substr(i, j - i);
                i = j;
            } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && i + 1 < m_q.size() && std::isdigit(static_cast<unsigned char>(m_q[i + 1])))) {
                std::size_t j = i + 1;
                while (j < m_q.size() && (std::isdigit(static_cast<unsigned char>(m_q[j])) || m_q[j] == '.'))
                    ++j;
                t.type = Token::Number;
                t.text = m_q.substr(i, j - i);
                i = j;
            } else if (c == '(') {
                t.type = Token::LParen, t.text = "(", ++i;
            } else if (c == ')') {
                t.type = Token::RParen, t.text = ")", ++i;
            } else if (c == ',') {
                t.type = Token::Comma, t.text = ",", ++i;
            } else {
                static const char *const Ops[] = {"<=", ">=", "!=", "<>", "=", "<", ">"};
                bool found = false;
                for (const char *op : Ops) {
                    const std::string o(op);
                    if (m_q.compare(i, o.size(), o) == 0) {
                        t.type = Token::Op;
                        t.text = o == "<>" ? "!=" : o;
                        i += o.size();
                        found = true;
                        break;
                    }
                }
                if (!found)
                    return error(std::string("unexpected character '") + c + "'", i);
            }
            m_tokens.push_back(std::move(t));
        }
        Token end;
        end.pos = m_q.size();
        m_tokens.push_back(end);
        return std::nullopt;
    }

    const Token &peek() const
    {
        static const Token End;
        return m_tokens.empty() ? End : m_tokens[std::min(m_i, m_tokens.size() - 1)];
    }
    Token next()
    {
        Token t = peek();
        if (m_i < m_tokens.size() - 1)
            ++m_i;
        return t;
    }
    bool atKeyword(const char *kw) const { return peek().type == Token::Ident && upper(peek().text) == kw; }

    Error error(const std::string &what, std::optional<std::size_t> pos = std::nullopt) const
    {
        const std::size_t p = pos ? *pos : (m_tokens.empty() ? 0 : peek().pos);
        return makeError(ErrorCode::InvalidArgument,
                         QString::fromStdString("invalid query: " + what + " at position " + std::to_string(p)
                                                + " of \"" + m_q + "\""));
    }

    static const Column *column(const std::string &name)
    {
        for (const auto &c : Columns) {
            if (name == c.attribute)
                return &c;
        }
        return nullptr;
    }

    Result<std::string> expr()
    {
        auto left = term();
        if (!left)
            return left;
        std::string out = *left;
        while (atKeyword("OR")) {
            next();
            auto right = term();
            if (!right)
                return right;
            out = "(" + out + " OR " + *right + ")";
        }
        return out;
    }

    Result<std::string> term()
    {
        auto left = factor();
        if (!left)
            return left;
        std::string out = *left;
        while (atKeyword("AND")) {
            next();
            auto right = factor();
            if (!right)
                return right;
            out = "(" + out + " AND " + *right + ")";
        }
        return out;
    }

    Result<std::string> factor()
    {
        if (atKeyword("NOT")) {
            if (++m_depth > 64)
                return error("too many NOTs");
            next();
            auto inner = factor();
            --m_depth;
            if (!inner)
                return inner;
            return "(NOT " + *inner + ")";
        }
        if (peek().type == Token::LParen) {
            if (++m_depth > 64)
                return error("parentheses nested too deeply");
            next();
            auto inner = expr();
            --m_depth;
            if (!inner)
                return inner;
            if (peek().type != Token::RParen)
                return error("expected ')'");
            next();
            return "(" + *inner + ")";
        }
        return comparison();
    }

    // Converts a literal to the column's SQL value; numbers out of range are errors, not exceptions.
    Result<SqlValue> value(const Column &col)
    {
        const std::size_t start = m_i;
        try {
            return convert(col);
        } catch (const std::exception &) {
            return error("number out of range", m_tokens[std::min(start, m_tokens.size() - 1)].pos);
        }
    }

    Result<SqlValue> convert(const Column &col)
    {
        const Token t = next();
        if (t.type != Token::String && t.type != Token::Number && t.type != Token::Ident)
            return error("expected a value", t.pos);
        switch (col.kind) {
        case Kind::Keyword:
            if (t.type == Token::Ident)
                return error("string values must be quoted: '" + t.text + "'", t.pos);
            return SqlValue(t.text);
        case Kind::Status:
            for (int i = 1; i < 8; ++i) {
                if (upper(t.text) == upper(Statuses[i]))
                    return SqlValue(std::int64_t(i));
            }
            return error("invalid ExecutionStatus '" + t.text
                             + "'; use Running, Completed, Failed, Canceled, Terminated, ContinuedAsNew or TimedOut",
                         t.pos);
        case Kind::Int:
            if (t.type != Token::Number)
                return error("HistoryLength needs a number", t.pos);
            return SqlValue(std::int64_t(std::stoll(t.text)));
        case Kind::Datetime: {
            if (t.type == Token::Number) // nanoseconds since the epoch
                return SqlValue(std::int64_t(std::stoll(t.text) / 1000));
            const QDateTime dt = QDateTime::fromString(QString::fromStdString(t.text), Qt::ISODateWithMs);
            if (!dt.isValid())
                return error("invalid datetime '" + t.text + "'; use RFC 3339, e.g. 2024-01-31T12:00:00Z", t.pos);
            return SqlValue(std::int64_t(dt.toMSecsSinceEpoch() * 1000));
        }
        case Kind::Duration: {
            if (t.type == Token::Number)
                return SqlValue(std::int64_t(std::stoll(t.text) / 1000));
            // Go-style durations: 10s, 5m, 1h, 250ms, 1h30m
            std::int64_t total = 0;
            std::size_t i = 0;
            const std::string &s = t.text;
            while (i < s.size()) {
                std::size_t j = i;
                while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.'))
                    ++j;
                if (j == i)
                    return error("invalid duration '" + s + "'", t.pos);
                const double n = std::stod(s.substr(i, j - i));
                std::size_t k = j;
                while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k])))
                    ++k;
                const std::string unit = s.substr(j, k - j);
                double us = 0;
                if (unit == "h") us = n * 3600e6;
                else if (unit == "m") us = n * 60e6;
                else if (unit == "s") us = n * 1e6;
                else if (unit == "ms") us = n * 1e3;
                else if (unit == "us" || unit == "µs") us = n;
                else if (unit == "ns") us = n / 1e3;
                else return error("invalid duration unit in '" + s + "'", t.pos);
                if (!(us < 1e17) || total > std::int64_t(1e17))
                    return error("duration too large: '" + s + "'", t.pos);
                total += static_cast<std::int64_t>(us);
                i = k;
            }
            return SqlValue(total);
        }
        }
        return error("unsupported value", t.pos);
    }

    std::string param(SqlValue v)
    {
        m_params.push_back(std::move(v));
        return "?";
    }

    Result<std::string> comparison()
    {
        const Token name = next();
        if (name.type != Token::Ident)
            return error("expected an attribute name", name.pos);
        const Column *col = column(name.text);
        if (!col)
            return error("unknown or unsupported search attribute '" + name.text + "'", name.pos);
        const std::string c = col->column;
        if (atKeyword("IS")) {
            next();
            bool negate = false;
            if (atKeyword("NOT")) {
                next();
                negate = true;
            }
            if (!atKeyword("NULL"))
                return error("expected NULL after IS");
            next();
            return c + (negate ? " IS NOT NULL" : " IS NULL");
        }
        bool negate = false;
        if (atKeyword("NOT")) {
            next();
            negate = true;
            if (!atKeyword("IN") && !atKeyword("BETWEEN"))
                return error("expected IN or BETWEEN after NOT");
        }
        if (atKeyword("IN")) {
            next();
            if (peek().type != Token::LParen)
                return error("expected '(' after IN");
            next();
            std::string list;
            for (;;) {
                auto v = value(*col);
                if (!v)
                    return v.error();
                list += (list.empty() ? "" : ", ") + param(*v);
                if (peek().type == Token::Comma) {
                    next();
                    continue;
                }
                if (peek().type != Token::RParen)
                    return error("expected ',' or ')' in the IN list");
                next();
                break;
            }
            return c + (negate ? " NOT IN (" : " IN (") + list + ")";
        }
        if (atKeyword("BETWEEN")) {
            next();
            auto lo = value(*col);
            if (!lo)
                return lo.error();
            if (!atKeyword("AND"))
                return error("expected AND in BETWEEN");
            next();
            auto hi = value(*col);
            if (!hi)
                return hi.error();
            const std::string a = param(*lo);
            const std::string b = param(*hi);
            return c + (negate ? " NOT BETWEEN " : " BETWEEN ") + a + " AND " + b;
        }
        if (atKeyword("STARTS_WITH")) {
            next();
            if (col->kind != Kind::Keyword)
                return error("STARTS_WITH works only on keyword attributes, not " + name.text, name.pos);
            auto v = value(*col);
            if (!v)
                return v.error();
            const std::string prefix = v->text;
            const std::string len = param(std::int64_t(prefix.size()));
            const std::string p = param(*v);
            return "substr(" + c + ", 1, " + len + ") = " + p;
        }
        if (atKeyword("LIKE"))
            return error("LIKE is not supported; use STARTS_WITH");
        const Token op = next();
        if (op.type != Token::Op)
            return error("expected an operator (=, !=, <, <=, >, >=, IN, BETWEEN, STARTS_WITH, IS NULL) after "
                             + name.text,
                         op.pos);
        auto v = value(*col);
        if (!v)
            return v.error();
        return c + " " + op.text + " " + param(*v);
    }

    std::string m_q;
    std::vector<Token> m_tokens;
    std::size_t m_i = 0;
    int m_depth = 0;
    std::vector<SqlValue> m_params;
};

} // namespace

Result<VisibilityQuery> parseVisibilityQuery(const std::string &query, bool allowGroupBy)
{
    if (query.size() > 100000)
        return makeError(ErrorCode::InvalidArgument, u"invalid query: longer than 100000 characters"_s);
    return Parser(query).parse(allowGroupBy);
}

} // namespace Nebula::DevServer
