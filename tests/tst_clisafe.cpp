// SPDX-License-Identifier: MIT
// The safe profile on the command line, run as a real process: `sync --profile safe --base`,
// repro bundles that carry the base, and `compare`, seed against safe.
#include "clirun.h"

#include "engine/datasetcodec.h"
#include "engine/fileio.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clirun;

namespace {

const QString Now = u"2024-06-01T12:00:00Z"_s;

QStringList sides(const char* command, bool withBase = true)
{
    QStringList args{QString::fromLatin1(command), u"--local"_s, sample("local.json"), u"--server"_s,
                     sample("server.json"), u"--now"_s, Now};
    if (withBase)
        args << u"--base"_s << sample("base.json");
    return args;
}

bool hasDeck(const decksync::Dataset& d, const std::string& title)
{
    return std::any_of(d.decks.begin(), d.decks.end(), [&](const decksync::Deck& x) { return x.title == title; });
}

} // namespace

class TestCliSafe : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void safeSyncKeepsWhatTheSeedDeletes();
    void bundleCarriesTheBase();
    void compareLists_data();
    void compareLists();
    void compareReport();
    void badBase_data();
    void badBase();
};

void TestCliSafe::safeSyncKeepsWhatTheSeedDeletes()
{
    QTemporaryDir dir;
    const QString seedOut = dir.filePath(u"seed.json"_s);
    const QString safeOut = dir.filePath(u"safe.json"_s);
    const QString seedReport = dir.filePath(u"seed-report.json"_s);
    const QString safeReport = dir.filePath(u"safe-report.json"_s);
    Run r = runCli(sides("sync", false) << u"--out"_s << seedOut << u"--report"_s << seedReport);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"profile seed, no base"_s));
    QVERIFY(!QJsonDocument::fromJson(readBytes(seedReport)).object().contains(u"run"_s)); // the seed's bytes as before
    r = runCli(sides("sync") << u"--profile"_s << u"safe"_s << u"--out"_s << safeOut << u"--report"_s << safeReport);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    QVERIFY(r.out.contains(u"profile safe, base "_s + sample("base.json")));
    const QJsonObject run = QJsonDocument::fromJson(readBytes(safeReport)).object()[u"run"_s].toObject();
    QCOMPARE(run[u"profile"_s].toString(), u"safe"_s);
    QCOMPARE(run[u"base"_s].toBool(), true);

    const auto seed = decksync::loadDatasetFile(seedOut.toStdString());
    const auto safe = decksync::loadDatasetFile(safeOut.toStdString());
    QVERIFY(seed.ok() && safe.ok());
    QVERIFY(!hasDeck(seed.value(), "Japanese kana")); // new on the server: the seed's deletion rule drops it
    QVERIFY(hasDeck(safe.value(), "Japanese kana"));
    QVERIFY(!hasDeck(safe.value(), "Old history deck")); // deleted on the device, unchanged on the server
    const auto time = [](const decksync::Dataset& d) {
        std::int64_t t = 0;
        for (const auto& p : d.progress)
            t += p.total_time_spent;
        return t;
    };
    QCOMPARE(time(seed.value()), 16440); // both sides' history summed
    QCOMPARE(time(safe.value()), 8940);  // each side's study since the base, once
}

void TestCliSafe::bundleCarriesTheBase()
{
    QTemporaryDir dir;
    const QString bundle = dir.filePath(u"repro.json"_s);
    Run r = runCli(sides("sync") << u"--profile"_s << u"safe"_s << u"--bundle"_s << bundle << u"--quiet"_s);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(readBytes(bundle)).object();
    QCOMPARE(doc[u"profile"_s].toString(), u"safe"_s);
    QVERIFY(doc[u"base"_s].isObject());
    r = runCli({u"replay"_s, bundle});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"profile safe"_s) && r.out.contains(u"with a base"_s), qPrintable(r.out));
    QVERIFY(r.out.contains(u"identical"_s));

    // Without its base the same bundle gives another result: the base is part of the run.
    QJsonObject stripped = doc;
    stripped.remove(u"base"_s);
    writeBytes(bundle, QJsonDocument(stripped).toJson());
    r = runCli({u"replay"_s, bundle});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(u"DIFFERENT"_s), qPrintable(r.out));
}

