// SPDX-License-Identifier: MIT
#pragma once

namespace decksync {

/// How long work reports progress and learns it should stop, without knowing who listens
/// (a progress bar, a CLI, nothing). Called from the working thread.
class ProgressObserver {
public:
    virtual ~ProgressObserver() = default;
    /// `fraction` in [0, 1] of the current step.
    virtual void setProgress(double fraction) = 0;
    /// True when the work should stop as soon as it can.
    [[nodiscard]] virtual bool isCancelled() const = 0;
};

} // namespace decksync

namespace decksync {

/// Thrown by engine work when its ProgressObserver says it was cancelled.
struct OperationCancelled {};

} // namespace decksync

namespace decksync {

/// Maps a step's progress onto [from, to] of an outer observer (e.g. "read the local file"
/// as the first 40% of a load).
class ProgressRange final : public ProgressObserver {
public:
    ProgressRange(ProgressObserver& outer, double from, double to)
        : m_outer(outer)
        , m_from(from)
        , m_to(to)
    {
    }
    void setProgress(double fraction) override { m_outer.setProgress(m_from + fraction * (m_to - m_from)); }
    [[nodiscard]] bool isCancelled() const override { return m_outer.isCancelled(); }

private:
    ProgressObserver& m_outer;
    double m_from;
    double m_to;
};

} // namespace decksync

namespace decksync {

/// Passes cancellation through but reports no progress (for a step running beside another
/// that reports for both).
class CancellationOnly final : public ProgressObserver {
public:
    explicit CancellationOnly(const ProgressObserver& outer)
        : m_outer(outer)
    {
    }
    void setProgress(double) override {}
    [[nodiscard]] bool isCancelled() const override { return m_outer.isCancelled(); }

private:
    const ProgressObserver& m_outer;
};

} // namespace decksync
