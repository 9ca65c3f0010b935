#include "tools/ansibleinventory.h"
#include "tools/ansiblerunner.h"
#include "tools/terraformrunner.h"
#include "tools/toolprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula::Tools;

namespace {

const QString InfraDir = QStringLiteral(NEBULA_INFRASTRUCTURE_DIR);

struct Output
{
    ToolResult result;
    QString stdoutText;
};

Output runTool(const QString &program, const QStringList &args, const QString &cwd,
               const QHash<QString, QString> &env = {})
{
    Output out;
    ToolCommand cmd;
    cmd.program = program;
    cmd.arguments = args;
    cmd.workingDirectory = cwd;
    cmd.environment = env;
    out.result = ToolProcess::run(cmd, [&out](QByteArrayView line) {
        out.stdoutText += QString::fromUtf8(line) + u'\n';
    });
    return out;
}

QString readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The body of every `<kind> "<name>" {` block of an HCL file, by name (up to the next block).
QMap<QString, QString> blocks(const QString &hcl, const QString &kind)
{
    QMap<QString, QString> out;
    const QRegularExpression re(u"^"_s + kind + u" \"([a-z0-9_]+)\" \\{"_s,
                                QRegularExpression::MultilineOption);
    auto it = re.globalMatch(hcl);
    QList<QRegularExpressionMatch> matches;
    while (it.hasNext())
        matches.append(it.next());
    for (qsizetype i = 0; i < matches.size(); ++i) {
        const qsizetype end =
            i + 1 < matches.size() ? matches[i + 1].capturedStart() : hcl.size();
        out.insert(matches[i].captured(1),
                   hcl.mid(matches[i].capturedEnd(), end - matches[i].capturedEnd()));
    }
    return out;
}

} // namespace

class TestInfrastructure final : public QObject
{
    Q_OBJECT

private:
    std::optional<TerraformBinary> m_terraform;
    QStringList m_modules;

private Q_SLOTS:
    void initTestCase()
    {
        m_modules = QDir(InfraDir + u"/terraform/modules"_s)
                        .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY(m_modules.contains(u"local-webserver"_s));
        auto tf = TerraformRunner::detect();
        if (tf)
            m_terraform = *tf;
    }

    void terraformFmtIsClean()
    {
        if (!m_terraform)
            QSKIP("terraform/tofu not installed");
        const Output out = runTool(m_terraform->path,
                                   {u"fmt"_s, u"-check"_s, u"-recursive"_s, u"-diff"_s,
                                    u"-no-color"_s, InfraDir + u"/terraform"_s},
                                   InfraDir);
        QVERIFY2(out.result.succeeded(), qPrintable(out.stdoutText + out.result.stderrText));
    }

    void moduleLayout_data()
    {
        QTest::addColumn<QString>("module");
        for (const QString &m : m_modules)
            QTest::newRow(qPrintable(m)) << m;
    }

    void moduleLayout()
    {
        QFETCH(QString, module);
        const QString dir = InfraDir + u"/terraform/modules/"_s + module;
        for (const QString &file : {u"main.tf"_s, u"variables.tf"_s, u"outputs.tf"_s,
                                    u"versions.tf"_s, u"README.md"_s})
            QVERIFY2(QFile::exists(dir + u'/' + file), qPrintable(module + u": "_s + file));
        QVERIFY(readFile(dir + u"/versions.tf"_s).contains(u"required_version = \">= 1.5"_s));

        const QString readme = readFile(dir + u"/README.md"_s);
        const auto variables = blocks(readFile(dir + u"/variables.tf"_s), u"variable"_s);
        QVERIFY(!variables.isEmpty());
        for (auto it = variables.cbegin(); it != variables.cend(); ++it) {
            QVERIFY2(it.value().contains(u"description"_s), qPrintable(it.key()));
            QVERIFY2(it.value().contains(u"type"_s), qPrintable(it.key()));
            QVERIFY2(readme.contains(u'`' + it.key() + u'`'),
                     qPrintable(u"README of %1 does not list input %2"_s.arg(module, it.key())));
        }
        // Every module validates something about its inputs.
        QVERIFY(std::any_of(variables.cbegin(), variables.cend(),
                            [](const QString &body) { return body.contains(u"validation {"_s); }));
        const auto outputs = blocks(readFile(dir + u"/outputs.tf"_s), u"output"_s);
        QVERIFY(!outputs.isEmpty());
        for (auto it = outputs.cbegin(); it != outputs.cend(); ++it) {
            QVERIFY2(it.value().contains(u"description"_s), qPrintable(it.key()));
            QVERIFY2(readme.contains(u'`' + it.key() + u'`'),
                     qPrintable(u"README of %1 does not list output %2"_s.arg(module, it.key())));
        }
    }

