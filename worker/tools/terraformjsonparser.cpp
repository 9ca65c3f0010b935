#include "terraformjsonparser.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools {
namespace {

using Type = TerraformEvent::Type;

Type typeFromName(const QString &name)
{
    static const QHash<QString, Type> types = {
        {u"version"_s, Type::Version},
        {u"log"_s, Type::Log},
        {u"init_output"_s, Type::InitOutput},
        {u"diagnostic"_s, Type::Diagnostic},
        {u"planned_change"_s, Type::PlannedChange},
        {u"resource_drift"_s, Type::ResourceDrift},
        {u"change_summary"_s, Type::ChangeSummary},
        {u"outputs"_s, Type::Outputs},
        {u"apply_start"_s, Type::ApplyStart},
        {u"apply_progress"_s, Type::ApplyProgress},
        {u"apply_complete"_s, Type::ApplyComplete},
        {u"apply_errored"_s, Type::ApplyErrored},
        {u"provision_start"_s, Type::ProvisionStart},
        {u"provision_progress"_s, Type::ProvisionProgress},
        {u"provision_complete"_s, Type::ProvisionComplete},
        {u"provision_errored"_s, Type::ProvisionErrored},
        {u"refresh_start"_s, Type::RefreshStart},
        {u"refresh_complete"_s, Type::RefreshComplete},
    };
    return types.value(name, Type::Other);
}

QString normalizedLevel(const QString &level)
{
    if (level == u"error"_s)
        return u"error"_s;
    if (level == u"warn"_s || level == u"warning"_s)
        return u"warn"_s;
    return u"info"_s;
}

int operationsFor(const QString &action)
{
    if (action == u"replace"_s)
        return 2;
    if (action == u"create"_s || action == u"update"_s || action == u"delete"_s)
        return 1;
    return 0;
}

TerraformDiagnostic readDiagnostic(const QJsonObject &d)
{
    TerraformDiagnostic diag;
    diag.severity = d.value(u"severity"_s).toString();
    diag.summary = d.value(u"summary"_s).toString();
    diag.detail = d.value(u"detail"_s).toString();
    diag.address = d.value(u"address"_s).toString();
    const QJsonObject range = d.value(u"range"_s).toObject();
    if (!range.isEmpty()) {
        diag.location = range.value(u"filename"_s).toString() + u':'
                        + QString::number(range.value(u"start"_s).toObject().value(u"line"_s)
                                              .toInt());
    }
    return diag;
}

TerraformChangeSummary readChanges(const QJsonObject &c)
{
    TerraformChangeSummary s;
    s.add = c.value(u"add"_s).toInt();
    s.change = c.value(u"change"_s).toInt();
    s.remove = c.value(u"remove"_s).toInt();
    s.import = c.value(u"import"_s).toInt();
    s.operation = c.value(u"operation"_s).toString();
    return s;
}

} // namespace

QString TerraformDiagnostic::toText() const
{
    QString text = summary;
    if (!detail.isEmpty())
        text += u": "_s + detail;
    return oneLine(text, 2000);
}

QString TerraformChangeSummary::toText() const
{
    if (operation == u"plan"_s) {
        return u"%1 to add, %2 to change, %3 to destroy"_s.arg(add).arg(change).arg(remove)
               + (import > 0 ? u", %1 to import"_s.arg(import) : QString());
    }
    return u"%1 added, %2 changed, %3 destroyed"_s.arg(add).arg(change).arg(remove)
           + (import > 0 ? u", %1 imported"_s.arg(import) : QString());
}

ToolEvent TerraformEvent::toToolEvent() const
{
    return ToolEvent{timestamp, level, text, typeName, resource, percent};
}

