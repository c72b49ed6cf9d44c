// SPDX-License-Identifier: MIT
#include "engine/syncsnapshot.h"

#include "engine/idindex.h"

namespace decksync {
namespace {

template <class T>
class TypeViewImpl final : public TypeView {
public:
    using Traits = SyncTraits<T>;

    /// For preferences: the lists are made from the datasets' optional items, and owned.
    TypeViewImpl(std::vector<T> ownBase, std::vector<T> ownLocal, std::vector<T> ownServer, std::vector<T> ownMerged,
                 bool hasBase, const SyncReport<T>& report)
        : m_ownBase(std::move(ownBase))
        , m_ownLocal(std::move(ownLocal))
        , m_ownServer(std::move(ownServer))
        , m_ownMerged(std::move(ownMerged))
        , m_base(m_ownBase)
        , m_local(m_ownLocal)
        , m_server(m_ownServer)
        , m_merged(m_ownMerged)
        , m_hasBase(hasBase)
        , m_report(report)
    {
        buildRows();
    }

    TypeViewImpl(std::span<const T> base, std::span<const T> local, std::span<const T> server,
                 std::span<const T> merged, bool hasBase, const SyncReport<T>& report)
        : m_base(base)
        , m_local(local)
        , m_server(server)
        , m_merged(merged)
        , m_hasBase(hasBase)
        , m_report(report)
    {
        buildRows();
    }

    DataType type() const override { return Traits::type; }
    const std::vector<ItemRow>& rows() const override { return m_rows; }

    std::int64_t rowOf(const Uuid& id) const override
    {
        const std::uint32_t* row = m_rowOf.find(id);
        return row ? std::int64_t{*row} : -1;
    }

    std::vector<std::size_t> rowsOf(const Uuid& id) const override
    {
        std::vector<std::size_t> out;
        const std::int64_t first = rowOf(id);
        if (first < 0)
            return out;
        out.push_back(static_cast<std::size_t>(first));
        for (const auto& [row, firstOfId] : m_repeats) {
            if (firstOfId == first)
                out.push_back(row);
        }
        return out;
    }
    bool hasBase() const override { return m_hasBase; }
    const char* timestampName() const override { return Traits::timestampName; }
    const SyncStats& stats() const override { return m_report.stats; }
    const std::vector<Diagnostic>& diagnostics() const override { return m_report.diagnostics; }

    std::string label(std::size_t row) const override
    {
        const T* item = any(m_rows[row]);
        return item ? ItemFields<T>::label(*item) : std::string();
    }

    std::optional<Timestamp> timestamp(std::size_t row, Side side) const override
    {
        const T* item = at(m_rows[row], side);
        return item ? std::optional<Timestamp>(Traits::updatedAt(*item)) : std::nullopt;
    }

    std::optional<std::int64_t> version(std::size_t row, Side side) const override
    {
        const T* item = at(m_rows[row], side);
        return item ? Traits::version(*item) : std::nullopt;
    }

    std::optional<std::int64_t> resultVersion(std::size_t row) const override
    {
        const T* item = merged(m_rows[row]);
        return item ? Traits::version(*item) : std::nullopt;
    }

    std::vector<FieldRow> fieldRows(std::size_t row, const ItemResolution* resolution) const override
    {
        const ItemRow& r = m_rows[row];
        const T* local = at(r, Side::Local);
        const T* server = at(r, Side::Server);
        const T* base = item(m_base, r.base);
        std::optional<T> resolved;
        const T* result = merged(r);
        if (resolution) {
            resolved = resolve(r, *resolution, nullptr);
            result = resolved ? &*resolved : nullptr;
        }
        // Known fields in model order, then every unknown member of any side, first seen first.
        std::vector<FieldSpec> specs = ItemFields<T>::known();
        for (const T* present : {base, local, server, result}) {
            if (!present)
                continue;
            for (const FieldSpec& s : ItemFields<T>::specsOf(*present)) {
                if (s.known)
                    continue;
                bool seen = false;
                for (const FieldSpec& have : specs)
                    seen = seen || have.name == s.name;
                if (!seen)
                    specs.push_back(s);
            }
        }
        std::vector<FieldRow> out;
        out.reserve(specs.size());
        for (FieldSpec& s : specs) {
            FieldRow f;
            f.hasBase = m_hasBase;
            f.base = base ? ItemFields<T>::read(*base, s.name) : FieldCell::absent();
            f.local = local ? ItemFields<T>::read(*local, s.name) : FieldCell::absent();
            f.server = server ? ItemFields<T>::read(*server, s.name) : FieldCell::absent();
            f.result = result ? ItemFields<T>::read(*result, s.name) : FieldCell::absent();
            f.spec = std::move(s);
            out.push_back(std::move(f));
        }
        return out;
    }

