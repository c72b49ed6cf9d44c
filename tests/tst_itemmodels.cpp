// SPDX-License-Identifier: MIT
// The inspector's item models over a real snapshot of the bundled samples: the type
// navigator, the item table, its filter proxy and the field rows of one item (with edit
// validation). Every model runs under QAbstractItemModelTester.
#include "builders.h"
#include "samplesnapshot.h"
#include "testutil.h"

#include "engine/datasetcodec.h"
#include "engine/resolution.h"
#include "engine/syncsnapshot.h"
#include "ui/fieldrowmodel.h"
#include "ui/historymodel.h"
#include "ui/itemfilterproxy.h"
#include "ui/itemtablemodel.h"
#include "ui/typenavigatormodel.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

using namespace Qt::StringLiterals;
using namespace decksync;

Q_DECLARE_METATYPE(decksync::DataType)
Q_DECLARE_METATYPE(decksync::ItemStatus)

namespace {

using Tester = QAbstractItemModelTester;
constexpr auto Fatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

const char* const Spanish = "3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081";
const char* const OldHistory = "0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9";
const char* const Chemistry = "d5e6f7a8-b9c0-4d1e-8f2a-3b4c5d6e7f80";

int typeRowOf(const SyncSnapshot& s, DataType type, const char* id)
{
    const auto& rows = s.view(type).rows();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].id == testutil::uuid(id))
            return static_cast<int>(i);
    }
    return -1;
}

QStringList fieldNames(const QAbstractItemModel& m)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.index(r, FieldRowModel::FieldColumn).data().toString();
    return out;
}

/// Preferences of two different users: the engine keeps the server's and reports an error.
std::shared_ptr<const SyncSnapshot> userMismatchSnapshot()
{
    auto local = codec::decodeDataset(R"({"preferences": {"user_id": "6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",
        "theme": "dark", "language": "es", "sound_enabled": true, "updated_at": "2024-06-01T10:00:00Z",
        "version": 2}})");
    auto server = codec::decodeDataset(R"({"preferences": {"user_id": "7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "theme": "light", "language": "en", "sound_enabled": true, "updated_at": "2024-06-01T09:00:00Z",
        "version": 1}})");
    if (!local || !server)
        qFatal("cannot decode the preferences: %s", (local ? server : local).error().toString().c_str());
    SyncOptions options;
    options.now = testutil::ts("2024-06-01T12:00:00Z");
    return SyncSnapshot::create(std::move(local.value()), std::move(server.value()), options);
}

/// WCAG 2 contrast ratio of two colours, 1 to 21.
double contrastRatio(const QColor& a, const QColor& b)
{
    auto luminance = [](const QColor& c) {
        auto linear = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette makePalette(const QColor& window, const QColor& base, const QColor& text)
{
    QPalette p;
    for (QPalette::ColorRole role : {QPalette::Window, QPalette::Button})
        p.setColor(role, window);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::ButtonText, QPalette::Text})
        p.setColor(role, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    return p;
}

/// Sets the application palette for one scope.
class PaletteScope {
public:
    explicit PaletteScope(const QPalette& palette)
        : m_saved(QGuiApplication::palette())
    {
        QGuiApplication::setPalette(palette);
    }
    ~PaletteScope() { QGuiApplication::setPalette(m_saved); }
    PaletteScope(const PaletteScope&) = delete;
    PaletteScope& operator=(const PaletteScope&) = delete;

private:
    QPalette m_saved;
};

} // namespace

class TestItemModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void navigatorWithoutSnapshot();
    void navigatorCounts_data();
    void navigatorCounts();
    void navigatorConflictsFollowPalette_data();
    void navigatorConflictsFollowPalette();

    void itemTableHeaders();
    void itemTableRows_data();
    void itemTableRows();
    void itemTableRolesAndToolTips();
    void itemTableResolutions();
    void itemTableTintsFollowPalette_data();
    void itemTableTintsFollowPalette();
    void itemTableShowsASideGoingBack_data();
    void itemTableShowsASideGoingBack();
    void itemTableFindsEveryRowOfARepeatedId();

    void filterProxy_data();
    void filterProxy();
    void filterProxyFollowsResolutionChanges();
    void proxySortsByTimestamp();

    void fieldRowsOfConflictDeck();
    void fieldRowsWithResolution();
    void fieldRowsOfDeletedDeck();
    void fieldRowTintsFollowPalette_data();
    void fieldRowTintsFollowPalette();
    void fieldRowSetData_data();
    void fieldRowSetData();
    void fieldRowSideLabels();

    void largeModel();

    void historyStates_data();
    void historyStates();

private:
    std::shared_ptr<const SyncSnapshot> m_snapshot;
};

void TestItemModels::initTestCase()
{
    m_snapshot = testutil::sampleSnapshot();
    QVERIFY(m_snapshot);
}

// Issue: an item shown as "unchanged" could take the device from version 4 back to the
// server's version 2, and "Only changed" hid it. The row says so, in the table and the
// tooltip, and "Only changed" keeps it.
void TestItemModels::itemTableShowsASideGoingBack_data()
{
    QTest::addColumn<QString>("localUpdated");
    QTest::addColumn<int>("localVersion");
    QTest::addColumn<QString>("serverUpdated");
    QTest::addColumn<int>("serverVersion");
    QTest::addColumn<bool>("deviceGoesBack");
    QTest::addColumn<QString>("status");
    // last_sync is 2024-06-01T00:00:00Z.
    QTest::newRow("device unchanged at v4, server at v2: the ticket")
        << u"2024-05-01T00:00:00Z"_s << 4 << u"2024-04-01T00:00:00Z"_s << 2 << true << u"unchanged, device goes back"_s;
    QTest::newRow("same version on both sides") << u"2024-05-01T00:00:00Z"_s << 3 << u"2024-05-01T00:00:00Z"_s << 3
                                                << false << u"unchanged"_s;
    QTest::newRow("server moved on to v6: the device goes forward")
        << u"2024-05-01T00:00:00Z"_s << 4 << u"2024-06-01T10:00:00Z"_s << 6 << false << u"unchanged"_s;
    QTest::newRow("device edited after its sync: kept, nothing goes back")
        << u"2024-06-01T10:00:00Z"_s << 5 << u"2024-04-01T00:00:00Z"_s << 2 << false << u"updated"_s;
}

