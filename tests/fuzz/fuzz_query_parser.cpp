// Fuzzes the query language: bytes -> rights::analyse_query / parse_query with a small
// authority and stem languages {"en", "fr"}.
//
// Expected outcomes: a ParsedQuery, or rights::UserError with one of the documented codes
// (TooLarge only for text over kMaxQueryBytes). Anything else is a bug: another exception,
// an undocumented error code, a crash, a sanitizer report, a word range outside the query,
// a non-UTF-8 term, or two parses of the same text that differ.
#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include "fuzz_common.h"
#include "rights/authority.h"
#include "rights/query_parser.h"
#include "rights/search.h"
#include "rights/text_analysis.h"

namespace {

constexpr const char* kTarget = "fuzz_query_parser";

std::shared_ptr<const rights::Authority> make_authority() {
  rights::AuthorityEntry koeut_rith;
  koeut_rith.id = "koeut-rith";
  koeut_rith.name = "Koeut Rith";
  koeut_rith.role = "Minister of Justice";
  koeut_rith.ministry = "justice";
  koeut_rith.aliases = {"Koeut Rith", "Keut Rith", "កើត រិទ្ធ"};
  rights::AuthorityEntry adhoc;
  adhoc.id = "adhoc";
  adhoc.name = "ADHOC";
  adhoc.actor_kind = "organisation";
  adhoc.aliases = {"Cambodian Human Rights and Development Association", "អាដហុក"};
  rights::AuthorityEntry interior;
  interior.id = "interior";
  interior.name = "Ministry of Interior";
  interior.kind = rights::EntityKind::Ministry;
  interior.aliases = {"Ministry of Interior", "interior ministry", "ក្រសួងមហាផ្ទៃ"};
  rights::AuthorityEntry justice;
  justice.id = "justice";
  justice.name = "Ministry of Justice";
  justice.kind = rights::EntityKind::Ministry;
  justice.aliases = {"ក្រសួងយុត្តិធម៌"};
  return rights::Authority::from_entries({koeut_rith, adhoc, interior, justice});
}

struct State {
  rights::TextAnalyzer analyzer;
  std::shared_ptr<const rights::Authority> authority = make_authority();
  rights::QueryContext context{analyzer, authority.get(), {"en", "fr"}, {}};
};

State& state() {
  static State instance;  // built once: ICU and Snowball setup is not what is being fuzzed
  return instance;
}

constexpr std::array<const char*, 6> kUserErrorCodes{
    "bad_query", "bad_encoding", "bad_date", "unknown_actor", "unknown_ministry", "unknown_type"};

void check_error(const rights::UserError& error, std::string_view text) {
  const std::string& code = error.code();
  if (dynamic_cast<const rights::TooLarge*>(&error) != nullptr) {
    fuzz::check(code == "query_too_long", kTarget, "TooLarge with code \"" + code + "\"");
    fuzz::check(text.size() > rights::kMaxQueryBytes, kTarget,
                "query_too_long for a query of " + std::to_string(text.size()) + " bytes");
    return;
  }
  fuzz::check(std::find(kUserErrorCodes.begin(), kUserErrorCodes.end(), code) != kUserErrorCodes.end(),
              kTarget, "undocumented UserError code \"" + code + "\": " + error.what());
  fuzz::check(text.size() <= rights::kMaxQueryBytes, kTarget,
              "a query over the size limit gave " + code + " instead of query_too_long");
  // The message goes back to the user verbatim (JSON); the query was valid UTF-8 or the
  // code is bad_encoding, so any byte range of it cut at ASCII syntax is valid too.
  fuzz::check(rights::is_valid_utf8(error.what()), kTarget,
              "error message is not valid UTF-8 (code " + code + ")");
}

void check_term(const std::string& term, const char* what) {
  fuzz::check(!term.empty(), kTarget, std::string("empty ") + what);
  fuzz::check(rights::is_valid_utf8(term), kTarget, std::string(what) + " is not valid UTF-8");
}

void check_parsed(const rights::ParsedQuery& parsed, std::string_view text) {
  fuzz::check(text.size() <= rights::kMaxQueryBytes, kTarget, "an over-long query was accepted");
  fuzz::check(rights::is_valid_utf8(text), kTarget, "a query that is not valid UTF-8 was accepted");
  const std::string description = parsed.query.get_description();
  fuzz::check(!description.empty(), kTarget, "empty Query::get_description()");
  for (const auto& word : parsed.plain_words) {
    check_term(word.term, "plain word");
    fuzz::check(word.begin < word.end && word.end <= text.size(), kTarget,
                "plain word \"" + word.term + "\" has byte range [" + std::to_string(word.begin) +
                    ", " + std::to_string(word.end) + ") in a query of " +
                    std::to_string(text.size()) + " bytes");
  }
  for (const auto& word : parsed.highlight.words) check_term(word, "highlight word");
  for (const auto& prefix : parsed.highlight.prefixes) check_term(prefix, "wildcard prefix");
  fuzz::check(parsed.highlight.stem_languages == state().context.stem_languages, kTarget,
              "highlight stem languages differ from the context's");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  return fuzz::guarded(kTarget, [&] {
    State& s = state();
    std::string first;
    try {
      const rights::ParsedQuery parsed = rights::analyse_query(text, s.context);
      check_parsed(parsed, text);
      first = parsed.query.get_description();
    } catch (const rights::UserError& error) {
      check_error(error, text);
      return 0;
    }
    // The analyzer is reused across calls: a second parse must not see state of the first.
    const std::string second = rights::parse_query(text, s.context).get_description();
    fuzz::check(first == second, kTarget, "two parses differ:\n  " + first + "\n  " + second);
    return 0;
  });
}
