// Serves the built web application (web/dist) from memory: loaded once at start, so a request never
// touches the disk and no path from a request ever reaches the file system. The build leaves brotli
// (`.br`) and gzip (`.gz`) copies of text assets beside them; the copy the client accepts is sent as is
// (no compression per request).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "http/message.h"

namespace sanad::http {

class StaticFiles {
 public:
  // Loads every file under `root` (up to 64 MiB in all). Errors: kNotFound when root has no index.html.
  static Result<StaticFiles> Load(const std::string& root);
  StaticFiles() = default;

  // GET of a file; unknown paths without an extension fall back to index.html (client-side routes).
  // `accept_encoding` is the request's Accept-Encoding header (empty when absent).
  std::optional<Response> Serve(const std::string& path, std::string_view accept_encoding = {}) const;
  std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string brotli;  // empty when the build left no smaller copy
    std::string gzip;
  };
  std::unordered_map<std::string, File> files_;
};

}  // namespace sanad::http
