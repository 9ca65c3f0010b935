#include "ui/settingsdialog.h"

#include "ui/banner.h"
#include "ui/icons.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

QWidget *withBrowse(QLineEdit *field, QWidget *parent, const QString &title)
{
    auto *box = new QWidget(parent);
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *browse = new QToolButton(box);
    browse->setText(u"…"_s);
    browse->setToolTip(SettingsDialog::tr("Choose a file"));
    QObject::connect(browse, &QToolButton::clicked, field, [field, title]() {
        auto *dialog = new QFileDialog(field->window(), title, field->text());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        QObject::connect(dialog, &QFileDialog::fileSelected, field, &QLineEdit::setText);
        dialog->open();
    });
    layout->addWidget(field, 1);
    layout->addWidget(browse);
    return box;
}

} // namespace

SettingsDialog::SettingsDialog(ConsoleSettings settings, bool canEdit, QWidget *parent)
    : QDialog(parent), m_settings(std::move(settings)), m_banner(new Banner(this)), m_profile(new QComboBox(this)),
      m_name(new QLineEdit(this)), m_address(new QLineEdit(this)), m_namespace(new QLineEdit(this)),
      m_tls(new QCheckBox(tr("Use &TLS"), this)), m_ca(new QLineEdit(this)), m_cert(new QLineEdit(this)),
      m_key(new QLineEdit(this)), m_serverName(new QLineEdit(this)), m_auth(new QComboBox(this)),
      m_apiKey(new QLineEdit(this)), m_taskQueue(new QLineEdit(this)), m_webUi(new QLineEdit(this)),
      m_theme(new QComboBox(this)), m_refresh(new QSpinBox(this))
{
    setObjectName(u"settingsDialog"_s);
    setWindowTitle(tr("Settings"));
    setWindowIcon(Icons::action("settings"));

    auto *profileBar = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    profileBar->addWidget(m_profile, 1);
    profileBar->addWidget(add);
    profileBar->addWidget(remove);

    auto *connection = new QGroupBox(tr("Connection profile"), this);
    auto *form = new QFormLayout(connection);
    form->addRow(tr("&Profile:"), profileBar);
    form->addRow(tr("&Name:"), m_name);
    m_address->setPlaceholderText(u"127.0.0.1:7233"_s);
    form->addRow(tr("&Address:"), m_address);
    form->addRow(tr("Names&pace:"), m_namespace);
    form->addRow(QString(), m_tls);
    form->addRow(tr("CA certificate:"), withBrowse(m_ca, this, tr("CA certificate (PEM)")));
    form->addRow(tr("Client certificate:"), withBrowse(m_cert, this, tr("Client certificate (PEM)")));
    form->addRow(tr("Client key:"), withBrowse(m_key, this, tr("Client key (PEM)")));
    form->addRow(tr("TLS server name:"), m_serverName);
    m_auth->addItem(tr("None"), authModeName(AuthMode::None));
    m_auth->addItem(tr("API key"), authModeName(AuthMode::ApiKey));
    m_auth->addItem(tr("Session token (console login)"), authModeName(AuthMode::SessionToken));
    form->addRow(tr("A&uthentication:"), m_auth);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("unchanged — kept in the system keychain"));
    form->addRow(tr("API &key:"), m_apiKey);
    form->addRow(tr("Task &queue:"), m_taskQueue);
    m_webUi->setPlaceholderText(u"http://localhost:8233"_s);
    form->addRow(tr("&Web UI address:"), m_webUi);

    auto *view = new QGroupBox(tr("Appearance and refresh"), this);
    auto *viewForm = new QFormLayout(view);
    m_theme->addItem(tr("Follow the system"), static_cast<int>(ThemeChoice::System));
    m_theme->addItem(tr("Light"), static_cast<int>(ThemeChoice::Light));
    m_theme->addItem(tr("Dark"), static_cast<int>(ThemeChoice::Dark));
    m_theme->setCurrentIndex(m_theme->findData(static_cast<int>(m_settings.theme)));
    viewForm->addRow(tr("&Theme:"), m_theme);
    m_refresh->setRange(1, 3600);
    m_refresh->setSuffix(tr(" s"));
    m_refresh->setValue(m_settings.refreshSeconds);
    m_refresh->setToolTip(tr("The dashboard refreshes at this pace while things change and slows down while nothing does."));
    viewForm->addRow(tr("&Refresh every:"), m_refresh);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(connection);
    layout->addWidget(view);
    layout->addWidget(buttons);
    setMinimumWidth(560);

    for (const auto &p : std::as_const(m_settings.profiles))
        m_profile->addItem(p.name);
    m_profile->setCurrentText(m_settings.profile().name);
    loadProfile();

    connect(m_profile, &QComboBox::currentIndexChanged, this, [this]() {
        storeProfile();
        loadProfile();
    });
    connect(m_auth, &QComboBox::currentIndexChanged, this, [this]() {
        m_apiKey->setEnabled(authModeFromName(m_auth->currentData().toString()) == AuthMode::ApiKey);
    });
    connect(add, &QPushButton::clicked, this, &SettingsDialog::addProfile);
    connect(remove, &QPushButton::clicked, this, &SettingsDialog::removeProfile);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::validateAndAccept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    if (!canEdit) {
        // Viewers may change how the console looks, not where it connects.
        connection->setEnabled(false);
        connection->setToolTip(tr("Only administrators and operators can change connection profiles."));
    }
}

