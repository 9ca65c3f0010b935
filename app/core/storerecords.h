#pragma once

#include "core/roles.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Nebula::Console {

struct UserRecord
{
    QString name;
    QString passwordHash;
    Role role = Role::Viewer;
    QDateTime createdAt;
    QDateTime lastLoginAt;
};

// What this console knows about a resource from its own actions (spec, owner, last result).
struct ResourceRecord
{
    QString name;
    QString type;
    QString region;
    QString size;
    QString owner;
    QString ipAddress;
    QString url;
    QString sshCommand;
    QDateTime createdAt;
    QDateTime updatedAt;
};

// One workflow run seen by this console (started here or found through visibility).
struct RunRecord
{
    QString workflowId;
    QString runId;
    QString resource;
    QString workflowType;
    QString startedBy;
    QString status; // Temporal status name: "Running", "Completed", ...
    QDateTime startedAt;
    QDateTime closedAt;
    QJsonObject result;  // ProvisionResult / DestroyResult JSON once known
    QString failure;     // failure message once known
    QJsonObject memo;    // the run's memo: the spec fields (name, type, region, size, requestedBy)
};

struct AuditEntry
{
    qint64 id = 0;
    QDateTime at;
    QString actor;   // user name, or "" before login
    QString action;  // "login", "login-failed", "provision", ...
    QString target;  // resource or user the action is about
    QString outcome; // "ok", "denied", "error"
    QString detail;
};

struct ThrottleState
{
    int failures = 0;
    QDateTime lockedUntil; // invalid = not locked
};

} // namespace Nebula::Console
