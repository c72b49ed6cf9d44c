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
