// SPDX-License-Identifier: MIT
#include "ui/fieldrowmodel.h"

#include "ui/palettetint.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <cstddef>

using namespace Qt::StringLiterals;
using decksync::FieldCell;
using decksync::FieldRow;
using decksync::Side;

namespace {

/// What a cell's background says; NoTint cells keep the palette's Base.
enum Tint : unsigned char {
    NoTint,
    DiffersTint, ///< a row whose sides differ
    SourceTint,  ///< the side the result came from
    EditedTint,  ///< a result that is neither side (merged or edited)
    NumTints
};

/// Cell colours derived from the application palette, so that a dark palette gets dark tints
/// with its own light text: a hue blended into Base as far as the palette's Text stays
/// readable on it, and the "(absent)" text dimmed toward each background as far as it stays
/// readable there.
struct CellColours {
    QColor background[NumTints]; ///< invalid for NoTint: the view paints Base
    QColor absentText[NumTints];
};

const CellColours& cellColours()
{
    return palettetint::forApplicationPalette<CellColours>([](const QPalette& palette) {
        CellColours colours;
        const QColor base = palette.color(QPalette::Base);
        const QColor text = palette.color(QPalette::Text);
        const QColor amber(0xf0, 0x8c, 0x00);
        const QColor blue(0x2f, 0x6f, 0xeb);
        colours.background[DiffersTint] = palettetint::readableMix(base, amber, 0.14, text);
        colours.background[SourceTint] = palettetint::readableMix(base, amber, 0.45, text);
        colours.background[EditedTint] = palettetint::readableMix(base, blue, 0.2, text);
        for (std::size_t tint = NoTint; tint < NumTints; ++tint) {
            const QColor behind = tint == NoTint ? base : colours.background[tint];
            colours.absentText[tint] = palettetint::readableMix(text, behind, 0.45, behind);
        }
        return colours;
    });
}

QVariant brushOf(const QColor& colour) { return colour.isValid() ? QVariant(QBrush(colour)) : QVariant(); }

QString kindName(decksync::FieldKind kind)
{
    switch (kind) {
    case decksync::FieldKind::Uuid: return u"UUID"_s;
    case decksync::FieldKind::Text: return u"text"_s;
    case decksync::FieldKind::Timestamp: return u"timestamp"_s;
    case decksync::FieldKind::Integer: return u"integer"_s;
    case decksync::FieldKind::Boolean: return u"boolean"_s;
    case decksync::FieldKind::Json: break;
    }
    return u"JSON"_s;
}

} // namespace

FieldRowModel::FieldRowModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_baseLabel(u"Base"_s)
    , m_localLabel(u"Local"_s)
    , m_serverLabel(u"Server"_s)
    , m_resultLabel(u"Result"_s)
{
}

FieldRowModel::~FieldRowModel() = default;

void FieldRowModel::setItem(std::shared_ptr<const decksync::SyncSnapshot> snapshot, decksync::DataType type,
                            int typeRow, const decksync::ItemResolution* resolution)
{
    beginResetModel();
    m_rows.clear();
    m_handEdited.clear();
    m_resultExists = false;
    m_hasBase = false;
    m_snapshot = std::move(snapshot);
    m_type = type;
    m_typeRow = typeRow;
    if (m_snapshot) {
        const decksync::TypeView& view = m_snapshot->view(type);
        m_hasBase = view.hasBase();
        if (typeRow >= 0 && static_cast<std::size_t>(typeRow) < view.rows().size()) {
            m_rows = view.fieldRows(static_cast<std::size_t>(typeRow), resolution);
            for (const FieldRow& f : m_rows) {
                m_resultExists = m_resultExists || (f.spec.known && !f.result.isAbsent());
                const decksync::FieldOverride* o = resolution ? resolution->fieldOverride(f.spec.name) : nullptr;
                m_handEdited.push_back(o && o->manual());
            }
        } else {
            m_snapshot.reset();
            m_typeRow = -1;
        }
    }
    endResetModel();
}

void FieldRowModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_snapshot.reset();
    m_typeRow = -1;
    m_resultExists = false;
    m_hasBase = false;
    endResetModel();
}

void FieldRowModel::setSideLabels(const QString& local, const QString& server, const QString& result)
{
    m_localLabel = local;
    m_serverLabel = server;
    m_resultLabel = result;
    emit headerDataChanged(Qt::Horizontal, LocalColumn, ResultColumn);
}

void FieldRowModel::setBaseLabel(const QString& base)
{
    m_baseLabel = base;
    emit headerDataChanged(Qt::Horizontal, BaseColumn, BaseColumn);
}

int FieldRowModel::rowOf(const QString& field) const
{
    const std::string name = field.toStdString();
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].spec.name == name)
            return static_cast<int>(i);
    }
    return -1;
}

FieldCell FieldRowModel::cellFromText(const decksync::FieldSpec& spec, const QString& text)
{
    if (spec.nullable && text == u"null"_s)
        return FieldCell::null();
    return FieldCell::value(text.toStdString());
}

int FieldRowModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int FieldRowModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : NUM_COLUMNS; }

int FieldRowModel::resultSource(const FieldRow& f)
{
    const bool local = f.result == f.local;
    const bool server = f.result == f.server;
    if (local && server)
        return EqualsBoth;
    if (local)
        return EqualsLocalOnly;
    return server ? EqualsServerOnly : EqualsNeither;
}

QVariant FieldRowModel::cellData(const FieldRow& f, int column, int role) const
{
    const FieldCell& cell = column == BaseColumn ? f.base
        : column == LocalColumn                  ? f.local
        : column == ServerColumn                 ? f.server
                                                 : f.result;
    const int source = resultSource(f);
    const bool strong = (column == LocalColumn && source == EqualsLocalOnly)
        || (column == ServerColumn && source == EqualsServerOnly) || (column == ResultColumn && source == EqualsNeither);
    const Tint tint = column == BaseColumn ? NoTint
        : strong                           ? (column == ResultColumn ? EditedTint : SourceTint)
        : f.sidesDiffer()                  ? DiffersTint
                                           : NoTint;
    const bool changed = (column == LocalColumn && f.changedSinceBase(Side::Local))
        || (column == ServerColumn && f.changedSinceBase(Side::Server));
    const auto row = static_cast<std::size_t>(&f - m_rows.data());
    const bool typed = column == ResultColumn && row < m_handEdited.size() && m_handEdited[row];
    switch (role) {
    case ChangedSinceBaseRole: return changed;
    case HandEditedRole: return typed;
    case Qt::DisplayRole:
        // Members carried as raw JSON keep their line breaks in the file; one line reads better here.
        if (f.spec.kind == decksync::FieldKind::Json)
            return QString::fromStdString(cell.display()).simplified();
        return QString::fromStdString(cell.display());
    case Qt::ToolTipRole:
        if (changed)
            return tr("%1\n\nChanged on the %2 since the base (was: %3)")
                .arg(QString::fromStdString(cell.display()), column == LocalColumn ? tr("device") : tr("server"),
                     QString::fromStdString(f.base.display()));
        if (typed)
            return tr("%1\n\nTyped by hand").arg(QString::fromStdString(cell.display()));
        return QString::fromStdString(cell.display());
    case Qt::EditRole:
        return cell.isAbsent() ? QString() : QString::fromStdString(cell.display());
    case Qt::ForegroundRole:
        // The palette's Text is readable on every tint; only "(absent)" is dimmed.
        return cell.isAbsent() ? QVariant(QBrush(cellColours().absentText[tint])) : QVariant();
    case Qt::FontRole:
        if (cell.state == FieldCell::State::Null || changed || typed) {
            QFont font;
            font.setItalic(cell.state == FieldCell::State::Null);
            font.setBold(changed);     // changed since the base
            font.setUnderline(typed); // typed by hand
            return font;
        }
        return {};
    case Qt::BackgroundRole: return brushOf(cellColours().background[tint]);
    default: return {};
    }
}