    void localWebserverValidates()
    {
        if (!m_terraform)
            QSKIP("terraform/tofu not installed");
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        TerraformRunner runner(*m_terraform, tmp.path());
        QVERIFY(runner.prepare(InfraDir + u"/terraform/modules/local-webserver"_s, {}).ok());
        // Built-in constructs only: init needs no network and installs nothing.
        const Output init = runTool(m_terraform->path,
                                    {u"init"_s, u"-backend=false"_s, u"-input=false"_s,
                                     u"-no-color"_s},
                                    tmp.path());
        QVERIFY2(init.result.succeeded(), qPrintable(init.result.stderrText));
        QVERIFY(!QFile::exists(tmp.filePath(u".terraform.lock.hcl"_s)));
        const Output validate =
            runTool(m_terraform->path, {u"validate"_s, u"-json"_s}, tmp.path());
        const QJsonObject doc = QJsonDocument::fromJson(validate.stdoutText.toUtf8()).object();
        QVERIFY2(doc.value(u"valid"_s).toBool(), qPrintable(validate.stdoutText));
        QCOMPARE(doc.value(u"warning_count"_s).toInt(), 0);
    }

    void awsEc2ConfigurationLoads()
    {
        if (!m_terraform)
            QSKIP("terraform/tofu not installed");
        if (!m_modules.contains(u"aws-ec2"_s))
            QSKIP("no aws-ec2 module");
        // Without the hashicorp/aws provider (a download; this machine is offline) validate stops
        // at "Missing required provider" after loading the configuration: syntax errors and
        // unsupported arguments in variable/output blocks are still reported, references and
        // resource arguments are not. Full validation needs network.
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        TerraformRunner runner(*m_terraform, tmp.path());
        QVERIFY(runner.prepare(InfraDir + u"/terraform/modules/aws-ec2"_s, {}).ok());
        const Output validate =
            runTool(m_terraform->path, {u"validate"_s, u"-json"_s}, tmp.path());
        const QJsonObject doc = QJsonDocument::fromJson(validate.stdoutText.toUtf8()).object();
        const QJsonArray diagnostics = doc.value(u"diagnostics"_s).toArray();
        QVERIFY2(!diagnostics.isEmpty(), qPrintable(validate.stdoutText));
        for (const QJsonValue &d : diagnostics) {
            QVERIFY2(d.toObject().value(u"summary"_s).toString() == u"Missing required provider"_s,
                     qPrintable(validate.stdoutText));
        }
    }

    void ansibleSyntaxCheck()
    {
        auto ansible = AnsibleRunner::detect();
        if (!ansible)
            QSKIP("ansible-playbook not installed");
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        // Both branches of the role are parsed; the inventory only needs to name the group.
        QFile inventory(tmp.filePath(u"inventory.json"_s));
        QVERIFY(inventory.open(QIODevice::WriteOnly));
        inventory.write(QJsonDocument(AnsibleInventory::forSshHost(u"web"_s, u"203.0.113.1"_s,
                                                                   u"admin"_s))
                            .toJson());
        inventory.close();
        AnsibleSettings settings;
        settings.playbookDir = InfraDir + u"/ansible"_s;
        const AnsibleRunner runner(*ansible, tmp.path(), settings);
        const Output out = runTool(ansible->path,
                                   {u"--syntax-check"_s, u"-i"_s, inventory.fileName(),
                                    InfraDir + u"/ansible/configure.yml"_s},
                                   tmp.path(), runner.environment(false));
        QVERIFY2(out.result.succeeded(), qPrintable(out.stdoutText + out.result.stderrText));
    }

    void callbackPluginLoads()
    {
        auto ansible = AnsibleRunner::detect();
        if (!ansible)
            QSKIP("ansible-playbook not installed");
        const QString doc = QFileInfo(ansible->path).dir().filePath(u"ansible-doc"_s);
        if (!QFileInfo(doc).isExecutable())
            QSKIP("ansible-doc not installed");
        QTemporaryDir tmp;
        const Output out = runTool(
            doc, {u"-t"_s, u"callback"_s, u"nebula_jsonl"_s}, tmp.path(),
            {{u"ANSIBLE_CALLBACK_PLUGINS"_s, InfraDir + u"/ansible/callback_plugins"_s},
             {u"ANSIBLE_HOME"_s, tmp.path()}, {u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s}});
        QVERIFY2(out.result.succeeded(), qPrintable(out.result.stderrText));
        QVERIFY2(out.stdoutText.contains(u"NAME: nebula_jsonl"_s), qPrintable(out.stdoutText));
        QVERIFY(!QFile::exists(InfraDir + u"/ansible/callback_plugins/__pycache__"_s));
    }
};

QTEST_GUILESS_MAIN(TestInfrastructure)
#include "tst_infrastructure.moc"
