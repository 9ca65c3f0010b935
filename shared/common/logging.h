#pragma once

#include <QString>

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace Nebula::Log {

enum class Format { Text, Json };

struct Options
{
    spdlog::level::level_enum level = spdlog::level::info;
    Format format = Format::Text;
    QString file;          // also log to this file (same format) when set
    bool toStderr = true;  // journald-friendly: everything goes to stderr, never stdout
};

// Sets up logging once for the process: the sinks every named logger shares, and routes Qt's own
// messages (qWarning etc.) through the "qt" logger. Safe to call again to change the options.
void setup(const Options &options);

// Parses "trace|debug|info|warn|error|critical|off"; false for anything else.
bool parseLevel(const QString &text, spdlog::level::level_enum *level);

// A named logger (e.g. "temporal.client", "worker.terraform") sharing the configured sinks.
std::shared_ptr<spdlog::logger> get(const std::string &name);

// JSON-escapes text for one-object-per-line output.
std::string jsonEscape(std::string_view text);

} // namespace Nebula::Log
