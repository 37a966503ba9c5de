// RFC 4180 CSV reading: quoted fields, doubled quotes, embedded commas and newlines, CRLF or LF,
// an optional UTF-8 byte-order mark. Errors name the line and column.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace sanad::csv {

// Reads one record from `in` into `fields`. Returns false at end of input. `line` is advanced by the
// number of physical lines consumed (a quoted field may span several).
// Errors: kInvalidArgument for an unterminated quote or text after a closing quote.
Result<bool> ReadRecord(std::istream& in, std::vector<std::string>& fields, long& line);

// A CSV file with a header row, columns looked up by name.
class Reader {
 public:
  // Opens `path`; reads the header (trimmed, BOM removed). Errors: kNotFound, kInvalidArgument.
  static Result<Reader> Open(const std::string& path);
  static Result<Reader> FromStream(std::unique_ptr<std::istream> in, std::string name);

  const std::vector<std::string>& header() const { return header_; }
  // Index of a column, or -1.
  int Column(std::string_view name) const;
  // Next data row; false at end. Rows with fewer fields than the header are padded with "".
  Result<bool> Next(std::vector<std::string>& row);
  long line() const { return line_; }  // physical line of the last record read (1-based)
  const std::string& name() const { return name_; }

 private:
  std::unique_ptr<std::istream> in_;
  std::string name_;
  std::vector<std::string> header_;
  std::unordered_map<std::string, int> index_;
  long line_ = 0;
};

// Quotes a field when it holds a comma, quote, CR or LF.
std::string Escape(std::string_view field);

}  // namespace sanad::csv
