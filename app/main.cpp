#include "common/logging.h"
#include "common/version.h"
#include "ui/cmdoptions.h"
#include "ui/consoleapplication.h"

#include <QApplication>
#include <QTextStream>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication::setApplicationName(u"nebula-console"_s);
    QApplication::setOrganizationName(u"NebulaOps"_s);
    QApplication::setApplicationDisplayName(u"NebulaOps Console"_s);
    QApplication::setApplicationVersion(Nebula::version());
    QApplication::setDesktopFileName(u"nebula-console"_s);
    QApplication app(argc, argv);

    const auto parsed = Nebula::Console::parseCommandLine(QApplication::arguments());
    if (parsed.exit) {
        QTextStream(parsed.exitCode == 0 ? stdout : stderr) << parsed.output;
        return parsed.exitCode;
    }
    Nebula::Log::Options log;
    Nebula::Log::parseLevel(parsed.options.logLevel, &log.level);
    Nebula::Log::setup(log);

    Nebula::Console::ConsoleApplication console(app, parsed.options);
    int exportCode = -1;
    QObject::connect(&console, &Nebula::Console::ConsoleApplication::exportFinished, &app, [&](int code) {
        exportCode = code;
        app.exit(code);
    });
    console.start();
    const int code = app.exec();
    return exportCode >= 0 ? exportCode : code;
}
