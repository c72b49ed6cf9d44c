// SPDX-License-Identifier: MIT
// libFuzzer target: see decksync::fuzz::runMerge in fuzztargets.h.
#include "tests/fuzz/fuzztargets.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)decksync::fuzz::runMerge(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
