// SPDX-License-Identifier: MIT
// ContentDiffView under the offscreen platform: "Comparing…" while the diff is computed off the
// GUI thread, and only the latest request ever reaches the view (a later showDiff() or a
// clearDiff() wins over a diff still being computed).
#include "ui/contentdiffview.h"

#include <QElapsedTimer>
#include <QFutureWatcherBase>
#include <QObject>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace {

/// `lines` lines, each naming `prefix` and its number; `changeEvery`-th ones marked as changed.
QString longText(const QString& prefix, int lines, int changeEvery = 0)
{
    QString text;
    for (int i = 0; i < lines; ++i) {
        text += prefix + u' ' + QString::number(i);
        if (changeEvery > 0 && i % changeEvery == 0)
            text += u" (changed)"_s;
        text += u'\n';
    }
    return text;
}

/// Every diff job has ended and its result has been handed to the view (each job's watcher
/// deletes itself once it has).
bool jobsDone(const ContentDiffView& view) { return view.findChildren<QFutureWatcherBase*>().isEmpty(); }

/// Waits, without handling any event (so that no result reaches the view meanwhile), until a
/// diff job is running on the thread pool, then a little longer so that it is past its start.
bool waitUntilComputing()
{
    QElapsedTimer timer;
    timer.start();
    while (QThreadPool::globalInstance()->activeThreadCount() == 0) {
        if (timer.hasExpired(10000))
            return false;
        QThread::yieldCurrentThread();
    }
    QThread::msleep(20);
    return true;
}

} // namespace

class TestContentDiffView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsComparingWhileItRuns();
    void onlyTheLatestDiffIsShown_data();
    void onlyTheLatestDiffIsShown();
    void clearDuringADiffLeavesItCleared();
    void cleanup();

private:
    // Long enough that computing their diff takes a while; its lines all name "long".
    const QString m_longBefore = longText(u"long"_s, 60000);
    const QString m_longAfter = longText(u"long"_s, 60000, 3);
};

void TestContentDiffView::cleanup()
{
    QThreadPool::globalInstance()->waitForDone(); // no job of one test outlives it
}

void TestContentDiffView::showsComparingWhileItRuns()
{
    ContentDiffView view;
    view.resize(600, 400);
    view.show();
    QSignalSpy shown(&view, &ContentDiffView::diffShown);
    QVERIFY(!view.isComparing());

    view.showDiff(u"Local"_s, longText(u"line"_s, 2000), u"Server"_s, longText(u"line"_s, 2000, 100));
    // Until the event loop runs, the result cannot have arrived.
    QVERIFY(view.isComparing());
    QVERIFY2(view.toPlainText().contains(u"Comparing…"_s), qPrintable(view.toPlainText()));
    QVERIFY(view.toPlainText().contains(u"Local → Server"_s));
    QCOMPARE(shown.count(), 0);

    QVERIFY(shown.wait(30000));
    QCOMPARE(shown.count(), 1);
    QVERIFY(!view.isComparing());
    const QString text = view.toPlainText();
    QVERIFY(!text.contains(u"Comparing…"_s));
    QVERIFY(text.contains(u"Local → Server"_s));
    QVERIFY2(text.contains(u"- line 100\n+ line 100 (changed)"_s), qPrintable(text.left(2000)));
    QVERIFY(text.contains(u"  line 101\n"_s));
}

void TestContentDiffView::onlyTheLatestDiffIsShown_data()
{
    QTest::addColumn<bool>("firstIsComputing");
    QTest::newRow("second asked at once") << false;
    QTest::newRow("second asked while the first computes") << true;
}

void TestContentDiffView::onlyTheLatestDiffIsShown()
{
    QFETCH(bool, firstIsComputing);
    ContentDiffView view;
    view.resize(600, 400);
    view.show();
    QSignalSpy shown(&view, &ContentDiffView::diffShown);

    view.showDiff(u"Local"_s, m_longBefore, u"Server"_s, m_longAfter);
    if (firstIsComputing)
        QVERIFY(waitUntilComputing());
    view.showDiff(u"Before"_s, u"alpha\nbeta\n"_s, u"After"_s, u"alpha\ngamma\n"_s);
    QVERIFY(view.isComparing());

    QVERIFY(shown.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(jobsDone(view), 60000); // the long diff has ended too, and was dropped
    QCOMPARE(shown.count(), 1);
    QVERIFY(!view.isComparing());
    const QString text = view.toPlainText();
    QVERIFY2(text.contains(u"Before → After"_s), qPrintable(text.left(500)));
    QVERIFY(text.contains(u"  alpha\n- beta\n+ gamma"_s));
    QVERIFY(!text.contains(u"long"_s));
    QVERIFY(!text.contains(u"Comparing…"_s));
}

void TestContentDiffView::clearDuringADiffLeavesItCleared()
{
    ContentDiffView view;
    view.resize(600, 400);
    view.show();
    QSignalSpy shown(&view, &ContentDiffView::diffShown);

    view.showDiff(u"Local"_s, m_longBefore, u"Server"_s, m_longAfter);
    QVERIFY(waitUntilComputing());
    view.clearDiff();
    QVERIFY(!view.isComparing());
    QVERIFY(view.toPlainText().isEmpty());

    QTRY_VERIFY_WITH_TIMEOUT(jobsDone(view), 60000);
    QCOMPARE(shown.count(), 0);
    QVERIFY(!view.isComparing());
    QVERIFY2(view.toPlainText().isEmpty(), qPrintable(view.toPlainText().left(500)));

    // The view is not stuck: the next diff is shown.
    view.showDiff(u"Before"_s, u"alpha\n"_s, u"After"_s, u"beta\n"_s);
    QVERIFY(shown.wait(30000));
    QVERIFY(view.toPlainText().contains(u"- alpha\n+ beta"_s));
}

QTEST_MAIN(TestContentDiffView)
#include "tst_contentdiffview.moc"
