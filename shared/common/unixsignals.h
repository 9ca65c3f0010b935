#pragma once

#include <QObject>

#include <initializer_list>

class QSocketNotifier;

namespace Nebula {

// Turns POSIX signals (SIGINT, SIGTERM, SIGHUP) into a Qt signal on the thread this object lives
// in, with the self-pipe pattern: the async-signal-safe handler only writes the signal number to a
// socket, and a QSocketNotifier reads it in the event loop. One instance per process.
class UnixSignalWatcher final : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(std::initializer_list<int> signals, QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void received(int signalNumber);

private:
    void handleReadable();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Nebula
