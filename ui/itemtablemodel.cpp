// SPDX-License-Identifier: MIT
#include "ui/itemtablemodel.h"

#include "engine/resolution.h"
#include "engine/syncsnapshot.h"
#include "ui/palettetint.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <limits>

using namespace Qt::StringLiterals;
using decksync::ItemStatus;
using decksync::Side;
using palettetint::readableMix;

namespace {

/// The hue each status tints its rows with; Unchanged rows keep the palette's Base.
QColor statusHue(ItemStatus status)
{
    switch (status) {
    case ItemStatus::Unchanged: break;
    case ItemStatus::Added: return {0x2e, 0xa0, 0x43};
    case ItemStatus::Updated: return {0x2f, 0x6f, 0xeb};
    case ItemStatus::Merged: return {0x8a, 0x4b, 0xd6};
    case ItemStatus::Deleted: return {0xd0, 0x3a, 0x3a};
    case ItemStatus::Conflict: return {0xf0, 0x8c, 0x00};
    }
    return {};
}

constexpr ItemStatus AllStatuses[] = {ItemStatus::Unchanged, ItemStatus::Added,   ItemStatus::Updated,
                                      ItemStatus::Merged,    ItemStatus::Deleted, ItemStatus::Conflict};
constexpr std::size_t NumStatuses = std::size(AllStatuses);
static_assert(static_cast<std::size_t>(ItemStatus::Conflict) < NumStatuses);

/// Row colours derived from a palette, so that a dark palette gets dark tints with its own
/// light text: each status's hue blended into Base, the text of deleted rows and of error
/// diagnostics readable on them.
struct StatusColours {
    QColor background[NumStatuses]; ///< invalid for Unchanged: the view paints Base
    QColor deletedText;
    QColor errorText[NumStatuses];
};

const StatusColours& statusColours()
{
    return palettetint::forApplicationPalette<StatusColours>([](const QPalette& palette) {
        StatusColours colours;
        const QColor base = palette.color(QPalette::Base);
        const QColor text = palette.color(QPalette::Text);
        for (ItemStatus status : AllStatuses) {
            const auto i = static_cast<std::size_t>(status);
            const QColor hue = statusHue(status);
            colours.background[i] = hue.isValid() ? readableMix(base, hue, 0.22, text) : QColor();
            const QColor behind = hue.isValid() ? colours.background[i] : base;
            colours.errorText[i] = readableMix(text, QColor(0xd0, 0x20, 0x20), 0.85, behind);
            if (status == ItemStatus::Deleted)
                colours.deletedText = readableMix(text, behind, 0.45, behind);
        }
        return colours;
    });
}

QString formatTime(const decksync::Timestamp& t)
{
    return QDateTime::fromSecsSinceEpoch(t.seconds, Qt::UTC).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

/// seconds * 1e9 + nanos, saturated to qint64 (past the year 2262 the order is approximate).
qint64 timeKey(const std::optional<decksync::Timestamp>& t)
{
    constexpr qint64 Min = std::numeric_limits<qint64>::min();
    constexpr qint64 Max = std::numeric_limits<qint64>::max();
    if (!t)
        return Min;
    constexpr qint64 Limit = Max / 1'000'000'000 - 1;
    if (t->seconds > Limit)
        return Max;
    if (t->seconds < -Limit)
        return Min + 1;
    return t->seconds * 1'000'000'000 + static_cast<qint64>(t->nanos);
}

} // namespace

ItemTableModel::ItemTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

ItemTableModel::~ItemTableModel() = default;

void ItemTableModel::setSnapshot(std::shared_ptr<const decksync::SyncSnapshot> snapshot, decksync::DataType type)
{
    beginResetModel();
    m_snapshot = std::move(snapshot);
    m_type = type;
    m_view = m_snapshot ? &m_snapshot->view(type) : nullptr;
    m_timestampName = m_view ? QString::fromUtf8(m_view->timestampName()) : QString();
    endResetModel();
}

void ItemTableModel::setResolutions(const decksync::ResolutionSet* resolutions)
{
    if (m_resolutions == resolutions)
        return;
    m_resolutions = resolutions;
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, NUM_COLUMNS - 1));
}

void ItemTableModel::resolutionChanged(const decksync::Uuid& id)
{
    for (const int row : rowsOf(id))
        emit dataChanged(index(row, 0), index(row, NUM_COLUMNS - 1));
}

int ItemTableModel::rowOf(const decksync::Uuid& id) const
{
    return m_view ? static_cast<int>(m_view->rowOf(id)) : -1;
}

std::vector<int> ItemTableModel::rowsOf(const decksync::Uuid& id) const
{
    std::vector<int> out;
    if (m_view) {
        for (const std::size_t row : m_view->rowsOf(id))
            out.push_back(static_cast<int>(row));
    }
    return out;
}

int ItemTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_view ? 0 : static_cast<int>(m_view->rows().size());
}

int ItemTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : NUM_COLUMNS; }

QString ItemTableModel::resolutionText(int row) const
{
    if (!m_resolutions)
        return {};
    const decksync::Uuid& id = m_view->rows()[static_cast<std::size_t>(row)].id;
    const decksync::ItemResolution* res = m_resolutions->find(m_type, id);
    const bool noted = !m_resolutions->notes().empty() && m_resolutions->note(m_type, id);
    if (!res)
        return noted ? tr("note") : QString();
    QString text = QString::fromUtf8(decksync::baseName(res->base));
    const std::size_t n = res->fields.size();
    if (n > 0)
        text += u" + "_s + QString::number(n) + (n == 1 ? u" field"_s : u" fields"_s);
    if (res->keepDeviceCopy)
        text += tr(" + device copy");
    if (noted)
        text += tr(" + note");
    return text;
}

QString ItemTableModel::diagnosticsToolTip(int row) const
{
    QString text;
    for (const decksync::Diagnostic* d : m_view->diagnosticsOf(static_cast<std::size_t>(row))) {
        if (!text.isEmpty())
            text += u'\n';
        text += QString::fromUtf8(decksync::severityName(d->severity)) + u": "_s + QString::fromStdString(d->message)
            + u" ["_s + QString::fromStdString(d->code) + u']';
    }
    return text;
}

QString ItemTableModel::goesBackText(const decksync::TypeView& view, std::size_t row)
{
    const decksync::ItemRow& r = view.rows()[row];
    const qint64 after = view.resultVersion(row).value_or(0);
    QStringList lines;
    for (const Side side : {Side::Local, Side::Server}) {
        if (!r.goesBack(side))
            continue;
        const qint64 before = view.version(row, side).value_or(0);
        lines << (side == Side::Local
                      ? tr("The device holds version %1; after this sync it holds version %2: its copy goes back.")
                      : tr("The server holds version %1; after this sync it holds version %2: its copy goes back."))
                     .arg(before)
                     .arg(after);
    }
    return lines.join(u'\n');
}

QVariant ItemTableModel::display(int row, int column) const
{
    const decksync::ItemRow& r = m_view->rows()[static_cast<std::size_t>(row)];
    const auto i = static_cast<std::size_t>(row);
    switch (column) {
    case StatusColumn: {
        QString text = QString::fromUtf8(decksync::itemStatusName(r.status));
        if (r.localGoesBack)
            text += tr(", device goes back");
        if (r.serverGoesBack)
            text += tr(", server goes back");
        return text;
    }
    case LabelColumn: return QString::fromStdString(m_view->label(i));
    case IdColumn: return QString::fromStdString(r.id.toString());
    case LocalTimeColumn:
    case ServerTimeColumn: {
        const auto t = m_view->timestamp(i, column == LocalTimeColumn ? Side::Local : Side::Server);
        return t ? formatTime(*t) : QString();
    }
    case LocalVersionColumn:
    case ServerVersionColumn: {
        const auto v = m_view->version(i, column == LocalVersionColumn ? Side::Local : Side::Server);
        return v ? QString::number(*v) : QString();
    }
    case DiagnosticsColumn: return r.diagnostics ? QString::number(r.diagnostics) : QString();
    case ResolutionColumn: return resolutionText(row);
    default: return {};
    }
}

QVariant ItemTableModel::sortKey(int row, int column) const
{
    const decksync::ItemRow& r = m_view->rows()[static_cast<std::size_t>(row)];
    const auto i = static_cast<std::size_t>(row);
    switch (column) {
    case StatusColumn: return static_cast<qint64>(r.status);
    case LocalTimeColumn: return timeKey(m_view->timestamp(i, Side::Local));
    case ServerTimeColumn: return timeKey(m_view->timestamp(i, Side::Server));
    case LocalVersionColumn:
    case ServerVersionColumn: {
        const auto v = m_view->version(i, column == LocalVersionColumn ? Side::Local : Side::Server);
        return static_cast<qint64>(v ? *v : std::numeric_limits<qint64>::min());
    }
    case DiagnosticsColumn: return static_cast<qint64>(r.diagnostics);
    default: return display(row, column);
    }
}

