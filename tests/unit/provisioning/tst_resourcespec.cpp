#include "provisioning/catalogue.h"
#include "provisioning/contract.h"
#include "provisioning/resourcespec.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula::Provisioning;

Q_DECLARE_METATYPE(Nebula::Provisioning::ResourceSpec)

class TestResourceSpec final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validation_data();
    void validation();
    void hugeNameIsNotEchoed();
    void everyCatalogueTypeHasValidDefaults();
    void jsonRoundTrip();
    void jsonRejectsWrongTypes();
    void workflowIds();
};

static ResourceSpec spec(const QString &name, const QString &type = u"local-webserver"_s,
                         const QString &region = u"local"_s, const QString &size = u"small"_s)
{
    return ResourceSpec{name, type, region, size, u"alice"_s};
}

void TestResourceSpec::validation_data()
{
    QTest::addColumn<ResourceSpec>("input");
    QTest::addColumn<QString>("field");   // empty = valid
    QTest::addColumn<QString>("message"); // a substring the message must contain

    QTest::newRow("valid") << spec(u"demo-webserver"_s) << QString() << QString();
    QTest::newRow("valid single char") << spec(u"a"_s) << QString() << QString();
    QTest::newRow("valid digits") << spec(u"web01"_s) << QString() << QString();
    QTest::newRow("valid 63 chars") << spec(QString(63, u'a')) << QString() << QString();
    QTest::newRow("valid ec2") << spec(u"api"_s, u"ec2-instance"_s, u"eu-west-1"_s, u"t3.small"_s) << QString() << QString();
    QTest::newRow("empty") << spec(QString()) << u"name"_s << u"Enter a name"_s;
    QTest::newRow("64 chars") << spec(QString(64, u'a')) << u"name"_s << u"64 characters long; use at most 63"_s;
    QTest::newRow("uppercase") << spec(u"Demo"_s) << u"name"_s << u"uppercase letter 'D'"_s;
    QTest::newRow("cyrillic a look-alike") << spec(u"demo-\u0430pp"_s) << u"name"_s << u"U+0430"_s;
    QTest::newRow("fullwidth digit") << spec(u"web\uFF11"_s) << u"name"_s << u"U+FF11"_s;
    QTest::newRow("space") << spec(u"demo web"_s) << u"name"_s << u"a space"_s;
    QTest::newRow("leading hyphen") << spec(u"-demo"_s) << u"name"_s << u"start and end"_s;
    QTest::newRow("trailing hyphen") << spec(u"demo-"_s) << u"name"_s << u"start and end"_s;
    QTest::newRow("semicolon") << spec(u"a;rm"_s) << u"name"_s << u"';'"_s;
    QTest::newRow("pipe") << spec(u"a|b"_s) << u"name"_s << u"'|'"_s;
    QTest::newRow("ampersand") << spec(u"a&b"_s) << u"name"_s << u"'&'"_s;
    QTest::newRow("dollar") << spec(u"a$b"_s) << u"name"_s << u"'$'"_s;
    QTest::newRow("parentheses") << spec(u"a(b)"_s) << u"name"_s << u"'('"_s;
    QTest::newRow("backtick") << spec(u"a`id`"_s) << u"name"_s << u"'`'"_s;
    QTest::newRow("dot-dot-slash") << spec(u"../etc"_s) << u"name"_s << u"'.'"_s;
    QTest::newRow("NUL") << spec(u"ab"_s + QChar(u'\0') + u"c"_s) << u"name"_s << u"control character (U+0000)"_s;
    QTest::newRow("newline") << spec(u"ab\ncd"_s) << u"name"_s << u"control character (U+000A)"_s;
    QTest::newRow("underscore") << spec(u"a_b"_s) << u"name"_s << u"'_'"_s;
    QTest::newRow("unknown type") << spec(u"x"_s, u"gke-cluster"_s) << u"type"_s << u"Unknown resource type \"gke-cluster\""_s;
    QTest::newRow("empty type") << spec(u"x"_s, QString()) << u"type"_s << u"Choose a resource type"_s;
    QTest::newRow("region of another type") << spec(u"x"_s, u"local-webserver"_s, u"eu-west-1"_s) << u"region"_s
                                            << u"Region \"eu-west-1\" is not available for local-webserver"_s;
    QTest::newRow("ec2 with local region") << spec(u"x"_s, u"ec2-instance"_s, u"local"_s, u"t3.micro"_s) << u"region"_s
                                           << u"choose one of: us-east-1"_s;
    QTest::newRow("size of another type") << spec(u"x"_s, u"local-webserver"_s, u"local"_s, u"t3.micro"_s) << u"size"_s
                                          << u"Size \"t3.micro\" is not offered"_s;
    QTest::newRow("empty size") << spec(u"x"_s, u"local-webserver"_s, u"local"_s, QString()) << u"size"_s << u"Choose a size"_s;
    QTest::newRow("hostile region is not echoed raw") << spec(u"x"_s, u"local-webserver"_s, u"lo\u0007cal"_s) << u"region"_s
                                                      << u"\"lo?cal\""_s;
}