void TestCliSafe::compareLists_data()
{
    QTest::addColumn<bool>("withBase");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("with a base") << true
        << QStringList{u"base "_s + sample("base.json"), u"study time: the seed counts 16440 s, safe 8940 s"_s,
                       u"\"Japanese kana\": the seed deletes it, safe keeps it"_s,
                       u"title: seed Biology: cells, safe Biology: the cell (from the device)"_s,
                       u"total_time_spent: the base's 4800 plus what each side added"_s,
                       u"sound_enabled: seed true, safe false (from the server)"_s};
    QTest::newRow("no base") << false
        << QStringList{u"no base (safe decides per item by last_sync)"_s,
                       u"kept: new on the server since the last sync (the seed would delete it) (no base)"_s};
}

void TestCliSafe::compareLists()
{
    QFETCH(bool, withBase);
    QFETCH(QStringList, expected);
    const Run r = runCli(sides("compare", withBase));
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    for (const QString& line : expected)
        QVERIFY2(r.out.contains(line), qPrintable(u"missing: "_s + line + u"\n"_s + r.out));
}

void TestCliSafe::compareReport()
{
    QTemporaryDir dir;
    const QString report = dir.filePath(u"compare.json"_s);
    const Run r = runCli(sides("compare") << u"--report"_s << report);
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonObject doc = QJsonDocument::fromJson(readBytes(report), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc[u"base"_s].toBool(), true);
    QCOMPARE(doc[u"time_spent"_s].toObject()[u"safe"_s].toInt(), 8940);
    const QJsonArray differences = doc[u"differences"_s].toArray();
    QVERIFY(!differences.isEmpty());
    bool kana = false;
    for (const QJsonValue& d : differences) {
        const QJsonObject o = d.toObject();
        if (o[u"label"_s].toString() == u"Japanese kana"_s) {
            kana = true;
            QCOMPARE(o[u"kind"_s].toString(), u"seed-deletes"_s);
            QCOMPARE(o[u"type"_s].toString(), u"decks"_s);
            QVERIFY(o[u"seed_reason"_s].toString().contains(u"no longer holds it"_s));
        }
    }
    QVERIFY(kana);
    // The same inputs give the same bytes.
    const QByteArray first = readBytes(report);
    QCOMPARE(runCli(sides("compare") << u"--report"_s << report).exitCode, 0);
    QCOMPARE(readBytes(report), first);
}

void TestCliSafe::badBase_data()
{
    QTest::addColumn<QByteArray>("baseText");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not JSON") << QByteArray("{\"decks\": [") << u"base.json:1:"_s;
    QTest::newRow("bad item") << QByteArray(R"({"decks": [{"id": "x"}]})") << u"/decks/0/id"_s;
    QTest::newRow("missing") << QByteArray() << u"base.json: cannot open the file"_s;
}

void TestCliSafe::badBase()
{
    QFETCH(QByteArray, baseText);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString base = dir.filePath(u"base.json"_s);
    if (!baseText.isEmpty())
        writeBytes(base, baseText);
    const QString out = dir.filePath(u"merged.json"_s);
    for (const char* command : {"sync", "compare"}) {
        QStringList args = sides(command, false) << u"--base"_s << base;
        if (QByteArray(command) == "sync")
            args << u"--profile"_s << u"safe"_s << u"--out"_s << out;
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QVERIFY(!QFile::exists(out)); // nothing written
    }
}

QTEST_GUILESS_MAIN(TestCliSafe)
#include "tst_clisafe.moc"
