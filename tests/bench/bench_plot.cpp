// SPDX-License-Identifier: MIT
// Draws the figures of tests/bench/scaling.py as a PNG, with Qt Charts on the offscreen
// platform: time (the CLI's sync, the inspector's first paint) and peak memory against decks
// per side, both on log scales, beside the line a cost that grows as the items would take.
//
//   bench-plot SCALING.json OUT.png
#include <QApplication>
#include <QFile>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWidget>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

struct Line {
    QString name;
    QString key;
    double scale = 1.0; ///< the figure's unit to the axis's
};

/// One chart: `lines` of `sizes`, and a dashed "linear" line from the first point of the first.
QChartView* chartOf(const QString& title, const QString& unit, const QJsonArray& sizes, const std::vector<Line>& lines)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    auto* x = new QLogValueAxis;
    x->setTitleText(u"decks per side"_s);
    x->setLabelFormat(u"%.0f"_s);
    x->setBase(10);
    auto* y = new QLogValueAxis;
    y->setTitleText(unit);
    y->setLabelFormat(u"%g"_s);
    y->setBase(10);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (const Line& line : lines) {
        auto* series = new QLineSeries;
        series->setName(line.name);
        series->setPointsVisible(true);
        for (const QJsonValue& s : sizes)
            series->append(s[u"decks_per_side"_s].toDouble(), s[line.key].toDouble() * line.scale);
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    if (!sizes.isEmpty() && !lines.empty()) {
        auto* linear = new QLineSeries;
        linear->setName(u"linear in items (from %1's first point)"_s.arg(lines.front().name));
        const double n0 = sizes.first()[u"decks_per_side"_s].toDouble();
        const double v0 = sizes.first()[lines.front().key].toDouble() * lines.front().scale;
        for (const QJsonValue& s : sizes) {
            const double n = s[u"decks_per_side"_s].toDouble();
            linear->append(n, v0 * n / n0);
        }
        QPen pen(Qt::gray);
        pen.setStyle(Qt::DashLine);
        linear->setPen(pen);
        chart->addSeries(linear);
        linear->attachAxis(x);
        linear->attachAxis(y);
    }
    // Log axes do not follow their series on their own: the range holds every point.
    double lowX = 1e300, highX = 0, lowY = 1e300, highY = 0;
    for (QAbstractSeries* abstract : chart->series()) {
        for (const QPointF& p : static_cast<QLineSeries*>(abstract)->points()) {
            lowX = std::min(lowX, p.x());
            highX = std::max(highX, p.x());
            if (p.y() > 0) {
                lowY = std::min(lowY, p.y());
                highY = std::max(highY, p.y());
            }
        }
    }
    if (highX > 0 && highY > 0) {
        x->setRange(lowX / 1.5, highX * 1.5);
        y->setRange(lowY / 1.5, highY * 1.5);
    }
    x->setMinorTickCount(8);
    y->setMinorTickCount(8);
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    return view;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench-plot SCALING.json OUT.png\n");
        return 2;
    }
    QFile in(QString::fromLocal8Bit(argv[1]));
    if (!in.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "bench-plot: %s: %s\n", argv[1], qPrintable(in.errorString()));
        return 1;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(in.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc[u"sizes"_s].isArray()) {
        std::fprintf(stderr, "bench-plot: %s: not the figures of scaling.py (%s)\n", argv[1],
                     qPrintable(error.errorString()));
        return 1;
    }
    const QJsonArray sizes = doc[u"sizes"_s].toArray();
    QWidget window;
    auto* layout = new QHBoxLayout(&window);
    layout->addWidget(chartOf(u"Time"_s, u"seconds"_s, sizes,
                              {{u"CLI sync, load to written"_s, u"cli_s"_s},
                               {u"inspector, first paint"_s, u"inspector_first_paint_s"_s}}));
    layout->addWidget(chartOf(u"Peak memory"_s, u"MB"_s, sizes,
                              {{u"CLI"_s, u"cli_peak_bytes"_s, 1e-6}, {u"inspector"_s, u"inspector_peak_bytes"_s, 1e-6}}));
    window.resize(1280, 520);
    window.show();
    if (!window.grab().save(QString::fromLocal8Bit(argv[2]))) {
        std::fprintf(stderr, "bench-plot: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
