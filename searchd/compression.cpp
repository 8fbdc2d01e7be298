#include "compression.h"

#include <memory>
#include <string>

namespace searchd {

namespace {

// Text types httplib 0.11 does not compress; prefixes, so that a charset may follow.
bool is_other_text(const std::string& content_type) {
  return content_type.rfind("application/x-research-info-systems", 0) == 0;
}

// The encoding httplib picks for `request` if the answer were text of its own list: the
// client's Accept-Encoding read exactly as httplib reads it for JSON and CSV.
httplib::detail::EncodingType encoding_for(const httplib::Request& request) {
  httplib::Response text;
  text.set_header("Content-Type", "text/plain");
  return httplib::detail::encoding_type(request, text);
}

std::unique_ptr<httplib::detail::compressor> make_compressor(httplib::detail::EncodingType type) {
  switch (type) {
    case httplib::detail::EncodingType::Gzip: return std::make_unique<httplib::detail::gzip_compressor>();
    case httplib::detail::EncodingType::Brotli: return std::make_unique<httplib::detail::brotli_compressor>();
    case httplib::detail::EncodingType::None: break;
  }
  return nullptr;
}

}  // namespace

bool is_compressible(const httplib::Response& response) {
  if (response.body.empty()) return false;
  if (is_other_text(response.get_header_value("Content-Type"))) return true;
  // Asked of httplib itself, whose list of compressible types this cannot drift from.
  static const httplib::Request accepting_client = [] {
    httplib::Request request;
    request.set_header("Accept-Encoding", "gzip, br");
    return request;
  }();
  return httplib::detail::encoding_type(accepting_client, response) != httplib::detail::EncodingType::None;
}

void compress_other_text(const httplib::Request& request, httplib::Response& response) {
  if (response.body.empty() || response.has_header("Content-Encoding") ||
      !is_other_text(response.get_header_value("Content-Type"))) {
    return;
  }
  const httplib::detail::EncodingType type = encoding_for(request);
  const std::unique_ptr<httplib::detail::compressor> compressor = make_compressor(type);
  if (!compressor) return;
  std::string compressed;
  const bool ok = compressor->compress(response.body.data(), response.body.size(), /*last=*/true,
                                       [&](const char* data, std::size_t length) {
                                         compressed.append(data, length);
                                         return true;
                                       });
  if (!ok) return;  // as httplib does: the answer goes out uncompressed, which every client reads
  response.body.swap(compressed);
  response.set_header("Content-Encoding", type == httplib::detail::EncodingType::Brotli ? "br" : "gzip");
  // set_header adds a second field rather than replacing the first.
  response.headers.erase("Content-Length");
  response.set_header("Content-Length", std::to_string(response.body.size()));
}

}  // namespace searchd
