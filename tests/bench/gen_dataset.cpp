// SPDX-License-Identifier: MIT
//
// decksync-gen: writes a deterministic pair of dataset documents (local device + server) for one
// user, in the canonical pretty JSON form, for benchmarks. Standard library only.
//
//   decksync-gen --out-local L.json --out-server S.json [--items N] [--decks N]
//                [--achievements N] [--progress N] [--starred N] [--overlap 0.8]
//                [--conflict 0.2] [--seed 42] [--last-sync 2024-06-01T00:00:00Z]
//                [--content-bytes 250] [--shape default|change-heavy]
//
// Each list type has N items per side. Of the N server items, round(overlap * N) also exist
// locally (same id); the rest are server-only, and the local side gets as many local-only items
// (new on the device, appended after the shared ones). Of the shared items, round(conflict *
// shared) changed on both sides after last_sync (about half local-wins, half server-wins, a few
// exact timestamp ties); of the others most are identical and some changed on one side only.
//
// --shape names a mix: `default` is --overlap 0.8 --conflict 0.2; `change-heavy` is --overlap
// 0.6 --conflict 0.9: most shared items changed on both sides since last_sync, and many items
// only on the server (those older than last_sync are deletions the device made). An explicit
// --overlap or --conflict wins over the shape's, wherever it is given.
//
// Everything is drawn from splitmix64 / xoshiro256** keyed by (seed, type, index), so the same
// arguments always give the same bytes, and each side is written in a single streaming pass.

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>

namespace {

// ---------------------------------------------------------------------------------------------
// Random numbers

std::uint64_t splitmix64(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b)
{
    std::uint64_t s = a ^ (b * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL);
    return splitmix64(s);
}

class Rng { // xoshiro256**
public:
    explicit Rng(std::uint64_t seed)
    {
        for (auto& word : s_)
            word = splitmix64(seed);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform in [0, n) (n > 0); the modulo bias is irrelevant here.
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
    /// Uniform in [lo, hi].
    std::int64_t range(std::int64_t lo, std::int64_t hi)
    {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }
    bool percent(unsigned p) { return below(100) < p; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> s_{};
};

// ---------------------------------------------------------------------------------------------
// Values

struct Uuid {
    std::uint64_t hi = 0, lo = 0;
};

Uuid makeUuid(std::uint64_t hi, std::uint64_t lo)
{
    hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL; // version 4
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL; // RFC 4122 variant
    return {hi, lo};
}

Uuid uuidFromKey(std::uint64_t key) { return makeUuid(mix(key, 0x75756964), mix(key, 0x55554944)); }
Uuid randomUuid(Rng& r)
{
    const std::uint64_t hi = r.next();
    return makeUuid(hi, r.next());
}

struct Time {
    std::int64_t seconds = 0;
    std::uint32_t nanos = 0;
    friend bool operator==(const Time&, const Time&) = default;
    friend auto operator<=>(const Time&, const Time&) = default;
};

constexpr std::int64_t kDay = 86400;

std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t& year, unsigned& month, unsigned& day)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2);
}

/// Parses "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (1..9 fraction digits).
bool parseTime(std::string_view s, Time& out)
{
    auto num = [&](std::size_t pos, std::size_t count, unsigned& v) {
        if (pos + count > s.size())
            return false;
        v = 0;
        for (std::size_t i = pos; i < pos + count; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v = v * 10 + static_cast<unsigned>(s[i] - '0');
        }
        return true;
    };
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (!num(0, 4, y) || s.size() < 20 || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' || !num(8, 2, d) ||
        (s[10] != 'T' && s[10] != 't') || !num(11, 2, h) || s[13] != ':' || !num(14, 2, mi) ||
        s[16] != ':' || !num(17, 2, se))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
        return false;
    std::size_t pos = 19;
    std::uint32_t nanos = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 9)
                nanos = nanos * 10 + static_cast<std::uint32_t>(s[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0 || digits > 9)
            return false;
        for (; digits < 9; ++digits)
            nanos *= 10;
    }
    if (pos + 1 != s.size() || (s[pos] != 'Z' && s[pos] != 'z'))
        return false;
    out.seconds = daysFromCivil(y, mo, d) * kDay + h * 3600 + mi * 60 + se;
    out.nanos = nanos;
    return true;
}