void TestResourceSpec::validation()
{
    QFETCH(ResourceSpec, input);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const auto errors = validate(input);
    if (field.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(errors.isEmpty() ? QString() : errors.first().message));
        QVERIFY(validated(input).ok());
        return;
    }
    QVERIFY(!errors.isEmpty());
    QCOMPARE(errors.first().field, field);
    QVERIFY2(errors.first().message.contains(message), qPrintable(errors.first().message));
    const auto result = validated(input);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, Nebula::ErrorCode::Validation);
    QVERIFY(result.error().data.value(u"fields"_s).toObject().contains(field));
}

void TestResourceSpec::hugeNameIsNotEchoed()
{
    const QString huge(1024 * 1024, u'x');
    const auto errors = validate(spec(huge));
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.first().message.contains(u"1048576 characters long"_s));
    QVERIFY(errors.first().message.size() < 200);

    const auto hugeType = validate(spec(u"x"_s, huge));
    QCOMPARE(hugeType.size(), 1);
    QVERIFY(hugeType.first().message.size() < 300);

    ResourceSpec s = spec(u"x"_s);
    s.requestedBy = huge;
    const auto requester = validate(s);
    QCOMPARE(requester.size(), 1);
    QCOMPARE(requester.first().field, u"requestedBy"_s);
}

void TestResourceSpec::everyCatalogueTypeHasValidDefaults()
{
    QVERIFY(catalogue().size() >= 2);
    for (const auto &type : catalogue()) {
        QVERIFY(type.regions.contains(type.defaultRegion));
        QVERIFY(type.sizes.contains(type.defaultSize));
        QVERIFY(validate(ResourceSpec{u"ok"_s, type.id, type.defaultRegion, type.defaultSize, {}}).isEmpty());
        QCOMPARE(findResourceType(type.id), &type);
    }
    QCOMPARE(findResourceType(u"nope"), nullptr);
}

void TestResourceSpec::jsonRoundTrip()
{
    const ResourceSpec s = spec(u"demo-webserver"_s);
    const auto json = s.toJson();
    QCOMPARE(QJsonDocument(json).toJson(QJsonDocument::Compact),
             QByteArray(R"({"name":"demo-webserver","region":"local","requestedBy":"alice","size":"small","type":"local-webserver"})"));
    const auto back = ResourceSpec::fromJson(json);
    QVERIFY(back.ok());
    QCOMPARE(*back, s);
}

void TestResourceSpec::jsonRejectsWrongTypes()
{
    QVERIFY(!ResourceSpec::fromJson(QJsonValue(u"demo"_s)).ok());
    const auto bad = ResourceSpec::fromJson(QJsonObject{{u"name"_s, 42}});
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().message.contains(u"\"name\" must be a string"_s));
    // Missing fields are read as empty and caught by validate().
    const auto partial = ResourceSpec::fromJson(QJsonObject{{u"name"_s, u"x"_s}});
    QVERIFY(partial.ok());
    QCOMPARE(validate(*partial).first().field, u"type"_s);
}

void TestResourceSpec::workflowIds()
{
    QCOMPARE(workflowIdFor(u"demo-webserver"_s), u"resource/demo-webserver"_s);
    QCOMPARE(resourceNameFromWorkflowId(u"resource/demo-webserver"_s), u"demo-webserver"_s);
    QCOMPARE(resourceNameFromWorkflowId(u"resource/"_s), QString());
    QCOMPARE(resourceNameFromWorkflowId(u"other/demo"_s), QString());
    QVERIFY(DestroyRequest::fromJson(QJsonValue(u"demo"_s)).ok());
    QCOMPARE(DestroyRequest::fromJson(QJsonObject{{u"name"_s, u"demo"_s}})->name, u"demo"_s);
    QVERIFY(!DestroyRequest::fromJson(QJsonObject{{u"nom"_s, u"demo"_s}}).ok());
}

QTEST_APPLESS_MAIN(TestResourceSpec)
#include "tst_resourcespec.moc"
