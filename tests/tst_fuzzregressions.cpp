// SPDX-License-Identifier: MIT
// Inputs the libFuzzer targets (tests/fuzz/) found or that were written to stress them, run
// through the same code as the target named by each file's prefix: no crash, no sanitizer
// report, no broken round trip, and every decode failure is a value with a message. Each file's
// verdict (accepted, or the messages its decoders refuse it with) is pinned in verdicts().
#include "tests/fuzz/fuzztargets.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QStringList>
#include <QTest>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fuzz = decksync::fuzz;
using Runner = std::function<fuzz::Errors(std::string_view)>;

namespace {

/// The target a regression file belongs to, from its name: `<target>-<short-name>`.
Runner runnerFor(const QString& fileName)
{
    if (fileName.startsWith(QLatin1String("fuzz_dataset-")))
        return fuzz::runDataset;
    if (fileName.startsWith(QLatin1String("fuzz_syncbody-")))
        return fuzz::runSyncBody;
    if (fileName.startsWith(QLatin1String("fuzz_batch-")))
        return fuzz::runBatch;
    if (fileName.startsWith(QLatin1String("fuzz_scalars-")))
        return fuzz::runScalars;
    if (fileName.startsWith(QLatin1String("fuzz_merge-")))
        return fuzz::runMerge;
    return {};
}

const std::vector<std::pair<const char*, Runner>>& allRunners()
{
    static const std::vector<std::pair<const char*, Runner>> runners{
        {"dataset", fuzz::runDataset},
        {"syncbody", fuzz::runSyncBody},
        {"batch", fuzz::runBatch},
        {"scalars", fuzz::runScalars},
        {"merge", fuzz::runMerge},
    };
    return runners;
}

/// What a saved input must give: the messages of the decode errors its runner returns, in the
/// runner's order, none when every decoder it tries accepts the input. runSyncBody decodes
/// as Deck then as UserPreferences; runScalars as resolutions then as a repro bundle; the
/// others stop at their first error.
struct Verdict {
    const char* file;
    std::vector<const char*> errors;
};

const std::vector<Verdict>& verdicts()
{
    static constexpr const char* outOfRange = "9223372036854775808 is out of range for a 64-bit integer";
    static const std::vector<Verdict> table{
        {"fuzz_batch-deep-data", {"nesting deeper than 128 levels"}},
        {"fuzz_batch-version-1e999", {"expected an integer, found the number 1e999"}},
        {"fuzz_batch-version-9223372036854775807", {}},
        {"fuzz_batch-version-9223372036854775808", {outOfRange}},
        {"fuzz_batch-version-m0", {}},
        {"fuzz_batch-version-m9223372036854775808", {}},

        {"fuzz_dataset-deep-arrays", {"expected an object, found an array"}},
        {"fuzz_dataset-deep-unknown-member", {"nesting deeper than 128 levels"}},
        {"fuzz_dataset-invalid-utf8-keys", {"invalid UTF-8 in a string"}},
        {"fuzz_dataset-last-sync-year-10000",
         {R"("9999-12-31T23:30:00-00:30" is outside years 0000 to 9999 once converted to UTC)"}},
        {"fuzz_dataset-nul-escapes", {R"(lone leading surrogate in a \u escape)"}},
        {"fuzz_dataset-nul-title", {}},
        {"fuzz_dataset-numbers", {}},
        {"fuzz_dataset-version-1e999", {"expected an integer, found the number 1e999"}},
        {"fuzz_dataset-version-1p0", {"expected an integer, found the number 1.0"}},
        {"fuzz_dataset-version-9223372036854775807", {}},
        {"fuzz_dataset-version-9223372036854775808", {outOfRange}},
        {"fuzz_dataset-version-m0", {}},
        {"fuzz_dataset-version-m9223372036854775808", {}},
        {"fuzz_dataset-version-m9223372036854775809", {"-9223372036854775809 is out of range for a 64-bit integer"}},

        {"fuzz_scalars-repro-numbers", {"expected an array, found an object", outOfRange}},
        {"fuzz_scalars-repro-without-expected", {"expected an array, found an object"}},
        {"fuzz_scalars-resolutions-nul",
         {R"(lone leading surrogate in a \u escape)", "expected an object, found an array"}},
        {"fuzz_scalars-timestamp-extremes", {"expected an array, found a number", "expected an object, found a number"}},
        {"fuzz_scalars-timestamp-offset",
         {R"(unexpected character '\x14', expected a value)", R"(unexpected character '\x14', expected a value)"}},
        {"fuzz_scalars-timestamp-year-10000",
         {R"(unexpected character '\x00', expected a value)", R"(unexpected character '\x00', expected a value)"}},
        {"fuzz_scalars-timestamp-year-minus-1",
         {R"(unexpected character '\x00', expected a value)", R"(unexpected character '\x00', expected a value)"}},
        {"fuzz_scalars-uuid-forms",
         {"unexpected character '&', expected a value", "unexpected character '&', expected a value"}},

        {"fuzz_syncbody-deep", {"expected an object, found an array", "expected an object, found an array"}},
        {"fuzz_syncbody-last-sync-year-minus-1",
         {R"("0000-01-01T00:00:00.5+00:01" is outside years 0000 to 9999 once converted to UTC)",
          "expected an object, found an array"}},
        {"fuzz_syncbody-numbers",
         {R"("9999-12-31T23:59:59.999999999-23:59" is outside years 0000 to 9999 once converted to UTC)",
          "expected an object, found an array"}},
        {"fuzz_syncbody-prefs-nul",
         {R"("0000-01-01T00:00:00+23:59" is outside years 0000 to 9999 once converted to UTC)",
          R"("0000-01-01T00:00:00+23:59" is outside years 0000 to 9999 once converted to UTC)"}},
    };
    return table;
}

const Verdict* verdictFor(const QString& fileName)
{
    for (const Verdict& verdict : verdicts()) {
        if (fileName == QLatin1String(verdict.file))
            return &verdict;
    }
    return nullptr;
}

/// The messages in braces, for a failure message.
QString describe(const QStringList& messages)
{
    QStringList quoted;
    for (const QString& message : messages)
        quoted << QLatin1Char('"') + message + QLatin1Char('"');
    return QLatin1Char('{') + quoted.join(QLatin1String(", ")) + QLatin1Char('}');
}

std::string repeat(std::string_view s, std::size_t n)
{
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private slots:
    void saved_data();
    void saved();
    void verdictsNameSavedFiles();
    void generated_data();
    void generated();
};

void TestFuzzRegressions::saved_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("pinned");
    QTest::addColumn<QStringList>("expected");
    QStringList paths;
    QDirIterator it(QStringLiteral(DECKSYNC_FUZZ_REGRESSIONS), QDir::Files);
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    QVERIFY2(!paths.isEmpty(), "no files in " DECKSYNC_FUZZ_REGRESSIONS);
    for (const QString& path : std::as_const(paths)) {
        const QString name = QFileInfo(path).fileName();
        const Verdict* verdict = verdictFor(name);
        QStringList expected;
        if (verdict) {
            for (const char* message : verdict->errors)
                expected << QString::fromUtf8(message);
        }
        QTest::newRow(qPrintable(name)) << path << (verdict != nullptr) << expected;
    }
}

