// SPDX-License-Identifier: MIT
#pragma once

#include "engine/models.h"
#include "engine/timestamp.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The seed's patterns that lose a user's data, as the engine's diagnostics name them.
enum class LossPattern : unsigned char { UnseenDeletion, TimeSummedTwice, ClockSkew };
inline constexpr LossPattern AllLossPatterns[] = {LossPattern::UnseenDeletion, LossPattern::TimeSummedTwice,
                                                  LossPattern::ClockSkew};
/// The diagnostic's code: "deletion-unseen", "progress-double-count", "clock-skew".
const char* lossPatternCode(LossPattern pattern);
/// What it does to the user, in a few words ("deletions the device never saw").
const char* lossPatternTitle(LossPattern pattern);
std::optional<LossPattern> lossPatternOf(std::string_view code);

/// One item that one sync hit with a pattern.
struct ScanFinding {
    qint64 revision = 0; ///< the revision the sync wrote
    decksync::Timestamp at;
    QByteArray device; ///< X-Device-Id of the sync, when it sent one
    decksync::DataType type = decksync::DataType::Decks;
    LossPattern pattern = LossPattern::UnseenDeletion;
    std::string itemId;
    std::string message; ///< the engine's sentence
};

struct ScannedUser {
    qint64 id = 0;
    QString email;
    std::vector<ScanFinding> findings; ///< by revision, then as the engine found them
};

/// What a scan found: the users hit, ordered by email, and every sync it could not run again.
struct ScanSummary {
    qint64 users = 0; ///< users with a sync in the window
    qint64 syncs = 0; ///< syncs run again
    std::vector<ScannedUser> hit;
    std::vector<QString> problems; ///< one sentence per sync (or user) that could not be read
};

/// Told, from the thread that called FleetScan::run(), how far the scan is.
class ScanProgress {
public:
    virtual ~ScanProgress() = default;
    virtual void scanned(qint64 users, qint64 total) = 0;
};

struct ScanOptions {
    QString database; ///< an SQLite file or a postgresql:// URL, as `--db` takes it
    decksync::Timestamp since; ///< the syncs written at or after it
    int jobs = 1;              ///< threads, one database connection each
};

/// Runs the engine again on every sync the server kept since a time (the device's upload
/// against the user's items as they were just before it; the engine is deterministic, so it
/// finds what the sync found, with today's diagnostics), and lists the users whose syncs hit
/// a pattern that loses data. The users are shared out among `jobs` threads; the result does
/// not depend on how many. Reads only (opening the database may upgrade its schema).
class FleetScan {
public:
    static bool run(const ScanOptions& options, ScanProgress* progress, ScanSummary* out, QString* error);
};
