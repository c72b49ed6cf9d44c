// SPDX-License-Identifier: MIT
#include "ui/conflictview.h"

#include "app/services/inspectorsession.h"
#include "ui/contentdiffview.h"
#include "ui/fieldrowmodel.h"
#include "ui/itemtablemodel.h"
#include "ui/resultdelegate.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolTip>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

QString timeText(const Timestamp& t, bool withDate)
{
    const QDateTime dt = QDateTime::fromSecsSinceEpoch(t.seconds, Qt::UTC);
    return dt.toString(withDate ? u"yyyy-MM-dd HH:mm"_s : u"HH:mm"_s);
}

/// "updated_at" -> "updated", "last_studied" -> "studied".
QString verbOf(const char* timestampName)
{
    QString name = QString::fromUtf8(timestampName);
    if (name.endsWith(u"_at"))
        name.chop(3);
    if (name.startsWith(u"last_"))
        name.remove(0, 5);
    return name;
}

QString severityColor(Severity s)
{
    switch (s) {
    case Severity::Error: return u"#c62828"_s;
    case Severity::Warning: return u"#b26a00"_s;
    case Severity::Info: break;
    }
    return u"#1565c0"_s;
}

} // namespace

ConflictView::ConflictView(InspectorSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_title(new QLabel(this))
    , m_decision(new QLabel(this))
    , m_diagnostics(new QLabel(this))
    , m_fields(new QTableView(this))
    , m_model(new FieldRowModel(this))
    , m_diff(new ContentDiffView(this))
    , m_keepLocal(new QPushButton(tr("Keep &local"), this))
    , m_keepServer(new QPushButton(tr("Keep ser&ver"), this))
    , m_useEngine(new QPushButton(tr("Use engine res&ult"), this))
    , m_takeLocalField(new QPushButton(tr("Field from local"), this))
    , m_takeServerField(new QPushButton(tr("Field from server"), this))
    , m_note(new QLineEdit(this))
    , m_history(new QPushButton(tr("Item h&istory…"), this))
{
    setObjectName(u"conflictView"_s);
    m_title->setObjectName(u"itemTitle"_s);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_decision->setObjectName(u"decision"_s);
    m_decision->setWordWrap(true);
    m_decision->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_diagnostics->setObjectName(u"diagnostics"_s);
    m_diagnostics->setWordWrap(true);
    m_diagnostics->setTextFormat(Qt::RichText);

    m_fields->setObjectName(u"fieldTable"_s);
    m_fields->setModel(m_model);
    auto* resultEditor = new ResultDelegate(m_model, m_fields);
    m_fields->setItemDelegateForColumn(FieldRowModel::ResultColumn, resultEditor);
    connect(resultEditor, &ResultDelegate::rejected, this,
            [this](QWidget* editor, const QString& field, const QString& reason) {
                QToolTip::showText(editor->mapToGlobal(QPoint(0, editor->height())), reason, editor);
                Q_EMIT message(tr("%1: %2 (the text is still there to correct)").arg(field, reason));
            });
    m_fields->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_fields->setSelectionMode(QAbstractItemView::SingleSelection);
    m_fields->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_fields->setWordWrap(false);
    m_fields->verticalHeader()->hide();
    m_fields->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_fields->horizontalHeader()->setStretchLastSection(true);
    m_fields->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_fields->horizontalHeader()->setTextElideMode(Qt::ElideRight); // "Local, updated 09:…" in a small window

    m_keepBoth = new QPushButton(tr("Keep &both"), this);
    m_keepBoth->setObjectName(u"keepBoth"_s);
    m_keepBoth->setToolTip(tr("Keep the server's deck, and keep the device's version as a new deck whose title "
                              "names the device copy and its time (Ctrl+4)"));
    connect(m_keepBoth, &QPushButton::clicked, this, &ConflictView::keepBoth);
    for (QPushButton* b : {m_keepLocal, m_keepServer, m_useEngine, m_keepBoth, m_takeLocalField, m_takeServerField})
        b->setEnabled(false);
    m_keepLocal->setObjectName(u"keepLocal"_s);
    m_keepServer->setObjectName(u"keepServer"_s);
    m_useEngine->setObjectName(u"useEngine"_s);
    m_keepLocal->setToolTip(tr("The resolved state takes the device's version of this item (Ctrl+1)"));
    m_keepServer->setToolTip(tr("The resolved state takes the server's version of this item (Ctrl+2)"));
    m_useEngine->setToolTip(tr("The resolved state takes what the engine decided (Ctrl+3)"));
    connect(m_keepLocal, &QPushButton::clicked, this, &ConflictView::keepLocal);
    connect(m_keepServer, &QPushButton::clicked, this, &ConflictView::keepServer);
    connect(m_useEngine, &QPushButton::clicked, this, &ConflictView::useEngine);
    m_takeLocalField->setToolTip(tr("The result takes the device's value of the selected field"));
    m_takeServerField->setToolTip(tr("The result takes the server's value of the selected field"));
    connect(m_takeLocalField, &QPushButton::clicked, this, [this] { takeField(Side::Local); });
    connect(m_takeServerField, &QPushButton::clicked, this, [this] { takeField(Side::Server); });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_keepLocal);
    buttons->addWidget(m_keepServer);
    buttons->addWidget(m_useEngine);
    buttons->addWidget(m_keepBoth);
    buttons->addStretch();
    buttons->addWidget(m_takeLocalField);
    buttons->addWidget(m_takeServerField);

    m_note->setObjectName(u"itemNote"_s);
    m_note->setPlaceholderText(tr("A note on this item for the case, e.g. the user confirmed the tablet copy is right"));
    m_note->setToolTip(tr("Kept with the session, in the history when applied, in the repro bundle and in the report"));
    m_note->setClearButtonEnabled(true);
    connect(m_note, &QLineEdit::textEdited, this, &ConflictView::commitNote);
    auto* noteLabel = new QLabel(tr("N&ote:"), this);
    noteLabel->setBuddy(m_note);
    m_history->setObjectName(u"itemHistory"_s);
    m_history->setToolTip(tr("Every applied run on this computer and, when connected, every server revision that "
                             "changed this item, with its values before and after"));
    connect(m_history, &QPushButton::clicked, this, [this] {
        if (hasItem())
            Q_EMIT itemHistoryRequested(m_type, m_id);
    });
    auto* noteRow = new QHBoxLayout;
    noteRow->addWidget(noteLabel);
    noteRow->addWidget(m_note, 1);
    noteRow->addWidget(m_history);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_fields);
    splitter->addWidget(m_diff);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    // Tight margins: in a 1024x700 window the items above need the height.
    m_diff->setMinimumHeight(48);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_title);
    layout->addWidget(m_decision);
    layout->addWidget(m_diagnostics);
    layout->addLayout(buttons);
    layout->addLayout(noteRow);
    layout->addWidget(splitter, 1);

    connect(m_model, &FieldRowModel::fieldEdited, this, [this](const QString& field, const FieldCell& cell) {
        ItemResolution r = currentResolution();
        r.setField({field.toStdString(), cell});
        m_session->resolve(m_type, m_id, std::move(r), tr("Edit %1").arg(field));
    });
    connect(m_model, &FieldRowModel::editNormalized, this,
            [this](const QString& field, const QString& typed, const QString& stored) {
                Q_EMIT message(tr("%1: \"%2\" is stored as \"%3\".").arg(field, typed, stored));
            });
    connect(m_model, &FieldRowModel::editRejected, this,
            [this](const QString& field, const QString& reason) { Q_EMIT message(tr("%1: %2").arg(field, reason)); });
    connect(m_fields->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateDiff();
        const bool field = m_fields->currentIndex().isValid();
        m_takeLocalField->setEnabled(field);
        m_takeServerField->setEnabled(field);
    });
    connect(m_session, &InspectorSession::resolutionChanged, this, [this](DataType type, const Uuid& id) {
        if (!hasItem() || type != m_type || !(id == m_id))
            return;
        const ItemResolution* now = m_session->resolutions().find(m_type, m_id);
        if ((now ? std::optional<ItemResolution>(*now) : std::nullopt) == m_shownResolution)
            showNote(); // only its note changed: the field table, its selection and the diff stay
        else
            refresh();
    });
    connect(m_session, &InspectorSession::resolutionsReset, this, &ConflictView::refresh);
    showItem(DataType::Decks, -1);
}

