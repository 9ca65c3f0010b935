#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Nebula::Provisioning {

// What an operator asks for. The input of the ProvisionResource workflow.
struct ResourceSpec
{
    QString name;        // lowercase RFC 1123 label, at most 63 characters
    QString type;        // a catalogue id
    QString region;      // valid for the type
    QString size;        // one of the type's sizes
    QString requestedBy; // who asked (console user name or worker identity)

    QJsonObject toJson() const;
    // Reads the JSON shape (unknown keys are ignored; missing keys stay empty). Use validate() next.
    static Result<ResourceSpec> fromJson(const QJsonValue &json);

    bool operator==(const ResourceSpec &) const = default;
};

// One problem with one field, with a message that says what to fix.
struct FieldError
{
    QString field; // "name", "type", "region", "size", "requestedBy"
    QString message;
};

constexpr int MaxNameLength = 63;
constexpr int MaxRequestedByLength = 128;

// Every violation, in field order; empty when the spec is valid.
QList<FieldError> validate(const ResourceSpec &spec);
// Just the name rules (for live validation of one field).
QString validateName(const QString &name);

// validate() as a Result: ErrorCode::Validation with all messages joined.
Result<ResourceSpec> validated(const ResourceSpec &spec);

} // namespace Nebula::Provisioning
