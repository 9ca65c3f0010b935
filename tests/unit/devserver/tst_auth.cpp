// Authorization: static keys and HS256 JWTs, role by role; never data without a valid token.
#include "enginedriver.h"

#include "common/jwt.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>

using namespace Nebula::DevServer;
using namespace Nebula::DevServer::Testing;

namespace {

const QByteArray JwtKey = "0123456789abcdef0123456789abcdef";

std::string jwt(const QString &role, int expiresInSeconds = 600, const QByteArray &key = JwtKey)
{
    Nebula::Jwt::Claims c;
    c.subject = QStringLiteral("alice");
    c.role = role;
    c.issuedAt = QDateTime::currentDateTimeUtc();
    c.expiresAt = c.issuedAt.addSecs(expiresInSeconds);
    return Nebula::Jwt::sign(c, key).toStdString();
}

} // namespace

class TestAuth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roles_data();
    void roles();
    void keysFile();
};

void TestAuth::roles_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("rpc");
    QTest::addColumn<int>("expected");
    const int unauth = grpc::StatusCode::UNAUTHENTICATED;
    const int denied = grpc::StatusCode::PERMISSION_DENIED;
    const int notFound = grpc::StatusCode::NOT_FOUND; // authorised; the workflow does not exist
    const int ok = grpc::StatusCode::OK;
    QTest::newRow("no token") << "" << "DescribeWorkflowExecution" << unauth;
    QTest::newRow("not bearer") << "Basic abc" << "DescribeWorkflowExecution" << unauth;
    QTest::newRow("unknown key") << "Bearer wrong-key-wrong-key" << "DescribeWorkflowExecution" << unauth;
    QTest::newRow("reader describe") << "Bearer reader-key-0123456789" << "DescribeWorkflowExecution" << notFound;
    QTest::newRow("reader start") << "Bearer reader-key-0123456789" << "StartWorkflowExecution" << denied;
    QTest::newRow("reader poll") << "Bearer reader-key-0123456789" << "RespondActivityTaskCompleted" << denied;
    QTest::newRow("operator start") << "Bearer operator-key-0123456789" << "StartWorkflowExecution" << ok;
    QTest::newRow("operator terminate") << "Bearer operator-key-0123456789" << "TerminateWorkflowExecution" << notFound;
    QTest::newRow("operator respond") << "Bearer operator-key-0123456789" << "RespondActivityTaskCompleted" << denied;
    QTest::newRow("worker respond") << "Bearer worker-key-0123456789" << "RespondActivityTaskCompleted" << notFound;
    QTest::newRow("worker start") << "Bearer worker-key-0123456789" << "StartWorkflowExecution" << denied;
    QTest::newRow("worker describe") << "Bearer worker-key-0123456789" << "DescribeWorkflowExecution" << notFound;
    QTest::newRow("admin start") << "Bearer admin-key-0123456789" << "StartWorkflowExecution" << ok;
    QTest::newRow("admin unimplemented") << "Bearer admin-key-0123456789" << "UpdateNamespace"
                                         << int(grpc::StatusCode::UNIMPLEMENTED);
    QTest::newRow("reader unimplemented") << "Bearer reader-key-0123456789" << "UpdateNamespace" << denied;
    QTest::newRow("jwt viewer describe") << QString::fromStdString("Bearer " + jwt(QStringLiteral("viewer")))
                                         << "DescribeWorkflowExecution" << notFound;
    QTest::newRow("jwt viewer start") << QString::fromStdString("Bearer " + jwt(QStringLiteral("viewer")))
                                      << "StartWorkflowExecution" << denied;
    QTest::newRow("jwt operator start") << QString::fromStdString("Bearer " + jwt(QStringLiteral("operator")))
                                        << "StartWorkflowExecution" << ok;
    QTest::newRow("jwt expired") << QString::fromStdString("Bearer " + jwt(QStringLiteral("admin"), -3600))
                                 << "DescribeWorkflowExecution" << unauth;
    QTest::newRow("jwt other key") << QString::fromStdString("Bearer " + jwt(QStringLiteral("admin"), 600, "another-key-another-key-xxxxx"))
                                   << "DescribeWorkflowExecution" << unauth;
    QTest::newRow("jwt no role") << QString::fromStdString("Bearer " + jwt(QString()))
                                 << "DescribeWorkflowExecution" << unauth;
}

void TestAuth::roles()
{
    QFETCH(QString, token);
    QFETCH(QString, rpc);
    QFETCH(int, expected);
    auto auth = Auth::fromKeys({{Role::Reader, "reader-key-0123456789"},
                                {Role::Operator, "operator-key-0123456789"},
                                {Role::Worker, "worker-key-0123456789"},
                                {Role::Admin, "admin-key-0123456789"}},
                               JwtKey);
    EngineDriver d(QStringLiteral(":memory:"), auth);
    d.authorization = token.toStdString();
    grpc::Status status;
    if (rpc == u"DescribeWorkflowExecution") {
        ws::DescribeWorkflowExecutionRequest r;
        r.set_namespace_("default");
        r.mutable_execution()->set_workflow_id("nope");
        status = d.call<ws::DescribeWorkflowExecutionResponse>(rpc.toStdString(), r).status;
    } else if (rpc == u"StartWorkflowExecution") {
        status = d.startWorkflow("wf-auth").status;
    } else if (rpc == u"TerminateWorkflowExecution") {
        ws::TerminateWorkflowExecutionRequest r;
        r.set_namespace_("default");
        r.mutable_workflow_execution()->set_workflow_id("nope");
        status = d.call<ws::TerminateWorkflowExecutionResponse>(rpc.toStdString(), r).status;
    } else if (rpc == u"RespondActivityTaskCompleted") {
        status = d.completeActivity("not-a-token").status;
    } else {
        ws::UpdateNamespaceRequest r;
        status = d.call<ws::UpdateNamespaceResponse>(rpc.toStdString(), r).status;
    }
    QCOMPARE(int(status.error_code()), expected);
    if (expected == grpc::StatusCode::UNAUTHENTICATED || expected == grpc::StatusCode::PERMISSION_DENIED)
        QVERIFY(!status.error_message().empty());
}

void TestAuth::keysFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("keys"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# role token\nadmin   admin-key-0123456789  # trailing comment\n\nviewer viewer-key-0123456789\n");
    f.close();
    auto auth = Auth::load(path, {});
    QVERIFY(auth.ok());
    QVERIFY(auth->check("Bearer viewer-key-0123456789", Access::Read, "X").ok());
    QCOMPARE(auth->check("Bearer viewer-key-0123456789", Access::Operate, "X").error_code(), grpc::StatusCode::PERMISSION_DENIED);
    QVERIFY(auth->check("Bearer admin-key-0123456789", Access::Admin, "X").ok());

    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("superuser some-key-0123456789\n");
    f.close();
    auto bad = Auth::load(path, {});
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().message.contains(QStringLiteral("unknown role")));
    QVERIFY(bad.error().message.contains(QStringLiteral("line 1")));
    QVERIFY(!Auth::load(dir.filePath(QStringLiteral("missing")), {}).ok());
}

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
