#include "devserverprocess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Testing {

DevServerProcess::DevServerProcess(int port) : m_port(port > 0 ? port : freeLoopbackPort()) {}

DevServerProcess::~DevServerProcess()
{
    kill();
}

int DevServerProcess::freeLoopbackPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

QString DevServerProcess::binary()
{
    const QString fromEnv = qEnvironmentVariable("NEBULA_DEVSERVER");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return qEnvironmentVariable("NEBULA_BINARY_DIR") + u"/devserver/nebula-devserver"_s;
}

QString DevServerProcess::address() const
{
    return u"127.0.0.1:%1"_s.arg(m_port);
}

bool DevServerProcess::start(int timeoutMs)
{
    if (!QFileInfo(binary()).isExecutable())
        return false;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_dir.filePath(u"devserver-%1.log"_s.arg(++m_starts)));
    m_process.start(binary(), {u"--port"_s, QString::number(m_port), u"--bind"_s, u"127.0.0.1"_s, u"--db"_s,
                               u":memory:"_s, u"--log-level"_s, u"warn"_s});
    if (!m_process.waitForStarted(5000))
        return false;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && isRunning()) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(m_port));
        if (socket.waitForConnected(200))
            return true;
        m_process.waitForFinished(100); // returns early only if it died
    }
    return false;
}

void DevServerProcess::kill()
{
    if (!isRunning())
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

QString DevServerProcess::log() const
{
    QString all;
    for (int i = 1; i <= m_starts; ++i) {
        QFile f(m_dir.filePath(u"devserver-%1.log"_s.arg(i)));
        if (f.open(QIODevice::ReadOnly))
            all += QString::fromUtf8(f.readAll());
    }
    return all;
}

} // namespace Nebula::Testing
