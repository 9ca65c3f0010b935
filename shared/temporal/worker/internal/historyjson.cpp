#include "temporal/worker/internal/historyjson.h"

#include <google/protobuf/util/json_util.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal::Internal {
namespace {

// "WorkflowExecutionStarted" → "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED"
QString enumName(const QString &camel)
{
    if (camel.startsWith(u"EVENT_TYPE_"_s))
        return camel;
    QString out = u"EVENT_TYPE_"_s;
    for (qsizetype i = 0; i < camel.size(); ++i) {
        const QChar c = camel.at(i);
        if (c.isUpper() && i > 0)
            out += u'_';
        out += c.toUpper();
    }
    return out;
}

} // namespace

Result<temporal::api::history::v1::History> historyFromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (doc.isNull())
        return makeError(ErrorCode::Parse, u"The history is not valid JSON: %1 at offset %2."_s
                                               .arg(error.errorString())
                                               .arg(error.offset));
    QJsonArray events = doc.isArray() ? doc.array() : doc.object().value(u"events"_s).toArray();
    if (events.isEmpty())
        return makeError(ErrorCode::Parse, u"The history has no events (expected {\"events\": [...]})."_s);
    for (qsizetype i = 0; i < events.size(); ++i) {
        QJsonObject event = events.at(i).toObject();
        const QJsonValue type = event.value(u"eventType"_s);
        if (type.isString())
            event.insert(u"eventType"_s, enumName(type.toString()));
        events.replace(i, event);
    }
    const QByteArray normalised = QJsonDocument(QJsonObject{{u"events"_s, events}}).toJson(QJsonDocument::Compact);

    temporal::api::history::v1::History history;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(normalised.constData(), static_cast<size_t>(normalised.size())), &history,
        options);
    if (!status.ok())
        return makeError(ErrorCode::Parse, u"The history cannot be read as a Temporal history: %1"_s.arg(
                                               QString::fromStdString(std::string(status.message()))));
    return history;
}

} // namespace Nebula::Temporal::Internal
