// Fuzzes rights::extract_text for the two plain formats, Format::Text and Format::Markdown,
// on the same bytes; see fuzz_extract.h for what is checked. One more invariant: both share
// the input checks and Markdown only removes markup, so bytes that plain text rejects
// (empty, binary, invalid UTF-8, blank) must be rejected as Markdown too.
#include "fuzz_extract.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::guarded("fuzz_extract_text", [&] {
    const std::string_view bytes = fuzz::as_text(data, size);
    const bool text_ok = fuzz::extract_and_check("fuzz_extract_text", bytes, rights::Format::Text);
    const bool markdown_ok = fuzz::extract_and_check("fuzz_extract_text", bytes, rights::Format::Markdown);
    fuzz::check(text_ok || !markdown_ok, "fuzz_extract_text",
                "Markdown extraction accepted bytes that plain-text extraction rejects");
    return 0;
  });
}
