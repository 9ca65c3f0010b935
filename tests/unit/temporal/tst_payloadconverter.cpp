#include "temporal/payloadconverter.h"

#include <google/protobuf/duration.pb.h>
#include <temporal/api/common/v1/message.pb.h>

#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula::Temporal;

class TestPayloadConverter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void decodesBytesAsOfficialSdksWriteThem_data();
    void decodesBytesAsOfficialSdksWriteThem();
    void encodesBytesAsOfficialSdksDo();
    void binaryPlain();
    void protobufJson();
    void argsArePositional();
    void errorsNameTheProblem();
};

void TestPayloadConverter::roundTrip_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("object") << QJsonValue(QJsonObject{{u"name"_s, u"demo"_s}, {u"n"_s, 3}}) << QByteArray(R"({"n":3,"name":"demo"})");
    QTest::newRow("array") << QJsonValue(QJsonArray{1, u"two"_s, true}) << QByteArray(R"([1,"two",true])");
    QTest::newRow("string") << QJsonValue(u"héllo \"x\""_s) << QByteArray(R"("héllo \"x\"")");
    QTest::newRow("integer") << QJsonValue(42) << QByteArray("42");
    QTest::newRow("double") << QJsonValue(1.5) << QByteArray("1.5");
    QTest::newRow("bool") << QJsonValue(false) << QByteArray("false");
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QByteArray("null");
    QTest::newRow("empty object") << QJsonValue(QJsonObject()) << QByteArray("{}");
}

void TestPayloadConverter::roundTrip()
{
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, text);
    const Payload p = PayloadConverter::fromJson(value);
    QCOMPARE(PayloadConverter::encodingOf(p), QByteArray("json/plain"));
    QCOMPARE(QByteArray::fromStdString(p.data()), text);
    const auto back = PayloadConverter::toJson(p);
    QVERIFY(back.ok());
    QCOMPARE(*back, value);
    // Survives the wire.
    Payload wire;
    QVERIFY(wire.ParseFromString(p.SerializeAsString()));
    QCOMPARE(*PayloadConverter::toJson(wire), value);
}

void TestPayloadConverter::decodesBytesAsOfficialSdksWriteThem_data()
{
    // Serialized temporal.api.common.v1.Payload messages, written out byte by byte as the official
    // SDKs produce them: field 1 is map<string,bytes> metadata (entry: key=1, value=2), field 2 data.
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QJsonValue>("expected");
    // TypeScript `{name: "demo"}` / Go struct / Python dict → json/plain, compact JSON.
    QTest::newRow("json/plain object")
        << QByteArray::fromHex("0a160a08656e636f64696e67120a6a736f6e2f706c61696e"
                               "120f7b226e616d65223a2264656d6f227d")
        << QJsonValue(QJsonObject{{u"name"_s, u"demo"_s}});
    // A bare JSON string, as JSON.stringify("demo") writes it.
    QTest::newRow("json/plain string")
        << QByteArray::fromHex("0a160a08656e636f64696e67120a6a736f6e2f706c61696e"
                               "1206""2264656d6f22")
        << QJsonValue(u"demo"_s);
    // TS `undefined`, Go nil, Python None → binary/null with no data field.
    QTest::newRow("binary/null")
        << QByteArray::fromHex("0a170a08656e636f64696e67120b62696e6172792f6e756c6c")
        << QJsonValue(QJsonValue::Null);
}

void TestPayloadConverter::decodesBytesAsOfficialSdksWriteThem()
{
    QFETCH(QByteArray, wire);
    QFETCH(QJsonValue, expected);
    Payload p;
    QVERIFY(p.ParseFromArray(wire.constData(), static_cast<int>(wire.size())));
    const auto value = PayloadConverter::toJson(p);
    QVERIFY2(value.ok(), qPrintable(value.ok() ? QString() : value.error().message));
    QCOMPARE(*value, expected);
}

void TestPayloadConverter::encodesBytesAsOfficialSdksDo()
{
    // With a single metadata entry the serialization is deterministic, so we can compare bytes.
    const QByteArray expected = QByteArray::fromHex("0a160a08656e636f64696e67120a6a736f6e2f706c61696e"
                                                    "120f7b226e616d65223a2264656d6f227d");
    const auto p = PayloadConverter::fromJson(QJsonObject{{u"name"_s, u"demo"_s}});
    QCOMPARE(QByteArray::fromStdString(p.SerializeAsString()).toHex(), expected.toHex());
    const QByteArray null = QByteArray::fromHex("0a170a08656e636f64696e67120b62696e6172792f6e756c6c");
    QCOMPARE(QByteArray::fromStdString(PayloadConverter::fromJson(QJsonValue::Undefined).SerializeAsString()).toHex(),
             null.toHex());
}

void TestPayloadConverter::binaryPlain()
{
    const QByteArray bytes("\x00\x01\xfe\xff", 4);
    const auto p = PayloadConverter::fromBytes(bytes);
    QCOMPARE(PayloadConverter::encodingOf(p), QByteArray("binary/plain"));
    QCOMPARE(*PayloadConverter::toBytes(p), bytes);
    QCOMPARE(PayloadConverter::toJson(p)->toString(), QString::fromLatin1(bytes.toBase64()));
    QVERIFY(!PayloadConverter::toBytes(PayloadConverter::fromJson(1)).ok());
}

void TestPayloadConverter::protobufJson()
{
    google::protobuf::Duration d;
    d.set_seconds(90);
    const auto p = PayloadConverter::fromProto(d);
    QCOMPARE(PayloadConverter::encodingOf(p), QByteArray("json/protobuf"));
    QCOMPARE(p.metadata().at("messageType"), std::string("google.protobuf.Duration"));
    QCOMPARE(QByteArray::fromStdString(p.data()), QByteArray(R"("90s")"));
    google::protobuf::Duration back;
    QVERIFY(PayloadConverter::toProto(p, &back).ok());
    QCOMPARE(back.seconds(), 90);
    // A payload of another message type is refused with a message naming both.
    temporal::api::common::v1::WorkflowType wrong;
    const auto r = PayloadConverter::toProto(p, &wrong);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.contains(u"google.protobuf.Duration"_s));
}

void TestPayloadConverter::argsArePositional()
{
    const QJsonArray args{QJsonObject{{u"a"_s, 1}}, u"two"_s, 3};
    const auto payloads = PayloadConverter::fromJsonArgs(args);
    QCOMPARE(payloads.payloads_size(), 3);
    QCOMPARE(*PayloadConverter::toJsonArgs(payloads), args);
    QCOMPARE(*PayloadConverter::firstToJson(payloads), args.first());
    QCOMPARE(*PayloadConverter::firstToJson(Payloads()), QJsonValue(QJsonValue::Null));
}

void TestPayloadConverter::errorsNameTheProblem()
{
    Payload encrypted;
    (*encrypted.mutable_metadata())["encoding"] = "binary/encrypted";
    auto r = PayloadConverter::toJson(encrypted);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.contains(u"binary/encrypted"_s));

    Payload broken;
    (*broken.mutable_metadata())["encoding"] = "json/plain";
    broken.set_data("{\"a\":");
    r = PayloadConverter::toJson(broken);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.contains(u"not valid JSON"_s));

    Payload trailing;
    (*trailing.mutable_metadata())["encoding"] = "json/plain";
    trailing.set_data("1 2");
    QVERIFY(!PayloadConverter::toJson(trailing).ok());

    QVERIFY(!PayloadConverter::toJson(Payload()).ok());
}

QTEST_APPLESS_MAIN(TestPayloadConverter)
#include "tst_payloadconverter.moc"
