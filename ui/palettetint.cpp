// SPDX-License-Identifier: MIT
#include "ui/palettetint.h"

#include <algorithm>
#include <cmath>

namespace palettetint {

double luminance(const QColor& c)
{
    auto linear = [](float v) {
        return v <= 0.04045f ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor mix(const QColor& from, const QColor& to, double amount)
{
    auto channel = [amount](float f, float t) { return f + (t - f) * static_cast<float>(amount); };
    return QColor::fromRgbF(channel(from.redF(), to.redF()), channel(from.greenF(), to.greenF()),
                            channel(from.blueF(), to.blueF()));
}

QColor readableMix(const QColor& from, const QColor& to, double amount, const QColor& against)
{
    for (; amount > 0.0; amount -= 0.05) {
        const QColor c = mix(from, to, amount);
        if (contrast(c, against) >= MinContrast)
            return c;
    }
    return from;
}

} // namespace palettetint
