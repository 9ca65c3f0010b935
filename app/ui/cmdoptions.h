#pragma once

#include "ui/consoleapplication.h"

#include <QStringList>

namespace Nebula::Console {

struct ParsedOptions
{
    ConsoleOptions options;
    bool exit = false; // --help, --version or an error: exit with exitCode
    int exitCode = 0;
    QString output; // what to print (help text, version, error)
};

// --help, --version, --store PATH, --settings FILE, --profile NAME, --theme system|light|dark,
// --export-session-key FILE, --memory-keychain, --log-level LEVEL, --quit-after-paint.
ParsedOptions parseCommandLine(const QStringList &arguments);

} // namespace Nebula::Console