/// Mostly whole seconds, some milliseconds, rarely microseconds.
std::uint32_t randomFraction(Rng& r)
{
    const auto p = r.below(100);
    if (p < 78)
        return 0;
    if (p < 98)
        return static_cast<std::uint32_t>(r.range(1, 999)) * 1'000'000U;
    auto micros = static_cast<std::uint32_t>(r.range(1, 999'999));
    if (micros % 1000 == 0)
        ++micros;
    return micros * 1000U;
}

// ---------------------------------------------------------------------------------------------
// Buffered JSON writer for the canonical pretty form (2-space indent, Python json.dumps style)

class Writer {
public:
    static constexpr std::size_t kFlushAt = std::size_t{8} << 20;

    explicit Writer(const char* path) : path_(path), file_(std::fopen(path, "wb"))
    {
        buf_.reserve(kFlushAt + (std::size_t{1} << 20));
    }
    ~Writer()
    {
        if (file_)
            std::fclose(file_);
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    bool ok() const { return file_ != nullptr && !failed_; }
    std::uint64_t bytes() const { return written_ + buf_.size(); }

    void raw(std::string_view s) { buf_.append(s); }
    void raw(char c) { buf_.push_back(c); }

    void integer(std::int64_t v)
    {
        char tmp[24];
        const auto res = std::to_chars(tmp, tmp + sizeof tmp, v);
        buf_.append(tmp, static_cast<std::size_t>(res.ptr - tmp));
    }

    void string(std::string_view s)
    {
        static constexpr char hex[] = "0123456789abcdef";
        buf_.push_back('"');
        std::size_t start = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c >= 0x20 && c != '"' && c != '\\')
                continue;
            buf_.append(s.data() + start, i - start);
            switch (c) {
            case '"': buf_.append("\\\""); break;
            case '\\': buf_.append("\\\\"); break;
            case '\n': buf_.append("\\n"); break;
            case '\r': buf_.append("\\r"); break;
            case '\t': buf_.append("\\t"); break;
            case '\b': buf_.append("\\b"); break;
            case '\f': buf_.append("\\f"); break;
            default: {
                const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                buf_.append(esc, 6);
            }
            }
            start = i + 1;
        }
        buf_.append(s.data() + start, s.size() - start);
        buf_.push_back('"');
    }

    void uuid(const Uuid& u)
    {
        static constexpr char hex[] = "0123456789abcdef";
        char out[38];
        std::size_t n = 0;
        out[n++] = '"';
        for (int i = 0; i < 32; ++i) {
            if (i == 8 || i == 12 || i == 16 || i == 20)
                out[n++] = '-';
            const std::uint64_t word = i < 16 ? u.hi : u.lo;
            const int shift = 60 - 4 * (i % 16);
            out[n++] = hex[(word >> shift) & 15];
        }
        out[n++] = '"';
        buf_.append(out, n);
    }

    void time(const Time& t)
    {
        const std::int64_t days = t.seconds >= 0 ? t.seconds / kDay : (t.seconds - kDay + 1) / kDay;
        const auto secOfDay = static_cast<unsigned>(t.seconds - days * kDay);
        std::int64_t year = 0;
        unsigned month = 0, day = 0;
        civilFromDays(days, year, month, day);
        char out[40];
        std::size_t n = 0;
        auto put = [&](unsigned v, int width) {
            for (int i = width - 1; i >= 0; --i) {
                out[n + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
                v /= 10;
            }
            n += static_cast<std::size_t>(width);
        };
        out[n++] = '"';
        put(static_cast<unsigned>(year), 4);
        out[n++] = '-';
        put(month, 2);
        out[n++] = '-';
        put(day, 2);
        out[n++] = 'T';
        put(secOfDay / 3600, 2);
        out[n++] = ':';
        put(secOfDay / 60 % 60, 2);
        out[n++] = ':';
        put(secOfDay % 60, 2);
        if (t.nanos != 0) {
            out[n++] = '.';
            if (t.nanos % 1'000'000 == 0)
                put(t.nanos / 1'000'000, 3);
            else if (t.nanos % 1000 == 0)
                put(t.nanos / 1000, 6);
            else
                put(t.nanos, 9);
        }
        out[n++] = 'Z';
        out[n++] = '"';
        buf_.append(out, n);
    }

    void null() { buf_.append("null"); }
    void boolean(bool b) { buf_.append(b ? "true" : "false"); }

    void maybeFlush()
    {
        if (buf_.size() >= kFlushAt)
            flush();
    }

    /// Writes what is buffered and closes the file; false on any I/O error.
    bool finish()
    {
        flush();
        if (file_ && std::fclose(file_) != 0)
            failed_ = true;
        file_ = nullptr;
        return !failed_;
    }

    const char* path() const { return path_; }

private:
    void flush()
    {
        if (!buf_.empty() && file_ && !failed_) {
            if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size())
                failed_ = true;
        }
        written_ += buf_.size();
        buf_.clear();
    }

    const char* path_;
    std::FILE* file_;
    std::string buf_;
    std::uint64_t written_ = 0;
    bool failed_ = false;
};

/// Writes the members of one object: `"key": value` separated by ",\n" at a fixed indent.
class Obj {
public:
    Obj(Writer& w, std::string_view indent, std::string_view closeIndent)
        : w_(w), indent_(indent), closeIndent_(closeIndent)
    {
        w_.raw("{\n");
    }
    Writer& key(std::string_view k)
    {
        if (!first_)
            w_.raw(",\n");
        first_ = false;
        w_.raw(indent_);
        w_.raw('"');
        w_.raw(k);
        w_.raw("\": ");
        return w_;
    }
    void close()
    {
        w_.raw('\n');
        w_.raw(closeIndent_);
        w_.raw('}');
    }

private:
    Writer& w_;
    std::string_view indent_, closeIndent_;
    bool first_ = true;
};

// ---------------------------------------------------------------------------------------------
// Realistic text

struct Card {
    std::string_view front, back;
};

struct Topic {
    std::string_view title;
    const Card* cards;
    std::size_t count; // 0: generated multiplication cards
};

constexpr Card kSpanishVerbs[] = {
    {"hablar", "to speak"}, {"comer", "to eat"}, {"vivir", "to live"}, {"tener", "to have"},
    {"hacer", "to do; to make"}, {"poder", "to be able to"}, {"decir", "to say"}, {"ir", "to go"},
    {"ver", "to see"}, {"dar", "to give"}, {"saber", "to know (facts)"}, {"querer", "to want; to love"},
    {"llegar", "to arrive"}, {"deber", "to owe; must"}, {"poner", "to put"}, {"parecer", "to seem"},
    {"seguir", "to follow"}, {"encontrar", "to find"}, {"conocer", "to know (people, places)"},
    {"pensar", "to think"}, {"volver", "to return"}, {"sentir", "to feel"}, {"empezar", "to begin"},
    {"soñar", "to dream"}, {"enseñar", "to teach"}, {"añadir", "to add"}};
constexpr Card kSpanishNouns[] = {
    {"el niño", "the child"}, {"el año", "the year"}, {"el corazón", "the heart"},
    {"la canción", "the song"}, {"la mañana", "the morning"}, {"el pájaro", "the bird"},
    {"la ciudad", "the city"}, {"el árbol", "the tree"}, {"la llave", "the key"},
    {"el azúcar", "the sugar"}, {"la montaña", "the mountain"}, {"el cumpleaños", "the birthday"},
    {"la estación", "the station; the season"}, {"el lápiz", "the pencil"}, {"la piña", "the pineapple"}};
constexpr Card kGerman[] = {
    {"die Straße", "the street"}, {"das Mädchen", "the girl"}, {"schön", "beautiful"},
    {"über", "over; about"}, {"früh", "early"}, {"die Tür", "the door"}, {"der Schlüssel", "the key"},
    {"müde", "tired"}, {"das Brötchen", "the bread roll"}, {"gemütlich", "cosy"},
    {"die Größe", "the size"}, {"fünfzehn", "fifteen"}, {"das Frühstück", "the breakfast"},
    {"zurück", "back"}, {"der Käse", "the cheese"}};
constexpr Card kFrench[] = {
    {"être", "to be"}, {"le garçon", "the boy"}, {"l'élève", "the pupil"}, {"ça va ?", "how are you?"},
    {"déjà", "already"}, {"où", "where"}, {"le château", "the castle"}, {"s'il vous plaît", "please"},
    {"Noël", "Christmas"}, {"la forêt", "the forest"}, {"le cœur", "the heart"}, {"naïf", "naive"},
    {"la fenêtre", "the window"}, {"aujourd'hui", "today"}, {"l'hôpital", "the hospital"}};
constexpr Card kJapanese[] = {
    {"猫 (ねこ)", "cat"}, {"水 (みず)", "water"}, {"先生 (せんせい)", "teacher"}, {"学校 (がっこう)", "school"},
    {"食べる (たべる)", "to eat"}, {"電車 (でんしゃ)", "train"}, {"雨 (あめ)", "rain"},
    {"友達 (ともだち)", "friend"}, {"今日 (きょう)", "today"}, {"本 (ほん)", "book"},
    {"山 (やま)", "mountain"}, {"飲む (のむ)", "to drink"}, {"大きい (おおきい)", "big"}};
constexpr Card kCapitals[] = {
    {"Capital of France", "Paris"}, {"Capital of Japan", "Tokyo"}, {"Capital of Australia", "Canberra"},
    {"Capital of Canada", "Ottawa"}, {"Capital of Brazil", "Brasília"}, {"Capital of Iceland", "Reykjavík"},
    {"Capital of Türkiye", "Ankara"}, {"Capital of Kenya", "Nairobi"}, {"Capital of Peru", "Lima"},
    {"Capital of Vietnam", "Hanoi"}, {"Capital of Poland", "Warsaw"}, {"Capital of Mongolia", "Ulaanbaatar"},
    {"Capital of Côte d'Ivoire", "Yamoussoukro"}, {"Capital of New Zealand", "Wellington"}};
constexpr Card kChemistry[] = {
    {"Symbol for sodium", "Na"}, {"Symbol for potassium", "K"}, {"Atomic number of carbon", "6"},
    {"Formula of water", "H₂O"}, {"Formula of table salt", "NaCl"}, {"pH of pure water at 25 °C", "7"},
    {"Avogadro's number", "6.022 × 10²³ mol⁻¹"}, {"Noble gas in period 2", "Ne (neon)"},
    {"Most electronegative element", "F (fluorine)"}, {"Charge of an electron", "−1.602 × 10⁻¹⁹ C"},
    {"Symbol for tungsten", "W"}, {"Lightest element", "H (hydrogen)"}};
constexpr Card kCpp[] = {
    {"What does \"constexpr\" mean?", "can be evaluated at compile time"},
    {"Escape sequence for a newline", "\\n (backslash n)"},
    {"Header for std::vector", "<vector>"},
    {"sizeof(char)", "1, by definition"},
    {"Rule of zero", "let members manage resources; declare no special members"},
    {"TSV field separator", "a tab character:\t(like this)"},
    {"Windows path example", "C:\\Users\\me\\deck.json"},
    {"What is RAII?", "\"Resource Acquisition Is Initialization\""},
    {"std::move does what?", "a cast to an rvalue reference; it moves nothing"},
    {"Default member access of struct", "public"}};
constexpr Card kAnatomy[] = {
    {"Largest organ", "the skin"}, {"Bones in an adult body", "206"}, {"Smallest bone", "the stapes"},
    {"Chambers of the heart", "4"}, {"Longest bone", "the femur"}, {"Where is insulin made?", "pancreas (β cells)"},
    {"Normal body temperature", "about 37 °C"}, {"Muscle that drives breathing", "the diaphragm"}};

constexpr Topic kTopics[] = {
    {"Spanish verbs", kSpanishVerbs, std::size(kSpanishVerbs)},
    {"Spanish nouns", kSpanishNouns, std::size(kSpanishNouns)},
    {"German basics", kGerman, std::size(kGerman)},
    {"French A1", kFrench, std::size(kFrench)},
    {"Japanese N5", kJapanese, std::size(kJapanese)},
    {"World capitals", kCapitals, std::size(kCapitals)},
    {"Chemistry", kChemistry, std::size(kChemistry)},
    {"C++ trivia", kCpp, std::size(kCpp)},
    {"Anatomy", kAnatomy, std::size(kAnatomy)},
    {"Times tables", nullptr, 0},
};
constexpr std::size_t kTopicCount = std::size(kTopics);

constexpr std::string_view kDescriptions[] = {
    "Core vocabulary for beginners",
    "Review before the exam",
    "Imported from a shared deck",
    "Daily practice — 10 minutes",
    "Cards from my lesson notes",
    "\"Hard\" cards I keep missing",
    "Week 3 of the course",
    "Mixed review, shuffled",
};
constexpr std::string_view kLocalSuffix[] = {" (phone edit)", " – revised", " ✎", " (offline)"};
constexpr std::string_view kServerSuffix[] = {" (web edit)", " – updated", " (shared)", " v2"};

/// Flashcard text: "front :: back" lines joined with newlines, about `target` bytes.
void makeContent(std::string& out, std::uint64_t key, std::size_t topicIndex, std::size_t target)
{
    Rng r(key);
    out.clear();
    const Topic& topic = kTopics[topicIndex];
    const std::size_t want = target == 0 ? 0 : target - target / 5 + r.below(target / 5 * 2 + 1);
    std::size_t next = 0, stride = 1;
    if (topic.count > 1) {
        next = r.below(topic.count);
        stride = 1 + r.below(topic.count - 1);
        while (std::gcd(stride, topic.count) != 1)
            ++stride;
    }
    while (out.size() < want) {
        if (!out.empty())
            out.push_back('\n');
        if (topic.count == 0) {
            const auto a = 2 + r.below(11), b = 2 + r.below(11);
            out.append(std::to_string(a)).append(" × ").append(std::to_string(b)).append(" :: ");
            out.append(std::to_string(a * b));
        } else {
            // Walk the pool from a random card with a stride coprime to its size: no repeats
            // until every card was used.
            const Card& card = topic.cards[next];
            out.append(card.front).append(" :: ").append(card.back);
            next = (next + stride) % topic.count;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dataset plan

enum class Type : std::uint64_t { Decks = 1, Achievements = 2, Progress = 3, Starred = 4, Preferences = 5, User = 6 };
enum class Side { Local, Server };
enum class Kind { ServerOnly, Same, LocalEdit, ServerEdit, ConflictLocalWins, ConflictServerWins, ConflictTie, LocalOnly };

constexpr std::uint64_t kNsServerSlot = 0; // items at server slots (shared or server-only)
constexpr std::uint64_t kNsLocalOnly = 1;  // items only on the device

struct Config {
    std::uint64_t counts[4] = {1000, 1000, 1000, 1000}; // decks, achievements, progress, starred
    double overlap = 0.8;
    double conflict = 0.2;
    std::uint64_t seed = 42;
    Time lastSync{};
    std::string lastSyncText = "2024-06-01T00:00:00Z";
    std::size_t contentBytes = 250;
    const char* outLocal = nullptr;
    const char* outServer = nullptr;
};

struct ListPlan {
    std::uint64_t n = 0, shared = 0, conflicts = 0;
};

ListPlan planFor(const Config& c, std::uint64_t n)
{
    ListPlan p;
    p.n = n;
    p.shared = std::min<std::uint64_t>(n, static_cast<std::uint64_t>(std::llround(c.overlap * static_cast<double>(n))));
    p.conflicts = std::min<std::uint64_t>(
        p.shared, static_cast<std::uint64_t>(std::llround(c.conflict * static_cast<double>(p.shared))));
    return p;
}

/// True when slot i of n is one of the k picked, spread evenly (exactly k of n are picked).
bool picked(std::uint64_t i, std::uint64_t k, std::uint64_t n)
{
    return n != 0 && (i + 1) * k / n != i * k / n;
}

class Generator {
public:
    explicit Generator(const Config& c) : c_(c)
    {
        for (int t = 0; t < 4; ++t)
            plans_[t] = planFor(c, c.counts[t]);
        user_ = uuidFromKey(key(Type::User, 0, 0));
    }

    const ListPlan& plan(int t) const { return plans_[t]; }

    void write(Writer& w, Side side)
    {
        Obj top(w, "  ", "");
        auto& lastSync = top.key("last_sync");
        if (side == Side::Local)
            lastSync.time(c_.lastSync);
        else
            lastSync.null();
        list(top.key("decks"), Type::Decks, side, &Generator::deck);
        list(top.key("achievements"), Type::Achievements, side, &Generator::achievement);
        list(top.key("progress"), Type::Progress, side, &Generator::progress);
        list(top.key("starred"), Type::Starred, side, &Generator::starred);
        preferences(top.key("preferences"), side);
        top.close();
        w.raw('\n');
    }

private:
    using ItemFn = void (Generator::*)(Obj&, std::uint64_t index, std::uint64_t ns, Kind, Side);

    std::uint64_t key(Type t, std::uint64_t index, std::uint64_t ns) const
    {
        return mix(mix(mix(c_.seed, static_cast<std::uint64_t>(t)), index), ns);
    }

    Kind slotKind(Type t, std::uint64_t slot) const
    {
        const ListPlan& p = plans_[static_cast<int>(t) - 1];
        if (!picked(slot, p.shared, p.n))
            return Kind::ServerOnly;
        const std::uint64_t ordinal = slot * p.shared / p.n;
        Rng r(key(t, slot, 7));
        const auto roll = r.below(100);
        if (picked(ordinal, p.conflicts, p.shared))
            return roll < 6 ? Kind::ConflictTie : roll < 53 ? Kind::ConflictLocalWins : Kind::ConflictServerWins;
        return roll < 70 ? Kind::Same : roll < 85 ? Kind::LocalEdit : Kind::ServerEdit;
    }

    void list(Writer& w, Type t, Side side, ItemFn fn)
    {
        const ListPlan& p = plans_[static_cast<int>(t) - 1];
        if (p.n == 0) {
            w.raw("[]");
            return;
        }
        w.raw("[\n");
        bool first = true;
        auto item = [&](std::uint64_t index, std::uint64_t ns, Kind kind) {
            if (!first)
                w.raw(",\n");
            first = false;
            w.raw("    ");
            Obj o(w, "      ", "    ");
            (this->*fn)(o, index, ns, kind, side);
            o.close();
            w.maybeFlush();
        };
        for (std::uint64_t slot = 0; slot < p.n; ++slot) {
            const Kind kind = slotKind(t, slot);
            if (side == Side::Server || kind != Kind::ServerOnly)
                item(slot, kNsServerSlot, kind);
        }
        if (side == Side::Local) {
            for (std::uint64_t i = 0; i < p.n - p.shared; ++i)
                item(i, kNsLocalOnly, Kind::LocalOnly);
        }
        w.raw("\n  ]");
    }

    // --- time helpers -------------------------------------------------------------------------

    Time before(Rng& r, std::int64_t minAgo, std::int64_t maxAgo) const
    {
        return {c_.lastSync.seconds - r.range(minAgo, maxAgo), randomFraction(r)};
    }
    /// Some moment in the 8 days after last_sync.
    Time after(Rng& r) const { return {c_.lastSync.seconds + r.range(60, 8 * kDay - 1), randomFraction(r)}; }

    /// Two distinct moments after last_sync, earlier first.
    void afterPair(Rng& r, Time& early, Time& late) const
    {
        early = after(r);
        late = after(r);
        if (late == early)
            late.seconds += 1;
        if (late < early)
            std::swap(early, late);
    }

    /// Resolves the per-side timestamps: base if this side did not change it, else an edit time.
    struct Edit {
        bool changed = false;
        Time when{};
    };
    Edit editFor(Rng& r, Kind kind, Side side) const
    {
        Time early, late;
        afterPair(r, early, late);
        const bool local = side == Side::Local;
        switch (kind) {
        case Kind::LocalEdit: return {local, late};
        case Kind::ServerEdit: return {!local, late};
        case Kind::ConflictLocalWins: return {true, local ? late : early};
        case Kind::ConflictServerWins: return {true, local ? early : late};
        case Kind::ConflictTie: return {true, early};
        default: return {false, late};
        }
    }

    /// Items new since last_sync: every local-only item and half the server-only ones (created
    /// on another device; the other half are older, as if deleted on this device).
    static bool isFresh(Rng& r, Kind kind)
    {
        const bool roll = r.percent(50);
        return kind == Kind::LocalOnly || (kind == Kind::ServerOnly && roll);
    }

    Uuid deckRef(Rng& r) const
    {
        const std::uint64_t decks = plans_[0].n;
        if (decks == 0)
            return randomUuid(r);
        return uuidFromKey(key(Type::Decks, r.below(decks), kNsServerSlot));
    }

    // --- items --------------------------------------------------------------------------------

    void deck(Obj& o, std::uint64_t index, std::uint64_t ns, Kind kind, Side side)
    {
        const std::uint64_t k = key(Type::Decks, index, ns);
        Rng r(k);
        const std::size_t topic = r.below(kTopicCount);
        const auto number = 1 + r.below(60);
        const bool hasDescription = r.percent(70);
        const auto description = kDescriptions[r.below(std::size(kDescriptions))];
        const bool conflict = kind == Kind::ConflictLocalWins || kind == Kind::ConflictServerWins || kind == Kind::ConflictTie;
        const bool local = side == Side::Local;

        Time created, updated;
        std::int64_t version = 1 + static_cast<std::int64_t>(r.below(8));
        if (isFresh(r, kind)) {
            created = after(r);
            updated = created;
            if (r.percent(30))
                updated.seconds += r.range(1, 3600);
            version = 1;
        } else {
            created = before(r, kDay, 400 * kDay);
            updated = {created.seconds + static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(c_.lastSync.seconds - created.seconds))),
                       randomFraction(r)};
        }
        const auto localInc = r.range(1, 3), serverInc = r.range(1, 3);
        const auto localSuffix = kLocalSuffix[r.below(std::size(kLocalSuffix))];
        const auto serverSuffix = kServerSuffix[r.below(std::size(kServerSuffix))];
        const Edit edit = editFor(r, kind, side);

        std::string title(kTopics[topic].title);
        title.push_back(' ');
        title.append(std::to_string(number));
        std::uint64_t contentKey = mix(k, 100);
        if (edit.changed) {
            updated = edit.when;
            if (conflict) {
                std::int64_t l = version + localInc, s = version + serverInc;
                if (l == s)
                    ++s;
                version = local ? l : s;
            } else {
                version += local ? localInc : serverInc;
            }
            title.append(local ? localSuffix : serverSuffix);
            contentKey = mix(k, local ? 101 : 102);
        }
        makeContent(content_, contentKey, topic, c_.contentBytes);

        o.key("id").uuid(uuidFromKey(k));
        o.key("user_id").uuid(user_);
        o.key("title").string(title);
        auto& d = o.key("description");
        if (hasDescription)
            d.string(description);
        else
            d.null();
        o.key("content").string(content_);
        o.key("created_at").time(created);
        o.key("updated_at").time(updated);
        o.key("version").integer(version);
    }

    void achievement(Obj& o, std::uint64_t index, std::uint64_t ns, Kind kind, Side side)
    {
        static constexpr std::string_view types[] = {
            "first_deck",    "first_study_session", "streak_3",      "streak_7",
            "streak_30",     "cards_mastered_100",  "cards_mastered_1000", "deck_completed",
            "night_owl",     "early_bird",          "perfect_score", "marathon_session"};
        static constexpr std::string_view titles[] = {
            "First deck created", "First study session", "3-day streak", "7-day streak",
            "30-day streak", "100 cards mastered", "1,000 cards mastered", "Deck completed",
            "Night owl", "Early bird", "Perfect score!", "Marathon session"};
        const std::uint64_t k = key(Type::Achievements, index, ns);
        Rng r(k);
        const auto type = r.below(std::size(types));
        const bool hasTitle = r.percent(75);
        const bool hasDeck = r.percent(60);
        const Uuid deckId = deckRef(r);
        Time earned = isFresh(r, kind) ? after(r) : before(r, 60, 300 * kDay);
        const auto localSuffix = kLocalSuffix[r.below(std::size(kLocalSuffix))];
        const auto serverSuffix = kServerSuffix[r.below(std::size(kServerSuffix))];
        const Edit edit = editFor(r, kind, side);

        std::string title(titles[type]);
        bool titled = hasTitle;
        if (edit.changed) {
            earned = edit.when;
            titled = true;
            title.append(side == Side::Local ? localSuffix : serverSuffix);
        }
        o.key("id").uuid(uuidFromKey(k));
        o.key("user_id").uuid(user_);
        o.key("achievement_type").string(types[type]);
        o.key("earned_at").time(earned);
        auto& t = o.key("title");
        if (titled)
            t.string(title);
        else
            t.null();
        auto& d = o.key("deck_id");
        if (hasDeck)
            d.uuid(deckId);
        else
            d.null();
    }

    void progress(Obj& o, std::uint64_t index, std::uint64_t ns, Kind kind, Side side)
    {
        const std::uint64_t k = key(Type::Progress, index, ns);
        Rng r(k);
        const Uuid deckId = deckRef(r);
        const bool fresh = isFresh(r, kind);
        std::int64_t total = r.range(10, 200);
        std::int64_t studied = fresh ? r.range(1, 20) : r.range(0, total);
        std::int64_t mastered = r.range(0, studied);
        Time last = fresh ? after(r) : before(r, 60, 200 * kDay);
        std::int64_t streak = fresh ? 1 : r.range(0, 60);
        std::int64_t spent = fresh ? r.range(30, 1800) : r.range(60, 200'000);
        std::int64_t version = fresh ? 1 : r.range(1, 40);
        const auto studiedInc = r.range(1, 30), masteredInc = r.range(0, 15), spentInc = r.range(60, 3600);
        const auto localInc = r.range(1, 3), serverInc = r.range(1, 3);
        const Edit edit = editFor(r, kind, side);
        if (fresh) {
            studied = std::min(studied, total);
            mastered = std::min(mastered, studied);
        }
        if (edit.changed) {
            const bool local = side == Side::Local;
            const bool conflict = kind == Kind::ConflictLocalWins || kind == Kind::ConflictServerWins || kind == Kind::ConflictTie;
            // The two sides studied different amounts.
            const std::int64_t scale = local ? 1 : 2;
            studied = std::min(total, studied + studiedInc * scale);
            mastered = std::min(studied, mastered + masteredInc * scale);
            last = edit.when;
            streak += 1;
            spent += spentInc * scale;
            if (conflict) {
                std::int64_t l = version + localInc, s = version + serverInc;
                if (l == s)
                    ++s;
                version = local ? l : s;
            } else {
                version += local ? localInc : serverInc;
            }
        }
        o.key("id").uuid(uuidFromKey(k));
        o.key("user_id").uuid(user_);
        o.key("deck_id").uuid(deckId);
        o.key("cards_studied").integer(studied);
        o.key("cards_mastered").integer(mastered);
        o.key("total_cards").integer(total);
        o.key("last_studied").time(last);
        o.key("streak_days").integer(streak);
        o.key("total_time_spent").integer(spent);
        o.key("version").integer(version);
    }

    void starred(Obj& o, std::uint64_t index, std::uint64_t ns, Kind kind, Side side)
    {
        const std::uint64_t k = key(Type::Starred, index, ns);
        Rng r(k);
        const Uuid deckId = deckRef(r);
        Time at = isFresh(r, kind) ? after(r) : before(r, 60, 365 * kDay);
        if (kind == Kind::ConflictTie) // starred_at is the only thing that can differ
            kind = Kind::ConflictLocalWins;
        const Edit edit = editFor(r, kind, side);
        if (edit.changed)
            at = edit.when; // starred again
        o.key("id").uuid(uuidFromKey(k));
        o.key("user_id").uuid(user_);
        o.key("deck_id").uuid(deckId);
        o.key("starred_at").time(at);
    }

    void preferences(Writer& w, Side side)
    {
        static constexpr std::string_view themes[] = {"light", "dark", "system"};
        static constexpr std::string_view languages[] = {"en", "es", "de", "fr", "ja", "pt-BR"};
        Rng r(key(Type::Preferences, 0, 0));
        auto theme = r.below(std::size(themes));
        const auto language = r.below(std::size(languages));
        bool sound = r.percent(70);
        const bool hasGoal = r.percent(80);
        std::int64_t goal = 5 * r.range(2, 20);
        Time updated = before(r, 3600, 90 * kDay);
        std::int64_t version = r.range(1, 12);
        const auto scenario = r.below(3); // 0 identical, 1 changed locally, 2 changed on both sides
        Time early, late;
        afterPair(r, early, late);
        if (side == Side::Local && scenario != 0) {
            theme = (theme + 1) % std::size(themes);
            goal += 5;
            updated = scenario == 1 ? late : early;
            version += 1;
        } else if (side == Side::Server && scenario == 2) {
            sound = !sound;
            updated = late;
            version += 2;
        }
        Obj o(w, "    ", "  ");
        o.key("user_id").uuid(user_);
        o.key("theme").string(themes[theme]);
        o.key("language").string(languages[language]);
        o.key("sound_enabled").boolean(sound);
        auto& g = o.key("daily_goal");
        if (hasGoal)
            g.integer(goal);
        else
            g.null();
        o.key("updated_at").time(updated);
        o.key("version").integer(version);
        o.close();
    }

    const Config& c_;
    ListPlan plans_[4];
    Uuid user_;
    std::string content_;
};

// ---------------------------------------------------------------------------------------------
// Command line

[[noreturn]] void usage(const char* why)
{
    if (why)
        std::fprintf(stderr, "decksync-gen: %s\n", why);
    std::fputs("usage: decksync-gen --out-local L.json --out-server S.json [--items N] [--decks N]\n"
               "         [--achievements N] [--progress N] [--starred N] [--overlap 0.8]\n"
               "         [--conflict 0.2] [--seed 42] [--last-sync 2024-06-01T00:00:00Z]\n"
               "         [--content-bytes 250] [--shape default|change-heavy]\n",
               stderr);
    std::exit(2);
}

std::uint64_t parseCount(std::string_view flag, std::string_view v)
{
    std::uint64_t n = 0;
    const auto res = std::from_chars(v.data(), v.data() + v.size(), n);
    if (res.ec != std::errc{} || res.ptr != v.data() + v.size()) {
        const std::string why = std::string(flag) + " wants a non-negative integer";
        usage(why.c_str());
    }
    return n;
}

double parseFraction(std::string_view flag, const char* v)
{
    char* end = nullptr;
    const double d = std::strtod(v, &end);
    if (end == v || *end != '\0' || !(d >= 0.0 && d <= 1.0)) {
        const std::string why = std::string(flag) + " wants a number between 0 and 1";
        usage(why.c_str());
    }
    return d;
}

Config parseArgs(int argc, char** argv)
{
    Config c;
    std::int64_t perType[4] = {-1, -1, -1, -1};
    double overlap = -1.0, conflict = -1.0; // given: 0..1
    std::string_view shape = "default";
    std::uint64_t items = 1000;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (flag == "-h" || flag == "--help")
            usage(nullptr);
        if (i + 1 >= argc) {
            const std::string why = "missing value for " + std::string(flag);
            usage(why.c_str());
        }
        const char* value = argv[++i];
        if (flag == "--out-local")
            c.outLocal = value;
        else if (flag == "--out-server")
            c.outServer = value;
        else if (flag == "--items")
            items = parseCount(flag, value);
        else if (flag == "--decks")
            perType[0] = static_cast<std::int64_t>(parseCount(flag, value));
        else if (flag == "--achievements")
            perType[1] = static_cast<std::int64_t>(parseCount(flag, value));
        else if (flag == "--progress")
            perType[2] = static_cast<std::int64_t>(parseCount(flag, value));
        else if (flag == "--starred")
            perType[3] = static_cast<std::int64_t>(parseCount(flag, value));
        else if (flag == "--overlap")
            overlap = parseFraction(flag, value);
        else if (flag == "--conflict")
            conflict = parseFraction(flag, value);
        else if (flag == "--shape")
            shape = value;
        else if (flag == "--seed")
            c.seed = parseCount(flag, value);
        else if (flag == "--content-bytes")
            c.contentBytes = static_cast<std::size_t>(parseCount(flag, value));
        else if (flag == "--last-sync")
            c.lastSyncText = value;
        else {
            const std::string why = "unknown option " + std::string(flag);
            usage(why.c_str());
        }
    }
    if (!c.outLocal || !c.outServer)
        usage("--out-local and --out-server are required");
    if (shape == "change-heavy") {
        c.overlap = 0.6;
        c.conflict = 0.9;
    } else if (shape != "default") {
        usage("--shape is default or change-heavy");
    }
    if (overlap >= 0.0)
        c.overlap = overlap;
    if (conflict >= 0.0)
        c.conflict = conflict;
    for (int t = 0; t < 4; ++t)
        c.counts[t] = perType[t] >= 0 ? static_cast<std::uint64_t>(perType[t]) : items;
    if (!parseTime(c.lastSyncText, c.lastSync))
        usage("--last-sync wants an RFC 3339 UTC time like 2024-06-01T00:00:00Z");
    return c;
}

} // namespace

int main(int argc, char** argv)
{
    const Config config = parseArgs(argc, argv);
    Generator gen(config);

    std::uint64_t sizes[2] = {0, 0};
    const char* paths[2] = {config.outLocal, config.outServer};
    for (int s = 0; s < 2; ++s) {
        Writer w(paths[s]);
        if (!w.ok()) {
            std::fprintf(stderr, "decksync-gen: cannot open %s: %s\n", paths[s], std::strerror(errno));
            return 1;
        }
        gen.write(w, s == 0 ? Side::Local : Side::Server);
        sizes[s] = w.bytes();
        if (!w.finish()) {
            std::fprintf(stderr, "decksync-gen: write error on %s: %s\n", paths[s], std::strerror(errno));
            return 1;
        }
    }

    const ListPlan& d = gen.plan(0);
    std::fprintf(stderr,
                 "decksync-gen: seed %llu, per side %llu decks, %llu achievements, %llu progress, %llu starred "
                 "(decks: %llu shared, %llu conflicts); local %s %llu bytes, server %s %llu bytes\n",
                 static_cast<unsigned long long>(config.seed), static_cast<unsigned long long>(config.counts[0]),
                 static_cast<unsigned long long>(config.counts[1]), static_cast<unsigned long long>(config.counts[2]),
                 static_cast<unsigned long long>(config.counts[3]), static_cast<unsigned long long>(d.shared),
                 static_cast<unsigned long long>(d.conflicts), config.outLocal,
                 static_cast<unsigned long long>(sizes[0]), config.outServer,
                 static_cast<unsigned long long>(sizes[1]));
    return 0;
}
