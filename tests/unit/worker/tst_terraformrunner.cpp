// TerraformRunner without real Terraform: workspace rules, module copies, the command lines and
// environment it uses, and that secrets stay out of events and errors (a fake binary).
#include "tools/terraformrunner.h"
#include "tools/toolfailure.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Tools;

namespace {

void writeFile(const QString &path, const QByteArray &content, bool executable = false)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    if (executable)
        f.setPermissions(f.permissions() | QFile::ExeOwner);
}

} // namespace

class TestTerraformRunner final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void workspaceNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << u"web-1"_s << true;
        QTest::newRow("traversal") << u"../etc"_s << false;
        QTest::newRow("slash") << u"a/b"_s << false;
        QTest::newRow("upper") << u"Web"_s << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("trailing hyphen") << u"web-"_s << false;
    }

    void workspaceNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        const auto dir = TerraformRunner::workspaceDirectory(u"/var/lib/nebulaops"_s, name);
        QCOMPARE(dir.ok(), valid);
        if (valid)
            QCOMPARE(*dir, u"/var/lib/nebulaops/resources/"_s + name);
    }

    void prepareReplacesTheModuleAndKeepsState()
    {
        const QString module = m_tmp.filePath(u"module"_s);
        writeFile(module + u"/main.tf"_s, "# v1\n");
        writeFile(module + u"/old.tf"_s, "# goes away\n");
        writeFile(module + u"/scripts/create.sh"_s, "echo\n");
        writeFile(module + u"/README.md"_s, "docs\n");
        const QString work = m_tmp.filePath(u"work"_s);
        TerraformRunner runner({u"/bin/false"_s, u"terraform"_s, QVersionNumber(1, 11)}, work);
        QVERIFY(runner.prepare(module, {{u"name"_s, u"web"_s}}).ok());
        QVERIFY(QFile::exists(work + u"/old.tf"_s));
        QVERIFY(QFile::exists(work + u"/scripts/create.sh"_s));
        QVERIFY(!QFile::exists(work + u"/README.md"_s));
        writeFile(work + u"/terraform.tfstate"_s, R"({"resources":[{"type":"terraform_data"}]})");

        QVERIFY(QFile::remove(module + u"/old.tf"_s));
        writeFile(module + u"/main.tf"_s, "# v2\n");
        QVERIFY(runner.prepare(module, {{u"name"_s, u"web"_s}, {u"port"_s, 8080}}).ok());
        QVERIFY(!QFile::exists(work + u"/old.tf"_s));
        QFile main(work + u"/main.tf"_s);
        QVERIFY(main.open(QIODevice::ReadOnly));
        QCOMPARE(main.readAll(), QByteArray("# v2\n"));
        QVERIFY(runner.hasResourcesInState());
        QCOMPARE(runner.currentVariables().value(u"port"_s).toInt(), 8080);
        const auto others = QFile::ReadGroup | QFile::ReadOther | QFile::WriteOther;
        QCOMPARE(QFile::permissions(work + u"/nebula.auto.tfvars.json"_s) & others,
                 QFileDevice::Permissions());
        QVERIFY(!runner.prepare(m_tmp.filePath(u"missing"_s), {}).ok());
    }

    void commandLineEnvironmentAndSecrets()
    {
        // A stand-in for terraform: records its arguments and environment, fails like a
        // validation error that quotes the secret value.
        const QString fake = m_tmp.filePath(u"bin/terraform"_s);
        const QString record = m_tmp.filePath(u"record.txt"_s);
        writeFile(fake,
                  "#!/bin/sh\n"
                  "{ echo \"ARGS $*\"; env; } > \"$NEBULA_RECORD\"\n"
                  "echo '{\"@level\":\"info\",\"@message\":\"using hunter2-secret\","
                  "\"@timestamp\":\"2025-01-01T00:00:00Z\",\"type\":\"log\"}'\n"
                  "echo '{\"@level\":\"error\",\"@message\":\"Error: Invalid value for "
                  "variable\",\"@timestamp\":\"2025-01-01T00:00:00Z\",\"type\":\"diagnostic\","
                  "\"diagnostic\":{\"severity\":\"error\",\"summary\":\"Invalid value for "
                  "variable\",\"detail\":\"hunter2-secret is not allowed\"}}'\n"
                  "echo 'stderr says hunter2-secret' >&2\n"
                  "echo \"key $AWS_SECRET_ACCESS_KEY\"\n"
                  "echo \"stderr key $AWS_SECRET_ACCESS_KEY\" >&2\n"
                  "exit 1\n",
                  true);
        const QString module = m_tmp.filePath(u"module2"_s);
        writeFile(module + u"/main.tf"_s, "# m\n");
        TerraformSettings settings;
        settings.environment = {{u"NEBULA_RECORD"_s, record},
                                {u"AWS_SECRET_ACCESS_KEY"_s, u"aws-very-secret"_s}};
        TerraformRunner runner({fake, u"terraform"_s, QVersionNumber(1, 11)},
                               m_tmp.filePath(u"work2"_s), settings);
        QVERIFY(runner.prepare(module, {{u"password"_s, u"hunter2-secret"_s}}, {u"password"_s})
                    .ok());
        QList<ToolEvent> events;
        const auto plan = runner.plan([&](const ToolEvent &e) { events.append(e); });
        QVERIFY(!plan.ok());
        QCOMPARE(failureType(plan.error()), u"TerraformValidationError"_s);
        QCOMPARE(plan.error().message, u"Invalid value for variable: *** is not allowed"_s);
        QVERIFY(!plan.error().detail.contains(u"hunter2"_s));
        QVERIFY(plan.error().detail.contains(u"stderr says ***"_s));
        QVERIFY(plan.error().detail.contains(u"stderr key ***"_s));
        QVERIFY(!plan.error().detail.contains(u"aws-very-secret"_s));
        QCOMPARE(events.size(), 3);
        QCOMPARE(events[0].text, u"using ***"_s);
        QCOMPARE(events[2].text, u"key ***"_s); // a plain-text line, secret env value redacted

        QFile file(record);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString recorded = QString::fromUtf8(file.readAll());
        QVERIFY2(recorded.contains(u"ARGS plan -json -input=false -detailed-exitcode "
                                   u"-lock-timeout=30s -out=nebula.tfplan\n"_s),
                 qPrintable(recorded));
        QVERIFY(recorded.contains(u"\nTF_IN_AUTOMATION=1\n"_s));
        QVERIFY(recorded.contains(u"\nTF_INPUT=0\n"_s));
        QVERIFY(!recorded.contains(u"hunter2"_s)); // never on the command line or in env
    }

    void detectRejectsOldOrMissingBinaries()
    {
        const auto missing = TerraformRunner::detect(m_tmp.filePath(u"nope/terraform"_s));
        QVERIFY(!missing.ok());
        QCOMPARE(failureType(missing.error()), u"ToolNotFound"_s);
        QVERIFY(!isRetryable(missing.error()));

        const QString old = m_tmp.filePath(u"old/terraform"_s);
        writeFile(old, "#!/bin/sh\necho '{\"terraform_version\":\"1.4.6\"}'\n", true);
        const auto tooOld = TerraformRunner::detect(old);
        QVERIFY(!tooOld.ok());
        QVERIFY2(tooOld.error().message.contains(u"1.5 or newer"_s),
                 qPrintable(tooOld.error().message));

        const QString tofu = m_tmp.filePath(u"new/tofu"_s);
        writeFile(tofu, "#!/bin/sh\necho '{\"terraform_version\":\"1.8.3\"}'\n", true);
        const auto found = TerraformRunner::detect(tofu);
        QVERIFY(found.ok());
        QCOMPARE(found->flavor, u"tofu"_s);
        QCOMPARE(found->displayName(), u"tofu 1.8.3"_s);
    }
};

QTEST_GUILESS_MAIN(TestTerraformRunner)
#include "tst_terraformrunner.moc"
