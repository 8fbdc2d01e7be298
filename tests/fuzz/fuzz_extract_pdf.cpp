// Fuzzes rights::extract_text(bytes, Format::Pdf); see fuzz_extract.h for what is checked.
#include "fuzz_extract.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::guarded("fuzz_extract_pdf", [&] {
    fuzz::extract_and_check("fuzz_extract_pdf", fuzz::as_text(data, size), rights::Format::Pdf);
    return 0;
  });
}
