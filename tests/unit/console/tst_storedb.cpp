#include "core/storedb.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>


// Verifies a Result and prints its error when it failed.
#define QVERIFY_OK(expr) \
    do { \
        const auto _r = (expr); \
        QVERIFY2(_r.ok(), _r.ok() ? "" : qPrintable(_r.error().toString())); \
    } while (false)

using namespace Qt::Literals::StringLiterals;
using namespace Nebula;
using namespace Nebula::Console;

class TestStoreDb final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    // A store file with the first (v1) schema and some rows, written by plain SQL.
    void writeV1Store(const QString &file)
    {
        {
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v1"_s);
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const auto &sql : {
                     u"CREATE TABLE users (name TEXT PRIMARY KEY NOT NULL, password_hash TEXT NOT NULL, role TEXT NOT NULL, created_at INTEGER NOT NULL)"_s,
                     u"CREATE TABLE resources (name TEXT PRIMARY KEY NOT NULL, type TEXT NOT NULL, region TEXT NOT NULL, size TEXT NOT NULL, status TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL)"_s,
                     u"CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')"_s,
                     u"INSERT INTO users VALUES ('alice', 'pbkdf2-sha256$1000$AAAA$AAAA', 'admin', 1700000000000)"_s,
                     u"INSERT INTO resources VALUES ('web-1', 'local-webserver', 'local', 'small', 'ready', 1700000000000)"_s,
                     u"INSERT INTO audit_log (at, actor, action, detail) VALUES (1700000000000, 'alice', 'login', '')"_s,
                     u"PRAGMA user_version = 1"_s}) {
                QVERIFY2(q.exec(sql), qPrintable(sql));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(u"v1"_s);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void newStoreHasCurrentSchema()
    {
        StoreDb db;
        auto r = db.open(path(u"new/console.sqlite"_s));
        QVERIFY2(r, qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->fromVersion, 0);
        QCOMPARE(r->toVersion, StoreDb::SchemaVersion);
        QSqlQuery q(db.database());
        QVERIFY(q.exec(u"PRAGMA user_version"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), StoreDb::SchemaVersion);
        QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
        QCOMPARE(q.value(0).toString(), u"wal"_s);
        QCOMPARE(*db.userCount(), 0);
    }

    void v1StoreIsMigratedKeepingData()
    {
        const QString file = path(u"v1.sqlite"_s);
        writeV1Store(file);
        StoreDb db;
        auto r = db.open(file);
        QVERIFY2(r, qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->fromVersion, 1);
        QVERIFY(r->movedAsideTo.isEmpty());
        auto user = db.findUser(u"alice"_s);
        QVERIFY(user && *user);
        QCOMPARE((*user)->role, Role::Admin);
        auto resources = db.resources();
        QVERIFY(resources);
        QCOMPARE(resources->size(), 1);
        QCOMPARE(resources->first().type, u"local-webserver"_s);
        QCOMPARE(resources->first().updatedAt, resources->first().createdAt); // filled by migration 2
        // The new tables work.
        RunRecord run;
        run.workflowId = u"resource/web-1"_s;
        run.runId = u"r1"_s;
        run.resource = u"web-1"_s;
        run.workflowType = u"ProvisionResource"_s;
        run.status = u"Completed"_s;
        QVERIFY_OK(db.upsertRun(run));
        QVERIFY(db.setThrottle(u"alice"_s, {3, {}}));
        QCOMPARE(db.throttle(u"alice"_s)->failures, 3);
        auto audit = db.audit(10);
        QVERIFY(audit);
        QCOMPARE(audit->size(), 1);
        QCOMPARE(audit->first().action, u"login"_s);
    }

    void unreadableFileIsMovedAsideNeverErased()
    {
        const QString file = path(u"garbage.sqlite"_s);
        QByteArray garbage(8192, 'x');
        garbage.prepend("this is not a database\n");
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(garbage);
        }
        StoreDb db;
        auto r = db.open(file);
        QVERIFY2(r, qPrintable(r.ok() ? QString() : r.error().toString()));
        QVERIFY(!r->movedAsideTo.isEmpty());
        QVERIFY(r->movedAsideTo.startsWith(file + u".unreadable-"_s));
        QFile aside(r->movedAsideTo);
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), garbage); // the original bytes, untouched
        QCOMPARE(*db.userCount(), 0);       // and a fresh store in its place
    }

    void newerSchemaIsRefusedAndLeftAlone()
    {
        const QString file = path(u"future.sqlite"_s);
        {
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"future"_s);
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE t (x)"_s));
            QVERIFY(q.exec(u"PRAGMA user_version = 99"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"future"_s);
        StoreDb db;
        auto r = db.open(file);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(r.error().message.contains(u"newer"_s));
        QVERIFY(QFile::exists(file));
        QVERIFY(QDir(m_dir.path()).entryList({u"future.sqlite.unreadable*"_s}).isEmpty());
    }

    void upsertRunKeepsWhatWasLearned()
    {
        StoreDb db;
        QVERIFY(db.open(u":memory:"_s));
        RunRecord run;
        run.workflowId = u"resource/a"_s;
        run.runId = u"r1"_s;
        run.resource = u"a"_s;
        run.workflowType = u"ProvisionResource"_s;
        run.status = u"Completed"_s;
        run.startedBy = u"alice"_s;
        run.result = QJsonObject{{u"url"_s, u"http://127.0.0.1:8080/"_s}};
        QVERIFY_OK(db.upsertRun(run));
        RunRecord partial = run; // e.g. from visibility: no result, no starter
        partial.result = {};
        partial.startedBy.clear();
        QVERIFY_OK(db.upsertRun(partial));
        auto runs = db.runs();
        QVERIFY(runs);
        QCOMPARE(runs->size(), 1);
        QCOMPARE(runs->first().startedBy, u"alice"_s);
        QCOMPARE(runs->first().result.value(u"url"_s).toString(), u"http://127.0.0.1:8080/"_s);
    }

    // Two consoles on one file: concurrent writers wait for each other (busy timeout) instead of
    // failing, and nothing is lost.
    void twoConnectionsWriteConcurrently()
    {
        const QString file = path(u"shared.sqlite"_s);
        {
            StoreDb init;
            QVERIFY(init.open(file));
        }
        constexpr int PerThread = 200;
        std::atomic<int> failures{0};
        auto writer = [&](const QString &actor) {
            StoreDb db;
            if (!db.open(file)) {
                failures += PerThread;
                return;
            }
            for (int i = 0; i < PerThread; ++i) {
                auto r = db.transaction([&]() -> Result<void> {
                    return db.appendAudit({0, QDateTime::currentDateTimeUtc(), actor, u"test"_s, QString::number(i), u"ok"_s, {}});
                });
                if (!r)
                    ++failures;
            }
        };
        std::unique_ptr<QThread> a(QThread::create(writer, u"a"_s));
        std::unique_ptr<QThread> b(QThread::create(writer, u"b"_s));
        a->start();
        b->start();
        QVERIFY(a->wait(60000));
        QVERIFY(b->wait(60000));
        QCOMPARE(failures.load(), 0);
        StoreDb check;
        QVERIFY(check.open(file));
        QCOMPARE(check.audit(10000)->size(), 2 * PerThread);
        QSqlQuery q(check.database());
        QVERIFY(q.exec(u"PRAGMA integrity_check"_s) && q.next());
        QCOMPARE(q.value(0).toString(), u"ok"_s);
    }
};

QTEST_GUILESS_MAIN(TestStoreDb)
#include "tst_storedb.moc"
