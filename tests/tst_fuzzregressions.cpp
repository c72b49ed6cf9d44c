// SPDX-License-Identifier: MIT
// Inputs the libFuzzer targets (tests/fuzz/) found or that were written to stress them, run
// through the same code as the target named by each file's prefix: no crash, no sanitizer
// report, no broken round trip, and every decode failure is a value with a message.
#include "tests/fuzz/fuzztargets.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QObject>
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
    void generated_data();
    void generated();
};

void TestFuzzRegressions::saved_data()
{
    QTest::addColumn<QString>("path");
    QStringList paths;
    QDirIterator it(QStringLiteral(DECKSYNC_FUZZ_REGRESSIONS), QDir::Files);
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    QVERIFY2(!paths.isEmpty(), "no files in " DECKSYNC_FUZZ_REGRESSIONS);
    for (const QString& path : std::as_const(paths))
        QTest::newRow(qPrintable(QFileInfo(path).fileName())) << path;
}

void TestFuzzRegressions::saved()
{
    QFETCH(QString, path);
    const Runner run = runnerFor(QFileInfo(path).fileName());
    QVERIFY2(run, "the file name must start with fuzz_dataset-, fuzz_syncbody-, fuzz_batch- or fuzz_scalars-");
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    const QByteArray bytes = file.readAll();
    const fuzz::Errors errors = run(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
    for (const std::string& message : errors)
        QVERIFY2(!message.empty(), "a decode error without a message");
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