QVariant FieldRowModel::data(const QModelIndex& index, int role) const
{
    if (!isOwnIndex(index))
        return {};
    const FieldRow& f = m_rows[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    switch (role) {
    case DiffersRole: return f.sidesDiffer();
    case ResultSourceRole: return resultSource(f);
    case FieldNameRole: return QString::fromStdString(f.spec.name);
    case KnownFieldRole: return f.spec.known;
    case FieldKindRole: return static_cast<int>(f.spec.kind);
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignTop));
    default: break;
    }
    if (column != FieldColumn)
        return cellData(f, column, role);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole: return QString::fromStdString(f.spec.name);
    case Qt::ToolTipRole:
        return QString(QString::fromStdString(f.spec.name) + u": "_s + kindName(f.spec.kind)
                       + (f.spec.nullable ? u", may be null"_s : QString())
                       + (f.spec.known ? QString() : u"; a member no model knows, carried through as is"_s));
    case Qt::FontRole:
        if (!f.spec.known) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole: return brushOf(cellColours().background[f.sidesDiffer() ? DiffersTint : NoTint]);
    default: return {};
    }
}

bool FieldRowModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !isOwnIndex(index)
        || index.column() != ResultColumn || !m_resultExists || !m_snapshot)
        return false;
    const FieldRow& f = m_rows[static_cast<std::size_t>(index.row())];
    const QString field = QString::fromStdString(f.spec.name);
    const QString typed = value.toString();
    QString why;
    QString stored;
    if (!checkEdit(index.row(), typed, &why, &stored)) {
        emit editRejected(field, why);
        return false;
    }
    const FieldCell cell = cellFromText(f.spec, typed);
    if (cell != f.result) {
        if (stored != typed.trimmed())
            emit editNormalized(field, typed, stored);
        emit fieldEdited(field, cell);
    }
    return true;
}

bool FieldRowModel::checkEdit(int row, const QString& text, QString* why, QString* stored) const
{
    if (!m_snapshot || row < 0 || row >= rowCount())
        return false;
    const FieldRow& f = m_rows[static_cast<std::size_t>(row)];
    std::string error;
    const std::optional<FieldCell> canonical =
        m_snapshot->view(m_type).canonical(f.spec.name, cellFromText(f.spec, text), &error);
    if (!canonical) {
        if (why)
            *why = QString::fromStdString(error);
        return false;
    }
    if (stored)
        *stored = QString::fromStdString(canonical->display());
    return true;
}

Qt::ItemFlags FieldRowModel::flags(const QModelIndex& index) const
{
    if (!isOwnIndex(index))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    if (index.column() == ResultColumn && m_resultExists)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant FieldRowModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= NUM_COLUMNS)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case FieldColumn: return u"Field"_s;
    case BaseColumn: return m_baseLabel;
    case LocalColumn: return m_localLabel;
    case ServerColumn: return m_serverLabel;
    case ResultColumn: return m_resultLabel;
    default: return {};
    }
}

QHash<int, QByteArray> FieldRowModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(DiffersRole, QByteArrayLiteral("differs"));
    names.insert(ResultSourceRole, QByteArrayLiteral("resultSource"));
    names.insert(FieldNameRole, QByteArrayLiteral("fieldName"));
    names.insert(KnownFieldRole, QByteArrayLiteral("knownField"));
    names.insert(FieldKindRole, QByteArrayLiteral("fieldKind"));
    names.insert(ChangedSinceBaseRole, QByteArrayLiteral("changedSinceBase"));
    names.insert(HandEditedRole, QByteArrayLiteral("handEdited"));
    return names;
}
