#include "core/csv.h"

#include <fmt/format.h>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace sanad::csv {

namespace {

// An error with its catalogue code and parameters, and the English text for logs and the CLI.
std::unexpected<Error> CsvError(std::string reason, long line, std::size_t column, std::string message) {
  Error e{Code::kInvalidArgument, std::move(message), fmt::format("line {}, column {}", line, column), 0,
          std::move(reason)};
  e.params = {{"line", std::to_string(line)}, {"column", std::to_string(column)}};
  return std::unexpected<Error>(std::move(e));
}

bool IsStop(char c) { return c == ',' || c == '\n' || c == '\r'; }

}  // namespace

Scanner::Scanner(std::string_view text, std::deque<std::string>& arena) : text_(text), arena_(arena) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

Result<bool> Scanner::Next(std::vector<std::string_view>& fields) {
  fields.clear();
  const std::string_view d = text_;
  const std::size_t n = d.size();
  std::size_t i = pos_;
  if (i >= n) return false;
  long line = next_line_;
  record_line_ = line;
  for (;;) {
    if (i < n && d[i] == '"') {
      std::size_t j = i + 1;
      bool doubled = false;
      for (;;) {
        const void* q = std::memchr(d.data() + j, '"', n - j);
        if (!q) {
          return CsvError(MsgCode("csv.unterminated_quote").data(), record_line_, fields.size() + 1,
                          fmt::format("unterminated quoted field starting on line {}", record_line_));
        }
        const std::size_t qi = static_cast<const char*>(q) - d.data();
        line += std::count(d.data() + j, d.data() + qi, '\n');
        if (qi + 1 < n && d[qi + 1] == '"') {
          doubled = true;
          j = qi + 2;
          continue;
        }
        std::string_view raw = d.substr(i + 1, qi - i - 1);
        if (doubled) {
          std::string u;
          u.reserve(raw.size());
          for (std::size_t k = 0; k < raw.size(); ++k) {
            u.push_back(raw[k]);
            if (raw[k] == '"') ++k;
          }
          arena_.push_back(std::move(u));
          fields.push_back(arena_.back());
        } else {
          fields.push_back(raw);
        }
        i = qi + 1;
        break;
      }
      if (i < n && !IsStop(d[i])) {
        return CsvError(MsgCode("csv.text_after_quote").data(), line, fields.size(),
                        fmt::format("unexpected character after a closing quote on line {}", line));
      }
    } else {
      std::size_t j = i;
      while (j < n && !IsStop(d[j])) ++j;
      fields.push_back(d.substr(i, j - i));
      i = j;
    }
    if (i >= n) break;
    if (d[i] == ',') {
      ++i;
      continue;
    }
    if (d[i] == '\r' && i + 1 < n && d[i + 1] == '\n') ++i;
    ++i;
    ++line;
    break;
  }
  pos_ = i;
  next_line_ = line;
  return true;
}

std::string_view TrimCell(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

Result<Reader> Reader::Open(const std::string& path) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in)
    return WithText(Failure(Code::kNotFound, "file.cannot_open", {{"file", path}}, "file"),
                    fmt::format("cannot open '{}'", path));
  return FromStream(std::move(in), path);
}

Result<Reader> Reader::FromStream(std::unique_ptr<std::istream> in, std::string name) {
  Reader r;
  std::ostringstream all;
  all << in->rdbuf();
  r.text_ = std::make_unique<std::string>(std::move(all).str());
  r.arena_ = std::make_unique<std::deque<std::string>>();
  r.scanner_ = std::make_unique<Scanner>(*r.text_, *r.arena_);
  r.name_ = std::move(name);
  auto ok = r.scanner_->Next(r.fields_);
  if (!ok) return std::unexpected(ok.error());
  if (!*ok) {
    return WithText(Failure(Code::kInvalidArgument, "import.no_header", {}, "file"),
                    fmt::format("'{}' is empty: a header row is required", r.name_));
  }
  for (std::size_t i = 0; i < r.fields_.size(); ++i) {
    std::string_view h = r.fields_[i];
    auto b = h.find_first_not_of(" \t");
    auto e = h.find_last_not_of(" \t");
    r.header_.emplace_back(b == std::string_view::npos ? std::string_view() : h.substr(b, e - b + 1));
    r.index_.emplace(r.header_.back(), static_cast<int>(i));
  }
  return r;
}

int Reader::Column(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? -1 : it->second;
}

Result<bool> Reader::Next(std::vector<std::string>& row) {
  for (;;) {
    auto ok = scanner_->Next(fields_);
    if (!ok || !*ok) return ok;
    if (fields_.size() == 1 && fields_[0].empty()) continue;  // blank line
    row.assign(fields_.begin(), fields_.end());
    if (row.size() < header_.size()) row.resize(header_.size());
    return true;
  }
}

std::string Escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace sanad::csv
