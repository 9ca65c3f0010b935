#pragma once

#include "temporal/connectionoptions.h"

#include <QByteArray>
#include <QList>
#include <QSettings>
#include <QString>

#include <memory>

namespace Nebula::Console {

// How the console authenticates to Temporal.
enum class AuthMode { None, ApiKey, SessionToken };
QString authModeName(AuthMode mode); // "none", "api-key", "session-token"
AuthMode authModeFromName(const QString &name);

// One Temporal cluster the console can talk to. The API key itself lives in the keychain
// (entry apiKeyEntry()), never in the settings file.
struct ConnectionProfile
{
    QString name = QStringLiteral("Local");
    QString address = QStringLiteral("127.0.0.1:7233");
    QString nameSpace = QStringLiteral("default");
    bool tls = false;
    QString tlsCaFile;
    QString tlsCertFile;
    QString tlsKeyFile;
    QString tlsServerName;
    AuthMode authMode = AuthMode::None;
    QString taskQueue = QStringLiteral("nebula-provision");
    QString webUiUrl = QStringLiteral("http://localhost:8233");

    QString apiKeyEntry() const { return QStringLiteral("api-key/") + name; }
    // `credential` is the API key or the session token, by authMode.
    Temporal::ConnectionOptions toConnectionOptions(const QString &credential = {}) const;
    // ".../namespaces/<ns>/workflows/<id>/<run>/history" with the id percent-encoded.
    QString webUiLink(const QString &workflowId, const QString &runId) const;

    bool operator==(const ConnectionProfile &) const = default;
};

enum class ThemeChoice { System, Light, Dark };

// Everything the console remembers between runs, in QSettings (the platform's standard location,
// or an explicit file with --settings). Dialogs edit a copy and save() on accept.
struct ConsoleSettings
{
    QList<ConnectionProfile> profiles{ConnectionProfile{}};
    QString currentProfile = QStringLiteral("Local");
    ThemeChoice theme = ThemeChoice::System;
    QString lastUser;
    int refreshSeconds = 5; // auto-refresh base interval; backs off up to 12x when nothing changes
    QByteArray mainGeometry;
    QByteArray mainState;
    QByteArray dashboardHeader;
    QByteArray loginGeometry;

    const ConnectionProfile &profile() const; // the current one (the first if the name is unknown)
    ConnectionProfile *findProfile(const QString &name);

    static ConsoleSettings load(QSettings &settings);
    void save(QSettings &settings) const;
};

// The settings object: `path` empty = the platform's standard location for NebulaOps/nebula-console.
std::unique_ptr<QSettings> openSettings(const QString &path);

} // namespace Nebula::Console
