#include "temporal/payloadconverter.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Temporal {
namespace {

constexpr char EncodingKey[] = "encoding";
constexpr char MessageTypeKey[] = "messageType";

Payload withEncoding(const char *encoding, std::string data)
{
    Payload p;
    (*p.mutable_metadata())[EncodingKey] = encoding;
    p.set_data(std::move(data));
    return p;
}

QByteArray toQByteArray(const std::string &s)
{
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

QByteArray PayloadConverter::jsonText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    case QJsonValue::Array:
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    case QJsonValue::Undefined:
    case QJsonValue::Null:
        return QByteArrayLiteral("null");
    default: {
        // QJsonDocument holds only objects and arrays: serialise [value] and strip the brackets.
        const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return wrapped.mid(1, wrapped.size() - 2);
    }
    }
}

Result<QJsonValue> PayloadConverter::parseJsonText(const QByteArray &text)
{
    QJsonParseError error{};
    const QByteArray trimmed = text.trimmed();
    // Wrapping lets QJsonDocument parse scalars too; it also rejects trailing garbage.
    const auto doc = QJsonDocument::fromJson('[' + trimmed + ']', &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return makeError(ErrorCode::Parse, u"The payload is not valid JSON."_s,
                         error.errorString() + u" at offset "_s + QString::number(std::max(0, error.offset - 1)));
    return doc.array().first();
}

Payload PayloadConverter::fromJson(const QJsonValue &value)
{
    if (value.isUndefined())
        return null();
    const QByteArray text = jsonText(value);
    return withEncoding(Encoding::Json, text.toStdString());
}

Payload PayloadConverter::fromBytes(const QByteArray &bytes)
{
    return withEncoding(Encoding::Plain, bytes.toStdString());
}

Payload PayloadConverter::null()
{
    return withEncoding(Encoding::Null, {});
}

Payload PayloadConverter::fromProto(const google::protobuf::Message &message)
{
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = false; // canonical lowerCamel JSON names
    (void)google::protobuf::util::MessageToJsonString(message, &json, options);
    Payload p = withEncoding(Encoding::ProtoJson, std::move(json));
    (*p.mutable_metadata())[MessageTypeKey] = message.GetDescriptor()->full_name();
    return p;
}

QByteArray PayloadConverter::encodingOf(const Payload &payload)
{
    const auto it = payload.metadata().find(EncodingKey);
    return it == payload.metadata().end() ? QByteArray() : toQByteArray(it->second);
}

Result<QJsonValue> PayloadConverter::toJson(const Payload &payload)
{
    const QByteArray encoding = encodingOf(payload);
    if (encoding == Encoding::Null)
        return QJsonValue(QJsonValue::Null);
    if (encoding == Encoding::Json || encoding == Encoding::ProtoJson)
        return parseJsonText(toQByteArray(payload.data()));
    if (encoding == Encoding::Plain)
        return QJsonValue(QString::fromLatin1(toQByteArray(payload.data()).toBase64()));
    if (encoding.isEmpty())
        return makeError(ErrorCode::Parse, u"The payload has no \"encoding\" metadata."_s);
    return makeError(ErrorCode::Parse,
                     u"The payload uses the encoding \"%1\", which NebulaOps cannot read (is a payload codec such as encryption configured?)."_s
                         .arg(QString::fromUtf8(encoding.left(64))));
}

Result<QByteArray> PayloadConverter::toBytes(const Payload &payload)
{
    const QByteArray encoding = encodingOf(payload);
    if (encoding == Encoding::Plain)
        return toQByteArray(payload.data());
    if (encoding == Encoding::Null)
        return QByteArray();
    return makeError(ErrorCode::Parse, u"Expected a binary/plain payload, found \"%1\"."_s.arg(
                                           QString::fromUtf8(encoding.left(64))));
}

Result<void> PayloadConverter::toProto(const Payload &payload, google::protobuf::Message *message)
{
    const QByteArray encoding = encodingOf(payload);
    const auto typeIt = payload.metadata().find(MessageTypeKey);
    if (typeIt != payload.metadata().end() && typeIt->second != message->GetDescriptor()->full_name())
        return makeError(ErrorCode::Parse, u"The payload holds a %1, not a %2."_s.arg(
                                               QString::fromStdString(typeIt->second),
                                               QString::fromStdString(message->GetDescriptor()->full_name())));
    if (encoding == Encoding::ProtoJson) {
        google::protobuf::util::JsonParseOptions options;
        options.ignore_unknown_fields = true;
        const auto status = google::protobuf::util::JsonStringToMessage(payload.data(), message, options);
        if (!status.ok())
            return makeError(ErrorCode::Parse, u"The json/protobuf payload could not be parsed."_s,
                             QString::fromStdString(status.ToString()));
        return {};
    }
    if (encoding == Encoding::ProtoBinary) {
        if (!message->ParseFromString(payload.data()))
            return makeError(ErrorCode::Parse, u"The binary/protobuf payload could not be parsed."_s);
        return {};
    }
    return makeError(ErrorCode::Parse, u"Expected a protobuf payload, found \"%1\"."_s.arg(
                                           QString::fromUtf8(encoding.left(64))));
}

Payloads PayloadConverter::fromJsonArgs(const QJsonArray &args)
{
    Payloads out;
    for (const auto &arg : args)
        *out.add_payloads() = fromJson(arg);
    return out;
}

Result<QJsonArray> PayloadConverter::toJsonArgs(const Payloads &payloads)
{
    QJsonArray out;
    for (const auto &p : payloads.payloads()) {
        auto v = toJson(p);
        if (!v)
            return v.error();
        out.append(*v);
    }
    return out;
}

Result<QJsonValue> PayloadConverter::firstToJson(const Payloads &payloads)
{
    if (payloads.payloads_size() == 0)
        return QJsonValue(QJsonValue::Null);
    return toJson(payloads.payloads(0));
}

} // namespace Nebula::Temporal
