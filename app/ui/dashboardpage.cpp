#include "ui/dashboardpage.h"

#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"
#include "ui/icons.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Console {

DashboardPage::DashboardPage(QWidget *parent)
    : QWidget(parent), m_model(new ResourceTableModel(this)), m_proxy(new ResourceFilterProxy(this)),
      m_filter(new QLineEdit(this)), m_count(new QLabel(this)), m_stack(new QStackedWidget(this)),
      m_table(new QTableView(this)), m_emptyTitle(new QLabel(this)), m_emptyText(new QLabel(this)),
      m_emptyButton(new QPushButton(Icons::action("new"), tr("New Resource…"), this))
{
    setObjectName(u"dashboardPage"_s);
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(u"filter"_s);
    m_filter->setPlaceholderText(tr("Filter by name, type, region, status, address or owner (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->addAction(Icons::action("search"), QLineEdit::LeadingPosition);
    m_count->setForegroundRole(QPalette::PlaceholderText);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);

    m_table->setObjectName(u"resourceTable"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ResourceTableModel::LastRun, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setObjectName(u"resourceTableHeader"_s);
    const int em = fontMetrics().horizontalAdvance(u'M');
    const int widths[] = {14 * em, 12 * em, 9 * em, 6 * em, 11 * em, 17 * em, 12 * em};
    for (int c = 0; c < 7; ++c)
        m_table->setColumnWidth(c, widths[c]);

    // Empty state
    auto *empty = new QWidget(this);
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->setContentsMargins(120, 0, 120, 0);
    emptyLayout->addStretch();
    auto *emptyIcon = new QLabel(empty);
    emptyIcon->setPixmap(Icons::app().pixmap(64, 64));
    emptyIcon->setAlignment(Qt::AlignCenter);
    QFont big = m_emptyTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_emptyTitle->setFont(big);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    m_emptyText->setForegroundRole(QPalette::PlaceholderText);
    m_emptyButton->setObjectName(u"emptyStateCreate"_s);
    emptyLayout->addWidget(emptyIcon);
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addWidget(m_emptyText);
    emptyLayout->addWidget(m_emptyButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();

    m_stack->addWidget(m_table);
    m_stack->addWidget(empty);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 4);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterText(text);
        updateEmptyState();
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const auto source = m_proxy->mapToSource(index);
        if (source.isValid())
            Q_EMIT openRequested(m_model->row(source.row()));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DashboardPage::currentChanged);
    connect(m_emptyButton, &QPushButton::clicked, this, [this]() {
        if (m_proxy->filterText().isEmpty())
            Q_EMIT createRequested();
        else
            m_filter->clear();
    });
    updateEmptyState();
}

void DashboardPage::setRows(const QList<ResourceRow> &rows)
{
    m_model->setRows(rows);
    updateEmptyState();
}

void DashboardPage::setCanCreate(bool canCreate)
{
    m_canCreate = canCreate;
    updateEmptyState();
}

void DashboardPage::setLoading(bool loading)
{
    m_loading = loading;
    updateEmptyState();
}

bool DashboardPage::showsEmptyState() const
{
    return m_stack->currentIndex() == 1;
}

void DashboardPage::updateEmptyState()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_count->setText(total == shown ? tr("%n resource(s)", nullptr, total) : tr("%1 of %2").arg(shown).arg(total));
    if (total == 0) {
        if (m_loading) {
            m_emptyTitle->setText(tr("Loading resources…"));
            m_emptyText->setText(tr("Reading the local store and asking Temporal for NebulaOps runs."));
            m_emptyButton->hide();
        } else {
            m_emptyTitle->setText(tr("No resources yet"));
            m_emptyText->setText(m_canCreate
                                     ? tr("Create your first resource with New Resource (Ctrl+N): pick a name, a type "
                                          "such as \"Local web server\", a region and a size. The console starts the "
                                          "provisioning workflow and shows every stage live. Runs started by other "
                                          "operators appear here too.")
                                     : tr("Resources created by operators appear here with their status and address. "
                                          "Your account can view them; ask an administrator for the operator role to "
                                          "create resources."));
            m_emptyButton->setText(tr("New Resource…"));
            m_emptyButton->setVisible(m_canCreate);
        }
        m_stack->setCurrentIndex(1);
    } else if (shown == 0) {
        m_emptyTitle->setText(tr("No match"));
        m_emptyText->setText(tr("No resource matches \"%1\".").arg(m_filter->text()));
        m_emptyButton->setText(tr("Clear Filter"));
        m_emptyButton->show();
        m_stack->setCurrentIndex(1);
    } else {
        m_stack->setCurrentIndex(0);
    }
}

std::optional<ResourceRow> DashboardPage::currentRow() const
{
    const auto index = m_table->selectionModel()->currentIndex();
    if (!index.isValid())
        return std::nullopt;
    const auto source = m_proxy->mapToSource(index);
    if (!source.isValid())
        return std::nullopt;
    return m_model->row(source.row());
}

std::optional<ResourceRow> DashboardPage::findRow(const QString &name) const
{
    const int row = m_model->rowOf(name);
    if (row < 0)
        return std::nullopt;
    return m_model->row(row);
}

void DashboardPage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void DashboardPage::selectResource(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0)
        return;
    const auto index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (index.isValid()) {
        m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_table->scrollTo(index);
    }
}

} // namespace Nebula::Console
