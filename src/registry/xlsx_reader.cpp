#include "registry/xlsx_reader.h"

#include <expat.h>
#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace sanad::registry {

namespace {

std::unexpected<Error> FileError(std::string_view reason, MessageParams params, std::string message) {
  Error e{Code::kInvalidArgument, std::move(message), "file", 0, std::string(reason)};
  e.params = std::move(params);
  return std::unexpected<Error>(std::move(e));
}

std::unexpected<Error> Damaged(const std::string& part) {
  return FileError(MsgCode("xlsx.damaged"), {{"part", part}},
                   fmt::format("not a readable XLSX file: the part {} is damaged", part));
}

// ------------------------------------------------------------------------------------------------
// The ZIP container, in memory, through libzip. Each part is read in chunks and counted against the
// limits as it is produced; nothing is sized from the directory.

class Zip {
 public:
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;
  ~Zip() {
    if (za_) zip_discard(za_);
  }

  static Result<std::unique_ptr<Zip>> Open(std::string_view bytes, const XlsxLimits& limits) {
    // libzip opens an empty buffer as an empty archive; an upload of nothing is no workbook.
    if (bytes.empty()) return FileError(MsgCode("xlsx.not_zip"), {}, "not a readable XLSX file (not a ZIP archive)");
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (!src) {
      zip_error_fini(&err);
      return FileError(MsgCode("xlsx.not_zip"), {}, "not a readable XLSX file (not a ZIP archive)");
    }
    zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
    zip_error_fini(&err);
    if (!za) {
      zip_source_free(src);
      return FileError(MsgCode("xlsx.not_zip"), {}, "not a readable XLSX file (not a ZIP archive)");
    }
    return std::unique_ptr<Zip>(new Zip(za, bytes.size(), limits));
  }

  bool Has(const std::string& name) { return zip_name_locate(za_, name.c_str(), 0) >= 0; }

  // Hands the decompressed bytes of `name` to `consume` in chunks. The part must exist (Has).
  Status Stream(const std::string& name, const std::function<Status(std::string_view)>& consume) {
    const zip_int64_t index = zip_name_locate(za_, name.c_str(), 0);
    if (index < 0) return Damaged(name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za_, static_cast<zip_uint64_t>(index), 0, &st) != 0) return Damaged(name);
    // The compressed size bounds the ratio; a directory that claims more than the file holds is
    // counted as the file's size.
    const std::uint64_t compressed = std::max<std::uint64_t>(
        1, std::min<std::uint64_t>((st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 1, file_size_));
    zip_file_t* f = zip_fopen_index(za_, static_cast<zip_uint64_t>(index), 0);
    if (!f) return Damaged(name);
    struct Close {
      zip_file_t* f;
      ~Close() { zip_fclose(f); }
    } close{f};
    std::string buffer(64 * 1024, '\0');
    std::size_t produced = 0;
    for (;;) {
      const zip_int64_t n = zip_fread(f, buffer.data(), buffer.size());
      if (n < 0) return Damaged(name);  // a CRC that does not match, truncated or corrupt data
      if (n == 0) {
        // libzip does not compare what it inflated with the size the directory declares: we do, so that
        // a directory that lies (in either direction) is refused rather than believed elsewhere.
        if ((st.valid & ZIP_STAT_SIZE) && st.size != produced) {
          return FileError(
              MsgCode("xlsx.size_differs"), {{"part", name}},
              fmt::format("not a readable XLSX file: the size of {} differs from the ZIP directory", name));
        }
        break;
      }
      produced += static_cast<std::size_t>(n);
      budget_used_ += static_cast<std::size_t>(n);
      if (produced > limits_.max_part_bytes || budget_used_ > limits_.max_total_bytes ||
          (produced > (1u << 20) && produced / compressed > limits_.max_ratio)) {
        return FileError(
            MsgCode("xlsx.too_large"),
            {{"part", name},
             {"part_mib", std::to_string(limits_.max_part_bytes >> 20)},
             {"total_mib", std::to_string(limits_.max_total_bytes >> 20)},
             {"ratio", std::to_string(limits_.max_ratio)}},
            fmt::format("the XLSX part {} expands beyond what one upload may hold ({} MiB per part, {} MiB in all, "
                        "{}:1 compression): split the file",
                        name, limits_.max_part_bytes >> 20, limits_.max_total_bytes >> 20, limits_.max_ratio));
      }
      if (auto s = consume(std::string_view(buffer.data(), static_cast<std::size_t>(n))); !s) return s;
    }
    return Ok();
  }