void TestItemModels::itemTableShowsASideGoingBack()
{
    QFETCH(QString, localUpdated);
    QFETCH(int, localVersion);
    QFETCH(QString, serverUpdated);
    QFETCH(int, serverVersion);
    QFETCH(bool, deviceGoesBack);
    QFETCH(QString, status);

    Dataset local;
    Dataset server;
    local.decks = {builders::deck(1, localUpdated.toUtf8().constData(), localVersion, "Ticket deck"),
                   builders::deck(2, "2024-05-01T00:00:00Z", 1, "Untouched")};
    server.decks = {builders::deck(1, serverUpdated.toUtf8().constData(), serverVersion, "Ticket deck"),
                    builders::deck(2, "2024-05-01T00:00:00Z", 1, "Untouched")};
    SyncOptions options;
    options.now = testutil::ts("2024-06-02T00:00:00Z");
    options.lastSync = testutil::ts("2024-06-01T00:00:00Z");
    const auto snapshot = SyncSnapshot::create(std::move(local), std::move(server), options);
    const TypeView& view = snapshot->view(DataType::Decks);
    QCOMPARE(view.rows()[0].localGoesBack, deviceGoesBack);
    QVERIFY(!view.rows()[0].serverGoesBack);
    QVERIFY(!view.rows()[1].anySideGoesBack());

    ItemTableModel model;
    Tester tester(&model, Fatal);
    model.setSnapshot(snapshot, DataType::Decks);
    QCOMPARE(model.index(0, ItemTableModel::StatusColumn).data().toString(), status);
    QCOMPARE(model.index(0, 0).data(ItemTableModel::GoesBackRole).toBool(), deviceGoesBack);
    const QString tip = model.index(0, ItemTableModel::StatusColumn).data(Qt::ToolTipRole).toString();
    if (deviceGoesBack)
        QVERIFY2(tip.contains(u"holds version 4; after this sync it holds version 2"_s), qPrintable(tip));

    ItemFilterProxy proxy;
    Tester proxyTester(&proxy, Fatal);
    proxy.setSourceModel(&model);
    proxy.setOnlyChanged(true);
    const bool changed = deviceGoesBack || status != u"unchanged";
    QCOMPARE(proxy.rowCount(), changed ? 1 : 0);
}

// The snapshot's own index answers rowOf()/rowsOf(): a server that holds one id twice has
// two rows for it, and a resolution of that id repaints both.
void TestItemModels::itemTableFindsEveryRowOfARepeatedId()
{
    Dataset local;
    Dataset server;
    local.decks = {builders::deck(1, "2024-06-01T12:00:00Z", 3, "Edited"), builders::deck(3, "2024-06-01T12:00:00Z", 1, "New")};
    server.decks = {builders::deck(1, "2024-05-01T00:00:00Z", 2, "First copy"),
                    builders::deck(2, "2024-05-01T00:00:00Z", 1, "Other"),
                    builders::deck(1, "2024-05-02T00:00:00Z", 2, "Second copy")};
    SyncOptions options;
    options.now = testutil::ts("2024-06-02T00:00:00Z");
    options.lastSync = testutil::ts("2024-06-01T00:00:00Z");
    const auto snapshot = SyncSnapshot::create(std::move(local), std::move(server), options);

    ItemTableModel model;
    Tester tester(&model, Fatal);
    model.setSnapshot(snapshot, DataType::Decks);
    const Uuid repeated = builders::deck(1, "2024-05-01T00:00:00Z", 1).id;
    const Uuid added = builders::deck(3, "2024-05-01T00:00:00Z", 1).id;
    QCOMPARE(model.rowOf(repeated), 0);
    QCOMPARE(model.rowsOf(repeated), (std::vector<int>{0, 2}));
    QCOMPARE(model.rowOf(added), 3);
    QCOMPARE(model.rowsOf(added), std::vector<int>{3});
    QCOMPARE(model.rowOf(builders::deck(9, "2024-05-01T00:00:00Z", 1).id), -1);
    QVERIFY(model.rowsOf(builders::deck(9, "2024-05-01T00:00:00Z", 1).id).empty());
    // The second copy takes the first's findings: both rows say what the sync did with the id.
    const TypeView& view = snapshot->view(DataType::Decks);
    QCOMPARE(view.rows()[2].decision, view.rows()[0].decision);
    QCOMPARE(view.rows()[2].local, view.rows()[0].local);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.resolutionChanged(repeated);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed[0][0].toModelIndex().row(), 0);
    QCOMPARE(changed[1][0].toModelIndex().row(), 2);
}

// ---- TypeNavigatorModel ---------------------------------------------------------------------

void TestItemModels::navigatorWithoutSnapshot()
{
    TypeNavigatorModel model;
    Tester tester(&model, Fatal);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), int(TypeNavigatorModel::NUM_COLUMNS));
    const QStringList names{u"Decks"_s, u"Achievements"_s, u"Progress"_s, u"Starred"_s, u"Preferences"_s};
    for (int r = 0; r < 5; ++r) {
        QCOMPARE(model.index(r, TypeNavigatorModel::TypeColumn).data().toString(), names[r]);
        QCOMPARE(model.index(r, 0).data(TypeNavigatorModel::DataTypeRole).toInt(), r);
        for (int c = TypeNavigatorModel::ItemsColumn; c < TypeNavigatorModel::NUM_COLUMNS; ++c)
            QCOMPARE(model.index(r, c).data().toInt(), 0);
    }
    QCOMPARE(model.headerData(TypeNavigatorModel::ConflictsColumn, Qt::Horizontal).toString(), u"Conflicts"_s);
    QCOMPARE(model.headerData(TypeNavigatorModel::DiagnosticsColumn, Qt::Horizontal).toString(), u"Diagnostics"_s);
}

void TestItemModels::navigatorCounts_data()
{
    QTest::addColumn<DataType>("type");
    QTest::addColumn<int>("items");
    QTest::addColumn<int>("added");
    QTest::addColumn<int>("updated"); // as the sync counts them: conflicts the device won too
    QTest::addColumn<int>("deleted");
    QTest::addColumn<int>("conflicts");
    QTest::addColumn<int>("diagnostics");
    // The counts are the sync's (its stats, as the command line prints them), not rows:
    // decks: 7 server rows + 2 added (Chemistry, Italian) = 9 rows, of which the old history
    // deck and the Japanese deck are deleted by the deletion rule, so 7 items in the result;
    // Spanish, Biology, French and German differ in title or content (conflicts, 3 won by the
    // device: updated); French and German share a version (same-version-different-content),
    // Japanese was changed after last_sync (deletion-unseen), Italian is dated after now.
    QTest::newRow("decks") << DataType::Decks << 7 << 2 << 3 << 2 << 4 << 4;
    // Achievements: 3 server rows + the new streak; the local first_deck_mastered is earlier (kept).
    QTest::newRow("achievements") << DataType::Achievements << 4 << 1 << 1 << 0 << 0 << 0;
    // Progress: two merged, one added, the server's 6603 deleted; 6602's server copy is
    // unchanged since last_sync, so its time is counted twice (progress-double-count).
    QTest::newRow("progress") << DataType::Progress << 3 << 1 << 2 << 1 << 0 << 1;
    // Starred: 4 server rows + 7705 (unchanged locally and gone from the server: dropped);
    // 7704 deleted; 7701 later on the device, 7703 a tie (ties go to the device).
    QTest::newRow("starred") << DataType::Starred << 3 << 0 << 2 << 1 << 0 << 1;
    // Preferences: same version, different theme: a conflict (won by the device) with a warning.
    QTest::newRow("preferences") << DataType::Preferences << 1 << 0 << 1 << 0 << 1 << 1;
}

