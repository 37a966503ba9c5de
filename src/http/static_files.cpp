#include "http/static_files.h"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace sanad::http {

namespace {

std::string ContentType(const std::string& ext) {
  static const std::unordered_map<std::string, std::string> types{
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".geojson", "application/geo+json"}, {".svg", "image/svg+xml"},
      {".png", "image/png"}, {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".woff", "font/woff"},
      {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}};
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
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
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string rel = "/" + fs::relative(it->path(), root).generic_string();
    total += buf.str().size();
    if (total > (64u << 20)) return Fail(Code::kFailedPrecondition, "web root exceeds 64 MiB", "web-root");
    out.files_[rel] = File{ContentType(it->path().extension().string()), buf.str()};
  }
  return out;
}

std::optional<Response> StaticFiles::Serve(const std::string& path) const {
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
  r.content_type = it->second.content_type;
  r.body = it->second.body;
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