void SettingsDialog::loadProfile()
{
    const auto *p = m_settings.findProfile(m_profile->currentText());
    if (!p)
        return;
    m_shown = p->name;
    m_name->setText(p->name);
    m_address->setText(p->address);
    m_namespace->setText(p->nameSpace);
    m_tls->setChecked(p->tls);
    m_ca->setText(p->tlsCaFile);
    m_cert->setText(p->tlsCertFile);
    m_key->setText(p->tlsKeyFile);
    m_serverName->setText(p->tlsServerName);
    m_auth->setCurrentIndex(m_auth->findData(authModeName(p->authMode)));
    m_apiKey->setText(m_apiKeys.value(p->name));
    m_apiKey->setEnabled(p->authMode == AuthMode::ApiKey);
    m_taskQueue->setText(p->taskQueue);
    m_webUi->setText(p->webUiUrl);
}

void SettingsDialog::storeProfile()
{
    auto *p = m_settings.findProfile(m_shown);
    if (!p)
        return;
    const QString newName = m_name->text().trimmed();
    if (!newName.isEmpty() && newName != p->name && !m_settings.findProfile(newName)) {
        if (m_settings.currentProfile == p->name)
            m_settings.currentProfile = newName;
        if (m_apiKeys.contains(p->name))
            m_apiKeys.insert(newName, m_apiKeys.take(p->name));
        const int index = m_profile->findText(p->name);
        p->name = newName;
        const QSignalBlocker block(m_profile);
        m_profile->setItemText(index, newName);
        m_shown = newName;
    }
    p->address = m_address->text().trimmed();
    p->nameSpace = m_namespace->text().trimmed();
    p->tls = m_tls->isChecked();
    p->tlsCaFile = m_ca->text().trimmed();
    p->tlsCertFile = m_cert->text().trimmed();
    p->tlsKeyFile = m_key->text().trimmed();
    p->tlsServerName = m_serverName->text().trimmed();
    p->authMode = authModeFromName(m_auth->currentData().toString());
    p->taskQueue = m_taskQueue->text().trimmed();
    p->webUiUrl = m_webUi->text().trimmed();
    if (!m_apiKey->text().isEmpty())
        m_apiKeys.insert(p->name, m_apiKey->text());
}

void SettingsDialog::addProfile()
{
    storeProfile();
    ConnectionProfile p;
    int n = 2;
    p.name = tr("Profile %1").arg(n);
    while (m_settings.findProfile(p.name))
        p.name = tr("Profile %1").arg(++n);
    m_settings.profiles << p;
    m_profile->addItem(p.name);
    m_profile->setCurrentText(p.name);
}

void SettingsDialog::removeProfile()
{
    if (m_settings.profiles.size() <= 1) {
        m_banner->showError(tr("Keep at least one connection profile."));
        return;
    }
    const QString name = m_shown;
    m_settings.profiles.removeIf([&](const ConnectionProfile &p) { return p.name == name; });
    m_apiKeys.insert(name, QString()); // remove its key from the keychain too
    m_shown.clear();
    const QSignalBlocker block(m_profile);
    m_profile->removeItem(m_profile->findText(name));
    loadProfile();
}

void SettingsDialog::validateAndAccept()
{
    storeProfile();
    for (const auto &p : std::as_const(m_settings.profiles)) {
        const auto options = p.toConnectionOptions(u"x"_s);
        if (auto v = options.validate(); !v) {
            m_banner->showError(tr("Profile \"%1\": %2").arg(p.name, v.error().message));
            return;
        }
        if (p.taskQueue.isEmpty()) {
            m_banner->showError(tr("Profile \"%1\": enter a task queue (nebula-provision by default).").arg(p.name));
            return;
        }
        if (!p.webUiUrl.isEmpty() && !QUrl(p.webUiUrl, QUrl::StrictMode).isValid()) {
            m_banner->showError(tr("Profile \"%1\": the Web UI address is not a valid URL.").arg(p.name));
            return;
        }
    }
    m_settings.currentProfile = m_shown.isEmpty() ? m_settings.profiles.first().name : m_shown;
    m_settings.theme = static_cast<ThemeChoice>(m_theme->currentData().toInt());
    m_settings.refreshSeconds = m_refresh->value();
    accept();
}

} // namespace Nebula::Console