void TestItemModels::navigatorCounts()
{
    QFETCH(DataType, type);
    QFETCH(int, items);
    QFETCH(int, added);
    QFETCH(int, updated);
    QFETCH(int, deleted);
    QFETCH(int, conflicts);
    QFETCH(int, diagnostics);

    TypeNavigatorModel model;
    Tester tester(&model, Fatal);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setSnapshot(m_snapshot);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 5);

    const int row = TypeNavigatorModel::rowOf(type);
    QCOMPARE(model.index(row, 0).data(TypeNavigatorModel::DataTypeRole).toInt(), int(type));
    auto count = [&](int column) { return model.index(row, column).data().toInt(); };
    QCOMPARE(count(TypeNavigatorModel::ItemsColumn), items);
    QCOMPARE(count(TypeNavigatorModel::AddedColumn), added);
    QCOMPARE(count(TypeNavigatorModel::UpdatedColumn), updated);
    QCOMPARE(count(TypeNavigatorModel::DeletedColumn), deleted);
    QCOMPARE(count(TypeNavigatorModel::ConflictsColumn), conflicts);
    QCOMPARE(count(TypeNavigatorModel::DiagnosticsColumn), diagnostics);

    // The same numbers straight from the engine's stats.
    const TypeView& view = m_snapshot->view(type);
    QCOMPARE(int(view.stats().total_items), items);
    QCOMPARE(int(view.stats().added), added);
    QCOMPARE(int(view.stats().updated), updated);
    QCOMPARE(int(view.stats().deleted), deleted);
    QCOMPARE(int(view.stats().conflicts), conflicts);
    QCOMPARE(int(view.rowsWithDiagnostics()), diagnostics);

    // Rows with conflicts stand out.
    QCOMPARE(model.index(row, TypeNavigatorModel::TypeColumn).data(Qt::FontRole).value<QFont>().bold(),
             conflicts > 0);

    model.setSnapshot(nullptr);
    QCOMPARE(model.index(row, TypeNavigatorModel::ItemsColumn).data().toInt(), 0);
}

void TestItemModels::navigatorConflictsFollowPalette_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<QString>("expected"); // the colour's name, where it is pinned
    // Red on white is readable as it is: the light palette keeps the red the navigator always had.
    QTest::newRow("light") << makePalette(QColor(0xef, 0xef, 0xef), Qt::white, Qt::black) << u"#c0392b"_s;
    QTest::newRow("dark") << makePalette(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a), QColor(0xe6, 0xe6, 0xe6))
                          << QString();
    QTest::newRow("dark grey text")
        << makePalette(QColor(0x25, 0x25, 0x25), QColor(0x1e, 0x1e, 0x1e), QColor(0xb4, 0xb4, 0xb4)) << QString();
}

/// The conflicts count of a type with conflicts is red, from the application palette in effect
/// (not the one the model was made under), and readable on the palette's Base.
void TestItemModels::navigatorConflictsFollowPalette()
{
    QFETCH(QPalette, palette);
    QFETCH(QString, expected);
    TypeNavigatorModel model;
    Tester tester(&model, Fatal);
    model.setSnapshot(m_snapshot);
    const PaletteScope scope(palette);
    const QColor base = palette.color(QPalette::Base);

    int coloured = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const bool conflicts =
            model.index(row, TypeNavigatorModel::ConflictsColumn).data(TypeNavigatorModel::CountRole).toLongLong() > 0;
        for (int column = 0; column < TypeNavigatorModel::NUM_COLUMNS; ++column) {
            const QVariant foreground = model.index(row, column).data(Qt::ForegroundRole);
            QCOMPARE(foreground.isValid(), conflicts && column == TypeNavigatorModel::ConflictsColumn);
            if (!foreground.isValid())
                continue;
            ++coloured;
            const QColor c = foreground.value<QBrush>().color();
            QVERIFY2(contrastRatio(base, c) >= 4.5,
                     qPrintable(u"%1 on %2: %3"_s.arg(c.name(), base.name()).arg(contrastRatio(base, c))));
            QVERIFY2(c.red() > c.green() + 0x20 && c.red() > c.blue() + 0x20, qPrintable(c.name() + u" is not red"_s));
            if (!expected.isEmpty())
                QCOMPARE(c.name(), expected);
        }
    }
    QCOMPARE(coloured, 2); // decks and preferences have conflicts
}

// ---- ItemTableModel -------------------------------------------------------------------------

void TestItemModels::itemTableHeaders()
{
    ItemTableModel model;
    Tester tester(&model, Fatal);
    QCOMPARE(model.rowCount(), 0);
    model.setSnapshot(m_snapshot, DataType::Decks);
    const QStringList expected{u"Status"_s,  u"Item"_s,     u"Id"_s,          u"Local updated_at"_s, u"Server updated_at"_s,
                               u"Local version"_s, u"Server version"_s, u"Diagnostics"_s, u"Resolution"_s};
    QCOMPARE(model.columnCount(), expected.size());
    for (int c = 0; c < model.columnCount(); ++c)
        QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), expected[c]);

    // Every column but the label and the id explains itself in a tooltip.
    for (int c = 0; c < ItemTableModel::NUM_COLUMNS; ++c) {
        if (c != ItemTableModel::LabelColumn && c != ItemTableModel::IdColumn)
            QVERIFY2(!model.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty(), qPrintable(expected[c]));
    }

    model.setSnapshot(m_snapshot, DataType::Achievements);
    QCOMPARE(model.headerData(ItemTableModel::LocalTimeColumn, Qt::Horizontal).toString(), u"Local earned_at"_s);
    QCOMPARE(model.rowCount(), 4);
    model.setSnapshot(nullptr, DataType::Decks);
    QCOMPARE(model.rowCount(), 0);
}

void TestItemModels::itemTableRows_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("row");
    QTest::addColumn<QStringList>("cells"); // status, label, local time, server time, local v, server v, diagnostics

    QTest::newRow("conflict") << QString::fromLatin1(Spanish) << 1
                              << QStringList{u"conflict"_s, u"Spanish verbs"_s, u"2024-06-01 10:42:00"_s,
                                             u"2024-06-01 09:10:00"_s, u"3"_s, u"2"_s, QString()};
    QTest::newRow("unchanged") << u"5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f"_s << 0
                               << QStringList{u"unchanged"_s, u"Statistics"_s, u"2024-05-28 19:30:00"_s,
                                              u"2024-05-28 19:30:00"_s, u"6"_s, u"6"_s, QString()};
    QTest::newRow("deleted") << QString::fromLatin1(OldHistory) << 3
                             << QStringList{u"deleted"_s, u"Old history deck"_s, QString(), u"2024-05-20 08:00:00"_s,
                                            QString(), u"3"_s, QString()};
    QTest::newRow("deleted unseen") << u"9e8d7c6b-5a49-4382-9716-0f1e2d3c4b5a"_s << 5
                                    << QStringList{u"deleted"_s, u"Japanese kana"_s, QString(), u"2024-06-01 10:30:00"_s,
                                                   QString(), u"5"_s, u"1"_s};
    QTest::newRow("added") << QString::fromLatin1(Chemistry) << 7
                           << QStringList{u"added"_s, u"Chemistry: periodic table"_s, u"2024-06-01 09:00:00"_s, QString(),
                                          u"1"_s, QString(), QString()};
}

