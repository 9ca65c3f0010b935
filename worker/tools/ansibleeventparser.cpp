#include "ansibleeventparser.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools {
namespace {

using Type = AnsibleEvent::Type;

Type typeFromName(const QString &name)
{
    static const QHash<QString, Type> types = {
        {u"playbook_on_start"_s, Type::PlaybookStart},
        {u"playbook_on_play_start"_s, Type::PlayStart},
        {u"playbook_on_task_start"_s, Type::TaskStart},
        {u"playbook_on_handler_task_start"_s, Type::HandlerTaskStart},
        {u"playbook_on_cleanup_task_start"_s, Type::CleanupTaskStart},
        {u"runner_on_ok"_s, Type::RunnerOk},
        {u"runner_on_failed"_s, Type::RunnerFailed},
        {u"runner_on_skipped"_s, Type::RunnerSkipped},
        {u"runner_on_unreachable"_s, Type::RunnerUnreachable},
        {u"runner_item_on_failed"_s, Type::RunnerItemFailed},
        {u"runner_retry"_s, Type::RunnerRetry},
        {u"playbook_on_no_hosts_matched"_s, Type::NoHostsMatched},
        {u"playbook_on_no_hosts_remaining"_s, Type::NoHostsRemaining},
        {u"playbook_on_stats"_s, Type::Stats},
    };
    return types.value(name, Type::Other);
}

AnsibleHostStats readStats(const QJsonObject &o)
{
    AnsibleHostStats s;
    s.ok = o.value(u"ok"_s).toInt();
    s.changed = o.value(u"changed"_s).toInt();
    s.failures = o.value(u"failures"_s).toInt();
    s.unreachable = o.value(u"unreachable"_s).toInt();
    s.skipped = o.value(u"skipped"_s).toInt();
    s.rescued = o.value(u"rescued"_s).toInt();
    s.ignored = o.value(u"ignored"_s).toInt();
    return s;
}

QString withMessage(const QString &text, const QString &message)
{
    return message.isEmpty() ? text : text + u": "_s + message;
}

} // namespace

ToolEvent AnsibleEvent::toToolEvent() const
{
    return ToolEvent{time, level, text, eventName, host, percent};
}

AnsibleEvent AnsibleEventParser::parseLine(QByteArrayView line)
{
    AnsibleEvent event;
    event.level = u"info"_s;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        event.type = Type::PlainText;
        event.eventName = u"text"_s;
        event.time = QDateTime::currentDateTimeUtc();
        event.text = oneLine(QString::fromUtf8(line));
        return event;
    }
    const QJsonObject obj = doc.object();
    event.eventName = obj.value(u"event"_s).toString();
    event.type = typeFromName(event.eventName);
    event.time = QDateTime::fromString(obj.value(u"time"_s).toString(), Qt::ISODateWithMs);
    if (!event.time.isValid())
        event.time = QDateTime::currentDateTimeUtc();
    event.playbook = obj.value(u"playbook"_s).toString();
    event.play = obj.value(u"play"_s).toString();
    event.task = obj.value(u"task"_s).toString();
    event.action = obj.value(u"task_action"_s).toString();
    event.host = obj.value(u"host"_s).toString();
    event.message = obj.value(u"msg"_s).toString();
    event.changed = obj.value(u"changed"_s).toBool();
    event.ignoreErrors = obj.value(u"ignore_errors"_s).toBool();
    event.rc = obj.value(u"rc"_s).toInt(-1);

    switch (event.type) {
    case Type::PlaybookStart:
        event.text = u"Playbook %1"_s.arg(event.playbook);
        break;
    case Type::PlayStart:
        event.text = u"Play: %1"_s.arg(event.play);
        break;
    case Type::TaskStart:
    case Type::CleanupTaskStart:
        ++m_tasks;
        event.text = u"Task: %1"_s.arg(event.task);
        break;
    case Type::HandlerTaskStart:
        ++m_tasks;
        event.text = u"Handler: %1"_s.arg(event.task);
        break;
    case Type::RunnerOk:
        event.text = u"%1: %2 (%3)"_s.arg(event.host, event.changed ? u"changed"_s : u"ok"_s,
                                          event.task);
        break;
    case Type::RunnerSkipped:
        event.text = u"%1: skipped (%2)"_s.arg(event.host, event.task);
        break;
    case Type::RunnerFailed:
    case Type::RunnerItemFailed:
        event.level = event.ignoreErrors ? u"warn"_s : u"error"_s;
        event.text = withMessage(u"%1: %2 (%3)"_s.arg(event.host,
                                                      event.ignoreErrors ? u"failed, ignored"_s
                                                                         : u"FAILED"_s,
                                                      event.task),
                                 event.message);
        if (event.type == Type::RunnerFailed && !event.ignoreErrors)
            m_failures.append({event.host, event.task, event.action, event.message, false});
        break;
    case Type::RunnerUnreachable:
        event.level = u"error"_s;
        event.text = withMessage(u"%1: UNREACHABLE (%2)"_s.arg(event.host, event.task),
                                 event.message);
        m_failures.append({event.host, event.task, event.action, event.message, true});
        break;
    case Type::RunnerRetry:
        event.level = u"warn"_s;
        event.text = u"%1: retrying (%2), attempt %3 of %4"_s.arg(
            event.host, event.task, QString::number(obj.value(u"attempts"_s).toInt()),
            QString::number(obj.value(u"retries"_s).toInt()));
        break;
    case Type::NoHostsMatched:
        event.level = u"warn"_s;
        event.text = u"No hosts matched"_s;
        break;
    case Type::NoHostsRemaining:
        event.level = u"error"_s;
        event.text = u"No hosts remaining"_s;
        break;
    case Type::Stats: {
        QStringList parts;
        const QJsonObject stats = obj.value(u"stats"_s).toObject();
        for (auto it = stats.begin(); it != stats.end(); ++it) {
            const AnsibleHostStats s = readStats(it.value().toObject());
            event.stats.insert(it.key(), s);
            parts.append(u"%1 ok=%2 changed=%3 failed=%4 unreachable=%5 skipped=%6"_s.arg(it.key())
                             .arg(s.ok).arg(s.changed).arg(s.failures).arg(s.unreachable)
                             .arg(s.skipped));
        }
        m_stats = event.stats;
        m_hasStats = true;
        event.percent = 100;
        event.level = (totalFailures() > 0 || totalUnreachable() > 0) ? u"error"_s : u"info"_s;
        event.text = u"Recap: "_s + (parts.isEmpty() ? u"no hosts"_s : parts.join(u"; "_s));
        break;
    }
    case Type::Other:
    case Type::PlainText:
        event.text = u"(%1)"_s.arg(event.eventName);
        break;
    }
    event.text = oneLine(event.text);
    return event;
}

int AnsibleEventParser::totalChanged() const
{
    int n = 0;
    for (const AnsibleHostStats &s : m_stats)
        n += s.changed;
    return n;
}

int AnsibleEventParser::totalFailures() const
{
    int n = 0;
    for (const AnsibleHostStats &s : m_stats)
        n += s.failures;
    return n;
}

int AnsibleEventParser::totalUnreachable() const
{
    int n = 0;
    for (const AnsibleHostStats &s : m_stats)
        n += s.unreachable;
    return n;
}

} // namespace Nebula::Tools
