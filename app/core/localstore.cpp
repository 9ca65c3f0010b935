#include "core/localstore.h"

#include "common/logging.h"

namespace Nebula::Console {

class LocalStore::Worker final : public QObject
{
public:
    StoreDb db;
};

LocalStore::LocalStore(QObject *parent) : QObject(parent), m_worker(new Worker)
{
    m_thread.setObjectName(QStringLiteral("nebula-store"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

LocalStore::~LocalStore()
{
    // Queued jobs run before the quit event; the worker (and its database) dies on its thread.
    QMetaObject::invokeMethod(m_worker, [this]() { m_thread.quit(); }, Qt::QueuedConnection);
    m_thread.wait();
}

void LocalStore::post(std::function<void(StoreDb &)> task)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, task = std::move(task)]() { task(worker->db); },
                              Qt::QueuedConnection);
}

void LocalStore::open(const QString &path, QObject *context,
                      std::function<void(const Result<StoreDb::OpenReport> &)> callback)
{
    run<StoreDb::OpenReport>([path](StoreDb &db) { return db.open(path); }, context, std::move(callback));
}

void LocalStore::write(std::function<Result<void>(StoreDb &)> job)
{
    post([job = std::move(job)](StoreDb &db) {
        if (!db.isOpen())
            return;
        if (auto r = job(db); !r)
            Log::get("console.store")->warn("store write failed: {}", r.error().toString().toStdString());
    });
}

} // namespace Nebula::Console