void TestItemModels::itemTableRows()
{
    QFETCH(QString, id);
    QFETCH(int, row);
    QFETCH(QStringList, cells);

    ItemTableModel model;
    Tester tester(&model, Fatal);
    model.setSnapshot(m_snapshot, DataType::Decks);
    QCOMPARE(model.rowCount(), 9);
    QCOMPARE(model.rowOf(testutil::uuid(id.toLatin1().constData())), row);
    auto cell = [&](int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(cell(ItemTableModel::IdColumn), id);
    QCOMPARE(cell(ItemTableModel::StatusColumn), cells[0]);
    QCOMPARE(cell(ItemTableModel::LabelColumn), cells[1]);
    QCOMPARE(cell(ItemTableModel::LocalTimeColumn), cells[2]);
    QCOMPARE(cell(ItemTableModel::ServerTimeColumn), cells[3]);
    QCOMPARE(cell(ItemTableModel::LocalVersionColumn), cells[4]);
    QCOMPARE(cell(ItemTableModel::ServerVersionColumn), cells[5]);
    QCOMPARE(cell(ItemTableModel::DiagnosticsColumn), cells[6]);
    QCOMPARE(cell(ItemTableModel::ResolutionColumn), QString());
    QCOMPARE(model.index(row, ItemTableModel::LabelColumn).data(ItemTableModel::RowRole).toInt(), row);
    QCOMPARE(model.index(row, 0).data(ItemTableModel::IdRole).toString(), id);
}

void TestItemModels::itemTableRolesAndToolTips()
{
    ItemTableModel model;
    Tester tester(&model, Fatal);
    model.setSnapshot(m_snapshot, DataType::Decks);
    const int spanish = typeRowOf(*m_snapshot, DataType::Decks, Spanish);
    const QModelIndex s = model.index(spanish, ItemTableModel::StatusColumn);
    QCOMPARE(s.data(ItemTableModel::StatusRole).toInt(), int(ItemStatus::Conflict));
    QCOMPARE(s.data(ItemTableModel::SeverityRole).toInt(), -1);
    QCOMPARE(s.data(ItemTableModel::DiagnosticsRole).toUInt(), 0u);
    QCOMPARE(s.data(ItemTableModel::ResolvedRole).toBool(), false);
    QVERIFY(s.data(Qt::BackgroundRole).isValid());
    QVERIFY(!s.data(Qt::ToolTipRole).toString().isEmpty()); // the engine's decision

    // Sort keys: numbers and times as qint64, text as QString.
    const QVariant time = model.index(spanish, ItemTableModel::LocalTimeColumn).data(ItemTableModel::SortRole);
    QCOMPARE(time.typeId(), QMetaType::LongLong);
    QCOMPARE(time.toLongLong(), testutil::ts("2024-06-01T10:42:00.120Z").seconds * 1'000'000'000LL + 120'000'000LL);
    QCOMPARE(model.index(spanish, ItemTableModel::LocalVersionColumn).data(ItemTableModel::SortRole).toLongLong(), 3);
    QCOMPARE(model.index(spanish, ItemTableModel::LabelColumn).data(ItemTableModel::SortRole).typeId(),
             QMetaType::QString);

    // The Japanese deck: a warning, listed in the diagnostics tooltip.
    const int japanese = typeRowOf(*m_snapshot, DataType::Decks, "9e8d7c6b-5a49-4382-9716-0f1e2d3c4b5a");
    const QModelIndex d = model.index(japanese, ItemTableModel::DiagnosticsColumn);
    QCOMPARE(d.data(ItemTableModel::SeverityRole).toInt(), int(Severity::Warning));
    QCOMPARE(d.data(ItemTableModel::DiagnosticsRole).toUInt(), 1u);
    QVERIFY2(d.data(Qt::ToolTipRole).toString().contains(u"does not hold it"_s), qPrintable(d.data(Qt::ToolTipRole).toString()));
    QVERIFY(!model.index(spanish, ItemTableModel::DiagnosticsColumn).data(Qt::ToolTipRole).isValid());
}

void TestItemModels::itemTableResolutions()
{
    ItemTableModel model;
    Tester tester(&model, Fatal);
    model.setSnapshot(m_snapshot, DataType::Decks);
    ResolutionSet set;
    model.setResolutions(&set);
    const Uuid id = testutil::uuid(Spanish);
    const int row = model.rowOf(id);
    QCOMPARE(row, 1);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    ItemResolution res;
    res.base = Side::Server;
    res.setField({"content", Side::Local});
    set.set(DataType::Decks, id, res);
    model.resolutionChanged(id);
    QCOMPARE(changed.count(), 1);
    const auto top = changed.at(0).at(0).value<QModelIndex>();
    const auto bottom = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(top.row(), row);
    QCOMPARE(bottom.row(), row);
    QVERIFY(top.column() <= ItemTableModel::ResolutionColumn && bottom.column() >= ItemTableModel::ResolutionColumn);
    QCOMPARE(model.index(row, ItemTableModel::ResolutionColumn).data().toString(), u"server + 1 field"_s);
    QVERIFY(model.index(row, 0).data(ItemTableModel::ResolvedRole).toBool());

    res.base = Side::Local;
    res.setField({"title", FieldCell::value("Verbos")});
    set.set(DataType::Decks, id, res);
    model.resolutionChanged(id);
    QCOMPARE(model.index(row, ItemTableModel::ResolutionColumn).data().toString(), u"local + 2 fields"_s);
    set.set(DataType::Decks, id, ItemResolution{std::nullopt, {}});
    model.resolutionChanged(id);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(model.index(row, ItemTableModel::ResolutionColumn).data().toString(), QString());
    QVERIFY(!model.index(row, 0).data(ItemTableModel::ResolvedRole).toBool());

    // Unknown ids change nothing.
    model.resolutionChanged(testutil::id(42));
    QCOMPARE(changed.count(), 3);
    model.setResolutions(nullptr);
    QCOMPARE(changed.count(), 4);
}

void TestItemModels::itemTableTintsFollowPalette_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<ItemStatus>("status");
    const std::pair<const char*, QPalette> palettes[] = {
        {"light", makePalette(QColor(0xef, 0xef, 0xef), Qt::white, Qt::black)},
        {"dark", makePalette(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a), QColor(0xe6, 0xe6, 0xe6))},
        {"dark grey text", makePalette(QColor(0x25, 0x25, 0x25), QColor(0x1e, 0x1e, 0x1e), QColor(0xb4, 0xb4, 0xb4))},
    };
    for (const auto& [name, palette] : palettes) {
        for (ItemStatus status : {ItemStatus::Unchanged, ItemStatus::Added, ItemStatus::Updated, ItemStatus::Merged,
                                  ItemStatus::Deleted, ItemStatus::Conflict})
            QTest::addRow("%s %s", name, itemStatusName(status)) << palette << status;
    }
}

