// RFC 4180 CSV, the one grammar of the project: quoted fields, doubled quotes, embedded commas and
// newlines, CRLF, LF or CR line ends, an optional UTF-8 byte-order mark. A quote opens a quoted field
// only at the start of a field; after a closing quote only a comma or a line end may follow. Errors
// carry a catalogue code ("csv.unterminated_quote", "csv.text_after_quote") with the line and column.
#pragma once

#include <deque>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace sanad::csv {

// A cell or a typed value without its surrounding blanks (spaces, tabs, CR, LF).
std::string_view TrimCell(std::string_view s);

// Splits CSV text held in memory into records without copying: a field is a view into the text, or,
// when it had doubled quotes to undo, into `arena` (which must outlive the views; it may be shared by
// several scanners and only grows). Blank lines are records of one empty field (the caller decides).
//
//   csv::Scanner scan(bytes, arena);
//   std::vector<std::string_view> fields;
//   while (auto more = scan.Next(fields)) { if (!*more) break; … scan.line() … }
//   // an error ends the scan: check `more.has_value()` first
class Scanner {
 public:
  Scanner(std::string_view text, std::deque<std::string>& arena);

  // The next record. Returns false at the end of the text.
  // Errors: kInvalidArgument for an unterminated quote or text after a closing quote.
  Result<bool> Next(std::vector<std::string_view>& fields);

  // Physical line (1-based) on which the last record returned started.
  long line() const { return record_line_; }

 private:
  std::string_view text_;
  std::deque<std::string>& arena_;
  std::size_t pos_ = 0;
  long next_line_ = 1;
  long record_line_ = 0;
};

// A CSV file with a header row, columns looked up by name (reference data, small files: the stream is
// read whole and split by Scanner).
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
  long line() const { return scanner_->line(); }  // physical line of the last record read (1-based)
  const std::string& name() const { return name_; }

 private:
  Reader() = default;

  std::unique_ptr<std::string> text_;
  std::unique_ptr<std::deque<std::string>> arena_;
  std::unique_ptr<Scanner> scanner_;
  std::string name_;
  std::vector<std::string> header_;
  std::unordered_map<std::string, int> index_;
  std::vector<std::string_view> fields_;
};

// Quotes a field when it holds a comma, quote, CR or LF.
std::string Escape(std::string_view field);

}  // namespace sanad::csv