QVariant ItemTableModel::data(const QModelIndex& index, int role) const
{
    if (!m_view || !index.isValid() || index.model() != this || index.row() >= rowCount() || index.column() >= NUM_COLUMNS)
        return {};
    const int row = index.row();
    const int column = index.column();
    const decksync::ItemRow& r = m_view->rows()[static_cast<std::size_t>(row)];
    switch (role) {
    case Qt::DisplayRole: return display(row, column);
    case Qt::ToolTipRole:
        if (column == DiagnosticsColumn && r.diagnostics > 0)
            return diagnosticsToolTip(row);
        if ((column == StatusColumn || column == LabelColumn) && r.anySideGoesBack())
            return goesBackText(*m_view, static_cast<std::size_t>(row));
        if (column == StatusColumn || column == LabelColumn) {
            if (const decksync::Decision* d = m_view->decisionOf(static_cast<std::size_t>(row)))
                return QString::fromStdString(d->explanation);
            if (r.status == ItemStatus::Deleted && r.merged < 0 && r.server < 0)
                return u"gone from the server and unchanged on the device: the sync drops it"_s;
        }
        if (column == ResolutionColumn && m_resolutions) {
            const std::string* note = m_resolutions->note(m_type, r.id);
            return note ? tr("Note: %1").arg(QString::fromStdString(*note)) : QString();
        }
        if (column == LocalTimeColumn || column == ServerTimeColumn) {
            const auto t = m_view->timestamp(static_cast<std::size_t>(row),
                                             column == LocalTimeColumn ? Side::Local : Side::Server);
            return t ? QString::fromStdString(t->toString()) : QString();
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == LocalVersionColumn || column == ServerVersionColumn || column == DiagnosticsColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case Qt::BackgroundRole: {
        const QColor& c = statusColours().background[static_cast<std::size_t>(r.status)];
        return c.isValid() ? QVariant(QBrush(c)) : QVariant();
    }
    case Qt::ForegroundRole:
        if (column == DiagnosticsColumn && r.diagnostics > 0 && r.worst == decksync::Severity::Error)
            return QBrush(statusColours().errorText[static_cast<std::size_t>(r.status)]);
        if (r.status == ItemStatus::Deleted)
            return QBrush(statusColours().deletedText);
        return {}; // the palette's Text, readable on its own Base and on the tints
    case StatusRole: return static_cast<int>(r.status);
    case RowRole: return row;
    case IdRole: return QString::fromStdString(r.id.toString());
    case DiagnosticsRole: return static_cast<uint>(r.diagnostics);
    case SeverityRole: return r.diagnostics > 0 ? static_cast<int>(r.worst) : -1;
    case GoesBackRole: return r.anySideGoesBack();
    case ResolvedRole: return m_resolutions && m_resolutions->find(m_type, r.id) != nullptr;
    case SortRole: return sortKey(row, column);
    default: return {};
    }
}

QVariant ItemTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section >= 0 && section < NUM_COLUMNS) {
        switch (section) {
        case StatusColumn: return tr("What the sync does to the item: unchanged, added, updated, deleted, merged, or "
                                     "a conflict (changed on both sides)");
        case LocalTimeColumn: return tr("When the device last changed the item");
        case ServerTimeColumn: return tr("When the server's copy last changed");
        case LocalVersionColumn: return tr("The version number of the device's copy");
        case ServerVersionColumn: return tr("The version number of the server's copy");
        case DiagnosticsColumn: return tr("How many warnings and notes concern the item (F8 goes to the next warning)");
        case ResolutionColumn: return tr("What was chosen by hand, if anything");
        default: return {};
        }
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= NUM_COLUMNS)
        return QAbstractTableModel::headerData(section, orientation, role);
    const QString stamp = m_timestampName.isEmpty() ? u"time"_s : m_timestampName;
    switch (section) {
    case StatusColumn: return u"Status"_s;
    case LabelColumn: return u"Item"_s;
    case IdColumn: return u"Id"_s;
    case LocalTimeColumn: return QString(u"Local "_s + stamp);
    case ServerTimeColumn: return QString(u"Server "_s + stamp);
    case LocalVersionColumn: return u"Local version"_s;
    case ServerVersionColumn: return u"Server version"_s;
    case DiagnosticsColumn: return u"Diagnostics"_s;
    case ResolutionColumn: return u"Resolution"_s;
    default: return {};
    }
}

QHash<int, QByteArray> ItemTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(StatusRole, QByteArrayLiteral("status"));
    names.insert(RowRole, QByteArrayLiteral("typeRow"));
    names.insert(IdRole, QByteArrayLiteral("id"));
    names.insert(DiagnosticsRole, QByteArrayLiteral("diagnostics"));
    names.insert(SeverityRole, QByteArrayLiteral("severity"));
    names.insert(ResolvedRole, QByteArrayLiteral("resolved"));
    names.insert(GoesBackRole, QByteArrayLiteral("goesBack"));
    names.insert(SortRole, QByteArrayLiteral("sortKey"));
    return names;
}
