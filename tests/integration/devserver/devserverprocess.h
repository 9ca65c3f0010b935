#pragma once

// Test helper: runs nebula-devserver as a real process on a free loopback port and talks to it
// through the generated WorkflowService stub. The process is always killed on destruction.
#include <temporal/api/workflowservice/v1/service.grpc.pb.h>

#include <grpcpp/grpcpp.h>

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTest>

#include <memory>

namespace Nebula::DevServer::Testing {

inline QString devserverBinary()
{
    return qEnvironmentVariable("NEBULA_BINARY_DIR") + QStringLiteral("/devserver/nebula-devserver");
}

inline int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

class DevServerProcess
{
public:
    // Starts the server with `extraArgs` on a free port; check started() afterwards.
    explicit DevServerProcess(const QStringList &extraArgs, int port = 0)
    {
        m_port = port ? port : freePort();
        m_process.setProgram(devserverBinary());
        m_process.setArguments(QStringList{QStringLiteral("--port"), QString::number(m_port)} + extraArgs);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_stdout += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_stderr += m_process.readAllStandardError(); });
        m_process.start();
    }
    ~DevServerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    bool waitListening(int timeoutMs = 15000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (m_stdout.contains("listening on"))
                return true;
            if (m_process.state() == QProcess::NotRunning)
                return false;
            m_process.waitForReadyRead(100);
        }
        return false;
    }

    std::unique_ptr<temporal::api::workflowservice::v1::WorkflowService::Stub> stub() const
    {
        auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(m_port), grpc::InsecureChannelCredentials());
        return temporal::api::workflowservice::v1::WorkflowService::NewStub(channel);
    }

    int port() const { return m_port; }
    QProcess &process() { return m_process; }
    QByteArray output() const { return m_stdout + m_stderr; }
    QByteArray &stderrText() { return m_stderr; }

private:
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    int m_port = 0;
};

inline std::unique_ptr<grpc::ClientContext> context(int seconds = 10, const std::string &token = {})
{
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    if (!token.empty())
        ctx->AddMetadata("authorization", "Bearer " + token);
    return ctx;
}

} // namespace Nebula::DevServer::Testing