/// A row's tint comes from the application palette: under a dark one it is dark, and the
/// palette's text, and any colour the model gives the text, stays readable on it.
void TestItemModels::itemTableTintsFollowPalette()
{
    QFETCH(QPalette, palette);
    QFETCH(ItemStatus, status);
    ItemTableModel model;
    Tester tester(&model, Fatal);
    // The model exists before the palette changes: it must not keep the previous palette's tints.
    const PaletteScope scope(palette);
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const bool darkPalette = base.lightnessF() < text.lightnessF();

    int rows = 0;
    // The second snapshot has a row with an error (the device's preferences, shown deleted),
    // so the colour of its diagnostics cell is checked too.
    const std::shared_ptr<const SyncSnapshot> snapshots[] = {m_snapshot, userMismatchSnapshot()};
    for (const auto& snapshot : snapshots) {
        for (DataType type : AllDataTypes) {
            model.setSnapshot(snapshot, type);
            for (int row = 0; row < model.rowCount(); ++row) {
                if (model.index(row, 0).data(ItemTableModel::StatusRole).toInt() != int(status))
                    continue;
                ++rows;
                for (int column = 0; column < ItemTableModel::NUM_COLUMNS; ++column) {
                    const QModelIndex i = model.index(row, column);
                    const QVariant background = i.data(Qt::BackgroundRole);
                    QColor behind = base;
                    if (status == ItemStatus::Unchanged) {
                        QVERIFY(!background.isValid());
                    } else {
                        QVERIFY(background.isValid());
                        behind = background.value<QBrush>().color();
                        QVERIFY2(behind != base, qPrintable(behind.name()));
                        QVERIFY2((behind.lightnessF() < text.lightnessF()) == darkPalette,
                                 qPrintable(u"tint %1 with text %2: a dark palette needs a dark tint"_s.arg(
                                     behind.name(), text.name())));
                        QVERIFY2(contrastRatio(behind, text) >= 4.5,
                                 qPrintable(u"%1 text on %2: %3"_s.arg(text.name(), behind.name())
                                                .arg(contrastRatio(behind, text))));
                    }
                    const QVariant foreground = i.data(Qt::ForegroundRole);
                    if (foreground.isValid()) {
                        const QColor c = foreground.value<QBrush>().color();
                        QVERIFY2(contrastRatio(behind, c) >= 4.5,
                                 qPrintable(u"column %1: %2 text on %3: %4"_s.arg(column).arg(c.name(), behind.name())
                                                .arg(contrastRatio(behind, c))));
                    }
                }
            }
        }
    }
    QVERIFY2(rows > 0, "no row with this status");
}

// ---- ItemFilterProxy ------------------------------------------------------------------------

void TestItemModels::filterProxy_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("onlyConflicts");
    QTest::addColumn<bool>("onlyChanged");
    QTest::addColumn<bool>("onlyDiagnostics");
    QTest::addColumn<int>("rows");

    QTest::newRow("everything") << QString() << false << false << false << 9;
    QTest::newRow("conflicts") << QString() << true << false << false << 4;
    QTest::newRow("changed") << QString() << false << true << false << 8;
    QTest::newRow("diagnostics") << QString() << false << false << true << 4;
    QTest::newRow("conflicts with diagnostics") << QString() << true << false << true << 2;
    QTest::newRow("label") << u"spanish"_s << false << false << false << 1;
    QTest::newRow("label, any case") << u"SPANISH VERBS"_s << false << false << false << 1;
    QTest::newRow("id") << u"C0FFEE"_s << false << false << false << 1;
    QTest::newRow("id fragment") << u"-4e8f-"_s << false << false << false << 1;
    QTest::newRow("an") << u"an"_s << false << false << false << 4;
    QTest::newRow("an, changed") << u"an"_s << false << true << false << 4;
    QTest::newRow("an, conflicts") << u"an"_s << true << false << false << 2;
    QTest::newRow("bio, conflicts") << u"bio"_s << true << false << false << 1;
    QTest::newRow("statistics, changed") << u"statistics"_s << false << true << false << 0;
    QTest::newRow("nothing") << u"zzz"_s << false << false << false << 0;
}

void TestItemModels::filterProxy()
{
    QFETCH(QString, text);
    QFETCH(bool, onlyConflicts);
    QFETCH(bool, onlyChanged);
    QFETCH(bool, onlyDiagnostics);
    QFETCH(int, rows);

    ItemTableModel model;
    Tester modelTester(&model, Fatal);
    ItemFilterProxy proxy;
    Tester proxyTester(&proxy, Fatal);
    proxy.setSourceModel(&model);
    model.setSnapshot(m_snapshot, DataType::Decks);
    QCOMPARE(proxy.rowCount(), 9);
    QCOMPARE(proxy.sortRole(), int(ItemTableModel::SortRole));

    proxy.setFilterText(text);
    proxy.setOnlyConflicts(onlyConflicts);
    proxy.setOnlyChanged(onlyChanged);
    proxy.setOnlyDiagnostics(onlyDiagnostics);
    QCOMPARE(proxy.rowCount(), rows);
    for (int r = 0; r < proxy.rowCount(); ++r) {
        const QModelIndex i = proxy.index(r, 0);
        if (onlyConflicts)
            QCOMPARE(i.data(ItemTableModel::StatusRole).toInt(), int(ItemStatus::Conflict));
        if (onlyChanged)
            QVERIFY(i.data(ItemTableModel::StatusRole).toInt() != int(ItemStatus::Unchanged));
        if (onlyDiagnostics)
            QVERIFY(i.data(ItemTableModel::DiagnosticsRole).toUInt() > 0);
        const int typeRow = proxy.typeRowAt(i);
        QCOMPARE(proxy.indexForTypeRow(typeRow), i);
    }

    // Clearing the filters shows everything again, in type order.
    proxy.setFilterText(QString());
    proxy.setOnlyConflicts(false);
    proxy.setOnlyChanged(false);
    proxy.setOnlyDiagnostics(false);
    QCOMPARE(proxy.rowCount(), 9);
    QCOMPARE(proxy.typeRowAt(proxy.index(8, 3)), 8);
}

void TestItemModels::filterProxyFollowsResolutionChanges()
{
    ItemTableModel model;
    Tester modelTester(&model, Fatal);
    ItemFilterProxy proxy;
    Tester proxyTester(&proxy, Fatal);
    proxy.setSourceModel(&model);
    model.setSnapshot(m_snapshot, DataType::Decks);
    ResolutionSet set;
    model.setResolutions(&set);
    proxy.setOnlyConflicts(true);
    QCOMPARE(proxy.rowCount(), 4);
    const QModelIndex spanish = proxy.indexForTypeRow(1, ItemTableModel::ResolutionColumn);
    QVERIFY(spanish.isValid());

    QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);
    set.set(DataType::Decks, testutil::uuid(Spanish), ItemResolution{Side::Local, {}});
    model.resolutionChanged(testutil::uuid(Spanish));
    QVERIFY(changed.count() >= 1);
    QCOMPARE(proxy.indexForTypeRow(1, ItemTableModel::ResolutionColumn).data().toString(), u"local"_s);
    QVERIFY(!proxy.indexForTypeRow(0).isValid()); // Statistics: filtered out
}

void TestItemModels::proxySortsByTimestamp()
{
    ItemTableModel model;
    Tester modelTester(&model, Fatal);
    ItemFilterProxy proxy;
    Tester proxyTester(&proxy, Fatal);
    proxy.setSourceModel(&model);
    model.setSnapshot(m_snapshot, DataType::Decks);

    proxy.sort(ItemTableModel::ServerTimeColumn, Qt::AscendingOrder);
    QStringList labels;
    for (int r = 0; r < proxy.rowCount(); ++r)
        labels << proxy.index(r, ItemTableModel::LabelColumn).data().toString();
    // Items the server lacks first, then by server updated_at (10:15:00.123456 < 10:30).
    const QStringList ascending{u"Chemistry: periodic table"_s, u"Italian phrases"_s, u"Old history deck"_s,
                                u"Statistics"_s,                u"Spanish verbs"_s,   u"German numbers 1–20"_s,
                                u"French basics"_s,             u"Biology: cells"_s,  u"Japanese kana"_s};
    QCOMPARE(labels, ascending);

    proxy.sort(ItemTableModel::ServerTimeColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, ItemTableModel::LabelColumn).data().toString(), u"Japanese kana"_s);
    QCOMPARE(proxy.index(1, ItemTableModel::ServerTimeColumn).data().toString(), u"2024-06-01 10:15:00"_s);

    // Sorting survives filtering; the local version sorts numerically.
    proxy.setOnlyChanged(true);
    proxy.sort(ItemTableModel::LocalVersionColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.rowCount(), 8);
    QCOMPARE(proxy.index(0, ItemTableModel::LocalVersionColumn).data().toString(), u"4"_s);
    QCOMPARE(proxy.index(7, ItemTableModel::LocalVersionColumn).data().toString(), QString());
}