    bool validate(std::string_view field, const FieldCell& cell, std::string* error) const override
    {
        T scratch{};
        return ItemFields<T>::write(scratch, field, cell, error);
    }

    std::optional<FieldCell> canonical(std::string_view field, const FieldCell& cell, std::string* error) const override
    {
        T scratch{};
        if (!ItemFields<T>::write(scratch, field, cell, error))
            return std::nullopt;
        return ItemFields<T>::read(scratch, field);
    }

    std::vector<const Diagnostic*> diagnosticsOf(std::size_t row) const override
    {
        std::vector<const Diagnostic*> out;
        if (m_rows[row].diagnostics == 0)
            return out;
        for (const Diagnostic& d : m_report.diagnostics) {
            if (d.item_id == m_rows[row].id)
                out.push_back(&d);
        }
        return out;
    }

    const Decision* decisionOf(std::size_t row) const override
    {
        const std::int32_t d = m_rows[row].decision;
        return d < 0 ? nullptr : &m_report.decisions[static_cast<std::size_t>(d)];
    }

    /// The new deck "keep both" adds from the device's copy of the row's deck; nullopt for any
    /// other resolution, type, or a row the device lacks.
    std::optional<T> deviceCopy(const ItemRow& r, const ItemResolution& res) const
    {
        if constexpr (std::is_same_v<T, Deck>) {
            if (const T* local = res.keepDeviceCopy ? at(r, Side::Local) : nullptr)
                return deviceCopyOf(*local);
        }
        return std::nullopt;
    }

    /// The item a resolution asks for: its base version with the field overrides applied;
    /// nullopt when it asks for no item (e.g. "keep local" of an item the device lacks).
    std::optional<T> resolve(const ItemRow& r, const ItemResolution& res, std::string* error) const
    {
        const T* base = res.base ? at(r, *res.base) : merged(r);
        if (!base && !res.fields.empty())
            base = any(r);
        if (!base)
            return std::nullopt;
        T out = *base;
        for (const FieldOverride& f : res.fields) {
            FieldCell cell;
            if (const std::optional<Side> side = f.side()) {
                const T* from = at(r, *side);
                cell = from ? ItemFields<T>::read(*from, f.field) : FieldCell::absent();
            } else {
                cell = *f.manual();
            }
            std::string why;
            if (!ItemFields<T>::write(out, f.field, cell, &why)) {
                if (error)
                    *error = std::string(dataTypeName(Traits::type)) + ' ' + r.id.toString() + ": " + f.field + ": " + why;
                return std::nullopt;
            }
        }
        return out;
    }

    /// How many items resolvedList() would hold, without copying any but the resolved ones.
    std::size_t resolvedCount(const ResolutionSet& set, std::vector<std::string>* problems) const
    {
        std::size_t n = 0;
        for (const ItemRow& r : m_rows) {
            if (const ItemResolution* res = set.empty() ? nullptr : set.find(Traits::type, r.id)) {
                std::string why;
                const std::optional<T> item = resolve(r, *res, &why);
                if (item || why.empty()) {
                    n += (item ? 1 : 0) + (deviceCopy(r, *res) ? 1 : 0);
                    continue;
                }
                if (problems)
                    problems->push_back(why);
            }
            n += merged(r) ? 1 : 0;
        }
        return n;
    }

    /// What applying `set` does to each item's copy on `side`, in row order.
    void resolvedChanges(const ResolutionSet& set, Side side, std::vector<ItemChange>& out) const
    {
        for (const ItemRow& r : m_rows) {
            const T* after = merged(r);
            std::optional<T> resolved;
            std::optional<T> copy;
            if (const ItemResolution* res = set.empty() ? nullptr : set.find(Traits::type, r.id)) {
                std::string why;
                resolved = resolve(r, *res, &why);
                if (resolved || why.empty()) { // else the engine's item stays (a problem the preview lists)
                    after = resolved ? &*resolved : nullptr;
                    copy = deviceCopy(r, *res);
                }
            }
            if (auto c = changeOf<T>(at(r, side), after))
                out.push_back(std::move(*c));
            if (copy) // new on both sides
                out.push_back(*changeOf<T>(nullptr, &*copy));
        }
    }

