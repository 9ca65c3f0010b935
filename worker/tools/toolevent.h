#pragma once

#include "provisioning/progress.h"

#include <QDateTime>
#include <QString>

#include <functional>

namespace Nebula::Tools {

// One live event of a running tool, already made readable: what the worker shows in a stage's
// log pane and feeds into the `progress` query. Secrets are redacted before an event is built.
struct ToolEvent
{
    QDateTime time;   // the tool's own timestamp where it has one, else when the line was read
    QString level;    // "info", "warn" or "error"
    QString text;     // one line for an operator
    QString kind;     // the tool's event type: "apply_start", "runner_on_failed", "stderr", ...
    QString resource; // Terraform resource address or Ansible host, when the event has one
    int percent = -1; // progress of the running command (0-100), -1 when unknown

    Provisioning::ToolEvent toProgressEvent() const;
};

// Receives events on the thread that runs the tool (see ToolProcess::run). Must not block long.
using ToolEventHandler = std::function<void(const ToolEvent &)>;

// Collapses whitespace runs (including newlines) into single spaces, trims, and cuts the text to
// at most maxLength characters with an ellipsis: tool messages often span several lines.
QString oneLine(QStringView text, qsizetype maxLength = 500);

} // namespace Nebula::Tools
