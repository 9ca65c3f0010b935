#include "guitest.h"
#include "ui/newresourcedialog.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;

class TestNewResourceDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void startsDisabledAndShowsAHint()
    {
        NewResourceDialog d(nullptr, u"nebula-provision"_s, u"olga"_s, {});
        d.show();
        QVERIFY(!d.createButton()->isEnabled());
        QVERIFY(d.fieldMessage(u"name"_s).contains(u"Enter a name"_s));
        QCOMPARE(d.typeField()->count(), 2); // the shared catalogue
    }

    void hostileNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected"); // part of the inline message
        QTest::newRow("empty") << QString() << u"Enter a name"_s;
        QTest::newRow("64 chars") << QString(64, u'a') << u"64 characters"_s;
        QTest::newRow("uppercase") << u"Demo"_s << u"uppercase letter 'D'"_s;
        QTest::newRow("cyrillic a") << u"demо"_s << u"U+043E"_s; // о is Cyrillic
        QTest::newRow("fullwidth") << u"ｄemo"_s << u"U+FF44"_s;
        QTest::newRow("space") << u"demo web"_s << u"a space"_s;
        QTest::newRow("semicolon") << u"demo;rm"_s << u"';'"_s;
        QTest::newRow("pipe") << u"a|b"_s << u"'|'"_s;
        QTest::newRow("ampersand") << u"a&b"_s << u"'&'"_s;
        QTest::newRow("dollar") << u"$(id)"_s << u"'$'"_s;
        QTest::newRow("parenthesis") << u"a(b)"_s << u"'('"_s;
        QTest::newRow("backtick") << u"a`id`"_s << u"'`'"_s;
        QTest::newRow("dotdot") << u"../etc"_s << u"'.'"_s;
        QTest::newRow("slash") << u"a/b"_s << u"'/'"_s;
        QTest::newRow("nul") << u"a"_s + QChar(u'\0') + u"b"_s << u"control character"_s;
        QTest::newRow("newline") << u"a\nb"_s << u"control character"_s;
        QTest::newRow("leading dash") << u"-demo"_s << u"start and end"_s;
        QTest::newRow("trailing dash") << u"demo-"_s << u"start and end"_s;
        QTest::newRow("zero width") << u"de\u200Bmo"_s << u"U+200B"_s;
    }
    void hostileNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        NewResourceDialog d(nullptr, u"nebula-provision"_s, u"olga"_s, {});
        d.show();
        d.nameField()->setText(u"ok-name"_s);
        QVERIFY(d.createButton()->isEnabled());
        d.nameField()->setText(name);
        QVERIFY2(!d.isValid(), qPrintable(name));
        QVERIFY(!d.createButton()->isEnabled());
        QVERIFY2(d.fieldMessage(u"name"_s).contains(expected), qPrintable(d.fieldMessage(u"name"_s)));
        // The message never echoes raw control characters.
        for (const QChar c : d.fieldMessage(u"name"_s))
            QVERIFY(c.category() != QChar::Other_Control);
    }

    void aMegabyteIsRejectedQuickly()
    {
        NewResourceDialog d(nullptr, u"nebula-provision"_s, u"olga"_s, {});
        d.show();
        QElapsedTimer t;
        t.start();
        d.nameField()->setText(QString(1024 * 1024, u'a'));
        QVERIFY(t.elapsed() < 1000);
        QVERIFY(!d.createButton()->isEnabled());
        QVERIFY(d.fieldMessage(u"name"_s).contains(u"at most 63"_s));
    }

    void validSpecsEnableCreate_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("simple") << u"demo-webserver"_s;
        QTest::newRow("digits") << u"web01"_s;
        QTest::newRow("63 chars") << QString(63, u'z');
        QTest::newRow("one char") << u"a"_s;
    }
    void validSpecsEnableCreate()
    {
        QFETCH(QString, name);
        NewResourceDialog d(nullptr, u"nebula-provision"_s, u"olga"_s, {});
        d.show();
        d.nameField()->setText(name);
        QVERIFY(d.isValid());
        QVERIFY(d.createButton()->isEnabled());
        QVERIFY(d.fieldMessage(u"name"_s).isEmpty());
        const auto spec = d.spec();
        QCOMPARE(spec.requestedBy, u"olga"_s);
        const auto shape = NewResourceDialog::describeRequest(spec, u"q1"_s);
        QCOMPARE(shape.workflowId, u"resource/"_s + name);
        QCOMPARE(shape.workflowType, u"ProvisionResource"_s);
        QCOMPARE(shape.taskQueue, u"q1"_s);
    }

    void regionsFollowTheType()
    {
        NewResourceDialog d(nullptr, u"nebula-provision"_s, u"olga"_s, {});
        d.show();
        d.nameField()->setText(u"demo"_s);
        d.typeField()->setCurrentIndex(d.typeField()->findData(u"ec2-instance"_s));
        QCOMPARE(d.regionField()->currentText(), u"eu-central-1"_s);
        QCOMPARE(d.sizeField()->currentText(), u"t3.micro"_s);
        QVERIFY(d.isValid());
        d.typeField()->setCurrentIndex(d.typeField()->findData(u"local-webserver"_s));
        QCOMPARE(d.regionField()->count(), 1);
        QCOMPARE(d.regionField()->currentText(), u"local"_s);
        QVERIFY(d.isValid());
    }

    void existingNamesAreFlagged()
    {
        ResourceRow existing;
        existing.name = u"web-1"_s;
        existing.state = ResourceState::Provisioning;
        NewResourceDialog d(nullptr, u"nebula-provision"_s, u"olga"_s, [&](const QString &n) -> std::optional<ResourceRow> {
            if (n == existing.name)
                return existing;
            return std::nullopt;
        });
        d.show();
        d.nameField()->setText(u"web-1"_s);
        QVERIFY(d.isValid()); // allowed: Create takes the user to the running one
        QVERIFY(d.fieldMessage(u"name"_s).contains(u"in progress"_s));
    }

    void screenshots()
    {
        NewResourceDialog d(nullptr, u"nebula-provision"_s, u"olga"_s, {});
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        for (bool dark : {false, true}) {
            GuiTest::setTheme(dark);
            d.nameField()->setText(u"Demo web"_s);
            GuiTest::screenshot(&d, u"new-resource-invalid"_s);
            d.nameField()->setText(u"demo-webserver"_s);
            GuiTest::screenshot(&d, u"new-resource"_s);
        }
        GuiTest::setTheme(false);
    }
};

QTEST_MAIN(TestNewResourceDialog)
#include "tst_newresourcedialog.moc"