    /// The resolved list: every row in order, each the engine's item or its resolution's.
    std::vector<T> resolvedList(const ResolutionSet& set, std::vector<std::string>* problems) const
    {
        std::vector<T> out;
        out.reserve(m_merged.size());
        for (const ItemRow& r : m_rows) {
            const ItemResolution* res = set.find(Traits::type, r.id);
            if (res) {
                std::string why;
                std::optional<T> item = resolve(r, *res, &why);
                if (item || why.empty()) {
                    if (item)
                        out.push_back(std::move(*item));
                    if (std::optional<T> copy = deviceCopy(r, *res))
                        out.push_back(std::move(*copy));
                    continue;
                }
                if (problems)
                    problems->push_back(why);
            }
            if (const T* engine = merged(r))
                out.push_back(*engine);
        }
        return out;
    }

private:
    /// The row's item on one side, or nullptr.
    const T* at(const ItemRow& r, Side side) const
    {
        return side == Side::Local ? item(m_local, r.local) : item(m_server, r.server);
    }

    /// The row's item in the engine's result, or nullptr.
    const T* merged(const ItemRow& r) const { return item(m_merged, r.merged); }

    /// The result's item, else the local one, else the server's.
    const T* any(const ItemRow& r) const
    {
        if (const T* result = merged(r))
            return result;
        if (const T* local = at(r, Side::Local))
            return local;
        return at(r, Side::Server);
    }

    static const T* item(std::span<const T> list, std::int32_t i)
    {
        return i >= 0 && static_cast<std::size_t>(i) < list.size() ? &list[static_cast<std::size_t>(i)] : nullptr;
    }

    /// Calls `visit(i, row)` for each element of `list`, with the row its id has (or null).
    template <class List, class IdOf, class Visit>
    void forEachRowOf(const List& list, IdOf idOf, Visit visit)
    {
        for (std::size_t i = 0; i < list.size(); ++i) {
            m_rowOf.prefetchAhead(list, i, idOf);
            const std::uint32_t* row = m_rowOf.find(idOf(list[i]));
            visit(i, row ? &m_rows[*row] : nullptr);
        }
    }

    /// One pass over each list, all through one index from an id to its first row: at a
    /// million items each lookup is a cache miss, so there are as few as the lists' lengths.
    void buildRows()
    {
        const auto& decisions = m_report.decisions;
        const auto itemId = [](const T& item) -> const Uuid& { return Traits::id(item); };
        const auto recordId = [](const auto& record) -> const Uuid& { return record.item_id; };
        m_rowOf.reserve(m_server.size() + m_local.size());
        const auto addRow = [&](ItemRow r) {
            const auto row = static_cast<std::uint32_t>(m_rows.size());
            m_rows.push_back(r);
            return m_rowOf.emplace(r.id, row);
        };

        // The server's items, in order; a repeated id's later rows take the first's findings.
        m_rows.reserve(m_server.size() + m_local.size());
        for (std::size_t i = 0; i < m_server.size(); ++i) {
            ItemRow r;
            r.id = Traits::id(m_server[i]);
            r.server = static_cast<std::int32_t>(i);
            const auto [first, inserted] = addRow(r);
            if (!inserted)
                m_repeats.push_back({static_cast<std::uint32_t>(m_rows.size() - 1), first});
        }
        const std::size_t serverRows = m_rows.size();
        // The seed appends only added items; safe also keeps a device's edit of an item the
        // server deleted (a LocalKept decision about an id the server lacks).
        forEachRowOf(decisions, recordId, [&](std::size_t i, ItemRow* row) {
            const Decision& d = decisions[i];
            if (row || (d.kind != DecisionKind::Added && d.kind != DecisionKind::LocalKept))
                return; // on the server, or appended already (a repeated local id merges into the first)
            ItemRow r;
            r.id = d.item_id;
            addRow(r);
        });
        const std::size_t keptRows = m_rows.size();
        // The device's items: the first copy of each id is its row's; one that is neither on
        // the server nor appended is unchanged here and gone from the server: the sync drops it.
        forEachRowOf(m_local, itemId, [&](std::size_t i, ItemRow* row) {
            if (row) {
                if (row->local < 0)
                    row->local = static_cast<std::int32_t>(i);
                return;
            }
            ItemRow r;
            r.id = Traits::id(m_local[i]);
            r.local = static_cast<std::int32_t>(i);
            r.status = ItemStatus::Deleted;
            addRow(r);
        });
        forEachRowOf(m_base, itemId, [&](std::size_t i, ItemRow* row) {
            if (row && row->base < 0)
                row->base = static_cast<std::int32_t>(i);
        });
        forEachRowOf(m_report.conflicts, recordId, [&](std::size_t i, ItemRow* row) {
            if (row && row->conflict < 0)
                row->conflict = static_cast<std::int32_t>(i);
        });
        std::vector<bool> deleted(m_rows.size());
        forEachRowOf(decisions, recordId, [&](std::size_t i, ItemRow* row) {
            if (!row)
                return;
            if (row->decision < 0)
                row->decision = static_cast<std::int32_t>(i);
            if (decisions[i].kind == DecisionKind::Deleted)
                deleted[static_cast<std::size_t>(row - m_rows.data())] = true;
        });
        forEachRowOf(m_report.diagnostics, recordId, [&](std::size_t i, ItemRow* row) {
            if (!row)
                return;
            ++row->diagnostics;
            row->worst = std::max(row->worst, m_report.diagnostics[i].severity);
        });
        for (const auto& [row, first] : m_repeats) {
            ItemRow& r = m_rows[row];
            const ItemRow& f = m_rows[first];
            r.local = f.local;
            r.base = f.base;
            r.conflict = f.conflict;
            r.decision = f.decision;
            r.diagnostics = f.diagnostics;
            r.worst = f.worst;
            deleted[row] = deleted[first];
        }
        std::int32_t merged = 0;
        for (std::size_t i = 0; i < keptRows; ++i)
            m_rows[i].merged = i < serverRows && deleted[i] ? -1 : merged++;

        for (ItemRow& r : m_rows) {
            if (r.conflict >= 0) {
                r.status = ItemStatus::Conflict;
            } else if (r.decision >= 0) {
                switch (decisions[static_cast<std::size_t>(r.decision)].kind) {
                case DecisionKind::Added: r.status = ItemStatus::Added; break;
                case DecisionKind::LocalKept: r.status = ItemStatus::Updated; break;
                case DecisionKind::Merged:
                case DecisionKind::MergeFailed: r.status = ItemStatus::Merged; break;
                case DecisionKind::Deleted: r.status = ItemStatus::Deleted; break;
                case DecisionKind::ServerKept: r.status = ItemStatus::Unchanged; break;
                }
            }
            const T* result = this->merged(r);
            const std::optional<std::int64_t> after = result ? Traits::version(*result) : std::nullopt;
            const auto older = [&](std::int32_t at, std::span<const T> side) {
                const std::optional<std::int64_t> before = at >= 0 ? Traits::version(side[std::size_t(at)])
                                                                   : std::nullopt;
                return after && before && *after < *before;
            };
            r.localGoesBack = older(r.local, m_local);
            r.serverGoesBack = older(r.server, m_server);
        }
    }