// ---- FieldRowModel --------------------------------------------------------------------------

void TestItemModels::fieldRowsOfConflictDeck()
{
    FieldRowModel model;
    Tester tester(&model, Fatal);
    QCOMPARE(model.rowCount(), 0);
    const int row = typeRowOf(*m_snapshot, DataType::Decks, Spanish);
    model.setItem(m_snapshot, DataType::Decks, row, nullptr);
    QVERIFY(model.hasItem());
    QVERIFY(model.resultExists());

    const QStringList expected{u"id"_s,         u"user_id"_s,    u"title"_s,   u"description"_s, u"content"_s,
                               u"created_at"_s, u"updated_at"_s, u"version"_s, u"tags"_s,        u"card_count"_s};
    QCOMPARE(fieldNames(model), expected);

    auto at = [&](const char* field, int column, int role = Qt::DisplayRole) {
        return model.index(model.rowOf(QString::fromLatin1(field)), column).data(role);
    };
    QCOMPARE(at("title", FieldRowModel::LocalColumn).toString(), u"Spanish verbs"_s);
    QCOMPARE(at("title", FieldRowModel::FieldColumn, FieldRowModel::DiffersRole).toBool(), false);
    QCOMPARE(at("title", FieldRowModel::FieldColumn, FieldRowModel::ResultSourceRole).toInt(), 0);
    QCOMPARE(at("content", FieldRowModel::FieldColumn, FieldRowModel::DiffersRole).toBool(), true);
    QVERIFY(at("content", FieldRowModel::ServerColumn).toString().endsWith(u"ser :: to be"_s));
    QCOMPARE(at("content", FieldRowModel::LocalColumn).toString().count(u'\n'), 5); // multi-line as is
    QCOMPARE(at("content", FieldRowModel::LocalColumn, Qt::ToolTipRole), at("content", FieldRowModel::LocalColumn));
    // Version 3 > 2: the engine kept the local deck.
    QCOMPARE(at("content", FieldRowModel::ResultColumn, FieldRowModel::ResultSourceRole).toInt(),
             int(FieldRowModel::EqualsLocalOnly));
    QCOMPARE(at("version", FieldRowModel::ResultColumn).toString(), u"3"_s);
    QVERIFY(at("content", FieldRowModel::LocalColumn, Qt::BackgroundRole).isValid());
    QVERIFY(!at("title", FieldRowModel::LocalColumn, Qt::BackgroundRole).isValid());

    QCOMPARE(at("tags", FieldRowModel::FieldColumn, FieldRowModel::KnownFieldRole).toBool(), false);
    QCOMPARE(at("tags", FieldRowModel::FieldColumn, FieldRowModel::FieldKindRole).toInt(), int(FieldKind::Json));
    QCOMPARE(at("version", FieldRowModel::FieldColumn, FieldRowModel::FieldKindRole).toInt(), int(FieldKind::Integer));
    QCOMPARE(at("title", FieldRowModel::ResultColumn, FieldRowModel::FieldNameRole).toString(), u"title"_s);
    // card_count exists only on the device.
    QCOMPARE(at("card_count", FieldRowModel::ServerColumn).toString(), u"(absent)"_s);
    QVERIFY(at("card_count", FieldRowModel::ServerColumn, Qt::ForegroundRole).isValid());
    QCOMPARE(at("card_count", FieldRowModel::LocalColumn).toString(), u"6"_s);
    QCOMPARE(at("card_count", FieldRowModel::FieldColumn, FieldRowModel::DiffersRole).toBool(), true);

    QVERIFY(model.flags(model.index(0, FieldRowModel::ResultColumn)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(0, FieldRowModel::LocalColumn)) & Qt::ItemIsEditable));

    // French basics: description null on both sides, shown as "null" in italics.
    model.setItem(m_snapshot, DataType::Decks, typeRowOf(*m_snapshot, DataType::Decks, "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"),
                  nullptr);
    QCOMPARE(at("description", FieldRowModel::LocalColumn).toString(), u"null"_s);
    QVERIFY(at("description", FieldRowModel::LocalColumn, Qt::FontRole).value<QFont>().italic());

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.hasItem());
}

void TestItemModels::fieldRowsWithResolution()
{
    FieldRowModel model;
    Tester tester(&model, Fatal);
    ItemResolution res;
    res.base = Side::Server;
    res.setField({"version", FieldCell::value("9")});
    model.setItem(m_snapshot, DataType::Decks, typeRowOf(*m_snapshot, DataType::Decks, Spanish), &res);
    auto at = [&](const char* field, int column, int role = Qt::DisplayRole) {
        return model.index(model.rowOf(QString::fromLatin1(field)), column).data(role);
    };
    QCOMPARE(at("content", FieldRowModel::ResultColumn, FieldRowModel::ResultSourceRole).toInt(),
             int(FieldRowModel::EqualsServerOnly));
    QCOMPARE(at("version", FieldRowModel::ResultColumn).toString(), u"9"_s);
    QCOMPARE(at("version", FieldRowModel::ResultColumn, FieldRowModel::ResultSourceRole).toInt(),
             int(FieldRowModel::EqualsNeither));
    QCOMPARE(at("title", FieldRowModel::ResultColumn, FieldRowModel::ResultSourceRole).toInt(),
             int(FieldRowModel::EqualsBoth));
    // The server's copy has no card_count, so neither has the result.
    QCOMPARE(at("card_count", FieldRowModel::ResultColumn).toString(), u"(absent)"_s);
    QCOMPARE(at("card_count", FieldRowModel::ResultColumn, FieldRowModel::ResultSourceRole).toInt(),
             int(FieldRowModel::EqualsServerOnly));
}

void TestItemModels::fieldRowsOfDeletedDeck()
{
    FieldRowModel model;
    Tester tester(&model, Fatal);
    model.setItem(m_snapshot, DataType::Decks, typeRowOf(*m_snapshot, DataType::Decks, OldHistory), nullptr);
    QCOMPARE(model.rowCount(), 8); // known fields only
    QVERIFY(!model.resultExists());
    const QModelIndex result = model.index(model.rowOf(u"title"_s), FieldRowModel::ResultColumn);
    QCOMPARE(result.data().toString(), u"(absent)"_s);
    QVERIFY(!(model.flags(result) & Qt::ItemIsEditable));
    QSignalSpy edited(&model, &FieldRowModel::fieldEdited);
    QVERIFY(!model.setData(result, u"New title"_s));
    QCOMPARE(edited.count(), 0);

    // Out-of-range rows show nothing.
    model.setItem(m_snapshot, DataType::Decks, 99, nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestItemModels::fieldRowTintsFollowPalette_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::newRow("light") << makePalette(QColor(0xef, 0xef, 0xef), Qt::white, Qt::black);
    QTest::newRow("dark") << makePalette(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a), QColor(0xe6, 0xe6, 0xe6));
    QTest::newRow("dark grey text")
        << makePalette(QColor(0x25, 0x25, 0x25), QColor(0x1e, 0x1e, 0x1e), QColor(0xb4, 0xb4, 0xb4));
}

