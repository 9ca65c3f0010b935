#include "ui/cmdoptions.h"

#include "common/logging.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

ParsedOptions parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "NebulaOps Console: provision and watch resources through Temporal workflows."));
    const auto help = parser.addHelpOption();
    const auto version = parser.addVersionOption();
    const QCommandLineOption store(u"store"_s, QCoreApplication::translate("main", "Use the local store at <path> (default: %1).")
                                                   .arg(u"<AppData>/console.sqlite"_s),
                                   u"path"_s);
    const QCommandLineOption settings(u"settings"_s, QCoreApplication::translate("main", "Read and write settings in the INI <file> instead of the standard location."), u"file"_s);
    const QCommandLineOption profile(u"profile"_s, QCoreApplication::translate("main", "Use the connection profile <name> (created with defaults if missing)."), u"name"_s);
    const QCommandLineOption theme(u"theme"_s, QCoreApplication::translate("main", "Colour theme: system, light or dark."), u"theme"_s);
    const QCommandLineOption exportKey(u"export-session-key"_s,
                                       QCoreApplication::translate("main", "Write the session signing key (from the system keychain, created if missing) to <file> with mode 0600, for nebula-devserver's JWT verification, and exit."),
                                       u"file"_s);
    const QCommandLineOption memoryKeychain(u"memory-keychain"_s, QCoreApplication::translate("main", "Keep secrets in memory only, not in the system keychain (testing; \"Remember me\" is off)."));
    const QCommandLineOption logLevel(u"log-level"_s, QCoreApplication::translate("main", "Log level: trace, debug, info, warn, error."), u"level"_s, u"info"_s);
    const QCommandLineOption quitAfterPaint(u"quit-after-paint"_s, QCoreApplication::translate("main", "Print the time to the first painted window and quit (start-up benchmark)."));
    parser.addOptions({store, settings, profile, theme, exportKey, memoryKeychain, logLevel, quitAfterPaint});

    ParsedOptions out;
    // The parser names the program after QCoreApplication::arguments(), which may not exist yet.
    const auto helpText = [&parser]() { return parser.helpText().replace(u"<executable_name>"_s, u"nebula-console"_s); };
    if (!parser.parse(arguments)) {
        out.exit = true;
        out.exitCode = 2;
        out.output = parser.errorText() + u"\n\n"_s + helpText();
        return out;
    }
    if (parser.isSet(help)) {
        out.exit = true;
        out.output = helpText();
        return out;
    }
    if (parser.isSet(version)) {
        out.exit = true;
        out.output = QCoreApplication::applicationName() + u' ' + QCoreApplication::applicationVersion() + u'\n';
        return out;
    }
    if (!parser.positionalArguments().isEmpty()) {
        out.exit = true;
        out.exitCode = 2;
        out.output = QCoreApplication::translate("main", "Unexpected argument: %1\n").arg(parser.positionalArguments().first());
        return out;
    }
    auto &o = out.options;
    o.storePath = parser.value(store);
    o.settingsPath = parser.value(settings);
    o.profile = parser.value(profile);
    o.exportKeyPath = parser.value(exportKey);
    o.memoryKeychain = parser.isSet(memoryKeychain);
    o.quitAfterPaint = parser.isSet(quitAfterPaint);
    o.logLevel = parser.value(logLevel);
    spdlog::level::level_enum level;
    if (!Log::parseLevel(o.logLevel, &level)) {
        out.exit = true;
        out.exitCode = 2;
        out.output = QCoreApplication::translate("main", "Unknown log level \"%1\"; use trace, debug, info, warn or error.\n").arg(o.logLevel);
        return out;
    }
    if (parser.isSet(theme)) {
        const auto t = parser.value(theme);
        if (t == u"system"_s)
            o.theme = ThemeChoice::System;
        else if (t == u"light"_s)
            o.theme = ThemeChoice::Light;
        else if (t == u"dark"_s)
            o.theme = ThemeChoice::Dark;
        else {
            out.exit = true;
            out.exitCode = 2;
            out.output = QCoreApplication::translate("main", "Unknown theme \"%1\"; use system, light or dark.\n").arg(t);
            return out;
        }
    }
    return out;
}

} // namespace Nebula::Console
