// SPDX-License-Identifier: MIT
#include "ui/profilecompareview.h"

#include "app/services/inspectorsession.h"
#include "ui/profilecomparemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace decksync;
using namespace Qt::StringLiterals;

ProfileCompareView::ProfileCompareView(InspectorSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new ProfileCompareModel(this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_takeSeed(new QPushButton(tr("Use seed's result"), this))
    , m_takeSafe(new QPushButton(tr("Use safe's result"), this))
    , m_takeSeedAll(new QPushButton(tr("Seed's result for all"), this))
    , m_takeSafeAll(new QPushButton(tr("Safe's result for all"), this))
{
    setObjectName(u"profileCompareView"_s);
    m_summary->setObjectName(u"compareSummary"_s);
    m_summary->setWordWrap(true);
    m_table->setObjectName(u"compareTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_takeSeed->setObjectName(u"takeSeed"_s);
    m_takeSafe->setObjectName(u"takeSafe"_s);
    m_takeSeedAll->setObjectName(u"takeSeedAll"_s);
    m_takeSafeAll->setObjectName(u"takeSafeAll"_s);
    m_takeSeed->setToolTip(tr("The selected items take what the seed profile's run gives them (undoable)"));
    m_takeSafe->setToolTip(tr("The selected items take what the safe profile's run gives them (undoable)"));
    connect(m_takeSeed, &QPushButton::clicked, this, [this] { take(true, false); });
    connect(m_takeSafe, &QPushButton::clicked, this, [this] { take(false, false); });
    connect(m_takeSeedAll, &QPushButton::clicked, this, [this] { take(true, true); });
    connect(m_takeSafeAll, &QPushButton::clicked, this, [this] { take(false, true); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ProfileCompareView::updateButtons);
    connect(m_session, &InspectorSession::snapshotChanged, this, &ProfileCompareView::refresh);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_takeSeed);
    buttons->addWidget(m_takeSafe);
    buttons->addStretch();
    buttons->addWidget(m_takeSeedAll);
    buttons->addWidget(m_takeSafeAll);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    updateButtons();
}

void ProfileCompareView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void ProfileCompareView::refresh()
{
    // What was listed belongs to the sync before: it goes at once, and nothing can be taken
    // from it.
    m_model->setComparison(nullptr);
    m_compared.reset();
    updateButtons();
    m_stale = !isVisible();
    if (m_stale)
        return; // computed when shown: it runs the engine twice
    m_summary->setText(tr("Comparing…"));
    m_session->compareProfiles(this, [this](std::shared_ptr<const ProfileComparison> c,
                                            std::shared_ptr<const SyncSnapshot> compared) {
        m_compared = std::move(compared);
        m_model->setComparison(c);
        m_table->resizeColumnsToContents();
        if (!c) {
            m_summary->clear();
        } else {
            QString text = c->differences.empty()
                ? tr("The seed and safe profiles give the same result.")
                : tr("%n item(s) differ between the seed and safe profiles.", nullptr,
                     static_cast<int>(c->differences.size()));
            text += u" "_s + (c->hasBase ? tr("Safe merged against the base.") : tr("No base: safe decided per item by the last sync."));
            if (c->seedTimeSpent != c->safeTimeSpent)
                text += u" "_s + tr("Study time: the seed counts %1 s, safe %2 s.").arg(c->seedTimeSpent).arg(c->safeTimeSpent);
            m_summary->setText(text);
        }
        updateButtons();
    });
}

void ProfileCompareView::take(bool seed, bool all)
{
    const auto& c = m_model->comparison();
    if (!c)
        return;
    std::vector<const ProfileDifference*> chosen;
    if (all) {
        for (const ProfileDifference& d : c->differences)
            chosen.push_back(&d);
    } else {
        for (const QModelIndex& i : m_table->selectionModel()->selectedRows())
            chosen.push_back(m_model->difference(i.row()));
    }
    const int refused = m_session->takeProfileResults(m_compared, *c, chosen, seed ? Profile::Seed : Profile::Safe);
    if (refused < 0) {
        refresh(); // the sync changed since it was compared
        return;
    }
    if (refused > 0)
        m_summary->setText(tr("%n item(s) could not take that result: both sides hold them and the result drops them.",
                              nullptr, refused));
}

void ProfileCompareView::updateButtons()
{
    const bool any = m_model->rowCount() > 0;
    const bool selected = m_table->selectionModel()->hasSelection();
    m_takeSeed->setEnabled(selected);
    m_takeSafe->setEnabled(selected);
    m_takeSeedAll->setEnabled(any);
    m_takeSafeAll->setEnabled(any);
}