/// A field cell's tint comes from the application palette in effect (not the one the model
/// was made under): under a dark palette it is dark; the palette's text, and the dimmed
/// "(absent)", stay readable on every cell; the three tints (the sides differ, the side the
/// result came from, a result that is neither side) stay apart.
void TestItemModels::fieldRowTintsFollowPalette()
{
    QFETCH(QPalette, palette);
    FieldRowModel model;
    Tester tester(&model, Fatal);
    // The local deck with its version typed by hand: content and card_count come from the
    // device, the version from neither side, and the server has no card_count.
    ItemResolution res;
    res.base = Side::Local;
    res.setField({"version", FieldCell::value("9")});
    model.setItem(m_snapshot, DataType::Decks, typeRowOf(*m_snapshot, DataType::Decks, Spanish), &res);
    const PaletteScope scope(palette);
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const bool darkPalette = base.lightnessF() < text.lightnessF();

    enum Kind { None, Differs, Source, Edited, NumKinds };
    QColor tintOf[NumKinds];
    int absent = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < FieldRowModel::NUM_COLUMNS; ++column) {
            const QModelIndex i = model.index(row, column);
            const bool differs = i.data(FieldRowModel::DiffersRole).toBool();
            const int source = i.data(FieldRowModel::ResultSourceRole).toInt();
            Kind kind = differs && column != FieldRowModel::BaseColumn ? Differs : None; // the base is on no side
            if ((column == FieldRowModel::LocalColumn && source == FieldRowModel::EqualsLocalOnly)
                || (column == FieldRowModel::ServerColumn && source == FieldRowModel::EqualsServerOnly))
                kind = Source;
            if (column == FieldRowModel::ResultColumn && source == FieldRowModel::EqualsNeither)
                kind = Edited;
            const QString where = i.sibling(row, FieldRowModel::FieldColumn).data().toString() + u", column "_s
                + QString::number(column);

            const QVariant background = i.data(Qt::BackgroundRole);
            QCOMPARE(background.isValid(), kind != None);
            QColor behind = base;
            if (kind != None) {
                behind = background.value<QBrush>().color();
                QVERIFY2(behind != base, qPrintable(where));
                if (tintOf[kind].isValid())
                    QCOMPARE(behind.name(), tintOf[kind].name());
                tintOf[kind] = behind;
                QVERIFY2((behind.lightnessF() < text.lightnessF()) == darkPalette,
                         qPrintable(u"%1: tint %2 with text %3: a dark palette needs a dark tint"_s.arg(
                             where, behind.name(), text.name())));
            }
            const QVariant foreground = i.data(Qt::ForegroundRole);
            const QColor shown = foreground.isValid() ? foreground.value<QBrush>().color() : text;
            QVERIFY2(contrastRatio(behind, shown) >= 4.5,
                     qPrintable(u"%1: %2 text on %3: %4"_s.arg(where, shown.name(), behind.name())
                                    .arg(contrastRatio(behind, shown))));
            if (i.data().toString() == u"(absent)"_s) {
                ++absent;
                QVERIFY2(foreground.isValid() && shown != text, qPrintable(where + u": (absent) is not dimmed"_s));
            }
        }
    }
    for (Kind kind : {Differs, Source, Edited})
        QVERIFY2(tintOf[kind].isValid(), qPrintable(u"no cell with tint %1"_s.arg(int(kind))));
    QVERIFY(tintOf[Differs] != tintOf[Source] && tintOf[Differs] != tintOf[Edited] && tintOf[Source] != tintOf[Edited]);
    QVERIFY(absent > 0);
}

void TestItemModels::fieldRowSetData_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("reason"); // a part of the rejection's reason
    QTest::addColumn<int>("state");      // of the edited cell when accepted

    const int Null = int(FieldCell::State::Null);
    const int Value = int(FieldCell::State::Value);
    QTest::newRow("version abc") << u"version"_s << u"abc"_s << false << u"not an integer"_s << 0;
    QTest::newRow("version 7") << u"version"_s << u"7"_s << true << QString() << Value;
    QTest::newRow("version null") << u"version"_s << u"null"_s << false << u"not an integer"_s << 0;
    QTest::newRow("description null") << u"description"_s << u"null"_s << true << QString() << Null;
    QTest::newRow("title null is text") << u"title"_s << u"null"_s << true << QString() << Value;
    QTest::newRow("updated_at bad") << u"updated_at"_s << u"yesterday"_s << false << u"yesterday"_s << 0;
    QTest::newRow("updated_at ok") << u"updated_at"_s << u"2024-06-01T11:00:00Z"_s << true << QString() << Value;
    QTest::newRow("user_id bad") << u"user_id"_s << u"me"_s << false << u"not a UUID"_s << 0;
    QTest::newRow("tags bad json") << u"tags"_s << u"[\"a\","_s << false << u"not valid JSON"_s << 0;
    QTest::newRow("tags json") << u"tags"_s << u"[\"a\"]"_s << true << QString() << Value;
}

void TestItemModels::fieldRowSetData()
{
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(bool, accepted);
    QFETCH(QString, reason);
    QFETCH(int, state);

    FieldRowModel model;
    Tester tester(&model, Fatal);
    model.setItem(m_snapshot, DataType::Decks, typeRowOf(*m_snapshot, DataType::Decks, Spanish), nullptr);
    const QModelIndex index = model.index(model.rowOf(field), FieldRowModel::ResultColumn);
    QVERIFY(index.isValid());
    const QString before = index.data().toString();

    QSignalSpy edited(&model, &FieldRowModel::fieldEdited);
    QSignalSpy rejected(&model, &FieldRowModel::editRejected);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.setData(index, text, Qt::EditRole), accepted);
    if (accepted) {
        QCOMPARE(edited.count(), 1);
        QCOMPARE(rejected.count(), 0);
        QCOMPARE(edited.at(0).at(0).toString(), field);
        const auto cell = edited.at(0).at(1).value<FieldCell>();
        QCOMPARE(int(cell.state), state);
        if (cell.state == FieldCell::State::Value)
            QCOMPARE(QString::fromStdString(cell.text), text);
    } else {
        QCOMPARE(edited.count(), 0);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(rejected.at(0).at(0).toString(), field);
        const QString why = rejected.at(0).at(1).toString();
        QVERIFY2(why.contains(reason), qPrintable(why));
    }
    // The model itself never changes: the session applies the edit and calls setItem().
    QCOMPARE(changed.count(), 0);
    QCOMPARE(index.data().toString(), before);

    // Only the result column is editable, and only with EditRole.
    QVERIFY(!model.setData(model.index(index.row(), FieldRowModel::LocalColumn), text, Qt::EditRole));
    QVERIFY(!model.setData(index, text, Qt::DisplayRole));
    QCOMPARE(edited.count(), accepted ? 1 : 0);
}

