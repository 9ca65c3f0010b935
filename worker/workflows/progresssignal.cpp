#include "workflows/progresssignal.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Worker {

using namespace Provisioning;

QJsonObject ProgressBatch::toJson() const
{
    QJsonArray evs;
    for (const auto &e : events)
        evs.append(e.toJson());
    QJsonObject o{{u"stage"_s, stage}, {u"attempt"_s, attempt}, {u"percent"_s, percent}, {u"events"_s, evs}};
    if (startedAt.isValid())
        o.insert(u"startedAt"_s, startedAt.toUTC().toString(Qt::ISODateWithMs));
    if (!message.isEmpty())
        o.insert(u"message"_s, message);
    return o;
}

ProgressBatch ProgressBatch::fromJson(const QJsonObject &json)
{
    ProgressBatch b;
    b.stage = json.value(u"stage"_s).toString();
    b.attempt = json.value(u"attempt"_s).toInt();
    b.percent = json.value(u"percent"_s).toInt(-1);
    b.message = json.value(u"message"_s).toString();
    b.startedAt = QDateTime::fromString(json.value(u"startedAt"_s).toString(), Qt::ISODateWithMs);
    for (const auto &e : json.value(u"events"_s).toArray())
        b.events.append(ToolEvent::fromJson(e.toObject()));
    return b;
}

void ProgressBatch::applyTo(RunProgress &progress) const
{
    StageProgress *s = progress.stage(stage);
    if (!s || (s->status != StageStatus::Running && s->status != StageStatus::Pending))
        return;
    if (attempt > s->attempt) {
        // A new attempt: what the previous one printed stays, marked by a separator line.
        if (s->attempt > 0 && !events.isEmpty())
            appendEvent(*s, ToolEvent{events.first().time, u"warn"_s,
                                      u"— attempt %1 —"_s.arg(attempt)});
        s->attempt = attempt;
    }
    if (startedAt.isValid() && (!s->startedAt.isValid() || attempt > 1))
        s->startedAt = startedAt;
    if (percent >= 0)
        s->percent = percent;
    if (!message.isEmpty())
        s->message = message;
    for (const auto &e : events)
        appendEvent(*s, e);
}

} // namespace Nebula::Worker