void TestFuzzRegressions::saved()
{
    QFETCH(QString, path);
    QFETCH(bool, pinned);
    QFETCH(QStringList, expected);
    const QString name = QFileInfo(path).fileName();
    const Runner run = runnerFor(name);
    QVERIFY2(run, "the file name must start with fuzz_dataset-, fuzz_syncbody-, fuzz_batch-, fuzz_scalars- or fuzz_merge-");
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    const QByteArray bytes = file.readAll();
    const fuzz::Errors errors = run(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
    QStringList actual;
    for (const std::string& message : errors) {
        QVERIFY2(!message.empty(), "a decode error without a message");
        actual << QString::fromStdString(message);
    }
    if (!pinned)
        QFAIL(qPrintable(QStringLiteral("%1 has no verdict in verdicts() (tests/tst_fuzzregressions.cpp); "
                                        "today it gives: %2")
                             .arg(name, describe(actual))));
    if (actual.size() != expected.size())
        QFAIL(qPrintable(QStringLiteral("expected %1, got %2").arg(describe(expected), describe(actual))));
    QCOMPARE(actual, expected);
}

/// Every pinned verdict names a file that is still there, and no file twice.
void TestFuzzRegressions::verdictsNameSavedFiles()
{
    const QDir dir(QStringLiteral(DECKSYNC_FUZZ_REGRESSIONS));
    QStringList seen;
    for (const Verdict& verdict : verdicts()) {
        const QString name = QString::fromUtf8(verdict.file);
        QVERIFY2(dir.exists(name), qPrintable(QStringLiteral("verdicts() names %1, which is not in %2").arg(name, dir.path())));
        QVERIFY2(!seen.contains(name), qPrintable(QStringLiteral("verdicts() names %1 twice").arg(name)));
        seen << name;
    }
}

/// Inputs too large to keep as files, through every target.
void TestFuzzRegressions::generated_data()
{
    QTest::addColumn<std::string>("input");
    const std::string big(10 * 1024 * 1024, 'x');
    QTest::newRow("10 MB string") << ('"' + big + '"');
    QTest::newRow("10 MB title") << (R"({"decks": [{"title": ")" + big + R"("}]})");
    QTest::newRow("10 MB unterminated") << ('"' + big);
    QTest::newRow("10 MB escapes") << ('"' + repeat("\\u0000", 1024 * 1024) + '"');
    QTest::newRow("100000 [") << std::string(100000, '[');
    QTest::newRow("100000 [ closed") << (std::string(100000, '[') + std::string(100000, ']'));
    QTest::newRow("100000 objects") << repeat(R"({"data":)", 100000);
    QTest::newRow("100000 decks nested") << (R"({"decks": )" + repeat(R"([{"x": )", 100000));
    QTest::newRow("100000 empty decks") << (R"({"decks": [)" + repeat("{},", 99999) + "{}]}");
}

void TestFuzzRegressions::generated()
{
    QFETCH(std::string, input);
    for (const auto& [name, run] : allRunners()) {
        const fuzz::Errors errors = run(input);
        for (const std::string& message : errors)
            QVERIFY2(!message.empty(), name);
    }
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
