#include "http/static_files.h"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace sanad::http {

namespace {

std::string ContentType(const std::string& ext) {
  static const std::unordered_map<std::string, std::string> types{{".html", "text/html; charset=utf-8"},
                                                                  {".js", "text/javascript; charset=utf-8"},
                                                                  {".mjs", "text/javascript; charset=utf-8"},
                                                                  {".css", "text/css; charset=utf-8"},
                                                                  {".json", "application/json"},
                                                                  {".geojson", "application/geo+json"},
                                                                  {".svg", "image/svg+xml"},
                                                                  {".png", "image/png"},
                                                                  {".ico", "image/x-icon"},
                                                                  {".woff2", "font/woff2"},
                                                                  {".woff", "font/woff"},
                                                                  {".ttf", "font/ttf"},
                                                                  {".txt", "text/plain; charset=utf-8"},
                                                                  {".map", "application/json"}};
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

// Whether the Accept-Encoding header accepts `coding` (RFC 9110 §12.5.3): listed, or `*`, without q=0.
bool Accepts(std::string_view header, std::string_view coding) {
  bool star = false;
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semi = item.find(';');
    std::string_view name = item.substr(0, semi), params = semi == std::string_view::npos ? "" : item.substr(semi + 1);
    auto trim = [](std::string_view v) {
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      return v;
    };
    name = trim(name);
    params = trim(params);
    // q=0, q=0.0, q=0.00 … refuse the coding; any other weight accepts it.
    bool refused = params.size() >= 3 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=' &&
                   params.substr(2).find_first_not_of("0.") == std::string_view::npos;
    auto equal = [](std::string_view a, std::string_view b) {
      return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
             });
    };
    if (equal(name, coding)) return !refused;
    if (name == "*") star = !refused;
  }
  return star;
}

}  // namespace

Result<StaticFiles> StaticFiles::Load(const std::string& root) {
  namespace fs = std::filesystem;
  StaticFiles out;
  std::error_code ec;
  if (!fs::exists(fs::path(root) / "index.html", ec)) {
    return Fail(Code::kNotFound, fmt::format("web root '{}' has no index.html (run: make web)", root), "web-root");
  }
  std::size_t total = 0;
  std::vector<std::pair<std::string, std::string>> compressed;  // (path with .br/.gz, body)
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string rel = "/" + fs::relative(it->path(), root).generic_string();
    total += buf.str().size();
    if (total > (64u << 20)) return Fail(Code::kFailedPrecondition, "web root exceeds 64 MiB", "web-root");
    const std::string ext = it->path().extension().string();
    if (ext == ".br" || ext == ".gz") {
      // A compressed copy belongs to the file it was made from (attached below, once all are read).
      compressed.emplace_back(rel, buf.str());
      continue;
    }
    out.files_[rel] = File{ContentType(ext), buf.str(), {}, {}};
  }
  for (auto& [rel, body] : compressed) {
    auto base = out.files_.find(rel.substr(0, rel.size() - 3));
    if (base == out.files_.end()) continue;  // a stray .gz is not served on its own either
    (rel.ends_with(".br") ? base->second.brotli : base->second.gzip) = std::move(body);
  }
  return out;
}

std::optional<Response> StaticFiles::Serve(const std::string& path, std::string_view accept_encoding) const {
  std::string key = path == "/" ? "/index.html" : path;
  auto it = files_.find(key);
  bool fallback = false;
  if (it == files_.end()) {
    auto slash = key.find_last_of('/');
    if (key.find('.', slash) != std::string::npos) return std::nullopt;  // a missing asset is a 404
    it = files_.find("/index.html");
    fallback = true;
    if (it == files_.end()) return std::nullopt;
  }
  Response r;
  const File& f = it->second;
  r.content_type = f.content_type;
  if (!f.brotli.empty() && Accepts(accept_encoding, "br")) {
    r.body = f.brotli;
    r.Header("Content-Encoding", "br");
  } else if (!f.gzip.empty() && Accepts(accept_encoding, "gzip")) {
    r.body = f.gzip;
    r.Header("Content-Encoding", "gzip");
  } else {
    r.body = f.body;
  }
  if (!f.brotli.empty() || !f.gzip.empty()) r.Header("Vary", "Accept-Encoding");
  // Hashed asset names never change content; the HTML shell must always be revalidated.
  bool immutable = !fallback && key.starts_with("/assets/");
  r.Header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (r.content_type.starts_with("text/html")) {
    // Everything is served by this binary: no script, style, font or image from elsewhere.
    r.Header("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    r.Header("X-Frame-Options", "DENY");
  }
  return r;
}

}  // namespace sanad::http
