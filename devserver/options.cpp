#include "options.h"

#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::DevServer {

namespace {

void addOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(
        u"nebula-devserver: a single-process Temporal-compatible server (WorkflowService gRPC) with SQLite persistence."_s);
    p.addOptions({
        {{u"h"_s, u"help"_s}, u"Show this help."_s},
        {u"version"_s, u"Show the version."_s},
        {u"port"_s, u"gRPC port (default 7233; 0 picks a free port and prints it)."_s, u"PORT"_s},
        {u"bind"_s, u"Address to listen on (default 127.0.0.1)."_s, u"ADDR"_s},
        {u"db"_s, u"SQLite database file (default %1; \":memory:\" keeps nothing)."_s.arg(defaultDatabasePath()), u"FILE"_s},
        {u"namespace"_s, u"Register an extra namespace besides \"default\" (repeatable)."_s, u"NAME"_s},
        {u"log-level"_s, u"trace|debug|info|warn|error|critical|off (default info)."_s, u"LEVEL"_s},
        {u"log-format"_s, u"text|json (default text)."_s, u"FORMAT"_s},
        {u"auth-keys"_s, u"Require \"authorization: Bearer <token>\"; FILE lists \"ROLE TOKEN\" lines."_s, u"FILE"_s},
        {u"jwt-key-file"_s, u"Also accept HS256 JWTs signed with the key in FILE (role in claim \"role\")."_s, u"FILE"_s},
    });
}

} // namespace

QString defaultDatabasePath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + u"/.local/share/nebula-devserver"_s;
    return dir + u"/devserver.db"_s;
}

QString helpText()
{
    QCommandLineParser p;
    addOptions(p);
    return p.helpText();
}

Result<Options> parseOptions(const QStringList &arguments)
{
    QCommandLineParser p;
    addOptions(p);
    if (!p.parse(arguments))
        return makeError(ErrorCode::InvalidArgument, p.errorText() + u"; see --help"_s);
    if (!p.positionalArguments().isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         u"unexpected argument \"%1\"; see --help"_s.arg(p.positionalArguments().first()));
    Options o;
    o.help = p.isSet(u"help"_s);
    o.version = p.isSet(u"version"_s);
    if (p.isSet(u"port"_s)) {
        bool ok = false;
        o.port = p.value(u"port"_s).toInt(&ok);
        if (!ok || o.port < 0 || o.port > 65535)
            return makeError(ErrorCode::InvalidArgument, u"--port must be a number from 0 to 65535"_s);
    }
    if (p.isSet(u"bind"_s))
        o.bind = p.value(u"bind"_s);
    o.db = p.isSet(u"db"_s) ? p.value(u"db"_s) : defaultDatabasePath();
    for (const QString &ns : p.values(u"namespace"_s)) {
        if (ns.isEmpty() || ns.size() > 1000)
            return makeError(ErrorCode::InvalidArgument, u"--namespace needs a name of 1 to 1000 characters"_s);
        const std::string name = ns.toStdString();
        if (std::find(o.namespaces.begin(), o.namespaces.end(), name) == o.namespaces.end())
            o.namespaces.push_back(name);
    }
    if (p.isSet(u"log-level"_s) && !Log::parseLevel(p.value(u"log-level"_s), &o.logLevel))
        return makeError(ErrorCode::InvalidArgument,
                         u"--log-level must be trace, debug, info, warn, error, critical or off"_s);
    if (p.isSet(u"log-format"_s)) {
        const QString f = p.value(u"log-format"_s);
        if (f == u"json"_s)
            o.logFormat = Log::Format::Json;
        else if (f == u"text"_s)
            o.logFormat = Log::Format::Text;
        else
            return makeError(ErrorCode::InvalidArgument, u"--log-format must be text or json"_s);
    }
    o.authKeys = p.value(u"auth-keys"_s);
    o.jwtKeyFile = p.value(u"jwt-key-file"_s);
    if (!o.jwtKeyFile.isEmpty() && o.authKeys.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         u"--jwt-key-file needs --auth-keys (it may list no static keys)"_s);
    return o;
}

} // namespace Nebula::DevServer