TerraformEvent TerraformJsonParser::parseLine(QByteArrayView line)
{
    TerraformEvent event;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        event.type = Type::PlainText;
        event.typeName = u"text"_s;
        event.level = u"info"_s;
        event.timestamp = QDateTime::currentDateTimeUtc();
        event.message = QString::fromUtf8(line);
        event.text = oneLine(event.message);
        event.percent = m_percent;
        return event;
    }
    const QJsonObject obj = doc.object();
    event.typeName = obj.value(u"type"_s).toString();
    event.type = typeFromName(event.typeName);
    event.level = normalizedLevel(obj.value(u"@level"_s).toString());
    // Fractions of a second are optional (init_output lines have whole seconds).
    event.timestamp = QDateTime::fromString(obj.value(u"@timestamp"_s).toString(), Qt::ISODateWithMs);
    if (!event.timestamp.isValid())
        event.timestamp = QDateTime::currentDateTimeUtc();
    event.message = obj.value(u"@message"_s).toString();
    event.text = oneLine(event.message);

    const QJsonObject hook = obj.value(u"hook"_s).toObject();
    const QJsonObject change = obj.value(u"change"_s).toObject();
    const QJsonObject resource =
        (hook.isEmpty() ? change : hook).value(u"resource"_s).toObject();
    event.resource = resource.value(u"addr"_s).toString();
    event.action = (hook.isEmpty() ? change : hook).value(u"action"_s).toString();
    event.provisioner = hook.value(u"provisioner"_s).toString();
    event.output = hook.value(u"output"_s).toString();
    event.idValue = hook.value(u"id_value"_s).toString();
    event.elapsedSeconds = hook.value(u"elapsed_seconds"_s).toInt(-1);

    switch (event.type) {
    case Type::Version:
        event.version = obj.value(u"terraform"_s).toString(obj.value(u"tofu"_s).toString());
        event.uiVersion = obj.value(u"ui"_s).toString();
        break;
    case Type::Diagnostic:
        event.diagnostic = readDiagnostic(obj.value(u"diagnostic"_s).toObject());
        event.level = event.diagnostic.severity == u"error"_s ? u"error"_s : u"warn"_s;
        event.text = oneLine(QString((event.diagnostic.severity == u"error"_s ? u"Error: "_s
                                                                              : u"Warning: "_s)
                                     + event.diagnostic.toText()
                                     + (event.diagnostic.address.isEmpty()
                                            ? QString()
                                            : u" ("_s + event.diagnostic.address + u')')));
        break;
    case Type::ChangeSummary:
        event.changes = readChanges(obj.value(u"changes"_s).toObject());
        break;
    case Type::Outputs:
        event.outputs = obj.value(u"outputs"_s).toObject();
        break;
    case Type::ApplyErrored:
    case Type::ProvisionErrored:
        event.level = u"error"_s;
        break;
    case Type::Other:
        if (event.message.isEmpty())
            event.text = u"(%1)"_s.arg(event.typeName);
        break;
    default:
        break;
    }
    track(event);
    return event;
}

void TerraformJsonParser::track(TerraformEvent &event)
{
    switch (event.type) {
    case Type::Version:
        m_version = event.version;
        break;
    case Type::Log:
        if (event.message.contains(u"Interrupt received"_s))
            m_interrupted = true;
        break;
    case Type::Diagnostic:
        (event.diagnostic.severity == u"error"_s ? m_errors : m_warnings)
            .append(event.diagnostic);
        break;
    case Type::PlannedChange:
        m_plannedOps += operationsFor(event.action);
        m_planned.append(event.resource + u": "_s + event.action);
        break;
    case Type::ApplyComplete:
        ++m_completed;
        break;
    case Type::ChangeSummary:
        m_summary = event.changes;
        if (m_applying && event.changes.operation == u"plan"_s) {
            m_expected = std::max(m_expected, event.changes.total());
            m_percent = 0;
        } else {
            m_percent = 100;
        }
        break;
    case Type::Outputs:
        m_outputs = event.outputs;
        break;
    default:
        break;
    }
    const int expected = std::max(m_expected, m_plannedOps);
    if (event.type == Type::ApplyComplete || event.type == Type::ApplyStart) {
        if (expected > 0)
            m_percent = std::min(99, m_completed * 100 / expected);
        else if (m_percent < 0)
            m_percent = 0;
    }
    event.percent = m_percent;
}

} // namespace Nebula::Tools
