// The async TemporalClient against a real nebula-devserver process: deadline exceeded, retry then
// success while the server comes up, error mapping (AlreadyExists with runId, NotFound,
// InvalidArgument), and the callback on the caller's thread.

#include "devserverprocess.h"

#include "temporal/temporalclient.h"

#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <atomic>
#include <optional>

using namespace Nebula;
using namespace Nebula::Temporal;
using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace {

template <typename T>
bool waitFor(const std::optional<Result<T>> &slot, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!slot && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return slot.has_value();
}

QString text(const Error &e)
{
    return e.message + u" | "_s + e.detail;
}

} // namespace

class TestClientDevServer final : public QObject
{
    Q_OBJECT

    std::unique_ptr<Testing::DevServerProcess> m_server;
    std::unique_ptr<TemporalClient> m_client;

    std::unique_ptr<TemporalClient> clientFor(const QString &address)
    {
        ConnectionOptions o;
        o.address = address;
        auto c = TemporalClient::create(o);
        return c ? std::move(*c) : nullptr;
    }

    Result<StartResult> start(const QString &id, const QString &type, const QString &queue)
    {
        StartWorkflowRequest req;
        req.workflowId = id;
        req.workflowType = type;
        req.taskQueue = queue;
        std::optional<Result<StartResult>> r;
        m_client->startWorkflow(req, this, [&r](const Result<StartResult> &x) { r = x; });
        if (!waitFor(r, 15000))
            return makeError(ErrorCode::DeadlineExceeded, u"no callback"_s);
        return *r;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<Testing::DevServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(u"cannot start "_s + Testing::DevServerProcess::binary()));
        m_client = clientFor(m_server->address());
        QVERIFY(m_client);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed() && m_server)
            qWarning("devserver log:\n%s", qPrintable(m_server->log()));
        m_client.reset();
        m_server.reset();
    }

    void queryWithoutWorkerExceedsDeadline()
    {
        QVERIFY(start(u"no-worker"_s, u"T"_s, u"nobody-polls-"_s + QUuid::createUuid().toString(QUuid::Id128)).ok());
        std::optional<Result<QJsonValue>> r;
        CallOptions call;
        call.timeout = 1500ms;
        QElapsedTimer timer;
        timer.start();
        m_client->queryWorkflow(WorkflowRef{u"no-worker"_s, {}}, u"progress"_s, {}, this,
                                [&r](const Result<QJsonValue> &x) { r = x; }, call);
        QVERIFY(waitFor(r, 15000));
        QVERIFY(!r->ok());
        QVERIFY2(r->error().code == ErrorCode::DeadlineExceeded || r->error().code == ErrorCode::FailedPrecondition,
                 qPrintable(text(r->error())));
        QVERIFY(timer.elapsed() < 10000);
    }

    void longPollHistoryWithTinyDeadline()
    {
        QVERIFY(start(u"long-poll"_s, u"T"_s, u"q-long-poll"_s).ok());
        std::optional<Result<HistoryPage>> r;
        HistoryOptions h;
        h.waitNewEvent = true;
        h.closeEventOnly = true;
        CallOptions call;
        call.timeout = 300ms;
        m_client->getHistory(WorkflowRef{u"long-poll"_s, {}}, h, this, [&r](const Result<HistoryPage> &x) { r = x; }, call);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(waitFor(r, 15000));
        QVERIFY(timer.elapsed() < 5000); // not the server's 20 s hold
        // Either our deadline fires first, or the server answers just before it (as the real
        // server does): no event yet, and a token to continue with.
        if (r->ok()) {
            QVERIFY((*r)->events.isEmpty());
            QVERIFY(!(*r)->nextPageToken.isEmpty());
        } else {
            QCOMPARE(r->error().code, ErrorCode::DeadlineExceeded);
        }
    }

    void retriesUntilTheServerIsUp()
    {
        // A port where nothing listens yet; the server starts there a second after the call.
        auto later = std::make_unique<Testing::DevServerProcess>();
        auto client = clientFor(later->address());
        QVERIFY(client);
        std::optional<Result<SystemInfo>> r;
        CallOptions call;
        call.timeout = 2s;
        call.retryBudget = 25s;
        QElapsedTimer timer;
        timer.start();
        client->getSystemInfo(this, [&r](const Result<SystemInfo> &x) { r = x; }, call);
        bool started = false;
        QTimer::singleShot(1000, this, [&] { started = later->start(); });
        QVERIFY(waitFor(r, 30000));
        QVERIFY(started);
        QVERIFY2(r->ok(), qPrintable(r->ok() ? QString() : text(r->error())));
        QVERIFY(timer.elapsed() >= 1000);
    }

    void alreadyExistsCarriesRunId()
    {
        auto first = start(u"dup"_s, u"T"_s, u"q-dup"_s);
        QVERIFY(first.ok());
        auto second = start(u"dup"_s, u"T"_s, u"q-dup"_s);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code, ErrorCode::AlreadyExists);
        QCOMPARE(second.error().data.value(u"runId"_s).toString(), first->runId);
    }

    void notFoundAndInvalidArgument()
    {
        std::optional<Result<WorkflowDescription>> missing;
        m_client->describeWorkflow(WorkflowRef{u"does-not-exist"_s, {}}, this,
                                   [&missing](const Result<WorkflowDescription> &x) { missing = x; });
        QVERIFY(waitFor(missing, 15000));
        QVERIFY(!missing->ok());
        QCOMPARE(missing->error().code, ErrorCode::NotFound);

        auto invalid = start(u"no-type"_s, QString(), u"q"_s);
        QVERIFY(!invalid.ok());
        QCOMPARE(invalid.error().code, ErrorCode::InvalidArgument);
    }

    void callbackArrivesOnCallersThread()
    {
        QThread thread;
        thread.start();
        auto *context = new QObject;
        context->moveToThread(&thread);
        std::atomic<QThread *> callbackThread = nullptr;
        std::atomic<bool> ok = false;
        QMetaObject::invokeMethod(context, [&, context] {
            m_client->describeWorkflow(WorkflowRef{u"does-not-exist"_s, {}}, context,
                                       [&](const Result<WorkflowDescription> &r) {
                                           ok = !r.ok() && r.error().code == ErrorCode::NotFound;
                                           callbackThread = QThread::currentThread();
                                       });
        }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(callbackThread.load() != nullptr, 15000);
        QCOMPARE(callbackThread.load(), &thread);
        QVERIFY(ok.load());
        QMetaObject::invokeMethod(context, &QObject::deleteLater, Qt::QueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(5000));
    }
};

QTEST_GUILESS_MAIN(TestClientDevServer)
#include "tst_clientdevserver.moc"
