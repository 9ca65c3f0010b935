#pragma once

#include "common/result.h"
#include "toolevent.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace Nebula::Tools {

struct TerraformDiagnostic
{
    QString severity; // "error" or "warning"
    QString summary;
    QString detail;
    QString address;  // resource address, when the diagnostic is about one
    QString location; // "main.tf:17", when known

    // "summary: detail" on one line (what an operator reads first).
    QString toText() const;
};

struct TerraformChangeSummary
{
    int add = 0;
    int change = 0;
    int remove = 0;
    int import = 0;
    QString operation; // "plan", "apply" or "destroy"

    int total() const { return add + change + remove + import; }
    // "1 to add, 0 to change, 1 to destroy" (plan) or "1 added, 0 changed, 1 destroyed".
    QString toText() const;
};

// One line of Terraform's (or OpenTofu's) -json machine-readable UI, typed.
struct TerraformEvent
{
    enum class Type {
        Version, Log, InitOutput, Diagnostic, PlannedChange, ResourceDrift, ChangeSummary,
        Outputs, ApplyStart, ApplyProgress, ApplyComplete, ApplyErrored, ProvisionStart,
        ProvisionProgress, ProvisionComplete, ProvisionErrored, RefreshStart, RefreshComplete,
        Other,    // a type this parser does not know: shown by its @message
        PlainText // a stdout line that is not JSON
    };

    Type type = Type::Other;
    QString typeName; // the "type" field as sent
    QString level;    // "info", "warn", "error"
    QDateTime timestamp;
    QString message;  // "@message" as sent
    QString text;     // one line for an operator
    int percent = -1; // overall progress of the command after this event, -1 when unknown

    QString resource;    // resource address ("terraform_data.this")
    QString action;      // create, update, delete, replace, read, noop, ...
    QString provisioner; // "local-exec"
    QString output;      // provision_progress output line
    QString idValue;     // apply_complete / refresh id
    int elapsedSeconds = -1;
    QString version;     // Version: tool version; ui version in uiVersion
    QString uiVersion;
    TerraformDiagnostic diagnostic;
    TerraformChangeSummary changes;
    QJsonObject outputs; // Outputs: name -> {sensitive, type, value} or {sensitive, action}

    ToolEvent toToolEvent() const;
};

// Turns the NDJSON stream of one Terraform command into typed events, and keeps what the runner
// needs afterwards: error diagnostics, the change summary, outputs and a percentage. Feed it
// stdout lines only; stderr is plain text.
//
// Percent: the number of resource operations is learnt from planned_change events (which apply
// re-emits at its start; a replace counts twice, as it runs as delete + create) or from a plan's
// change_summary (setExpectedOperations(), or the plan part of apply -auto-approve); each
// apply_complete advances it; the command's own change_summary makes it 100.
class TerraformJsonParser
{
public:
    TerraformEvent parseLine(QByteArrayView line);

    void setExpectedOperations(int count) { m_expected = count; }
    // For apply and destroy: a plan's change_summary (apply -auto-approve plans first) then only
    // sets the number of expected operations; the apply's own summary completes the command.
    void setApplying(bool applying) { m_applying = applying; }

    const QList<TerraformDiagnostic> &errors() const { return m_errors; }
    const QList<TerraformDiagnostic> &warnings() const { return m_warnings; }
    const std::optional<TerraformChangeSummary> &changeSummary() const { return m_summary; }
    const QJsonObject &outputs() const { return m_outputs; } // last Outputs event
    QStringList plannedChanges() const { return m_planned; } // "addr: action"
    QString toolVersion() const { return m_version; }
    int percent() const { return m_percent; }
    bool interrupted() const { return m_interrupted; }

private:
    void track(TerraformEvent &event);

    QList<TerraformDiagnostic> m_errors;
    QList<TerraformDiagnostic> m_warnings;
    std::optional<TerraformChangeSummary> m_summary;
    QJsonObject m_outputs;
    QStringList m_planned;
    QString m_version;
    int m_expected = 0;
    int m_plannedOps = 0;
    int m_completed = 0;
    int m_percent = -1;
    bool m_interrupted = false;
    bool m_applying = false;
};

} // namespace Nebula::Tools
