// nebula-devserver: see docs/devserver.md.
#include "engine.h"
#include "options.h"
#include "server.h"

#include "common/logging.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <pthread.h>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    // Block SIGINT/SIGTERM in every thread (gRPC's included); main waits for them with sigwait.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"NebulaOps"_s);
    QCoreApplication::setApplicationName(u"nebula-devserver"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(NEBULA_VERSION_STRING));

    auto options = Nebula::DevServer::parseOptions(QCoreApplication::arguments());
    if (!options) {
        std::fprintf(stderr, "nebula-devserver: %s\n", qPrintable(options.error().message));
        return 2;
    }
    if (options->help) {
        std::fputs(qPrintable(Nebula::DevServer::helpText()), stdout);
        return 0;
    }
    if (options->version) {
        std::printf("nebula-devserver %s\n", NEBULA_VERSION_STRING);
        return 0;
    }
    Nebula::Log::Options logOptions;
    logOptions.level = options->logLevel;
    logOptions.format = options->logFormat;
    Nebula::Log::setup(logOptions);
    auto log = Nebula::Log::get("devserver");

    auto server = Nebula::DevServer::DevServer::start(*options);
    if (!server) {
        log->error("{} ({})", server.error().message.toStdString(), server.error().detail.toStdString());
        std::fprintf(stderr, "nebula-devserver: %s\n", qPrintable(server.error().message));
        return 1;
    }
    log->info("database {}; namespaces: {}", options->db.toStdString(), options->namespaces.size());
    std::printf("nebula-devserver listening on %s\n", qPrintable((*server)->address()));
    std::fflush(stdout);

    int received = 0;
    sigwait(&signals, &received);
    log->info("signal {} received, shutting down", received);
    (*server)->shutdown();
    log->info("stopped");
    return 0;
}
