#pragma once

#include "common/logging.h"
#include "common/result.h"

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace Nebula::DevServer {

struct Options
{
    int port = 7233;            // 0: pick a free port (printed at start)
    QString bind = QStringLiteral("127.0.0.1");
    QString db;                 // empty: <AppDataLocation>/devserver.db; ":memory:" for tests
    std::vector<std::string> namespaces{"default"};
    spdlog::level::level_enum logLevel = spdlog::level::info;
    Log::Format logFormat = Log::Format::Text;
    QString authKeys;
    QString jwtKeyFile;
    bool help = false;
    bool version = false;
};

// Parses the command line (arguments[0] is the program). Errors say which option is wrong.
Result<Options> parseOptions(const QStringList &arguments);
QString helpText();
QString defaultDatabasePath();

} // namespace Nebula::DevServer
