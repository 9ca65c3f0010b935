#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonValue>

#include <temporal/api/common/v1/message.pb.h>

namespace google::protobuf {
class Message;
}

namespace Nebula::Temporal {

// The official SDKs' default data converter, so that inputs, results and query answers written by
// NebulaOps are readable by the Temporal Web UI, the temporal CLI and official SDK clients, and the
// other way round. Metadata key "encoding":
//   binary/null   – no value (JS undefined, Go nil, Python None); data empty
//   binary/plain  – raw bytes
//   json/protobuf – proto3 canonical JSON, metadata "messageType" = full message name
//   json/plain    – UTF-8 JSON text of any JSON value, compact (JSON.stringify / json.Marshal)
namespace Encoding {
inline constexpr char Null[] = "binary/null";
inline constexpr char Plain[] = "binary/plain";
inline constexpr char ProtoJson[] = "json/protobuf";
inline constexpr char ProtoBinary[] = "binary/protobuf";
inline constexpr char Json[] = "json/plain";
} // namespace Encoding

using Payload = temporal::api::common::v1::Payload;
using Payloads = temporal::api::common::v1::Payloads;

class PayloadConverter
{
public:
    // A JSON value as json/plain; QJsonValue::Undefined becomes binary/null.
    static Payload fromJson(const QJsonValue &value);
    static Payload fromBytes(const QByteArray &bytes);
    static Payload null();
    // A protobuf message as json/protobuf (canonical proto3 JSON).
    static Payload fromProto(const google::protobuf::Message &message);

    // Decodes any of the default encodings into JSON: binary/null → Null, json/* → the value,
    // binary/plain → base64 string. An unknown encoding (e.g. an encrypted payload from a codec)
    // is an error naming it.
    static Result<QJsonValue> toJson(const Payload &payload);
    static Result<QByteArray> toBytes(const Payload &payload);
    // json/protobuf or binary/protobuf into `message` (whose type must match "messageType").
    static Result<void> toProto(const Payload &payload, google::protobuf::Message *message);

    // Positional arguments <-> Payloads (one Payload per argument).
    static Payloads fromJsonArgs(const QJsonArray &args);
    static Result<QJsonArray> toJsonArgs(const Payloads &payloads);
    // The first payload of a result (a Payloads with one element); Null when there is none.
    static Result<QJsonValue> firstToJson(const Payloads &payloads);

    static QByteArray encodingOf(const Payload &payload);
    // Compact JSON text of any JSON value (including bare strings, numbers, booleans, null).
    static QByteArray jsonText(const QJsonValue &value);
    static Result<QJsonValue> parseJsonText(const QByteArray &text);
};

} // namespace Nebula::Temporal
