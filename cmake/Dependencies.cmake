# Every external library becomes an IMPORTED target here, so the rest of the build
# links names, not variables.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(XAPIAN REQUIRED IMPORTED_TARGET xapian-core>=1.4)
add_library(Rights::Xapian ALIAS PkgConfig::XAPIAN)

find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)

# cpp-httplib is a compiled library in Debian: its pkg-config Cflags (OpenSSL/zlib/brotli
# defines) must be used, or the header's class layout differs from the library's (ABI mismatch).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(Rights::Httplib ALIAS PkgConfig::HTTPLIB)

find_package(nlohmann_json 3 REQUIRED)

# libcrypto (already a dependency of cpp-httplib): SHA-256 and CRYPTO_memcmp for the
# constant-time API token check in searchd.
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)

pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)

# CLD2 ships no pkg-config file.
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
find_library(CLD2_LIBRARY NAMES cld2 REQUIRED)
add_library(Rights::Cld2 UNKNOWN IMPORTED)
set_target_properties(Rights::Cld2 PROPERTIES IMPORTED_LOCATION "${CLD2_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CLD2_INCLUDE_DIR}")

# jemalloc, linked into the indexer only: Xapian's batch of postings and each document's
# term map are millions of small allocations, many freed by another thread than the one
# that made them. With glibc's malloc the indexer spent ~8% more CPU (same 10k corpus,
# back to back; bench/RESULTS.md). Not in sanitizer or fuzz builds, which bring their own
# allocator.
if(NOT RIGHTS_SANITIZE AND NOT RIGHTS_FUZZ)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
