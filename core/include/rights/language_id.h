// Per-document language identification (CLD2), used when the manifest is silent.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rights {

/// Languages that make up a substantial share of `utf8_text` (BCP 47 primary subtags such
/// as "en", "km", "th", "zh", "ja"), main language first; empty when nothing reliable is
/// found. Thread-safe (CLD2 keeps no mutable state).
std::vector<std::string> detect_languages(std::string_view utf8_text);

/// `language` (a lower-case ISO 639 code) as CLDR canonicalises it, so that one language has
/// one code in the facet and the stemmer is found: the two-letter code where there is one
/// ("cat" -> "ca", "hau" -> "ha", "fre" -> "fr"), the macrolanguage of an individual
/// language ("arb" -> "ar", "cmn" -> "zh", "pes" -> "fa"), the current code of a
/// deprecated one ("iw" -> "he"); "" for the codes that name no language ("und"
/// undetermined, "mul" multiple, "zxx" no linguistic content, "mis" uncoded).
std::string canonical_language(std::string_view language);

}  // namespace rights
