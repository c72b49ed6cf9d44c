// SPDX-License-Identifier: MIT
// Inspector responsiveness on large datasets: time to the first paint of the loaded table,
// the longest GUI-thread stall while loading, syncing and opening the Apply preview, and frame
// times while scrolling.
//
//   bench-inspector --local L.json --server S.json [--pages 200]
#include "app/services/inspectorsession.h"
#include "ui/applydialog.h"
#include "ui/itempanel.h"
#include "ui/mainwindow.h"
#include "ui/runoptionsbar.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <sys/resource.h>

using namespace Qt::StringLiterals;

namespace {

/// Measures the longest gap between ticks of a 5 ms timer on the GUI thread.
class StallMeter : public QObject {
public:
    StallMeter()
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0)
                m_worst = std::max(m_worst, now - m_last);
            m_last = now;
        });
    }
    void start()
    {
        m_worst = 0;
        m_last = -1;
        m_clock.start();
        m_timer.start();
    }
    double stopMs()
    {
        m_timer.stop();
        return static_cast<double>(m_worst) / 1e6;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    qint64 m_worst = 0;
};

/// Reports the first paint of a widget after arm().
class PaintWatcher : public QObject {
public:
    explicit PaintWatcher(QWidget* w) { w->installEventFilter(this); }
    void arm(std::function<void()> onPaint) { m_onPaint = std::move(onPaint); }

protected:
    bool eventFilter(QObject*, QEvent* e) override
    {
        if (e->type() == QEvent::Paint && m_onPaint) {
            auto f = std::move(m_onPaint);
            m_onPaint = nullptr;
            QTimer::singleShot(0, this, f); // after this paint completes
        }
        return false;
    }

private:
    std::function<void()> m_onPaint;
};

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCommandLineParser parser;
    parser.addOptions({{u"local"_s, u"local dataset"_s, u"FILE"_s},
                       {u"server"_s, u"server dataset"_s, u"FILE"_s},
                       {u"pages"_s, u"pages to scroll"_s, u"N"_s, u"200"_s}});
    parser.process(app);

    MainWindow window;
    window.session()->setHistoryPath({});
    window.runOptions()->setFixedNow(decksync::Timestamp::parse("2024-06-10T00:00:00Z"));
    window.resize(1440, 900);
    window.show();
    QTableView* table = window.itemPanel()->table();
    PaintWatcher paints(table->viewport());
    StallMeter stall;
    QElapsedTimer clock;

    double firstPaintMs = 0, loadStallMs = 0, syncMs = 0, syncStallMs = 0, previewMs = 0, previewStallMs = 0;
    auto finish = [&] {
        // Scroll page by page, repainting each frame, and time the frames.
        QScrollBar* bar = table->verticalScrollBar();
        const int pages = parser.value(u"pages"_s).toInt();
        std::vector<double> frames;
        for (int i = 0; i < pages && bar->value() < bar->maximum(); ++i) {
            QElapsedTimer frame;
            frame.start();
            bar->setValue(bar->value() + bar->pageStep());
            table->viewport()->repaint();
            frames.push_back(static_cast<double>(frame.nsecsElapsed()) / 1e6);
        }
        std::sort(frames.begin(), frames.end());
        const double median = frames.empty() ? 0 : frames[frames.size() / 2];
        const double worst = frames.empty() ? 0 : frames.back();
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        std::printf("rows (decks):             %d\n", window.itemPanel()->proxy() ? table->model()->rowCount() : 0);
        std::printf("first paint after open:   %.0f ms   (goal < 2000 ms)\n", firstPaintMs);
        std::printf("longest GUI stall, load:  %.0f ms   (goal < 100 ms)\n", loadStallMs);
        std::printf("re-run sync:              %.0f ms, longest GUI stall %.0f ms\n", syncMs, syncStallMs);
        std::printf("Apply preview:            counts in %.0f ms, longest GUI stall %.0f ms   (goal < 50 ms)\n",
                    previewMs, previewStallMs);
        std::printf("scrolling, %zu pages:      median frame %.1f ms, worst %.1f ms\n", frames.size(), median, worst);
        std::printf("peak memory:              %ld MB\n", usage.ru_maxrss / 1024);
        QApplication::exit(0);
    };
    auto startPreview = [&] {
        // The Apply dialog opens at once and gets its counts from a worker.
        stall.start();
        clock.restart();
        window.findChild<QAction*>(u"actionApply"_s)->trigger();
        auto* dialog = window.findChild<ApplyDialog*>(u"applyDialog"_s);
        if (!dialog) {
            std::fprintf(stderr, "the Apply dialog did not open\n");
            QApplication::exit(1);
            return;
        }
        QObject::connect(dialog, &ApplyDialog::previewShown, &window, [&, dialog] {
            previewMs = static_cast<double>(clock.elapsed());
            QTimer::singleShot(300, &window, [&, dialog] {
                previewStallMs = stall.stopMs();
                dialog->reject();
                finish();
            });
        }, Qt::SingleShotConnection);
    };
    auto startRerun = [&] {
        stall.start();
        clock.restart();
        QObject::connect(window.session(), &InspectorSession::snapshotChanged, &window, [&] {
            syncMs = static_cast<double>(clock.elapsed());
            // Let the GUI settle for a moment so stalls right after delivery are counted.
            QTimer::singleShot(300, &window, [&] {
                syncStallMs = stall.stopMs();
                startPreview();
            });
        }, Qt::SingleShotConnection);
        window.session()->rerun();
    };
    QObject::connect(window.session(), &InspectorSession::snapshotChanged, &window, [&] {
        paints.arm([&] {
            firstPaintMs = static_cast<double>(clock.elapsed());
            QTimer::singleShot(300, &window, [&] {
                loadStallMs = stall.stopMs();
                startRerun();
            });
        });
        table->viewport()->update();
    }, Qt::SingleShotConnection);
    QObject::connect(window.session(), &InspectorSession::loadFailed, &window, [](const QString& m) {
        std::fprintf(stderr, "%s\n", qPrintable(m));
        QApplication::exit(1);
    });
    QTimer::singleShot(100, &window, [&] {
        stall.start();
        clock.start();
        window.openPair(parser.value(u"local"_s), parser.value(u"server"_s));
    });
    return app.exec();
}
