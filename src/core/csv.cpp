#include "core/csv.h"

#include <fmt/format.h>
#include <fstream>
#include <memory>

namespace sanad::csv {

Result<bool> ReadRecord(std::istream& in, std::vector<std::string>& fields, long& line) {
  fields.clear();
  int c = in.get();
  if (c == EOF) return false;
  ++line;
  const long start_line = line;
  std::string field;
  bool quoted = false;
  bool after_quote = false;
  for (;; c = in.get()) {
    if (quoted) {
      if (c == EOF) {
        return Fail(Code::kInvalidArgument, fmt::format("unterminated quoted field starting on line {}", start_line),
                    fmt::format("line {}, column {}", start_line, fields.size() + 1));
      }
      if (c == '"') {
        if (in.peek() == '"') {
          in.get();
          field.push_back('"');
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(static_cast<char>(c));
      }
      continue;
    }
    if (c == EOF || c == '\n' || c == '\r') {
      if (c == '\r' && in.peek() == '\n') in.get();
      fields.push_back(std::move(field));
      return true;
    }
    if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      after_quote = false;
      continue;
    }
    if (after_quote) {
      return Fail(Code::kInvalidArgument, fmt::format("unexpected character after a closing quote on line {}", line),
                  fmt::format("line {}, column {}", line, fields.size() + 1));
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      continue;
    }
    field.push_back(static_cast<char>(c));
  }
}

Result<Reader> Reader::Open(const std::string& path) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) return Fail(Code::kNotFound, fmt::format("cannot open '{}'", path), "file");
  return FromStream(std::move(in), path);
}

Result<Reader> Reader::FromStream(std::unique_ptr<std::istream> in, std::string name) {
  Reader r;
  r.in_ = std::move(in);
  r.name_ = std::move(name);
  // Skip a UTF-8 byte-order mark written by spreadsheet programs.
  char bom[3];
  r.in_->read(bom, 3);
  if (!(r.in_->gcount() == 3 && bom[0] == '\xEF' && bom[1] == '\xBB' && bom[2] == '\xBF')) {
    r.in_->clear();
    r.in_->seekg(0);
  }
  auto ok = ReadRecord(*r.in_, r.header_, r.line_);
  if (!ok) return std::unexpected(ok.error());
  if (!*ok)
    return Fail(Code::kInvalidArgument, fmt::format("'{}' is empty: a header row is required", r.name_), "file");
  for (std::size_t i = 0; i < r.header_.size(); ++i) {
    auto& h = r.header_[i];
    auto b = h.find_first_not_of(" \t");
    auto e = h.find_last_not_of(" \t");
    h = b == std::string::npos ? "" : h.substr(b, e - b + 1);
    r.index_.emplace(h, static_cast<int>(i));
  }
  return r;
}

int Reader::Column(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? -1 : it->second;
}

Result<bool> Reader::Next(std::vector<std::string>& row) {
  for (;;) {
    auto ok = ReadRecord(*in_, row, line_);
    if (!ok || !*ok) return ok;
    if (row.size() == 1 && row[0].empty()) continue;  // blank line
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
