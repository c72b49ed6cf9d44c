// SPDX-License-Identifier: MIT
// The case report for the reply and the ticket: its content from the engine, and
// `decksync report` writing it as Markdown, HTML and a PDF that is read back with
// poppler-utils (pdftotext for its text, pdftoppm for a rendered page).
#include "clirun.h"
#include "samplesnapshot.h"
#include "testutil.h"

#include "engine/casereport.h"
#include "engine/datasetcodec.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace decksync;
using namespace clirun;
using namespace Qt::StringLiterals;

namespace {

/// The text of a PDF, by pdftotext; empty when it cannot be read.
QString pdfText(const QString& path)
{
    QProcess p;
    p.start(u"pdftotext"_s, {u"-layout"_s, path, u"-"_s});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

QStringList reportArgs(const QString& out)
{
    return {u"report"_s, u"--local"_s, sample("local.json"), u"--server"_s, sample("server.json"),
            u"--now"_s,    u"2024-06-01T12:00:00Z"_s, u"--out"_s, out};
}

} // namespace

class TestCaseReport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void namesWhatChangesAndEveryConflict();
    void resolutionsByHandAreInIt();
    void notesAreInTheReportAndTheSummary();
    void markdownIsDeterministic();
    void writesEachFormat_data();
    void writesEachFormat();
    void pdfRendersAndReadsBack();
    void badFormatIsRefused_data();
    void badFormatIsRefused();
};

void TestCaseReport::initTestCase()
{
    if (QStandardPaths::findExecutable(u"pdftotext"_s).isEmpty() || QStandardPaths::findExecutable(u"pdftoppm"_s).isEmpty())
        QFAIL("poppler-utils is missing: scripts/deps.sh test installs it");
}

void TestCaseReport::namesWhatChangesAndEveryConflict()
{
    const auto snapshot = testutil::sampleSnapshot();
    const CaseReport report(*snapshot, ResolutionSet{}, {"phone.json", "server.json", ""});
    const QString md = QString::fromStdString(report.markdown());
    QVERIFY(md.startsWith(u"# DeckSync case report\n"_s));
    QVERIFY(md.contains(u"Device: phone.json. Server: server.json. No base. The device last synced at 2024-06-01T08:00:00Z."_s));
    QVERIFY(md.contains(u"| decks | 7 | 2 | 3 | 2 | 4 | 4 |"_s));
    QVERIFY(md.contains(u"### On the server\n\n- decks deleted (2): \"Old history deck\", \"Japanese kana\"\n"_s));
    // Every conflict, with both sides and the sync's reason.
    for (const QString& title : {u"Spanish verbs"_s, u"Biology: cells"_s, u"French basics"_s, u"German numbers 1–20"_s})
        QVERIFY2(md.contains(u"### decks \"%1\" ("_s.arg(title)), qPrintable(title));
    QVERIFY(md.contains(u"The sync: server kept: version 3 > 2."_s));
    QVERIFY(md.contains(u"| title | Biology: the cell | Biology: cells | Biology: cells |"_s));
    QVERIFY(md.contains(u"### preferences"_s));
    // The warnings, the deletion the device never saw among them.
    QVERIFY(md.contains(u"- decks \"Japanese kana\": "_s));
    QVERIFY(md.contains(u"## Resolved by hand\n\nNothing: every item is as the sync decided."_s));

    const QString summary = QString::fromStdString(report.summaryText());
    QVERIFY(summary.contains(u"On the server:\n  decks deleted (2): \"Old history deck\", \"Japanese kana\""_s));
    QVERIFY(summary.contains(u"5 conflicts"_s));
}

