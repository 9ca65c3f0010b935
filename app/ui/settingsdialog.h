#pragma once

#include "core/consolesettings.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace Nebula::Console {

class Banner;

// Settings: connection profiles (address, namespace, TLS files, auth mode, API key, task queue,
// Web UI address), appearance and refresh pace. Edits a copy; the caller saves on accept.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    SettingsDialog(ConsoleSettings settings, bool canEdit, QWidget *parent = nullptr);

    ConsoleSettings settings() const { return m_settings; }
    // API keys typed in this dialog, by profile name (empty value = remove the key).
    QHash<QString, QString> changedApiKeys() const { return m_apiKeys; }

    QComboBox *profileBox() const { return m_profile; }
    QLineEdit *addressField() const { return m_address; }

private:
    void loadProfile();
    void storeProfile();
    void addProfile();
    void removeProfile();
    void validateAndAccept();

    ConsoleSettings m_settings;
    QHash<QString, QString> m_apiKeys;
    QString m_shown; // name of the profile in the form
    Banner *m_banner;
    QComboBox *m_profile;
    QLineEdit *m_name;
    QLineEdit *m_address;
    QLineEdit *m_namespace;
    QCheckBox *m_tls;
    QLineEdit *m_ca;
    QLineEdit *m_cert;
    QLineEdit *m_key;
    QLineEdit *m_serverName;
    QComboBox *m_auth;
    QLineEdit *m_apiKey;
    QLineEdit *m_taskQueue;
    QLineEdit *m_webUi;
    QComboBox *m_theme;
    QSpinBox *m_refresh;
};

} // namespace Nebula::Console
