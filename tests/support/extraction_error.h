// What the extraction tests share: the one-line message a bad input fails with.
#pragma once

#include "rights/extract.h"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

namespace rights::testing {

/// The ExtractionError message for `bytes`, failing the test if extraction succeeds or
/// throws anything else.
inline std::string extraction_error(std::string_view bytes, Format format) {
  try {
    extract_text(bytes, format);
  } catch (const ExtractionError& error) {
    return error.what();
  }
  FAIL("extraction succeeded, an ExtractionError was expected");
  return {};
}

}  // namespace rights::testing
