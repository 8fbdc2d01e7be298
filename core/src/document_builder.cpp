#include "rights/document_builder.h"

#include "rights/dates.h"
#include "rights/schema.h"

namespace rights {

namespace {

void add_words(Xapian::Document& doc, const std::vector<Token>& tokens, Xapian::termpos first,
               const std::string& positional_prefix, Xapian::termcount wdf,
               const std::string& stem_language, TextAnalyzer& analyzer) {
  const auto add_stem_of = [&](const std::string& word) {
    const std::string stem = analyzer.stem(word, stem_language);
    if (!stem.empty() && stem != word) doc.add_term(prefix::kStem + stem, wdf);
  };
  Xapian::termpos position = first;
  for (const auto& token : tokens) {
    doc.add_posting(positional_prefix + token.term, position, wdf);
    if (positional_prefix.empty() && !stem_language.empty()) add_stem_of(token.term);
    // The word without its accents too, without positions (phrases stay exact), so that
    // "declaration" or "nguoi" typed without them finds "Déclaration" and "người" (and
    // title:declaration the title); the accented spelling still finds only itself.
    if (may_have_latin_diacritics(token.term)) {  // a byte scan: most words copy nothing
      const std::string plain = analyzer.unaccented(token.term);
      if (plain != token.term) {
        doc.add_term(positional_prefix + plain, wdf);
        if (positional_prefix.empty() && !stem_language.empty()) add_stem_of(plain);
      }
    }
    ++position;
  }
}

void add_facet(Xapian::Document& doc, const char* term_prefix, Slot slot,
               const std::vector<std::string>& values) {
  for (const auto& value : values) {
    if (!value.empty()) doc.add_boolean_term(boolean_term(term_prefix, value));
  }
  const std::string packed = join_facet_values(values);
  if (!packed.empty()) doc.add_value(slot_number(slot), packed);
}

}  // namespace

std::string year_facet_value(const std::string& iso_date) {
  const auto date = parse_iso_date(iso_date);
  return date ? std::to_string(date->year) : kUndatedYear;
}

Xapian::Document build_xapian_document(const DocumentRecord& record, const DocumentWords& words,
                                       TextAnalyzer& analyzer) {
  Xapian::Document doc;
  const std::string stem_language = record.languages.empty() ? "" : record.languages.front();

  add_words(doc, words.title, 1, prefix::kTitle, 1, "", analyzer);
  add_words(doc, words.title, 1, "", kTitleWdfBoost, stem_language, analyzer);
  add_words(doc, words.text, kBodyFirstPosition, "", 1, stem_language, analyzer);

  doc.add_boolean_term(std::string(prefix::kId) + record.id);
  doc.add_boolean_term(path_term(record.path));
  doc.add_boolean_term(std::string(prefix::kAccess) + record.access);
  doc.add_value(slot_number(Slot::Access), record.access);

  add_facet(doc, prefix::kType, Slot::Type, {record.type});
  add_facet(doc, prefix::kLanguage, Slot::Language, record.languages);
  add_facet(doc, prefix::kSource, Slot::Source, {record.source});
  add_facet(doc, prefix::kActor, Slot::Actor, record.actors);
  add_facet(doc, prefix::kMinistry, Slot::Ministry, record.ministries);
  add_facet(doc, prefix::kYear, Slot::Year, {year_facet_value(record.date)});
  const auto date = parse_iso_date(record.date);
  if (date) doc.add_value(slot_number(Slot::Date), date->sort_key());
  const std::string sort_key = sort_key_value(date ? date->sort_key() : "", record.id);
  doc.add_value(slot_number(Slot::SortKey), sort_key);
  doc.add_value(slot_number(Slot::SortKeyUndatedLast), undated_last_sort_key(sort_key));
  doc.add_value(slot_number(Slot::ContentHash), record.content_hash);
  doc.set_data(serialize_record(record));
  return doc;
}

}  // namespace rights
