#pragma once

#include "core/storedb.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

namespace Nebula::Console {

// The local store off the UI thread: a StoreDb that lives on its own thread and runs jobs there one
// at a time, in order. Each job's result arrives on the thread of `context` (only while it is
// alive), so widgets never wait on disk, SQLite locks or password hashing.
class LocalStore final : public QObject
{
    Q_OBJECT

public:
    explicit LocalStore(QObject *parent = nullptr);
    ~LocalStore() override; // finishes the queued jobs, then stops the thread

    // Opens the store; the report says whether the file was migrated or moved aside.
    void open(const QString &path, QObject *context,
              std::function<void(const Result<StoreDb::OpenReport> &)> callback);

    template <typename T>
    void run(std::function<Result<T>(StoreDb &)> job, QObject *context,
             std::function<void(const Result<T> &)> callback)
    {
        post([job = std::move(job), ctx = QPointer<QObject>(context), cb = std::move(callback),
              self = QPointer<LocalStore>(this)](StoreDb &db) mutable {
            auto result = std::make_shared<Result<T>>(job(db));
            if (!self)
                return;
            // Hop to the store's own (UI) thread first: the context can only be checked there.
            QMetaObject::invokeMethod(self, [ctx, cb = std::move(cb), result]() {
                if (ctx && cb)
                    cb(*result);
            }, Qt::QueuedConnection);
        });
    }

    // Fire-and-forget write (audit entries): failures are logged.
    void write(std::function<Result<void>(StoreDb &)> job);

private:
    void post(std::function<void(StoreDb &)> task);

    class Worker;
    QThread m_thread;
    Worker *m_worker = nullptr;
};

} // namespace Nebula::Console
