// Which answers are sent compressed. httplib 0.11 gzip- or brotli-compresses text/*, JSON,
// XML, JavaScript and SVG by itself; searchd sends one more text type, RIS, which it
// compresses the same way.
#pragma once

#include <httplib.h>

namespace searchd {

/// Whether `response` is sent compressed to a client that accepts compression (by httplib
/// or by compress_other_text()); such answers must say "Vary: Accept-Encoding".
bool is_compressible(const httplib::Response& response);

/// Compresses a text answer whose type httplib leaves alone (RIS), with the encoding
/// httplib would choose for `request` (br before gzip), and sets Content-Encoding and
/// Content-Length. For the post-routing hook: httplib has compressed its own types and
/// set Content-Length by then, and writes the headers next.
void compress_other_text(const httplib::Request& request, httplib::Response& response);

}  // namespace searchd
