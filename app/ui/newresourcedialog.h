#pragma once

#include "core/resourcerow.h"
#include "provisioning/resourcespec.h"

#include <QDialog>

#include <functional>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Nebula::Temporal {
class TemporalClient;
}

namespace Nebula::Console {

class Banner;

// "New resource" (Ctrl+N): name, type, region and size from the shared catalogue, validated live
// with the shared ResourceSpec rules; Create stays disabled until the spec is valid. Create starts
// ProvisionResource with id resource/<name> and reports the run (or the already running one).
class NewResourceDialog final : public QDialog
{
    Q_OBJECT

public:
    using Lookup = std::function<std::optional<ResourceRow>(const QString &name)>;

    NewResourceDialog(Temporal::TemporalClient *client, QString taskQueue, QString user, Lookup lookup,
                      QWidget *parent = nullptr);

    Provisioning::ResourceSpec spec() const;
    bool isValid() const { return m_valid; }
    QString fieldMessage(const QString &field) const; // the inline message shown for a field

    QLineEdit *nameField() const { return m_name; }
    QComboBox *typeField() const { return m_type; }
    QComboBox *regionField() const { return m_region; }
    QComboBox *sizeField() const { return m_size; }
    QPushButton *createButton() const { return m_createButton; }

    // The request the dialog sends for `spec` (exposed for tests).
    struct StartRequestShape
    {
        QString workflowId;
        QString workflowType;
        QString taskQueue;
    };
    static StartRequestShape describeRequest(const Provisioning::ResourceSpec &spec, const QString &taskQueue);

Q_SIGNALS:
    void started(const Nebula::Provisioning::ResourceSpec &spec, const QString &runId);
    void alreadyRunning(const Nebula::Provisioning::ResourceSpec &spec, const QString &runId);

private:
    void typeChanged();
    void revalidate();
    void submit();

    Temporal::TemporalClient *m_client;
    QString m_taskQueue;
    QString m_user;
    Lookup m_lookup;
    bool m_valid = false;
    bool m_busy = false;
    bool m_nameTouched = false;
    Banner *m_banner;
    QLineEdit *m_name;
    QLabel *m_nameMessage;
    QComboBox *m_type;
    QLabel *m_typeDescription;
    QComboBox *m_region;
    QLabel *m_regionMessage;
    QComboBox *m_size;
    QLabel *m_sizeMessage;
    QLabel *m_idPreview;
    QDialogButtonBox *m_buttons;
    QPushButton *m_createButton;
};

} // namespace Nebula::Console
