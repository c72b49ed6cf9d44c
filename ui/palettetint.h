// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

/// Colours blended from a palette's own, kept readable by the WCAG 2 contrast ratio, so that a
/// tint or a coloured text works under a light and a dark palette alike.
namespace palettetint {

/// The contrast readableMix() keeps: WCAG AA for text.
inline constexpr double MinContrast = 4.5;

/// WCAG 2 relative luminance of an sRGB colour.
[[nodiscard]] double luminance(const QColor& c);
/// WCAG 2 contrast ratio, 1 to 21.
[[nodiscard]] double contrast(const QColor& a, const QColor& b);
/// `from` moved `amount` (0 to 1) of the way to `to`, channel by channel.
[[nodiscard]] QColor mix(const QColor& from, const QColor& to, double amount);
/// `from` moved `amount` of the way to `to`, or less so that it keeps a contrast of at least
/// MinContrast with `against`; `from` itself when even a little would not.
[[nodiscard]] QColor readableMix(const QColor& from, const QColor& to, double amount, const QColor& against);

/// `make(palette)` for the application palette, made again only when that palette changes.
/// Each caller (each `Make` type) keeps its own copy.
template <class T, class Make>
const T& forApplicationPalette(Make make)
{
    static T value;
    static qint64 key = 0;
    static bool made = false;
    const QPalette palette = QGuiApplication::palette();
    if (!made || key != palette.cacheKey()) {
        value = make(palette);
        key = palette.cacheKey();
        made = true;
    }
    return value;
}

} // namespace palettetint
