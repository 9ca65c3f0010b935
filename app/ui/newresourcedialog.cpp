#include "ui/newresourcedialog.h"

#include "provisioning/catalogue.h"
#include "provisioning/contract.h"
#include "temporal/temporalclient.h"
#include "ui/banner.h"
#include "ui/icons.h"
#include "ui/theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {
namespace {

QLabel *messageLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);
    l->hide();
    return l;
}

void setMessage(QLabel *label, const QString &text, const QColor &color)
{
    label->setText(text);
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, color);
    label->setPalette(p);
    label->setVisible(!text.isEmpty());
}

} // namespace

NewResourceDialog::StartRequestShape NewResourceDialog::describeRequest(const Provisioning::ResourceSpec &spec,
                                                                        const QString &taskQueue)
{
    return {Provisioning::workflowIdFor(spec.name), Provisioning::ProvisionWorkflowType.toString(), taskQueue};
}

NewResourceDialog::NewResourceDialog(Temporal::TemporalClient *client, QString taskQueue, QString user, Lookup lookup,
                                     QWidget *parent)
    : QDialog(parent), m_client(client), m_taskQueue(std::move(taskQueue)), m_user(std::move(user)),
      m_lookup(std::move(lookup)), m_banner(new Banner(this)), m_name(new QLineEdit(this)),
      m_nameMessage(messageLabel(this)), m_type(new QComboBox(this)), m_typeDescription(new QLabel(this)),
      m_region(new QComboBox(this)), m_regionMessage(messageLabel(this)), m_size(new QComboBox(this)),
      m_sizeMessage(messageLabel(this)), m_idPreview(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)), m_createButton(nullptr)
{
    setObjectName(u"newResourceDialog"_s);
    setWindowTitle(tr("New Resource"));
    setWindowIcon(Icons::action("new"));

    m_name->setObjectName(u"resourceName"_s);
    m_name->setPlaceholderText(tr("e.g. demo-webserver"));
    m_name->setMaxLength(256); // long enough to report "too long", short enough to stay cheap
    m_name->setClearButtonEnabled(true);
    for (const auto &type : Provisioning::catalogue())
        m_type->addItem(type.displayName, type.id);
    m_typeDescription->setWordWrap(true);
    m_typeDescription->setForegroundRole(QPalette::PlaceholderText);
    m_idPreview->setForegroundRole(QPalette::PlaceholderText);
    m_idPreview->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(QString(), m_nameMessage);
    form->addRow(tr("&Type:"), m_type);
    form->addRow(QString(), m_typeDescription);
    form->addRow(tr("&Region:"), m_region);
    form->addRow(QString(), m_regionMessage);
    form->addRow(tr("&Size:"), m_size);
    form->addRow(QString(), m_sizeMessage);
    form->addRow(tr("Workflow ID:"), m_idPreview);

    m_createButton = m_buttons->addButton(tr("&Create"), QDialogButtonBox::AcceptRole);
    m_createButton->setObjectName(u"createButton"_s);
    m_createButton->setIcon(Icons::action("new"));
    m_createButton->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(480);

    connect(m_name, &QLineEdit::textChanged, this, [this]() {
        m_nameTouched = true;
        revalidate();
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, &NewResourceDialog::typeChanged);
    connect(m_region, &QComboBox::currentIndexChanged, this, &NewResourceDialog::revalidate);
    connect(m_size, &QComboBox::currentIndexChanged, this, &NewResourceDialog::revalidate);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_createButton, &QPushButton::clicked, this, &NewResourceDialog::submit);
    typeChanged();
}

Provisioning::ResourceSpec NewResourceDialog::spec() const
{
    Provisioning::ResourceSpec s;
    s.name = m_name->text();
    s.type = m_type->currentData().toString();
    s.region = m_region->currentText();
    s.size = m_size->currentText();
    s.requestedBy = m_user;
    return s;
}