 private:
  Zip(zip_t* za, std::size_t file_size, const XlsxLimits& limits) : za_(za), file_size_(file_size), limits_(limits) {}

  zip_t* za_;
  std::size_t file_size_;
  const XlsxLimits& limits_;
  std::size_t budget_used_ = 0;
};

// ------------------------------------------------------------------------------------------------
// XML parts through expat, element names without their namespace prefix.

std::string_view Local(std::string_view qname) {
  const auto colon = qname.rfind(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// The value of the attribute whose local name is `name`, or nullopt.
std::optional<std::string_view> Attr(const char** attrs, std::string_view name) {
  for (int i = 0; attrs[i]; i += 2) {
    if (Local(attrs[i]) == name) return std::string_view(attrs[i + 1]);
  }
  return std::nullopt;
}

class XmlPart {
 public:
  std::function<void(std::string_view name, const char** attrs)> on_start;
  std::function<void(std::string_view name)> on_end;
  std::function<void(std::string_view text)> on_text;

  explicit XmlPart(std::string part) : part_(std::move(part)), parser_(XML_ParserCreate("UTF-8")) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(
        parser_,
        [](void* self, const XML_Char* name, const XML_Char** attrs) {
          auto* p = static_cast<XmlPart*>(self);
          if (p->on_start) p->on_start(Local(name), attrs);
        },
        [](void* self, const XML_Char* name) {
          auto* p = static_cast<XmlPart*>(self);
          if (p->on_end) p->on_end(Local(name));
        });
    XML_SetCharacterDataHandler(parser_, [](void* self, const XML_Char* s, int len) {
      auto* p = static_cast<XmlPart*>(self);
      if (p->on_text) p->on_text(std::string_view(s, static_cast<std::size_t>(len)));
    });
    // No document type declarations: nothing to expand, nothing to fetch.
    XML_SetStartDoctypeDeclHandler(parser_, [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
      auto* p = static_cast<XmlPart*>(self);
      p->Abort(FileError(MsgCode("xlsx.dtd"), {{"part", p->part_}},
                         fmt::format("not a readable XLSX file: {} declares a document type", p->part_))
                   .error());
    });
  }
  ~XmlPart() { XML_ParserFree(parser_); }
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  // Stops the parse; Feed then returns `e`.
  void Abort(Error e) {
    if (!error_) error_ = std::move(e);
    XML_StopParser(parser_, XML_FALSE);
  }

  Status Feed(std::string_view chunk, bool last) {
    const auto rc = XML_Parse(parser_, chunk.data(), static_cast<int>(chunk.size()), last ? 1 : 0);
    if (error_) return std::unexpected(*error_);
    if (rc != XML_STATUS_OK) {
      const auto line = static_cast<long>(XML_GetCurrentLineNumber(parser_));
      return FileError(MsgCode("xlsx.bad_xml"), {{"part", part_}, {"line", std::to_string(line)}},
                       fmt::format("not a readable XLSX file: {} is not well-formed XML (line {}: {})", part_, line,
                                   XML_ErrorString(XML_GetErrorCode(parser_))));
    }
    return Ok();
  }

 private:
  std::string part_;
  XML_Parser parser_;
  std::optional<Error> error_;
};

// Streams the part `name` of `zip` through `xml`.
Status Parse(Zip& zip, const std::string& name, XmlPart& xml) {
  if (auto s = zip.Stream(name, [&](std::string_view chunk) { return xml.Feed(chunk, false); }); !s) return s;
  return xml.Feed({}, true);
}

// ------------------------------------------------------------------------------------------------
// The parts a data sheet needs.

// Path of the workbook's first sheet, through its relationship (xl/worksheets/sheet1.xml by default).
Result<std::string> FirstSheetPath(Zip& zip) {
  const std::string workbook = "xl/workbook.xml";
  if (!zip.Has(workbook))
    return FileError(MsgCode("xlsx.no_workbook"), {}, "not an XLSX workbook (xl/workbook.xml is missing)");
  std::optional<std::string> rid;
  XmlPart wb(workbook);
  wb.on_start = [&](std::string_view name, const char** attrs) {
    if (name == "sheet" && !rid) {
      if (auto id = Attr(attrs, "id")) rid = std::string(*id);
    }
  };
  if (auto s = Parse(zip, workbook, wb); !s) return std::unexpected(s.error());
  std::string path = "xl/worksheets/sheet1.xml";
  const std::string rels = "xl/_rels/workbook.xml.rels";
  if (!rid || !zip.Has(rels)) return path;
  XmlPart rx(rels);
  bool found = false;
  rx.on_start = [&](std::string_view name, const char** attrs) {
    if (found || name != "Relationship" || Attr(attrs, "Id") != std::optional<std::string_view>(*rid)) return;
    found = true;
    std::string target(Attr(attrs, "Target").value_or(""));
    if (target.starts_with("/"))
      path = target.substr(1);
    else if (!target.empty())
      path = fmt::format("xl/{}", target);  // (not "xl/" + target: GCC 12 warns falsely, -Wrestrict)
  };
  if (auto s = Parse(zip, rels, rx); !s) return std::unexpected(s.error());
  return path;
}

Result<std::vector<std::string>> SharedStrings(Zip& zip) {
  std::vector<std::string> out;
  const std::string part = "xl/sharedStrings.xml";
  if (!zip.Has(part)) return out;
  XmlPart x(part);
  bool in_si = false, in_t = false;
  int in_rph = 0;
  x.on_start = [&](std::string_view name, const char**) {
    if (name == "si") {
      out.emplace_back();
      in_si = true;
    } else if (name == "t" && in_si) {
      in_t = true;
    } else if (name == "rPh") {
      ++in_rph;
    }
  };
  x.on_end = [&](std::string_view name) {
    if (name == "si") in_si = false;
    if (name == "t") in_t = false;
    if (name == "rPh") --in_rph;
  };
  x.on_text = [&](std::string_view text) {
    if (in_si && in_t && in_rph == 0) out.back().append(text);
  };
  if (auto s = Parse(zip, part, x); !s) return std::unexpected(s.error());
  return out;
}

// Per cell format (styles.xml cellXfs, by index): whether it displays a date.
Result<std::vector<bool>> DateStyles(Zip& zip) {
  std::vector<bool> out;
  const std::string part = "xl/styles.xml";
  if (!zip.Has(part)) return out;
  std::set<int> custom_dates;
  bool in_xfs = false;
  auto to_int = [](std::optional<std::string_view> v) {
    int n = 0;
    if (v) std::from_chars(v->data(), v->data() + v->size(), n);
    return n;
  };
  XmlPart x(part);
  x.on_start = [&](std::string_view name, const char** attrs) {
    if (name == "numFmt") {
      auto code = Attr(attrs, "formatCode");
      if (!code) return;
      // A format shows a date when it has a day or year token outside quotes and brackets.
      bool quoted = false, bracket = false, date = false;
      for (char c : *code) {
        if (c == '"')
          quoted = !quoted;
        else if (c == '[' && !quoted)
          bracket = true;
        else if (c == ']' && !quoted)
          bracket = false;
        else if (!quoted && !bracket && (c == 'y' || c == 'Y' || c == 'd' || c == 'D'))
          date = true;
      }
      if (date) custom_dates.insert(to_int(Attr(attrs, "numFmtId")));
    } else if (name == "cellXfs") {
      in_xfs = true;
    } else if (name == "xf" && in_xfs) {
      const int id = to_int(Attr(attrs, "numFmtId"));
      // The built-in date formats (ECMA-376 §18.8.30) and the East Asian ones Excel also ships.
      out.push_back((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
                    (id >= 50 && id <= 58) || custom_dates.contains(id));
    }
  };
  x.on_end = [&](std::string_view name) {
    if (name == "cellXfs") in_xfs = false;
  };
  if (auto s = Parse(zip, part, x); !s) return std::unexpected(s.error());
  return out;
}

// Column index of a cell reference such as "AB12" (0-based), or -1.
int ColumnOfRef(std::string_view ref) {
  int col = 0;
  std::size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && col <= 16384; ++i) col = col * 26 + (ref[i] - 'A' + 1);
  return i == 0 || col > 16384 ? -1 : col - 1;
}

std::string NumberText(std::string_view v) {
  double d = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc() || p != v.data() + v.size()) return std::string(v);
  if (std::floor(d) == d && std::fabs(d) < 1e15) return fmt::format("{}", static_cast<long long>(d));
  return fmt::format("{}", d);
}

}  // namespace

