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

}  // namespace rights