ConflictView::~ConflictView() = default;

ItemResolution ConflictView::currentResolution() const
{
    const ItemResolution* r = m_session->resolutions().find(m_type, m_id);
    return r ? *r : ItemResolution{};
}

void ConflictView::commitNote()
{
    if (hasItem())
        m_session->setNote(m_type, m_id, m_note->text(),
                           tr("Note on %1").arg(QString::fromStdString(
                               m_snapshot->view(m_type).label(static_cast<std::size_t>(m_row)))));
}

void ConflictView::showNote()
{
    const std::string* note = hasItem() ? m_session->resolutions().note(m_type, m_id) : nullptr;
    const QString text = note ? QString::fromStdString(*note) : QString();
    // Not while it is being typed: the set does not keep the blanks around it.
    if (QString::fromStdString(ResolutionSet::keptNote(m_note->text().toStdString())) != text)
        m_note->setText(text);
}

QString ConflictView::baseLabel() const
{
    const Dataset* base = m_snapshot->base();
    if (!base)
        return tr("Base");
    if (m_snapshot->view(m_type).rows()[static_cast<std::size_t>(m_row)].base < 0)
        return tr("Base (absent: new since)");
    return base->last_sync ? tr("Base, agreed %1").arg(timeText(*base->last_sync, true)) : tr("Base");
}

