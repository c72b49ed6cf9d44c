// SPDX-License-Identifier: MIT
#pragma once

// The bodies of the libFuzzer targets, shared with tests/tst_fuzzregressions.cpp so the saved
// inputs in tests/fuzz/regressions/ run through exactly the code that found them.
//
// Each function takes one input and returns the messages of the decode errors it met (the
// decoders report failures as values; a caller may check that each message is non-empty).
// A broken invariant (a round trip that changes the value or the bytes) calls std::abort().

#include "engine/batch.h"
#include "engine/datasetcodec.h"
#include "engine/jsonreader.h"
#include "engine/reprobundle.h"
#include "engine/reportcodec.h"
#include "engine/resolutioncodec.h"
#include "engine/syncengine.h"
#include "engine/syncbody.h"
#include "engine/syncsnapshot.h"
#include "engine/timestamp.h"
#include "engine/uuid.h"

#include <cstdio>      // fprintf
#include <cstdlib>     // abort
#include <optional>    // optional
#include <string>      // string
#include <string_view> // string_view
#include <type_traits> // is_same_v
#include <vector>      // vector

namespace decksync::fuzz {

using Errors = std::vector<std::string>;

[[noreturn]] inline void invariantBroken(const char* what)
{
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

/// The fixed clock of every sync the targets run.
inline Timestamp fixedNow() { return Timestamp::fromCivil(2024, 6, 2, 12, 0, 0); }

/// A small server dataset (a slice of resources/samples/server.json).
inline const Dataset& sampleServerDataset()
{
    static const Dataset dataset = [] {
        static constexpr std::string_view text = R"({
  "last_sync": "2024-06-01T08:00:00Z",
  "decks": [
    {"id": "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f", "user_id": "6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",
     "title": "Statistics", "description": "Means, medians and spread",
     "content": "mean :: the average\nmedian :: the middle value", "created_at": "2024-02-01T10:00:00Z",
     "updated_at": "2024-05-28T19:30:00Z", "version": 6},
    {"id": "3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081", "user_id": "6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",
     "title": "Spanish verbs", "description": "Regular and irregular verbs, present tense",
     "content": "hablar :: to speak", "created_at": "2024-05-02T18:20:00Z",
     "updated_at": "2024-06-01T09:10:00.123456Z", "version": 2, "tags": ["language", "spanish"]}
  ],
  "achievements": [],
  "progress": [],
  "starred": [],
  "preferences": null
})";
        Decoded<Dataset> d = codec::decodeDataset(text);
        if (!d.ok())
            invariantBroken("the embedded sample dataset does not decode");
        return std::move(d.value());
    }();
    return dataset;
}

inline void noteError(Errors& errors, const DecodeError& e) { errors.push_back(e.message); }

/// fuzz_dataset: decode; encode, decode again and re-encode must give the same bytes; sync.
inline Errors runDataset(std::string_view input)
{
    Errors errors;
    Decoded<Dataset> first = codec::decodeDataset(input);
    if (!first.ok()) {
        noteError(errors, first.error());
        return errors;
    }
    const std::string encoded = codec::encodeDataset(first.value());
    Decoded<Dataset> second = codec::decodeDataset(encoded);
    if (!second.ok()) {
        std::fprintf(stderr, "re-decode failed: %s\n", second.error().toString().c_str());
        invariantBroken("an encoded dataset does not decode again");
    }
    if (codec::encodeDataset(second.value()) != encoded)
        invariantBroken("re-encoding a decoded dataset changed its bytes");

    SyncOptions options;
    options.now = fixedNow();
    options.lastSync = first.value().last_sync;
    const SyncEngine engine(options);
    (void)engine.syncDataset(first.value(), second.value());
    options.lastSync.reset();
    const SyncEngine fresh(options);
    (void)fresh.syncDataset(first.value(), sampleServerDataset());
    (void)fresh.syncDataset(sampleServerDataset(), std::move(second.value()));
    return errors;
}

/// fuzz_syncbody: the body of the server's `POST /sync/{type}` (decodeSyncBody, the server's
/// own decoder), for a list type (Deck) and for the single type (UserPreferences); what it
/// read must round-trip and sync against the sample server data.
template <class T>
void checkSyncBody(const SyncBody<T>& body)
{
    std::vector<const T*> read;
    for (const T& item : body.items)
        read.push_back(&item);
    if (body.single)
        read.push_back(&*body.single);
    for (const T* item : read) {
        const std::string text = codec::encodeItem(*item);
        Decoded<T> again = codec::decodeItem<T>(text);
        if (!again.ok() || codec::encodeItem(again.value()) != text)
            invariantBroken("a sync body item does not round-trip");
    }
    if (body.lastSync && Timestamp::parse(body.lastSync->toString()) != body.lastSync)
        invariantBroken("last_sync does not round-trip");
    SyncOptions options;
    options.now = fixedNow();
    options.lastSync = body.lastSync;
    const SyncEngine engine(options);
    if constexpr (std::is_same_v<T, UserPreferences>)
        (void)engine.syncPreferences(body.single, sampleServerDataset().preferences);
    else
        (void)engine.syncDecks(body.items, sampleServerDataset().decks);
}

