#include "logging.h"

#include <spdlog/details/registry.h>
#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <QtGlobal>

#include <chrono>
#include <mutex>
#include <vector>

namespace Nebula::Log {
namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
Options g_options;

class JsonFormatter final : public spdlog::formatter
{
public:
    void format(const spdlog::details::log_msg &msg, spdlog::memory_buf_t &dest) override
    {
        using namespace std::chrono;
        const auto ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count();
        const std::time_t secs = static_cast<std::time_t>(ms / 1000);
        std::tm tm{};
        gmtime_r(&secs, &tm);
        char ts[40];
        const auto n = std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
        std::snprintf(ts + n, sizeof ts - n, ".%03dZ", static_cast<int>(ms % 1000));
        const auto level = spdlog::level::to_string_view(msg.level);
        std::string line = R"({"ts":")";
        line += ts;
        line += R"(","level":")";
        line.append(level.data(), level.size());
        line += R"(","logger":")";
        line += jsonEscape(std::string_view(msg.logger_name.data(), msg.logger_name.size()));
        line += R"(","msg":")";
        line += jsonEscape(std::string_view(msg.payload.data(), msg.payload.size()));
        line += "\"}\n";
        dest.append(line.data(), line.data() + line.size());
    }

    std::unique_ptr<spdlog::formatter> clone() const override
    {
        return std::make_unique<JsonFormatter>();
    }
};

std::unique_ptr<spdlog::formatter> makeFormatter(Format format)
{
    if (format == Format::Json)
        return std::make_unique<JsonFormatter>();
    return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext &, const QString &text)
{
    auto logger = get("qt");
    const auto utf8 = text.toStdString();
    switch (type) {
    case QtDebugMsg: logger->debug(utf8); break;
    case QtInfoMsg: logger->info(utf8); break;
    case QtWarningMsg: logger->warn(utf8); break;
    case QtCriticalMsg: logger->error(utf8); break;
    case QtFatalMsg: logger->critical(utf8); logger->flush(); std::abort();
    }
}

} // namespace

std::string jsonEscape(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 8);
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out;
}

bool parseLevel(const QString &text, spdlog::level::level_enum *level)
{
    const auto name = text.trimmed().toLower().toStdString();
    static const std::pair<const char *, spdlog::level::level_enum> levels[] = {
        {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
        {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
        {"warning", spdlog::level::warn}, {"error", spdlog::level::err},
        {"critical", spdlog::level::critical}, {"off", spdlog::level::off}};
    for (const auto &[n, l] : levels) {
        if (name == n) {
            *level = l;
            return true;
        }
    }
    return false;
}

void setup(const Options &options)
{
    std::lock_guard lock(g_mutex);
    g_options = options;
    g_sinks.clear();
    if (options.toStderr)
        g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!options.file.isEmpty())
        g_sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file.toStdString()));
    for (auto &sink : g_sinks)
        sink->set_formatter(makeFormatter(options.format));
    spdlog::details::registry::instance().apply_all([&](const std::shared_ptr<spdlog::logger> &l) {
        l->sinks() = g_sinks;
        l->set_level(options.level);
    });
    spdlog::flush_on(spdlog::level::warn);
    qInstallMessageHandler(qtMessageHandler);
}

std::shared_ptr<spdlog::logger> get(const std::string &name)
{
    if (auto existing = spdlog::get(name))
        return existing;
    std::lock_guard lock(g_mutex);
    if (auto existing = spdlog::get(name))
        return existing;
    if (g_sinks.empty()) {
        // Not set up yet (tests, early start-up): a stderr sink with the default text format.
        auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        sink->set_formatter(makeFormatter(Format::Text));
        g_sinks.push_back(sink);
    }
    auto logger = std::make_shared<spdlog::logger>(name, g_sinks.begin(), g_sinks.end());
    logger->set_level(g_options.level);
    spdlog::register_logger(logger);
    return logger;
}

} // namespace Nebula::Log
