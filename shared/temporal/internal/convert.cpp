#include "temporal/internal/convert.h"

#include "temporal/payloadconverter.h"

#include <google/protobuf/util/json_util.h>
#include <temporal/api/enums/v1/event_type.pb.h>

#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal::Internal {

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QDateTime toDateTime(const google::protobuf::Timestamp &ts)
{
    if (ts.seconds() == 0 && ts.nanos() == 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ts.seconds() * 1000 + ts.nanos() / 1000000, Qt::UTC);
}

google::protobuf::Timestamp toTimestamp(const QDateTime &time)
{
    google::protobuf::Timestamp ts;
    const qint64 ms = time.toMSecsSinceEpoch();
    ts.set_seconds(ms / 1000);
    ts.set_nanos(static_cast<int>((ms % 1000) * 1000000));
    return ts;
}

google::protobuf::Duration toDuration(std::chrono::milliseconds ms)
{
    google::protobuf::Duration d;
    d.set_seconds(ms.count() / 1000);
    d.set_nanos(static_cast<int>((ms.count() % 1000) * 1000000));
    return d;
}

std::chrono::milliseconds fromDuration(const google::protobuf::Duration &d)
{
    return std::chrono::milliseconds(d.seconds() * 1000 + d.nanos() / 1000000);
}

WorkflowInfo toWorkflowInfo(const temporal::api::workflow::v1::WorkflowExecutionInfo &info)
{
    WorkflowInfo w;
    w.workflowId = fromStd(info.execution().workflow_id());
    w.runId = fromStd(info.execution().run_id());
    w.workflowType = fromStd(info.type().name());
    w.taskQueue = fromStd(info.task_queue());
    w.status = workflowStatusFromInt(info.status());
    w.startTime = toDateTime(info.start_time());
    if (info.has_close_time())
        w.closeTime = toDateTime(info.close_time());
    w.historyLength = info.history_length();
    for (const auto &[key, payload] : info.memo().fields()) {
        if (auto v = PayloadConverter::toJson(payload))
            w.memo.insert(fromStd(key), *v);
    }
    for (const auto &[key, payload] : info.search_attributes().indexed_fields()) {
        if (auto v = PayloadConverter::toJson(payload))
            w.searchAttributes.insert(fromStd(key), *v);
    }
    return w;
}

QString eventTypeName(int eventType)
{
    const std::string raw = temporal::api::enums::v1::EventType_Name(
        static_cast<temporal::api::enums::v1::EventType>(eventType));
    const QString upper = fromStd(raw).remove(u"EVENT_TYPE_"_s);
    QString out;
    bool capitalise = true;
    for (const QChar c : upper) {
        if (c == u'_') {
            capitalise = true;
            continue;
        }
        out += capitalise ? c.toUpper() : c.toLower();
        capitalise = false;
    }
    return out.isEmpty() ? u"Unknown(%1)"_s.arg(eventType) : out;
}

HistoryEvent toHistoryEvent(const temporal::api::history::v1::HistoryEvent &event)
{
    HistoryEvent e;
    e.eventId = event.event_id();
    e.time = toDateTime(event.event_time());
    e.type = eventTypeName(event.event_type());
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    if (google::protobuf::util::MessageToJsonString(event, &json, options).ok()) {
        QJsonObject all = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
        for (auto it = all.begin(); it != all.end(); ++it) {
            if (it.key().endsWith(u"Attributes"_s) && it.value().isObject()) {
                e.attributes = it.value().toObject();
                break;
            }
        }
    }
    return e;
}

} // namespace Nebula::Temporal::Internal
