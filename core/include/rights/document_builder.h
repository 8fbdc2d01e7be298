// Turns a DocumentRecord into the Xapian document the schema describes. The query side
// relies on exactly this layout:
//  - body words: unprefixed terms with positions (phrases work in every script);
//  - title words: "S"-prefixed terms with their own positions, and also unprefixed terms
//    with wdf boosted by kTitleWdfBoost (title boost in BM25), positioned before the body
//    with a gap so a phrase never spans title and body;
//  - stems: "Z"+stem (no positions) for words whose stem in the document's main language
//    differs from the word; the query side ORs word, stem and Z+stem as one synonym;
//  - one boolean term per facet value and the packed facet values in their slots.
#pragma once

#include <xapian.h>

#include "rights/document.h"
#include "rights/text_analysis.h"

namespace rights {

/// Positions of body words start here, after the title's.
inline constexpr Xapian::termpos kBodyFirstPosition = 1000;

/// `words` are record.title and record.text segmented by `analyzer` (as analyse_file
/// leaves them); `analyzer` stems them.
Xapian::Document build_xapian_document(const DocumentRecord& record, const DocumentWords& words,
                                       TextAnalyzer& analyzer);

/// Year facet value of an ISO partial date ("" -> kUndatedYear).
std::string year_facet_value(const std::string& iso_date);

}  // namespace rights
