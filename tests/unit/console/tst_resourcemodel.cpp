#include "core/resourcerow.h"
#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;

namespace {

RunRecord run(const QString &name, const QString &type, const QString &status, int minute, const QString &runId)
{
    RunRecord r;
    r.workflowId = u"resource/"_s + name;
    r.runId = runId;
    r.resource = name;
    r.workflowType = type;
    r.status = status;
    r.startedAt = QDateTime(QDate(2026, 1, 5), QTime(9, minute), Qt::UTC);
    return r;
}

ResourceRow row(const QString &name, ResourceState state, const QString &owner = u"alice"_s)
{
    ResourceRow r;
    r.name = name;
    r.type = u"local-webserver"_s;
    r.region = u"local"_s;
    r.size = u"small"_s;
    r.state = state;
    r.owner = owner;
    return r;
}

} // namespace

class TestResourceModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mergeTakesTheLatestRunAndMemo()
    {
        ResourceRecord local{u"web-1"_s, u"local-webserver"_s, u"local"_s, u"small"_s, u"alice"_s, {}, {}, {}, {}, {}};
        auto p1 = run(u"web-1"_s, u"ProvisionResource"_s, u"Completed"_s, 1, u"a"_s);
        p1.result = QJsonObject{{u"url"_s, u"http://127.0.0.1:9001/"_s}, {u"ipAddress"_s, u"127.0.0.1"_s}};
        auto other = run(u"db-2"_s, u"ProvisionResource"_s, u"Running"_s, 3, u"c"_s);
        other.memo = QJsonObject{{u"type"_s, u"ec2-instance"_s}, {u"region"_s, u"eu-west-1"_s}, {u"size"_s, u"t3.micro"_s},
                                 {u"requestedBy"_s, u"bob"_s}};
        const auto rows = mergeResources({local}, {p1, other});
        QCOMPARE(rows.size(), 2);
        const auto &web = rows[0].name == u"web-1"_s ? rows[0] : rows[1];
        const auto &db = rows[0].name == u"db-2"_s ? rows[0] : rows[1];
        QCOMPARE(web.state, ResourceState::Ready);
        QCOMPARE(web.address, u"http://127.0.0.1:9001/"_s);
        QCOMPARE(db.state, ResourceState::Provisioning);
        QCOMPARE(db.type, u"ec2-instance"_s); // from the memo: a run started elsewhere
        QCOMPARE(db.owner, u"bob"_s);

        // A later destroy wins and clears the address.
        auto d = run(u"web-1"_s, u"DestroyResource"_s, u"Completed"_s, 5, u"b"_s);
        const auto after = mergeResources({local}, {p1, d});
        QCOMPARE(after.first().state, ResourceState::Destroyed);
        QVERIFY(after.first().address.isEmpty());
    }

    void stateMapping_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("state");
        QTest::newRow("provisioning") << u"ProvisionResource"_s << u"Running"_s << int(ResourceState::Provisioning);
        QTest::newRow("ready") << u"ProvisionResource"_s << u"Completed"_s << int(ResourceState::Ready);
        QTest::newRow("failed") << u"ProvisionResource"_s << u"Failed"_s << int(ResourceState::Failed);
        QTest::newRow("timeout") << u"ProvisionResource"_s << u"TimedOut"_s << int(ResourceState::Failed);
        QTest::newRow("terminated") << u"ProvisionResource"_s << u"Terminated"_s << int(ResourceState::Failed);
        QTest::newRow("canceled") << u"ProvisionResource"_s << u"Canceled"_s << int(ResourceState::Canceled);
        QTest::newRow("destroying") << u"DestroyResource"_s << u"Running"_s << int(ResourceState::Destroying);
        QTest::newRow("destroyed") << u"DestroyResource"_s << u"Completed"_s << int(ResourceState::Destroyed);
        QTest::newRow("destroy failed") << u"DestroyResource"_s << u"Failed"_s << int(ResourceState::DestroyFailed);
    }
    void stateMapping()
    {
        QFETCH(QString, type);
        QFETCH(QString, status);
        QFETCH(int, state);
        QCOMPARE(int(stateOfRun(type, status)), state);
    }

    void modelStaysConsistentThroughDiffs()
    {
        ResourceTableModel model;
        ResourceFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(ResourceTableModel::Name);

        model.setRows({row(u"a"_s, ResourceState::Ready), row(u"b"_s, ResourceState::Provisioning), row(u"c"_s, ResourceState::Failed)});
        QCOMPARE(model.rowCount(), 3);
        // Update b, remove a, add d and e.
        auto b = row(u"b"_s, ResourceState::Ready);
        b.address = u"http://127.0.0.1:8081/"_s;
        model.setRows({b, row(u"c"_s, ResourceState::Failed), row(u"d"_s, ResourceState::Provisioning), row(u"e"_s, ResourceState::Ready)});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.rowOf(u"a"_s), -1);
        const int bi = model.rowOf(u"b"_s);
        QCOMPARE(model.data(model.index(bi, ResourceTableModel::Address)).toString(), u"http://127.0.0.1:8081/"_s);
        QCOMPARE(model.data(model.index(bi, ResourceTableModel::Status)).toString(), u"Ready"_s);
        QVERIFY(!model.data(model.index(bi, ResourceTableModel::Status), Qt::DecorationRole).value<QIcon>().isNull());
        // Remove everything, then fill again.
        model.setRows({});
        QCOMPARE(model.rowCount(), 0);
        model.setRows({row(u"x"_s, ResourceState::Ready)});
        QCOMPARE(proxy.rowCount(), 1);
    }

    void filterMatchesEveryWordAnywhere()
    {
        ResourceTableModel model;
        ResourceFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({row(u"web-1"_s, ResourceState::Ready, u"alice"_s), row(u"web-2"_s, ResourceState::Failed, u"bob"_s),
                       row(u"db-1"_s, ResourceState::Ready, u"bob"_s)});
        proxy.setFilterText(u"WEB-"_s);
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setFilterText(u"web- bob"_s);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterText(u"failed"_s);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterText(u"Local web server"_s); // the type's display name
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setFilterText(u"nothing-like-this"_s);
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterText(QString());
        QCOMPARE(proxy.rowCount(), 3);
    }

    void sortsByStatusAndTime()
    {
        ResourceTableModel model;
        ResourceFilterProxy proxy;
        proxy.setSourceModel(&model);
        auto a = row(u"a"_s, ResourceState::Failed);
        a.lastRun = QDateTime(QDate(2026, 1, 1), QTime(10, 0), Qt::UTC);
        auto b = row(u"b"_s, ResourceState::Provisioning);
        b.lastRun = QDateTime(QDate(2026, 1, 2), QTime(10, 0), Qt::UTC);
        model.setRows({a, b});
        proxy.sort(ResourceTableModel::LastRun, Qt::DescendingOrder);
        QCOMPARE(proxy.data(proxy.index(0, ResourceTableModel::Name)).toString(), u"b"_s);
        proxy.sort(ResourceTableModel::Status, Qt::AscendingOrder);
        QCOMPARE(proxy.data(proxy.index(0, ResourceTableModel::Name)).toString(), u"b"_s); // Provisioning < Failed
    }
};

QTEST_MAIN(TestResourceModel)
#include "tst_resourcemodel.moc"
