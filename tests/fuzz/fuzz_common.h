// Shared helpers of the libFuzzer targets (tests/fuzz/fuzz_*.cpp, built with RIGHTS_FUZZ=ON
// and run by scripts/fuzz.sh).
//
// A target's contract: the documented error type of the API under test is an expected
// outcome; any other exception, a broken output invariant, a crash or a sanitizer report is
// a bug. Broken invariants call fuzz_fail(), which prints what was wrong and aborts, so
// libFuzzer records the input as a crash (crash-<sha1> in the working directory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include <xapian.h>

namespace fuzz {

/// Reports a bug found by the current input and aborts (libFuzzer saves the input).
[[noreturn]] inline void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "\n==FUZZ== %s: %s\n", target, what.c_str());
  std::fflush(stderr);
  std::abort();
}

/// fail() unless `condition`.
inline void check(bool condition, const char* target, const std::string& what) {
  if (!condition) fail(target, what);
}

/// The fuzzer's bytes as a string view (no copy; the data outlives the call).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Runs `body`; an exception other than those `body` catches itself is a bug. Keeps the
/// exception's message in the report, which std::terminate would not.
template <typename Body>
int guarded(const char* target, Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    fail(target, std::string("unexpected exception: ") + e.what());
  } catch (const Xapian::Error& e) {  // not a std::exception
    fail(target, "unexpected Xapian exception: " + e.get_description());
  } catch (...) {
    fail(target, "unexpected exception of an unknown type");
  }
}

}  // namespace fuzz
