#include "common/logging.h"
#include "common/version.h"
#include "core/secretstore.h"
#include "core/session.h"
#include "ui/cmdoptions.h"
#include "ui/consoleapplication.h"

#include <QApplication>
#include <QTextStream>

using namespace Qt::Literals::StringLiterals;

namespace {

// --export-session-key runs without a display: only the keychain (D-Bus) is needed.
int exportSessionKey(int argc, char *argv[], const QString &path)
{
    QCoreApplication app(argc, argv);
    Nebula::Console::KeychainSecretStore secrets(u"NebulaOps"_s);
    Nebula::Console::SessionManager sessions(&secrets);
    int code = 1;
    sessions.loadKey(&app, [&](const Nebula::Result<void> &) {
        QTextStream err(stderr);
        if (!sessions.keyIsPersistent()) {
            err << "The system keychain is not available (" << sessions.keyWarning()
                << "); a key that is not stored cannot be shared with nebula-devserver.\n";
        } else if (const auto r = sessions.exportKey(path); !r) {
            err << r.error().message << '\n';
        } else {
            err << "Wrote the session signing key to " << path << " (mode 0600).\n";
            code = 0;
        }
        app.quit();
    });
    app.exec();
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(u"nebula-console"_s);
    QCoreApplication::setOrganizationName(u"NebulaOps"_s);
    QCoreApplication::setApplicationVersion(Nebula::version());

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const auto parsed = Nebula::Console::parseCommandLine(arguments);
    if (parsed.exit) {
        QTextStream(parsed.exitCode == 0 ? stdout : stderr) << parsed.output;
        return parsed.exitCode;
    }
    Nebula::Log::Options log;
    Nebula::Log::parseLevel(parsed.options.logLevel, &log.level);
    Nebula::Log::setup(log);
    if (!parsed.options.exportKeyPath.isEmpty())
        return exportSessionKey(argc, argv, parsed.options.exportKeyPath);

    QApplication::setApplicationDisplayName(u"NebulaOps Console"_s);
    QApplication::setDesktopFileName(u"dev.nebulaops.Console"_s); // matches the installed desktop entry
    QApplication app(argc, argv);
    Nebula::Console::ConsoleApplication console(app, parsed.options);
    console.start();
    return app.exec();
}
