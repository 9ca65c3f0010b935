// The List/Count query language: valid queries map to the expected SQL, bad ones say what is wrong.
#include "visibilityquery.h"

#include <QTest>

using namespace Nebula::DevServer;

class TestVisibilityQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void parameters();
};

void TestVisibilityQuery::valid_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("order");
    QTest::newRow("empty") << "" << "" << "";
    QTest::newRow("type and status") << "WorkflowType = 'X' AND ExecutionStatus = 'Running'"
                                     << "(workflow_type = ? AND status = ?)" << "";
    QTest::newRow("or, parentheses") << "(WorkflowId = 'a' OR WorkflowId = \"b\") AND TaskQueue != 'q'"
                                     << "(((workflow_id = ? OR workflow_id = ?)) AND task_queue != ?)" << "";
    QTest::newRow("in") << "ExecutionStatus IN ('Completed', 'Failed')" << "status IN (?, ?)" << "";
    QTest::newRow("not in") << "WorkflowType NOT IN ('a')" << "workflow_type NOT IN (?)" << "";
    QTest::newRow("between") << "StartTime BETWEEN '2024-01-01T00:00:00Z' AND '2024-02-01T00:00:00+01:00'"
                             << "start_time BETWEEN ? AND ?" << "";
    QTest::newRow("range") << "CloseTime >= '2024-01-01T00:00:00.5Z' AND CloseTime < '2025-01-01T00:00:00Z'"
                           << "(close_time >= ? AND close_time < ?)" << "";
    QTest::newRow("starts_with") << "WorkflowId STARTS_WITH 'prov-'" << "substr(workflow_id, 1, ?) = ?" << "";
    QTest::newRow("is null") << "CloseTime IS NULL" << "close_time IS NULL" << "";
    QTest::newRow("is not null") << "CloseTime is not null" << "close_time IS NOT NULL" << "";
    QTest::newRow("not") << "NOT ExecutionStatus = 'Running'" << "(NOT status = ?)" << "";
    QTest::newRow("order by") << "WorkflowType = 'X' ORDER BY StartTime DESC" << "workflow_type = ?" << "start_time DESC";
    QTest::newRow("order only") << "ORDER BY StartTime asc" << "" << "start_time ASC";
    QTest::newRow("history length") << "HistoryLength > 10" << "history_length > ?" << "";
    QTest::newRow("duration") << "ExecutionDuration > '1h30m'" << "execution_duration > ?" << "";
    QTest::newRow("backquotes, <>") << "`RunId` <> 'r'" << "run_id != ?" << "";
}

void TestVisibilityQuery::valid()
{
    QFETCH(QString, query);
    QFETCH(QString, where);
    QFETCH(QString, order);
    const auto r = parseVisibilityQuery(query.toStdString());
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(QString::fromStdString(r->filter.where), where);
    QCOMPARE(QString::fromStdString(r->filter.orderBy), order);
}

void TestVisibilityQuery::invalid_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown attribute") << "Foo = 'x'" << "Foo";
    QTest::newRow("unquoted string") << "WorkflowId = abc" << "quoted";
    QTest::newRow("unterminated") << "WorkflowId = 'abc" << "unterminated";
    QTest::newRow("bad status") << "ExecutionStatus = 'Sleeping'" << "Sleeping";
    QTest::newRow("bad datetime") << "StartTime > 'yesterday'" << "RFC 3339";
    QTest::newRow("limit") << "WorkflowId = 'a' LIMIT 5" << "LIMIT";
    QTest::newRow("missing paren") << "(WorkflowId = 'a'" << "')'";
    QTest::newRow("missing operator") << "WorkflowId 'a'" << "operator";
    QTest::newRow("dangling and") << "WorkflowId = 'a' AND" << "attribute";
    QTest::newRow("group by in list") << "GROUP BY ExecutionStatus" << "Count";
    QTest::newRow("starts_with on time") << "StartTime STARTS_WITH '2024'" << "keyword";
    QTest::newRow("stray char") << "WorkflowId = 'a' ;" << ";";
    QTest::newRow("bad first char") << "; WorkflowId = 'a'" << "position 0";
    QTest::newRow("deep nesting") << QString(200, u'(') << "nested";
    QTest::newRow("huge number") << "HistoryLength > 99999999999999999999999" << "out of range";
    QTest::newRow("bad duration unit") << "ExecutionDuration > '1e999h'" << "duration";
    QTest::newRow("huge duration") << "ExecutionDuration > '99999999999999999999h'" << "too large";
}

void TestVisibilityQuery::invalid()
{
    QFETCH(QString, query);
    QFETCH(QString, mentions);
    const auto r = parseVisibilityQuery(query.toStdString());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, Nebula::ErrorCode::InvalidArgument);
    QVERIFY2(r.error().message.contains(mentions), qPrintable(r.error().message));
}

void TestVisibilityQuery::parameters()
{
    const auto r = parseVisibilityQuery(
        "ExecutionStatus = 'Completed' AND StartTime > '2024-01-01T00:00:00Z' AND WorkflowId STARTS_WITH 'ab'");
    QVERIFY(r.ok());
    QCOMPARE(r->filter.params.size(), 4u);
    QCOMPARE(r->filter.params[0].number, 2);
    QCOMPARE(r->filter.params[1].number, std::int64_t(1704067200000000));
    QCOMPARE(r->filter.params[2].number, 2);
    QCOMPARE(r->filter.params[3].text, std::string("ab"));
    const auto g = parseVisibilityQuery("WorkflowType = 'x' GROUP BY ExecutionStatus", true);
    QVERIFY(g.ok());
    QVERIFY(g->groupByStatus);
}

QTEST_APPLESS_MAIN(TestVisibilityQuery)
#include "tst_visibilityquery.moc"