QString ConflictView::sideLabel(const char* side, Side which) const
{
    const TypeView& view = m_snapshot->view(m_type);
    const auto t = view.timestamp(static_cast<std::size_t>(m_row), which);
    if (!t)
        return tr("%1 (absent)").arg(QString::fromUtf8(side));
    const auto other = view.timestamp(static_cast<std::size_t>(m_row), otherSide(which));
    const bool withDate = !other || other->seconds / 86400 != t->seconds / 86400;
    return tr("%1, %2 %3").arg(QString::fromUtf8(side), verbOf(view.timestampName()), timeText(*t, withDate));
}

void ConflictView::showItem(DataType type, int typeRow)
{
    m_snapshot = m_session->snapshot();
    m_type = type;
    m_row = (m_snapshot && typeRow >= 0 && static_cast<std::size_t>(typeRow) < m_snapshot->view(type).rows().size())
        ? typeRow
        : -1;
    if (m_row >= 0)
        m_id = m_snapshot->view(type).rows()[static_cast<std::size_t>(m_row)].id;
    refresh();
}

void ConflictView::refresh()
{
    const bool item = hasItem();
    for (QPushButton* b : {m_keepLocal, m_keepServer, m_useEngine, m_history})
        b->setEnabled(item);
    m_note->setEnabled(item);
    showNote();
    // Keep both makes a new deck of the device's version: a deck the device and the server hold.
    const bool bothSides = item && m_type == DataType::Decks
                           && m_snapshot->view(m_type).rows()[static_cast<std::size_t>(m_row)].local >= 0
                           && m_snapshot->view(m_type).rows()[static_cast<std::size_t>(m_row)].server >= 0;
    m_keepBoth->setEnabled(bothSides);
    if (!item) {
        m_title->setText(tr("No item selected"));
        m_decision->clear();
        m_diagnostics->clear();
        m_model->clear();
        // No item, no times: the headers must not keep the last item's.
        m_model->setSideLabels(tr("Local"), tr("Server"), tr("Result"));
        m_model->setBaseLabel(tr("Base"));
        m_diff->clearDiff();
        return;
    }
    const TypeView& view = m_snapshot->view(m_type);
    const auto row = static_cast<std::size_t>(m_row);
    const ItemRow& r = view.rows()[row];
    const ItemResolution* resolution = m_session->resolutions().find(m_type, m_id);
    m_shownResolution = resolution ? std::optional<ItemResolution>(*resolution) : std::nullopt;
    m_title->setText(tr("%1 — %2 (%3)")
                         .arg(QString::fromStdString(view.label(row)), QString::fromStdString(r.id.toString()),
                              QString::fromUtf8(itemStatusName(r.status))));
    const Decision* d = view.decisionOf(row);
    QString decision = d ? tr("Engine: %1").arg(QString::fromStdString(d->explanation))
                         : tr("Engine: unchanged (the device did not change it since it last synced)");
    if (r.anySideGoesBack())
        decision += u"\n\u26a0 "_s + ItemTableModel::goesBackText(view, row);
    if (resolution)
        decision += tr("\nResolved by hand: start from %1, %n field(s) set", nullptr, static_cast<int>(resolution->fields.size()))
                        .arg(QString::fromUtf8(baseName(resolution->base)));
    if (resolution && resolution->keepDeviceCopy && r.local >= 0)
        decision += tr("; the device's version is kept as the new deck \"%1\"")
                        .arg(QString::fromStdString(deviceCopyOf(m_snapshot->local().decks[std::size_t(r.local)]).title));
    m_decision->setText(decision);
    QString diagnostics;
    for (const Diagnostic* diag : view.diagnosticsOf(row))
        diagnostics += u"<div style=\"color:%1\">&#9679; %2: %3</div>"_s.arg(
            severityColor(diag->severity), QString::fromUtf8(severityName(diag->severity)),
            QString::fromStdString(diag->message).toHtmlEscaped());
    m_diagnostics->setText(diagnostics);
    m_diagnostics->setVisible(!diagnostics.isEmpty());

    m_model->setSideLabels(sideLabel("Local", Side::Local), sideLabel("Server", Side::Server),
                           resolution ? tr("Result (resolved by hand)") : tr("Result (engine)"));
    m_model->setBaseLabel(baseLabel());
    m_model->setItem(m_snapshot, m_type, m_row, resolution);
    // Base | Local | Server | Result, the base only when the sync had one.
    const bool base = m_model->hasBase();
    m_fields->setColumnHidden(FieldRowModel::BaseColumn, !base);
    m_fields->resizeColumnToContents(FieldRowModel::FieldColumn);
    // The value columns share the width there is (the result stretches), so that all of them
    // are in view in a small window too.
    const int values = base ? 4 : 3;
    const int room = m_fields->viewport()->width() - m_fields->columnWidth(FieldRowModel::FieldColumn);
    const int width = std::clamp(room / values, 110, 260);
    for (int c = FieldRowModel::BaseColumn; c < FieldRowModel::ResultColumn; ++c)
        m_fields->setColumnWidth(c, width);
    updateDiff();
}

