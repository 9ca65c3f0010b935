#include "ui/auditdialog.h"

#include "core/localstore.h"
#include "ui/icons.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

AuditDialog::AuditDialog(LocalStore *store, QWidget *parent)
    : QDialog(parent), m_store(store), m_filter(new QLineEdit(this)), m_table(new QTableWidget(0, 6, this))
{
    setObjectName(u"auditDialog"_s);
    setWindowTitle(tr("Audit Log"));
    setWindowIcon(Icons::action("audit"));
    m_filter->setPlaceholderText(tr("Filter"));
    m_filter->setClearButtonEnabled(true);
    m_table->setHorizontalHeaderLabels({tr("Time"), tr("Actor"), tr("Action"), tr("Target"), tr("Outcome"), tr("Detail")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *reloadButton = buttons->addButton(tr("Reload"), QDialogButtonBox::ActionRole);
    reloadButton->setIcon(Icons::action("refresh"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(860, 480);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(reloadButton, &QPushButton::clicked, this, &AuditDialog::reload);
    connect(m_filter, &QLineEdit::textChanged, this, &AuditDialog::applyFilter);
    reload();
}

void AuditDialog::reload()
{
    m_store->run<QList<AuditEntry>>([](StoreDb &db) { return db.audit(Limit); }, this,
                                    [this](const Result<QList<AuditEntry>> &r) {
                                        if (!r)
                                            return;
                                        m_table->setRowCount(static_cast<int>(r->size()));
                                        for (int i = 0; i < r->size(); ++i) {
                                            const auto &e = r->at(i);
                                            const QStringList cells{
                                                QLocale().toString(e.at.toLocalTime(), u"yyyy-MM-dd HH:mm:ss"_s),
                                                e.actor, e.action, e.target, e.outcome, e.detail};
                                            for (int c = 0; c < cells.size(); ++c)
                                                m_table->setItem(i, c, new QTableWidgetItem(cells[c]));
                                        }
                                        m_table->resizeColumnsToContents();
                                        applyFilter();
                                    });
}

void AuditDialog::applyFilter()
{
    const QString f = m_filter->text().trimmed();
    for (int r = 0; r < m_table->rowCount(); ++r) {
        bool match = f.isEmpty();
        for (int c = 0; !match && c < m_table->columnCount(); ++c)
            match = m_table->item(r, c) && m_table->item(r, c)->text().contains(f, Qt::CaseInsensitive);
        m_table->setRowHidden(r, !match);
    }
}

} // namespace Nebula::Console
