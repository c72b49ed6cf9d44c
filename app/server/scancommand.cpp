// SPDX-License-Identifier: MIT
#include "app/server/scancommand.h"

#include "engine/jsonwriter.h"

#include <QLocale>

#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace decksync;

namespace ScanCommand {
namespace {

struct PatternCount {
    qint64 users = 0;
    qint64 items = 0;
};

std::array<PatternCount, std::size(AllLossPatterns)> countPatterns(const ScanSummary& summary)
{
    std::array<PatternCount, std::size(AllLossPatterns)> counts{};
    for (const ScannedUser& user : summary.hit) {
        std::array<bool, std::size(AllLossPatterns)> seen{};
        for (const ScanFinding& f : user.findings) {
            const auto p = static_cast<std::size_t>(f.pattern);
            ++counts[p].items;
            if (!seen[p])
                ++counts[p].users;
            seen[p] = true;
        }
    }
    return counts;
}

std::string utf8(const QString& s) { return s.toStdString(); }

QString plural(qint64 n, const char* one, const char* many)
{
    return QLocale::c().toString(n) + u' ' + QLatin1String(n == 1 ? one : many);
}

/// Shows "scanned N of M users" on a terminal, over itself.
class TerminalProgress final : public ScanProgress {
public:
    void scanned(qint64 users, qint64 total) override
    {
        std::fprintf(stderr, "\rscanned %lld of %lld users", static_cast<long long>(users),
                     static_cast<long long>(total));
        std::fflush(stderr);
        m_shown = true;
    }
    ~TerminalProgress() override
    {
        if (m_shown)
            std::fputs("\n", stderr);
    }

private:
    bool m_shown = false;
};

} // namespace

std::string json(const ScanSummary& summary, Timestamp since)
{
    std::string out;
    JsonWriter w(out);
    w.beginObject();
    w.key("since");
    w.timestamp(since);
    w.key("users_scanned");
    w.integer(summary.users);
    w.key("syncs_scanned");
    w.integer(summary.syncs);
    w.key("users_hit");
    w.integer(static_cast<std::int64_t>(summary.hit.size()));
    w.key("patterns");
    w.beginArray();
    const auto counts = countPatterns(summary);
    for (const LossPattern p : AllLossPatterns) {
        w.beginObject();
        w.key("code");
        w.string(lossPatternCode(p));
        w.key("title");
        w.string(lossPatternTitle(p));
        w.key("users");
        w.integer(counts[static_cast<std::size_t>(p)].users);
        w.key("items");
        w.integer(counts[static_cast<std::size_t>(p)].items);
        w.endObject();
    }
    w.endArray();
    w.key("users");
    w.beginArray();
    for (const ScannedUser& user : summary.hit) {
        w.beginObject();
        w.key("email");
        w.string(utf8(user.email));
        w.key("id");
        w.integer(user.id);
        w.key("findings");
        w.beginArray();
        for (const ScanFinding& f : user.findings) {
            w.beginObject();
            w.key("revision");
            w.integer(f.revision);
            w.key("at");
            w.timestamp(f.at);
            w.key("device");
            w.string(f.device.toStdString());
            w.key("type");
            w.string(dataTypeName(f.type));
            w.key("pattern");
            w.string(lossPatternCode(f.pattern));
            w.key("item_id");
            w.string(f.itemId);
            w.key("message");
            w.string(f.message);
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }
    w.endArray();
    w.key("problems");
    w.beginArray();
    for (const QString& p : summary.problems)
        w.string(utf8(p));
    w.endArray();
    w.endObject();
    w.finish();
    return out;
}

std::string text(const ScanSummary& summary, Timestamp since)
{
    QString out = u"Scanned %1 with %2 since %3.\n"_s.arg(plural(summary.users, "user", "users"),
                                                          plural(summary.syncs, "sync", "syncs"),
                                                          QString::fromStdString(since.toString()));
    if (summary.hit.empty()) {
        out += u"No user was hit by a pattern that loses data.\n"_s;
    } else {
        out += u"%1 by a pattern that loses data:\n"_s.arg(
            plural(static_cast<qint64>(summary.hit.size()), "user was hit", "users were hit"));
        const auto counts = countPatterns(summary);
        for (const LossPattern p : AllLossPatterns) {
            const PatternCount& c = counts[static_cast<std::size_t>(p)];
            out += u"  %1 %2, %3: %4\n"_s.arg(QString::fromLatin1(lossPatternCode(p)).leftJustified(22),
                                               plural(c.users, "user", "users"), plural(c.items, "item", "items"),
                                               QLatin1String(lossPatternTitle(p)));
        }
        out += u'\n';
        for (const ScannedUser& user : summary.hit) {
            // One line per pattern that hit the user: how many items, in which revisions and types.
            struct Hits {
                qint64 items = 0;
                std::set<qint64> revisions;
                std::set<QString> types;
            };
            std::map<LossPattern, Hits> by;
            for (const ScanFinding& f : user.findings) {
                Hits& hits = by[f.pattern];
                ++hits.items;
                hits.revisions.insert(f.revision);
                hits.types.insert(QLatin1String(dataTypeName(f.type)));
            }
            for (const auto& [pattern, hits] : by) {
                QStringList revisions;
                for (const qint64 r : hits.revisions)
                    revisions << QString::number(r);
                const QStringList types(hits.types.begin(), hits.types.end());
                out += u"%1  %2  %3 (%4), revision%5 %6\n"_s.arg(
                    user.email.leftJustified(30), QString::fromLatin1(lossPatternCode(pattern)).leftJustified(22),
                    plural(hits.items, "item", "items"), types.join(u", "_s),
                    revisions.size() == 1 ? QString() : u"s"_s, revisions.join(u", "_s));
            }
        }
    }
    if (!summary.problems.empty()) {
        out += u"\n%1 could not be run again:\n"_s.arg(
            plural(static_cast<qint64>(summary.problems.size()), "sync", "syncs"));
        for (const QString& p : summary.problems)
            out += u"  "_s + p + u'\n';
    }
    return utf8(out);
}

int run(const ScanOptions& options, bool asJson)
{
    TerminalProgress terminal;
    const bool onTerminal = isatty(STDERR_FILENO) == 1;
    ScanSummary summary;
    QString error;
    const auto started = std::chrono::steady_clock::now();
    if (!FleetScan::run(options, onTerminal ? &terminal : nullptr, &summary, &error)) {
        std::fprintf(stderr, "decksync-server: %s\n", qUtf8Printable(error));
        return 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string printed = asJson ? json(summary, options.since) : text(summary, options.since);
    std::fwrite(printed.data(), 1, printed.size(), stdout);
    std::fflush(stdout);
    std::fprintf(stderr, "decksync-server: scanned %lld users and %lld syncs in %.2f s with %d job%s\n",
                 static_cast<long long>(summary.users), static_cast<long long>(summary.syncs), seconds,
                 options.jobs, options.jobs == 1 ? "" : "s");
    return summary.problems.empty() ? 0 : 2;
}

} // namespace ScanCommand
