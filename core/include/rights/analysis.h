// One file -> one DocumentRecord: extraction, language identification, entity and date
// finding, and the manifest's overrides. Pure function of its inputs, so the indexer can
// run it on several threads (each with its own TextAnalyzer).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rights/authority.h"
#include "rights/corpus.h"
#include "rights/document.h"

namespace rights {

/// Changes when analysis gives a document other fields or terms than before without
/// changing the index schema (2: a page's declared language trusted over CLD2's neighbour
/// of it; 3: manifest languages read as HTML lang is, a neighbour in the same script from a
/// quarter of the text; 4: Markdown's raw HTML tags are markup, not words, and HTML that is
/// valid UTF-8 is read as UTF-8 whatever older charset its <meta> declares, and a PDF
/// title a tool made up, "Untitled-1" or "Microsoft Word - x.docx", is none). Part of the
/// content hash, so the first `indexer update` after an upgrade analyses every document
/// again instead of keeping what the old code made.
inline constexpr int kAnalysisVersion = 4;

/// Fingerprint of everything besides the file that shapes a document: the manifest entry
/// (in ManifestEntry::fingerprint), the authority files and kAnalysisVersion.
std::string content_hash(std::string_view file_bytes, std::string_view manifest_fingerprint,
                         std::string_view authority_fingerprint);

/// FNV-1a 64 of `bytes`: stable across runs, machines and compilers (std::hash is not).
std::uint64_t fnv1a_64(std::string_view bytes);
/// Hex FNV-1a 64 of `bytes`.
std::string fnv1a_hex(std::string_view bytes);

/// Analyses one file, and leaves the segmented title and text in `words`. `manifest` may
/// be null (a plain folder of files). Throws ExtractionError (one-line reason) when the
/// file cannot be indexed.
DocumentRecord analyse_file(const CorpusFile& file, std::string_view bytes,
                            const ManifestEntry* manifest, const Authority& authority,
                            std::string_view authority_fingerprint, TextAnalyzer& analyzer,
                            DocumentWords& words);

/// Document type guessed from the text when the manifest is silent.
std::string infer_document_type(const std::string& title, std::string_view text);

}  // namespace rights