inline Errors runSyncBody(std::string_view input)
{
    Errors errors;
    if (Decoded<SyncBody<Deck>> d = decodeSyncBody<Deck>(input); d.ok())
        checkSyncBody(d.value());
    else
        noteError(errors, d.error());
    if (Decoded<SyncBody<UserPreferences>> d = decodeSyncBody<UserPreferences>(input); d.ok())
        checkSyncBody(d.value());
    else
        noteError(errors, d.error());
    return errors;
}

/// fuzz_merge: the input is two datasets separated by a NUL byte (which JSON text cannot
/// hold), synced as local and server through SyncSnapshot, the inspector's path. The same
/// inputs must give the same bytes twice; the merged state must round-trip; every row's field
/// rows must build; the resolved state with no resolutions must equal the engine's; taking
/// every conflict as local, as server, and with one field overridden must not crash.
/// The safe profile on the same pair, against the server as the base and against none: the
/// same bytes twice, rows aligned with the merged list, and no item both sides hold, nor one
/// new on the server since the base, dropped.
inline void checkSafe(const std::shared_ptr<const Dataset>& local, const std::shared_ptr<const Dataset>& server,
                      SyncOptions options)
{
    options.profile = Profile::Safe;
    for (const std::shared_ptr<const Dataset>& base : {std::shared_ptr<const Dataset>(), server}) {
        const auto snapshot = SyncSnapshot::create(local, server, options, nullptr, base);
        const auto again = SyncSnapshot::create(local, server, options, nullptr, base);
        if (codec::encodeDataset(snapshot->result().merged) != codec::encodeDataset(again->result().merged)
            || codec::encodeReport(snapshot->result()) != codec::encodeReport(again->result()))
            invariantBroken("the same safe sync gave different bytes");
        if (codec::encodeDataset(snapshot->resolvedServerState({})) != codec::encodeDataset(snapshot->result().merged))
            invariantBroken("the safe resolved state without resolutions differs from the engine's");
        for (DataType type : AllDataTypes) {
            for (const ItemRow& row : snapshot->view(type).rows()) {
                if (row.local >= 0 && row.server >= 0 && row.merged < 0)
                    invariantBroken("safe dropped an item both sides hold");
            }
        }
    }
}

inline Errors runMerge(std::string_view input)
{
    Errors errors;
    const std::size_t nul = input.find('\0');
    const std::string_view localText = input.substr(0, nul);
    const std::string_view serverText = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
    Decoded<Dataset> local = codec::decodeDataset(localText);
    if (!local.ok()) {
        noteError(errors, local.error());
        return errors;
    }
    Decoded<Dataset> server = codec::decodeDataset(serverText.empty() ? std::string_view("{}") : serverText);
    if (!server.ok()) {
        noteError(errors, server.error());
        return errors;
    }
    SyncOptions options;
    options.now = fixedNow();
    options.lastSync = local.value().last_sync;
    auto localShared = std::make_shared<const Dataset>(std::move(local.value()));
    auto serverShared = std::make_shared<const Dataset>(std::move(server.value()));
    const auto snapshot = SyncSnapshot::create(localShared, serverShared, options);
    const auto again = SyncSnapshot::create(localShared, serverShared, options);
    const std::string merged = codec::encodeDataset(snapshot->result().merged);
    if (merged != codec::encodeDataset(again->result().merged)
        || codec::encodeReport(snapshot->result()) != codec::encodeReport(again->result()))
        invariantBroken("the same sync gave different bytes");
    Decoded<Dataset> reread = codec::decodeDataset(merged);
    if (!reread.ok() || codec::encodeDataset(reread.value()) != merged)
        invariantBroken("the merged state does not round-trip");
    if (codec::encodeDataset(snapshot->resolvedServerState({})) != merged)
        invariantBroken("the resolved state without resolutions differs from the engine's");

    ResolutionSet asLocal, asServer, edited;
    for (DataType type : AllDataTypes) {
        const TypeView& view = snapshot->view(type);
        for (std::size_t row = 0; row < view.rows().size(); ++row) {
            const ItemRow& item = view.rows()[row];
            const std::vector<FieldRow> fields = view.fieldRows(row, nullptr);
            (void)view.label(row);
            if (item.status != ItemStatus::Conflict)
                continue;
            asLocal.set(type, item.id, {Side::Local, {}});
            asServer.set(type, item.id, {Side::Server, {}});
            if (!fields.empty()) {
                ItemResolution r{std::nullopt, {}};
                r.setField({fields.back().spec.name, Side::Local});
                edited.set(type, item.id, std::move(r));
            }
        }
    }
    checkSafe(localShared, serverShared, options);
    for (const ResolutionSet* set : {&asLocal, &asServer, &edited}) {
        std::vector<std::string> problems;
        const Dataset resolved = snapshot->resolvedServerState(*set, &problems);
        (void)snapshot->resolvedLocalState(resolved);
        std::vector<std::string> countProblems;
        const auto counts = snapshot->resolvedCounts(*set, &countProblems);
        for (std::size_t t = 0; t < counts.size(); ++t) {
            if (counts[t] != itemCount(resolved, AllDataTypes[t]))
                invariantBroken("the Apply preview's count differs from the resolved state's");
        }
        if (countProblems != problems)
            invariantBroken("the Apply preview's problems differ from the resolved state's");
        if (!codec::decodeDataset(codec::encodeDataset(resolved)).ok())
            invariantBroken("a resolved state does not decode again");
    }
    return errors;
}

