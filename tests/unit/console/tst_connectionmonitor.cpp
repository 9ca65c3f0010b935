#include "core/connectionmonitor.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;
using Nebula::Temporal::Poller;

class TestConnectionMonitor final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workersAreRecentPollers()
    {
        const auto now = QDateTime::currentDateTimeUtc();
        int count = -1;
        QCOMPARE(ConnectionMonitor::workersFrom({}, now, &count), ConnectionMonitor::Workers::None);
        QCOMPARE(count, 0);
        const QList<Poller> pollers{{u"w1@host"_s, now.addSecs(-5), 0}, {u"w2@host"_s, now.addSecs(-600), 0}};
        QCOMPARE(ConnectionMonitor::workersFrom(pollers, now, &count), ConnectionMonitor::Workers::Polling);
        QCOMPARE(count, 1);
        QCOMPARE(ConnectionMonitor::workersFrom({{u"old"_s, now.addSecs(-600), 0}}, now), ConnectionMonitor::Workers::None);
    }

    // Temporal down at start: the monitor says so and keeps retrying on its own (loopback only).
    void serverDownIsReportedAndRetried()
    {
        QTcpServer reserve;
        QVERIFY(reserve.listen(QHostAddress::LocalHost, 0));
        const quint16 port = reserve.serverPort();
        reserve.close(); // nothing listens there now
        Temporal::ConnectionOptions options;
        options.address = u"127.0.0.1:%1"_s.arg(port);
        auto client = Temporal::TemporalClient::create(options);
        QVERIFY(client);
        ConnectionMonitor monitor(client->get(), u"nebula-provision"_s);
        monitor.setIntervals(200, 8000);
        QSignalSpy states(&monitor, &ConnectionMonitor::stateChanged);
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.state() == ConnectionMonitor::State::Reconnecting, 20000);
        QVERIFY(monitor.message().contains(u"Retrying"_s));
        const auto before = states.count();
        QTRY_VERIFY_WITH_TIMEOUT(states.count() > before, 20000); // retried: the message changes with the delay
    }
};

QTEST_GUILESS_MAIN(TestConnectionMonitor)
#include "tst_connectionmonitor.moc"
