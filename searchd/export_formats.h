// Search results as downloadable files: CSV for spreadsheets and RIS for reference
// managers (Zotero, EndNote). Same hits, filters, sort and page as the JSON answer.
#pragma once

#include <string>

#include "rights/authority.h"
#include "rights/search.h"

namespace searchd {

/// RFC 4180 CSV, UTF-8 without a byte-order mark, CRLF line ends. Header row:
/// id,title,type,date,source,languages,actors,ministries,path,score. Multi-valued
/// columns (languages, actors, ministries: canonical ids, as in the JSON) are joined
/// with ";". Fields holding a comma, quote, CR or LF are quoted, quotes doubled. A text
/// field starting with = + - @ TAB or CR gets a leading apostrophe, so a spreadsheet shows
/// it as text instead of running it as a formula (CSV injection).
std::string search_to_csv(const rights::SearchResponse& response);

/// RIS records, one per hit, CRLF line ends. TY the standard RIS type of the document
/// type (letter PCOMM, report RPRT, article NEWS, statement PAMP, anything else GEN), TI
/// title, AU each author's name, DA "YYYY/MM/DD/" with empty parts for what the date does
/// not state and PY the year (both absent when undated), PB source, LA languages, KW each
/// actor's name, ID the document id, ER. No UR: a server address searchd cannot know.
/// Names come from `authority`; an id it does not know stands for itself.
std::string search_to_ris(const rights::SearchResponse& response, const rights::Authority& authority);

}  // namespace searchd