std::optional<std::string> ExcelSerialToDate(double serial) {
  if (!(serial >= 1 && serial < 2958466)) return std::nullopt;
  long long days = static_cast<long long>(std::floor(serial));
  if (days == 60) return std::string("1900-02-29");  // Lotus 1-2-3's phantom day, kept by Excel
  if (days < 60) ++days;                             // serials before it are one day off
  // Days since 1970-01-01 (serial 25569), then the civil date (H. Hinnant's days_from_civil inverse).
  long long z = days - 25569 + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

Status ReadXlsx(std::string_view bytes, const XlsxRowSink& sink, const XlsxLimits& limits) {
  auto zip = Zip::Open(bytes, limits);
  if (!zip) return std::unexpected(zip.error());
  auto sheet_path = FirstSheetPath(**zip);
  if (!sheet_path) return std::unexpected(sheet_path.error());
  auto sst = SharedStrings(**zip);
  if (!sst) return std::unexpected(sst.error());
  auto date_style = DateStyles(**zip);
  if (!date_style) return std::unexpected(date_style.error());
  if (!(*zip)->Has(*sheet_path)) {
    return FileError(MsgCode("xlsx.no_sheet"), {{"part", *sheet_path}},
                     fmt::format("the workbook has no sheet {}", *sheet_path));
  }

  XmlPart x(*sheet_path);
  std::vector<std::string> row;
  long row_no = 0;
  bool row_has_cell = false;
  int col = -1;
  std::string type, value;
  int style = -1;
  bool in_cell = false, in_v = false, in_t = false;
  int in_rph = 0;
  x.on_start = [&](std::string_view name, const char** attrs) {
    if (name == "row") {
      row.clear();
      row_has_cell = false;
      col = -1;
      long r = 0;
      if (auto ref = Attr(attrs, "r")) std::from_chars(ref->data(), ref->data() + ref->size(), r);
      row_no = r > 0 ? r : row_no + 1;
    } else if (name == "c") {
      auto ref = Attr(attrs, "r");
      const int c = ref ? ColumnOfRef(*ref) : -1;
      col = c >= 0 ? c : col + 1;
      if (col > 16383) col = 16383;
      type = std::string(Attr(attrs, "t").value_or("n"));
      style = -1;
      if (auto s = Attr(attrs, "s")) std::from_chars(s->data(), s->data() + s->size(), style);
      value.clear();
      in_cell = true;
    } else if (name == "v" && in_cell) {
      in_v = true;
    } else if (name == "t" && in_cell) {
      in_t = true;
    } else if (name == "rPh") {
      ++in_rph;
    }
  };
  x.on_text = [&](std::string_view text) {
    if (in_v || (in_t && in_rph == 0)) value.append(text);
  };
  x.on_end = [&](std::string_view name) {
    if (name == "v") {
      in_v = false;
    } else if (name == "t") {
      in_t = false;
    } else if (name == "rPh") {
      --in_rph;
    } else if (name == "c" && in_cell) {
      in_cell = false;
      std::string out;
      if (type == "s") {
        std::size_t idx = sst->size();
        std::from_chars(value.data(), value.data() + value.size(), idx);
        if (idx < sst->size()) out = (*sst)[idx];
      } else if (type == "inlineStr" || type == "str" || type == "e" || type == "d") {
        out = std::move(value);
      } else if (type == "b") {
        out.assign(1, value == "1" ? '1' : '0');
      } else if (!value.empty()) {
        const bool is_date = style >= 0 && static_cast<std::size_t>(style) < date_style->size() && (*date_style)[style];
        double d = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
        out = is_date && ec == std::errc() ? ExcelSerialToDate(d).value_or(value) : NumberText(value);
      }
      if (static_cast<std::size_t>(col) >= row.size()) row.resize(static_cast<std::size_t>(col) + 1);
      row[static_cast<std::size_t>(col)] = std::move(out);
      row_has_cell = true;
    } else if (name == "row") {
      if (!row_has_cell) return;
      if (auto s = sink(row_no, row); !s) x.Abort(s.error());
    }
  };
  return Parse(**zip, *sheet_path, x);
}

}  // namespace sanad::registry