void NewResourceDialog::typeChanged()
{
    const auto *type = Provisioning::findResourceType(m_type->currentData().toString());
    const QSignalBlocker b1(m_region), b2(m_size);
    m_region->clear();
    m_size->clear();
    if (type) {
        m_region->addItems(type->regions);
        m_region->setCurrentText(type->defaultRegion);
        m_size->addItems(type->sizes);
        m_size->setCurrentText(type->defaultSize);
        m_typeDescription->setText(type->description);
    }
    revalidate();
}

QString NewResourceDialog::fieldMessage(const QString &field) const
{
    if (field == u"name"_s)
        return m_nameMessage->isVisible() || !m_nameMessage->text().isEmpty() ? m_nameMessage->text() : QString();
    if (field == u"region"_s)
        return m_regionMessage->text();
    if (field == u"size"_s)
        return m_sizeMessage->text();
    return {};
}

void NewResourceDialog::revalidate()
{
    const auto s = spec();
    const auto errors = Provisioning::validate(s);
    QString nameError, regionError, sizeError, other;
    for (const auto &e : errors) {
        if (e.field == u"name"_s)
            nameError = e.message;
        else if (e.field == u"region"_s)
            regionError = e.message;
        else if (e.field == u"size"_s)
            sizeError = e.message;
        else
            other = e.message;
    }
    m_valid = errors.isEmpty();
    if (!nameError.isEmpty()) {
        // Before the first keystroke the empty name is a hint, not an error.
        setMessage(m_nameMessage, nameError, m_nameTouched ? Theme::errorColor() : palette().color(QPalette::PlaceholderText));
        m_name->setAccessibleDescription(nameError);
    } else if (const auto existing = m_lookup ? m_lookup(s.name) : std::nullopt;
               existing && existing->state != ResourceState::Destroyed) {
        setMessage(m_nameMessage,
                   isActive(existing->state)
                       ? tr("\"%1\" has a run in progress; Create will take you to it.").arg(s.name)
                       : tr("\"%1\" already exists (%2); Create provisions it again with this spec.")
                             .arg(s.name, resourceStateName(existing->state)),
                   Theme::warningColor());
    } else {
        setMessage(m_nameMessage, QString(), {});
        m_name->setAccessibleDescription({});
    }
    setMessage(m_regionMessage, regionError, Theme::errorColor());
    setMessage(m_sizeMessage, sizeError, Theme::errorColor());
    if (!other.isEmpty())
        m_banner->showError(other);
    m_idPreview->setText(nameError.isEmpty() ? Provisioning::workflowIdFor(s.name) : QStringLiteral("—"));
    m_createButton->setEnabled(m_valid && !m_busy);
}

void NewResourceDialog::submit()
{
    revalidate();
    if (!m_valid || m_busy)
        return;
    if (!m_client) {
        m_banner->showError(tr("There is no connection to Temporal; check Settings → Connection."));
        return;
    }
    const auto s = spec();
    Temporal::StartWorkflowRequest request;
    const auto shape = describeRequest(s, m_taskQueue);
    request.workflowId = shape.workflowId;
    request.workflowType = shape.workflowType;
    request.taskQueue = shape.taskQueue;
    request.args = QJsonArray{s.toJson()};
    request.memo = s.toJson(); // lets every dashboard show type, region, size and owner
    request.reusePolicy = Temporal::IdReusePolicy::AllowDuplicate;
    request.conflictPolicy = Temporal::IdConflictPolicy::Fail;
    m_busy = true;
    m_createButton->setEnabled(false);
    m_createButton->setText(tr("Starting…"));
    setCursor(Qt::BusyCursor);
    m_banner->hide();
    m_client->startWorkflow(request, this, [this, s](const Result<Temporal::StartResult> &r) {
        m_busy = false;
        unsetCursor();
        m_createButton->setText(tr("&Create"));
        if (r) {
            Q_EMIT started(s, r->runId);
            accept();
            return;
        }
        if (r.error().code == ErrorCode::AlreadyExists) {
            Q_EMIT alreadyRunning(s, r.error().data.value(u"runId"_s).toString());
            accept();
            return;
        }
        m_banner->showError(r.error().message);
        revalidate();
    });
}

} // namespace Nebula::Console
