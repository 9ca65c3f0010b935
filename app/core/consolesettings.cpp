#include "core/consolesettings.h"

#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

QString authModeName(AuthMode mode)
{
    switch (mode) {
    case AuthMode::None: return u"none"_s;
    case AuthMode::ApiKey: return u"api-key"_s;
    case AuthMode::SessionToken: return u"session-token"_s;
    }
    return u"none"_s;
}

AuthMode authModeFromName(const QString &name)
{
    if (name == u"api-key"_s)
        return AuthMode::ApiKey;
    if (name == u"session-token"_s)
        return AuthMode::SessionToken;
    return AuthMode::None;
}

Temporal::ConnectionOptions ConnectionProfile::toConnectionOptions(const QString &credential) const
{
    Temporal::ConnectionOptions o;
    o.address = address.trimmed();
    o.nameSpace = nameSpace.trimmed();
    o.tls = tls;
    o.tlsCaFile = tlsCaFile;
    o.tlsCertFile = tlsCertFile;
    o.tlsKeyFile = tlsKeyFile;
    o.tlsServerName = tlsServerName;
    o.clientName = u"nebula-console"_s;
    if (authMode != AuthMode::None)
        o.apiKey = credential;
    return o;
}

QString ConnectionProfile::webUiLink(const QString &workflowId, const QString &runId) const
{
    QString base = webUiUrl.trimmed();
    while (base.endsWith(u'/'))
        base.chop(1);
    const auto enc = [](const QString &s) { return QString::fromLatin1(QUrl::toPercentEncoding(s)); };
    QString link = base + u"/namespaces/"_s + enc(nameSpace) + u"/workflows/"_s + enc(workflowId);
    if (!runId.isEmpty())
        link += u'/' + enc(runId) + u"/history"_s;
    return link;
}

const ConnectionProfile &ConsoleSettings::profile() const
{
    Q_ASSERT(!profiles.isEmpty());
    for (const auto &p : profiles) {
        if (p.name == currentProfile)
            return p;
    }
    return profiles.first();
}

ConnectionProfile *ConsoleSettings::findProfile(const QString &name)
{
    for (auto &p : profiles) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

ConsoleSettings ConsoleSettings::load(QSettings &s)
{
    ConsoleSettings out;
    const int n = s.beginReadArray(u"Connection/Profiles"_s);
    QList<ConnectionProfile> profiles;
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        ConnectionProfile p;
        p.name = s.value(u"name"_s, p.name).toString();
        p.address = s.value(u"address"_s, p.address).toString();
        p.nameSpace = s.value(u"namespace"_s, p.nameSpace).toString();
        p.tls = s.value(u"tls"_s, p.tls).toBool();
        p.tlsCaFile = s.value(u"tlsCaFile"_s).toString();
        p.tlsCertFile = s.value(u"tlsCertFile"_s).toString();
        p.tlsKeyFile = s.value(u"tlsKeyFile"_s).toString();
        p.tlsServerName = s.value(u"tlsServerName"_s).toString();
        p.authMode = authModeFromName(s.value(u"authMode"_s).toString());
        p.taskQueue = s.value(u"taskQueue"_s, p.taskQueue).toString();
        p.webUiUrl = s.value(u"webUiUrl"_s, p.webUiUrl).toString();
        if (!p.name.isEmpty())
            profiles << p;
    }
    s.endArray();
    if (!profiles.isEmpty())
        out.profiles = profiles;
    out.currentProfile = s.value(u"Connection/Current"_s, out.profiles.first().name).toString();
    const auto theme = s.value(u"View/Theme"_s, u"system"_s).toString();
    out.theme = theme == u"light"_s ? ThemeChoice::Light : theme == u"dark"_s ? ThemeChoice::Dark : ThemeChoice::System;
    out.lastUser = s.value(u"Login/LastUser"_s).toString();
    out.refreshSeconds = std::clamp(s.value(u"Dashboard/RefreshSeconds"_s, out.refreshSeconds).toInt(), 1, 3600);
    out.mainGeometry = s.value(u"MainWindow/Geometry"_s).toByteArray();
    out.mainState = s.value(u"MainWindow/State"_s).toByteArray();
    out.dashboardHeader = s.value(u"MainWindow/DashboardHeader"_s).toByteArray();
    out.loginGeometry = s.value(u"Login/Geometry"_s).toByteArray();
    return out;
}

void ConsoleSettings::save(QSettings &s) const
{
    s.remove(u"Connection/Profiles"_s);
    s.beginWriteArray(u"Connection/Profiles"_s, static_cast<int>(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const auto &p = profiles[i];
        s.setArrayIndex(i);
        s.setValue(u"name"_s, p.name);
        s.setValue(u"address"_s, p.address);
        s.setValue(u"namespace"_s, p.nameSpace);
        s.setValue(u"tls"_s, p.tls);
        s.setValue(u"tlsCaFile"_s, p.tlsCaFile);
        s.setValue(u"tlsCertFile"_s, p.tlsCertFile);
        s.setValue(u"tlsKeyFile"_s, p.tlsKeyFile);
        s.setValue(u"tlsServerName"_s, p.tlsServerName);
        s.setValue(u"authMode"_s, authModeName(p.authMode));
        s.setValue(u"taskQueue"_s, p.taskQueue);
        s.setValue(u"webUiUrl"_s, p.webUiUrl);
    }
    s.endArray();
    s.setValue(u"Connection/Current"_s, currentProfile);
    s.setValue(u"View/Theme"_s, theme == ThemeChoice::Light ? u"light"_s : theme == ThemeChoice::Dark ? u"dark"_s : u"system"_s);
    s.setValue(u"Login/LastUser"_s, lastUser);
    s.setValue(u"Dashboard/RefreshSeconds"_s, refreshSeconds);
    s.setValue(u"MainWindow/Geometry"_s, mainGeometry);
    s.setValue(u"MainWindow/State"_s, mainState);
    s.setValue(u"MainWindow/DashboardHeader"_s, dashboardHeader);
    s.setValue(u"Login/Geometry"_s, loginGeometry);
    s.sync();
}

std::unique_ptr<QSettings> openSettings(const QString &path)
{
    if (!path.isEmpty())
        return std::make_unique<QSettings>(path, QSettings::IniFormat);
    return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope, u"NebulaOps"_s, u"nebula-console"_s);
}

} // namespace Nebula::Console
