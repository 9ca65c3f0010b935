#pragma once

// nebula-devserver as a child process on a loopback port, for the client and runtime integration
// tests. Killed in the destructor, so a failing test never leaves it behind.

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace Nebula::Testing {

class DevServerProcess
{
public:
    // port 0 = pick a free loopback port now.
    explicit DevServerProcess(int port = 0);
    ~DevServerProcess();

    static int freeLoopbackPort();
    static QString binary();

    // Starts it and waits (up to timeoutMs) until the port accepts connections.
    bool start(int timeoutMs = 15000);
    void kill();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    int port() const { return m_port; }
    QString address() const;
    QString log() const;

private:
    int m_port;
    QTemporaryDir m_dir;
    QProcess m_process;
    int m_starts = 0;
};

} // namespace Nebula::Testing
