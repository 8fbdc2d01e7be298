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

/// The languages of a document whose file declares `declared` (canonical, e.g. HTML
/// `lang`; "" when it declares none, which gives detect_languages): the declared one
/// first, then those CLD2 finds that the declaration does not account for. CLD2 knows
/// ~160 languages and names its nearest one for text in any other (Asturian comes out
/// "es", Kimbundu "rw", Scots "en"), so a detected language is added only when CLD2
/// also finds the declared one (a bilingual document), when the declaration is "en"
/// (the default of most page templates, and a language CLD2 does not miss), or when the
/// two are written in different scripts (an English page on a site declared "km").
std::vector<std::string> document_languages(std::string_view declared, std::string_view utf8_text);

/// `language` (a lower-case ISO 639 code) as CLDR canonicalises it, so that one language has
/// one code in the facet and the stemmer is found: the two-letter code where there is one
/// ("cat" -> "ca", "hau" -> "ha", "fre" -> "fr"), the macrolanguage of an individual
/// language ("arb" -> "ar", "cmn" -> "zh", "pes" -> "fa"), the current code of a
/// deprecated one ("iw" -> "he"); "" for the codes that name no language ("und"
/// undetermined, "mul" multiple, "zxx" no linguistic content, "mis" uncoded).
std::string canonical_language(std::string_view language);

/// The language a BCP 47 tag names, as the index stores it: the primary subtag,
/// lower-cased ("zh-Hant" -> "zh", "EN_us" -> "en") and canonical (canonical_language:
/// "iw" -> "he", "tl" -> "fil", "cat" -> "ca", "und" -> ""), or "" for values that are not
/// a language ("", "x-klingon", "12"). The indexer reads HTML `lang` through it, and the
/// `lang` filters of searches (the parameter and `lang:` in a query) likewise.
std::string primary_language_subtag(std::string_view tag);

}  // namespace rights
