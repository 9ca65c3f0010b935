#include "common/logging.h"
#include "common/unixsignals.h"
#include "workerdaemon.h"

#include <QCoreApplication>
#include <QTextStream>

#include <csignal>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"nebula-worker"_s);
    QCoreApplication::setOrganizationName(u"NebulaOps"_s);

    QString helpOrVersion;
    auto config = Nebula::Worker::WorkerConfig::fromArguments(QCoreApplication::arguments(),
                                                              QProcessEnvironment::systemEnvironment(), &helpOrVersion);
    if (!config) {
        QTextStream(stderr) << "nebula-worker: " << config.error().message << '\n';
        return 2;
    }
    if (!helpOrVersion.isEmpty()) {
        QTextStream(stdout) << helpOrVersion;
        return 0;
    }
    Nebula::Log::setup(config->log);

    if (config->checkOnly) {
        Nebula::Worker::ProvisioningActivities activities(config->activities);
        activities.detectTools();
        QTextStream(stdout) << "configuration ok; tools: " << activities.toolSummary() << '\n';
        return activities.toolsReady() ? 0 : 1;
    }

    Nebula::Worker::WorkerDaemon daemon(*config);
    if (auto ok = daemon.start(); !ok) {
        Nebula::Log::get("worker")->critical("{}", ok.error().toString().toStdString());
        return 1;
    }
    Nebula::UnixSignalWatcher signals({SIGINT, SIGTERM});
    QObject::connect(&signals, &Nebula::UnixSignalWatcher::received, &app, [&daemon](int s) {
        Nebula::Log::get("worker")->info("received signal {}; finishing running activities", s);
        daemon.stop();
        QCoreApplication::quit();
    });
    return app.exec();
}