void ConflictView::updateDiff()
{
    m_diff->clearDiff();
    if (!hasItem())
        return;
    // The rows the field table shows: computed once per refresh, by the model.
    const std::vector<FieldRow>& rows = m_model->fieldRows();
    const QModelIndex current = m_fields->currentIndex();
    // The selected text field, else the first multi-line field whose sides differ.
    const FieldRow* pick = nullptr;
    if (current.isValid() && static_cast<std::size_t>(current.row()) < rows.size()
        && rows[static_cast<std::size_t>(current.row())].spec.kind == FieldKind::Text)
        pick = &rows[static_cast<std::size_t>(current.row())];
    for (const FieldRow& f : rows) {
        if (!pick && f.spec.kind == FieldKind::Text && f.sidesDiffer()
            && (f.local.text.find('\n') != std::string::npos || f.server.text.find('\n') != std::string::npos))
            pick = &f;
    }
    m_diff->setVisible(pick != nullptr);
    if (pick)
        m_diff->showDiff(tr("Local %1").arg(QString::fromStdString(pick->spec.name)),
                         QString::fromStdString(pick->local.text),
                         tr("Server %1").arg(QString::fromStdString(pick->spec.name)),
                         QString::fromStdString(pick->server.text));
}

void ConflictView::setBase(std::optional<Side> base, const QString& description)
{
    if (!hasItem())
        return;
    ItemResolution r;
    r.base = base;
    m_session->resolve(m_type, m_id, std::move(r), description);
}

void ConflictView::keepLocal() { setBase(Side::Local, tr("Keep local")); }
void ConflictView::keepServer() { setBase(Side::Server, tr("Keep server")); }
void ConflictView::useEngine() { setBase(std::nullopt, tr("Use engine result")); }

void ConflictView::keepBoth()
{
    if (!m_keepBoth->isEnabled())
        return;
    ItemResolution r;
    r.base = Side::Server;
    r.keepDeviceCopy = true;
    m_session->resolve(m_type, m_id, std::move(r), tr("Keep both"));
}

void ConflictView::takeField(Side side)
{
    const QModelIndex current = m_fields->currentIndex();
    if (!hasItem() || !current.isValid())
        return;
    const QString field = m_model->index(current.row(), FieldRowModel::FieldColumn).data(FieldRowModel::FieldNameRole).toString();
    ItemResolution r = currentResolution();
    r.setField({field.toStdString(), side});
    m_session->resolve(m_type, m_id, std::move(r),
                       side == Side::Local ? tr("%1 from local").arg(field) : tr("%1 from server").arg(field));
}
