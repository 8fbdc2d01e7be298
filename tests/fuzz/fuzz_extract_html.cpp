// Fuzzes rights::extract_text(bytes, Format::Html); see fuzz_extract.h for what is checked.
#include "fuzz_extract.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::guarded("fuzz_extract_html", [&] {
    fuzz::extract_and_check("fuzz_extract_html", fuzz::as_text(data, size), rights::Format::Html);
    return 0;
  });
}
