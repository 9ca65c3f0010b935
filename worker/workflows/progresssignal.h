#pragma once

#include "provisioning/progress.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// How activities report live progress to their workflow: a signal carrying a batch of tool
// events. Signals are recorded in history, so whichever worker answers the `progress` query
// replays them and sees the same state as the worker that runs the tool.
namespace Nebula::Worker {

inline constexpr QStringView ProgressSignalName = u"nebula.progress";

struct ProgressBatch
{
    QString stage;
    int attempt = 0;
    QDateTime startedAt; // when this attempt of the stage started (set on the first batch)
    int percent = -1;
    QString message;     // short summary, e.g. "1 to add, 0 to change, 0 to destroy"
    QList<Provisioning::ToolEvent> events;

    QJsonObject toJson() const;
    static ProgressBatch fromJson(const QJsonObject &json);
    // Folds this batch into the run's progress: events appended (bounded), attempt, percent and
    // message updated. Batches of a stage that already finished are ignored.
    void applyTo(Provisioning::RunProgress &progress) const;
};

} // namespace Nebula::Worker