    std::vector<T> m_ownBase, m_ownLocal, m_ownServer, m_ownMerged;
    std::span<const T> m_base, m_local, m_server, m_merged;
    bool m_hasBase = false;
    const SyncReport<T>& m_report;
    std::vector<ItemRow> m_rows;
    IdIndex m_rowOf; ///< id → its first row
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_repeats; ///< (row, first row of its id), in row order
};

template <class T>
std::vector<T> asList(const std::optional<T>& v)
{
    return v ? std::vector<T>{*v} : std::vector<T>{};
}

template <class T>
const TypeViewImpl<T>& impl(const TypeView& v)
{
    return static_cast<const TypeViewImpl<T>&>(v);
}

} // namespace

const char* itemStatusName(ItemStatus status)
{
    switch (status) {
    case ItemStatus::Unchanged: return "unchanged";
    case ItemStatus::Added: return "added";
    case ItemStatus::Updated: return "updated";
    case ItemStatus::Deleted: return "deleted";
    case ItemStatus::Merged: return "merged";
    case ItemStatus::Conflict: break;
    }
    return "conflict";
}

std::size_t TypeView::count(ItemStatus status) const
{
    std::size_t n = 0;
    for (const ItemRow& r : rows())
        n += r.status == status;
    return n;
}

std::size_t TypeView::rowsWithDiagnostics() const
{
    std::size_t n = 0;
    for (const ItemRow& r : rows())
        n += r.diagnostics > 0;
    return n;
}

SyncSnapshot::~SyncSnapshot() = default;

std::shared_ptr<const SyncSnapshot> SyncSnapshot::create(Dataset local, Dataset server, const SyncOptions& options,
                                                         ProgressObserver* observer)
{
    return create(std::make_shared<const Dataset>(std::move(local)), std::make_shared<const Dataset>(std::move(server)),
                  options, observer);
}

std::shared_ptr<const SyncSnapshot> SyncSnapshot::create(std::shared_ptr<const Dataset> local,
                                                         std::shared_ptr<const Dataset> server,
                                                         const SyncOptions& options, ProgressObserver* observer,
                                                         std::shared_ptr<const Dataset> base)
{
    std::shared_ptr<SyncSnapshot> s(new SyncSnapshot);
    s->m_local = std::move(local);
    s->m_server = std::move(server);
    s->m_base = std::move(base);
    s->m_options = options;
    SyncEngine engine(options);
    engine.setObserver(observer);
    engine.setBase(s->m_base.get());
    s->m_result = engine.syncDataset(*s->m_local, *s->m_server);
    static const Dataset none;
    const bool hasBase = s->m_base != nullptr;
    const Dataset& b = hasBase ? *s->m_base : none;
    const Dataset& l = *s->m_local;
    const Dataset& v = *s->m_server;
    const Dataset& m = s->m_result.merged;
    const DatasetSyncResult& r = s->m_result;
    s->m_views[0] = std::make_unique<TypeViewImpl<Deck>>(std::span(b.decks), std::span(l.decks), std::span(v.decks),
                                                         std::span(m.decks), hasBase, r.decks);
    s->m_views[1] = std::make_unique<TypeViewImpl<Achievement>>(std::span(b.achievements), std::span(l.achievements),
                                                                std::span(v.achievements), std::span(m.achievements),
                                                                hasBase, r.achievements);
    s->m_views[2] = std::make_unique<TypeViewImpl<Progress>>(std::span(b.progress), std::span(l.progress),
                                                             std::span(v.progress), std::span(m.progress), hasBase,
                                                             r.progress);
    s->m_views[3] = std::make_unique<TypeViewImpl<StarredDeck>>(std::span(b.starred), std::span(l.starred),
                                                                std::span(v.starred), std::span(m.starred), hasBase,
                                                                r.starred);
    s->m_views[4] = std::make_unique<TypeViewImpl<UserPreferences>>(asList(b.preferences), asList(l.preferences),
                                                                    asList(v.preferences), asList(m.preferences),
                                                                    hasBase, r.preferences);
    return s;
}

Dataset SyncSnapshot::resolvedServerState(const ResolutionSet& resolutions, std::vector<std::string>* problems) const
{
    Dataset out;
    out.layout = m_result.merged.layout;
    out.last_sync = m_options.now;
    out.decks = impl<Deck>(view(DataType::Decks)).resolvedList(resolutions, problems);
    out.achievements = impl<Achievement>(view(DataType::Achievements)).resolvedList(resolutions, problems);
    out.progress = impl<Progress>(view(DataType::Progress)).resolvedList(resolutions, problems);
    out.starred = impl<StarredDeck>(view(DataType::Starred)).resolvedList(resolutions, problems);
    auto prefs = impl<UserPreferences>(view(DataType::Preferences)).resolvedList(resolutions, problems);
    if (!prefs.empty())
        out.preferences = std::move(prefs.front());
    return out;
}

std::array<std::size_t, 5> SyncSnapshot::resolvedCounts(const ResolutionSet& resolutions,
                                                        std::vector<std::string>* problems) const
{
    return {impl<Deck>(view(DataType::Decks)).resolvedCount(resolutions, problems),
            impl<Achievement>(view(DataType::Achievements)).resolvedCount(resolutions, problems),
            impl<Progress>(view(DataType::Progress)).resolvedCount(resolutions, problems),
            impl<StarredDeck>(view(DataType::Starred)).resolvedCount(resolutions, problems),
            std::min<std::size_t>(1, impl<UserPreferences>(view(DataType::Preferences)).resolvedCount(resolutions, problems))};
}

std::vector<ItemChange> SyncSnapshot::resolvedChanges(const ResolutionSet& resolutions, Side side) const
{
    std::vector<ItemChange> out;
    impl<Deck>(view(DataType::Decks)).resolvedChanges(resolutions, side, out);
    impl<Achievement>(view(DataType::Achievements)).resolvedChanges(resolutions, side, out);
    impl<Progress>(view(DataType::Progress)).resolvedChanges(resolutions, side, out);
    impl<StarredDeck>(view(DataType::Starred)).resolvedChanges(resolutions, side, out);
    impl<UserPreferences>(view(DataType::Preferences)).resolvedChanges(resolutions, side, out);
    sortChanges(out);
    return out;
}

Dataset SyncSnapshot::resolvedLocalState(const Dataset& resolvedServer) const
{
    Dataset out = resolvedServer;
    out.layout = m_local->layout;
    out.last_sync = m_options.now;
    return out;
}

} // namespace decksync