void TestCaseReport::resolutionsByHandAreInIt()
{
    const auto snapshot = testutil::sampleSnapshot();
    ResolutionSet resolutions;
    ItemResolution r;
    r.base = Side::Local;
    r.setField({"updated_at", FieldCell::value("2024-06-01T09:45:00Z")});
    resolutions.set(DataType::Decks, testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"), r);
    const QString md = QString::fromStdString(CaseReport(*snapshot, resolutions, {"l", "s", ""}).markdown());
    QVERIFY2(md.contains(u"- decks \"Biology: cells\": keep the device's item; updated_at: typed by hand "
                         u"(2024-06-01T09:45:00Z)"_s),
             qPrintable(md));
    QVERIFY(md.contains(u"1 items resolved by hand"_s));
    QVERIFY(md.contains(u"By hand: keep the device's item"_s));
    // The Result column follows the resolution.
    QVERIFY(md.contains(u"| title | Biology: the cell | Biology: cells | Biology: the cell |"_s));
}

void TestCaseReport::notesAreInTheReportAndTheSummary()
{
    const auto snapshot = testutil::sampleSnapshot();
    const QString none = QString::fromStdString(CaseReport(*snapshot, ResolutionSet{}, {"l", "s", ""}).markdown());
    QVERIFY(none.contains(u"## Notes\n\nNone.\n"_s));

    ResolutionSet resolutions;
    const Uuid biology = testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e");
    resolutions.set(DataType::Decks, biology, ItemResolution{Side::Local, {}, false});
    resolutions.setNote(DataType::Decks, biology, "  user confirmed the tablet copy is right \n");
    // A note alone, on an item nobody resolved: a note is not a resolution.
    const Uuid kana = testutil::uuid("9e8d7c6b-5a49-4382-9716-0f1e2d3c4b5a");
    resolutions.setNote(DataType::Decks, kana, "asked the user whether the deletion was meant");
    QCOMPARE(resolutions.size(), std::size_t(1));

    const CaseReport report(*snapshot, resolutions, {"l", "s", ""});
    const QString md = QString::fromStdString(report.markdown());
    QVERIFY2(md.contains(u"## Notes\n\n- decks \"Biology: cells\": user confirmed the tablet copy is right\n"_s),
             qPrintable(md));
    QVERIFY(md.contains(u"- decks \"Japanese kana\": asked the user whether the deletion was meant\n"_s));
    // Beside the conflict it is about, after what was decided by hand.
    QVERIFY(md.contains(u"By hand: keep the device's item. Note: user confirmed the tablet copy is right"_s));
    QVERIFY(md.contains(u"1 items resolved by hand"_s));
    const QString summary = QString::fromStdString(report.summaryText());
    QVERIFY2(summary.contains(u"Notes:\n  decks \"Biology: cells\": user confirmed the tablet copy is right\n"_s),
             qPrintable(summary));
    const QString html = QString::fromStdString(report.html());
    QVERIFY(html.contains(u"user confirmed the tablet copy is right"_s));

    // A note on an item the sync does not hold (a session restored on other files) is kept too.
    resolutions.setNote(DataType::Starred, testutil::uuid("11111111-2222-4333-8444-555555555555"), "from the old phone");
    const QString more = QString::fromStdString(CaseReport(*snapshot, resolutions, {"l", "s", ""}).markdown());
    QVERIFY2(more.contains(u"- starred 11111111-2222-4333-8444-555555555555: from the old phone\n"_s), qPrintable(more));
}

void TestCaseReport::markdownIsDeterministic()
{
    QTemporaryDir dir;
    const Run a = runCli(reportArgs(u"-"_s));
    const Run b = runCli(reportArgs(u"-"_s));
    QCOMPARE(a.exitCode, 0);
    QVERIFY(!a.out.isEmpty());
    QCOMPARE(a.out, b.out);
}

void TestCaseReport::writesEachFormat_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("format"); // empty: from the name
    QTest::addColumn<QByteArray>("starts");
    QTest::newRow("md by name") << u"case.md"_s << QString() << QByteArray("# DeckSync case report");
    QTest::newRow("html by name") << u"case.html"_s << QString() << QByteArray("<!DOCTYPE html>");
    QTest::newRow("pdf by name") << u"case.pdf"_s << QString() << QByteArray("%PDF-");
    QTest::newRow("html asked for") << u"case.txt"_s << u"html"_s << QByteArray("<!DOCTYPE html>");
}

void TestCaseReport::writesEachFormat()
{
    QFETCH(QString, name);
    QFETCH(QString, format);
    QFETCH(QByteArray, starts);
    QTemporaryDir dir;
    QStringList args = reportArgs(dir.filePath(name));
    if (!format.isEmpty())
        args << u"--format"_s << format;
    const Run r = runCli(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(readBytes(dir.filePath(name)).startsWith(starts));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{name}); // no temporary left
}

// The issue asks for the PDF to be rendered and its text checked.
void TestCaseReport::pdfRendersAndReadsBack()
{
    QTemporaryDir dir;
    const QString pdf = dir.filePath(u"case.pdf"_s);
    const Run r = runCli(reportArgs(pdf));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QString text = pdfText(pdf);
    QVERIFY2(text.contains(u"DeckSync case report"_s), qPrintable(text));
    QVERIFY(text.contains(u"decks deleted (2): \"Old history deck\", \"Japanese kana\""_s));
    QVERIFY(text.contains(u"Biology: the cell"_s));
    QVERIFY(text.contains(u"server kept: version 3 > 2"_s));

    QProcess render;
    render.start(u"pdftoppm"_s, {u"-png"_s, u"-r"_s, u"40"_s, u"-f"_s, u"1"_s, u"-l"_s, u"1"_s, pdf, dir.filePath(u"page"_s)});
    QVERIFY(render.waitForFinished(30000));
    QCOMPARE(render.exitCode(), 0);
    const QStringList pages = QDir(dir.path()).entryList({u"page*.png"_s});
    QCOMPARE(pages.size(), 1);
    QVERIFY(QFileInfo(dir.filePath(pages.first())).size() > 1000);
}

void TestCaseReport::badFormatIsRefused_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown format") << QStringList{u"--format"_s, u"docx"_s} << u"case.docx"_s
                                    << u"--format: \"docx\" is not one of md, html, pdf"_s;
    QTest::newRow("name says nothing") << QStringList{} << u"case"_s << u"--format: give md, html or pdf"_s;
    QTest::newRow("pdf to stdout") << QStringList{u"--format"_s, u"pdf"_s} << u"-"_s << u"a PDF goes to a file"_s;
}

void TestCaseReport::badFormatIsRefused()
{
    QFETCH(QStringList, extra);
    QFETCH(QString, out);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const Run r = runCli(reportArgs(out == u"-" ? out : dir.filePath(out)) + extra);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
}

QTEST_GUILESS_MAIN(TestCaseReport)
#include "tst_casereport.moc"