/// fuzz_batch: decode a batch request and apply it on an empty and on the sample dataset.
inline Errors runBatch(std::string_view input)
{
    Errors errors;
    Decoded<BatchSyncRequest> request = decodeBatchRequest(input);
    if (!request.ok()) {
        noteError(errors, request.error());
        return errors;
    }
    for (const Dataset* base : {static_cast<const Dataset*>(nullptr), &sampleServerDataset()}) {
        const BatchOutcome outcome = applyBatch(base ? *base : Dataset{}, request.value());
        if (!outcome.ok && outcome.error.empty())
            invariantBroken("a refused batch has no error message");
        if (outcome.ok) {
            // The result must be a dataset the codec can write and read back.
            const std::string text = codec::encodeDataset(outcome.result);
            Decoded<Dataset> again = codec::decodeDataset(text);
            if (!again.ok()) {
                std::fprintf(stderr, "re-decode failed: %s\n", again.error().toString().c_str());
                invariantBroken("a batch result does not decode again");
            }
        }
    }
    return errors;
}

inline void checkTimestamp(std::string_view text)
{
    std::string why;
    const std::optional<Timestamp> t = Timestamp::parse(text, &why);
    if (!t)
        return;
    if (t->nanos > 999'999'999u)
        invariantBroken("a parsed timestamp has more than a second of nanoseconds");
    const std::string written = t->toString();
    const std::optional<Timestamp> again = Timestamp::parse(written);
    if (!again || *again != *t) {
        std::fprintf(stderr, "timestamp %s does not round-trip\n", written.c_str());
        invariantBroken("Timestamp toString/parse round trip");
    }
}

inline void checkUuid(std::string_view text)
{
    const std::optional<Uuid> u = Uuid::parse(text);
    if (!u)
        return;
    const std::optional<Uuid> again = Uuid::parse(u->toString());
    if (!again || *again != *u)
        invariantBroken("Uuid toString/parse round trip");
}

/// fuzz_scalars: Timestamp and Uuid parsers (whole input, and the input split in two at the
/// position its first byte names), then the resolution and repro-bundle decoders (each
/// re-encoded, decoded again and re-encoded to the same bytes).
inline Errors runScalars(std::string_view input)
{
    Errors errors;
    checkTimestamp(input);
    checkUuid(input);
    if (!input.empty()) {
        const std::string_view rest = input.substr(1);
        const std::size_t cut = rest.empty() ? 0 : static_cast<unsigned char>(input[0]) % (rest.size() + 1);
        const std::string_view a = rest.substr(0, cut), b = rest.substr(cut);
        checkTimestamp(a);
        checkTimestamp(b);
        checkUuid(a);
        checkUuid(b);
    }
    if (Decoded<ResolutionSet> r = codec::decodeResolutions(input); !r.ok()) {
        noteError(errors, r.error());
    } else {
        const std::string text = codec::encodeResolutions(r.value());
        Decoded<ResolutionSet> again = codec::decodeResolutions(text);
        if (!again.ok() || codec::encodeResolutions(again.value()) != text)
            invariantBroken("resolutions do not round-trip");
    }
    if (Decoded<ReproBundle> b = codec::decodeReproBundle(input); !b.ok()) {
        noteError(errors, b.error());
    } else {
        const std::string text = codec::encodeReproBundle(b.value());
        Decoded<ReproBundle> again = codec::decodeReproBundle(text);
        if (!again.ok() || codec::encodeReproBundle(again.value()) != text)
            invariantBroken("a repro bundle does not round-trip");
    }
    return errors;
}

} // namespace decksync::fuzz