void TestItemModels::fieldRowSideLabels()
{
    FieldRowModel model;
    Tester tester(&model, Fatal);
    auto header = [&](int section) { return model.headerData(section, Qt::Horizontal).toString(); };
    QCOMPARE(header(FieldRowModel::FieldColumn), u"Field"_s);
    QCOMPARE(header(FieldRowModel::LocalColumn), u"Local"_s);
    QCOMPARE(header(FieldRowModel::ServerColumn), u"Server"_s);
    QCOMPARE(header(FieldRowModel::ResultColumn), u"Result"_s);
    QSignalSpy spy(&model, &QAbstractItemModel::headerDataChanged);
    model.setSideLabels(u"Local, updated 10:42"_s, u"Server, updated 09:10"_s, u"Result (resolved)"_s);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(header(FieldRowModel::LocalColumn), u"Local, updated 10:42"_s);
    QCOMPARE(header(FieldRowModel::ServerColumn), u"Server, updated 09:10"_s);
    QCOMPARE(header(FieldRowModel::ResultColumn), u"Result (resolved)"_s);
}

// ---- many rows ------------------------------------------------------------------------------

void TestItemModels::largeModel()
{
    constexpr int N = 200'000;
    Dataset local;
    Dataset server;
    local.last_sync = testutil::ts("2024-06-01T08:00:00Z");
    local.decks.reserve(N);
    server.decks.reserve(N);
    for (int i = 0; i < N; ++i) {
        Deck d;
        d.id = Uuid::fromHalves(0x1111222233334444ull, 0x8000000000000000ull | static_cast<std::uint64_t>(i));
        d.user_id = testutil::id(1000);
        d.title = "Deck " + std::to_string(i);
        d.content = "q :: a";
        d.created_at = testutil::ts("2024-01-01T00:00:00Z");
        d.updated_at = testutil::ts("2024-05-01T00:00:00Z");
        d.version = 1;
        server.decks.push_back(d);
        if (i % 10 == 0) { // edited on the device since the last sync: a newer version with a new title
            d.title += " (edited)";
            d.updated_at = testutil::ts("2024-06-01T09:00:00Z");
            d.version = 2;
        }
        local.decks.push_back(std::move(d));
    }
    SyncOptions options;
    options.now = testutil::ts("2024-06-01T12:00:00Z");
    options.lastSync = local.last_sync;
    const auto snapshot = SyncSnapshot::create(std::move(local), std::move(server), options);

    TypeNavigatorModel navigator;
    Tester navigatorTester(&navigator, Fatal);
    navigator.setSnapshot(snapshot);
    QCOMPARE(navigator.index(0, TypeNavigatorModel::ItemsColumn).data().toInt(), N);
    QCOMPARE(navigator.index(0, TypeNavigatorModel::ConflictsColumn).data().toInt(), N / 10);

    ItemTableModel model;
    Tester modelTester(&model, Fatal);
    ItemFilterProxy proxy;
    Tester proxyTester(&proxy, Fatal);
    proxy.setSourceModel(&model);
    model.setSnapshot(snapshot, DataType::Decks);
    QCOMPARE(model.rowCount(), N);
    QCOMPARE(proxy.rowCount(), N);
    QCOMPARE(model.index(N - 1, ItemTableModel::LabelColumn).data().toString(), u"Deck 199999"_s);

    // "deck 1999" matches 1999, 19990-19999 and 199900-199999 (ids are hex: never a match).
    proxy.setFilterText(u"deck 1999"_s);
    QCOMPARE(proxy.rowCount(), 111);
    proxy.setOnlyConflicts(true); // 19990 and 199900, 199910, ..., 199990
    QCOMPARE(proxy.rowCount(), 11);
    proxy.setFilterText(QString());
    QCOMPARE(proxy.rowCount(), N / 10);

    const Uuid last = Uuid::fromHalves(0x1111222233334444ull, 0x8000000000000000ull | (N - 10));
    QCOMPARE(model.rowOf(last), N - 10);
    ResolutionSet set;
    model.setResolutions(&set);
    set.set(DataType::Decks, last, ItemResolution{Side::Server, {}});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.resolutionChanged(last);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(proxy.indexForTypeRow(N - 10, ItemTableModel::ResolutionColumn).data().toString(), u"server"_s);
}

void TestItemModels::historyStates_data()
{
    QTest::addColumn<RunKind>("kind");
    QTest::addColumn<qint64>("rollbackOf");
    QTest::addColumn<qint64>("rolledBackBy");
    QTest::addColumn<bool>("pending");
    QTest::addColumn<QString>("kindText");
    QTest::addColumn<QString>("stateText");
    QTest::addColumn<bool>("struckOut");
    QTest::newRow("sync in force") << RunKind::Sync << qint64(0) << qint64(0) << false << u"sync"_s << u"in force"_s
                                   << false;
    QTest::newRow("sync rolled back") << RunKind::Sync << qint64(0) << qint64(9) << false << u"sync"_s
                                      << u"rolled back by #9"_s << true;
    QTest::newRow("rollback") << RunKind::Rollback << qint64(3) << qint64(0) << false << u"rollback of #3"_s
                              << u"in force"_s << false;
    QTest::newRow("interrupted sync") << RunKind::Sync << qint64(0) << qint64(0) << true << u"sync"_s
                                      << u"interrupted: its files were not all written"_s << false;
}

// The history table: one row per run, its kind and state in words, a rolled-back run struck
// out, and an interrupted one explained in its tooltip.
void TestItemModels::historyStates()
{
    QFETCH(RunKind, kind);
    QFETCH(qint64, rollbackOf);
    QFETCH(qint64, rolledBackBy);
    QFETCH(bool, pending);
    QFETCH(QString, kindText);
    QFETCH(QString, stateText);
    QFETCH(bool, struckOut);
    HistoryModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    HistorySummary run;
    run.id = 12;
    run.recordedAt = QDateTime(QDate(2024, 6, 1), QTime(12, 0), Qt::UTC);
    run.kind = kind;
    run.localSource = u"/data/local.json"_s;
    run.serverSource = u"/data/server.json"_s;
    run.rollbackOf = rollbackOf;
    run.rolledBackBy = rolledBackBy;
    run.pending = pending;
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setRuns({run});
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowOf(12), 0);
    QCOMPARE(model.rowOf(13), -1);
    QCOMPARE(model.index(0, HistoryModel::IdColumn).data().toString(), u"#12"_s);
    QCOMPARE(model.index(0, HistoryModel::KindColumn).data().toString(), kindText);
    QCOMPARE(model.index(0, HistoryModel::StateColumn).data().toString(), stateText);
    QCOMPARE(model.index(0, HistoryModel::LocalColumn).data().toString(), u"local.json"_s);
    QCOMPARE(model.index(0, 0).data(HistoryModel::RolledBackRole).toBool(), rolledBackBy != 0);
    QCOMPARE(model.index(0, 0).data(Qt::FontRole).value<QFont>().strikeOut(), struckOut);
    QCOMPARE(model.index(0, 0).data(Qt::ToolTipRole).toString().contains(u"crash"_s), pending);
}

QTEST_MAIN(TestItemModels)
#include "tst_itemmodels.moc"
