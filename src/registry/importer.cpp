#include "registry/importer.h"
#include "text/utf8.h"

#include <zlib.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.h"
#include "core/utf8.h"
#include "db/row.h"

namespace sanad::registry {

namespace {

// ------------------------------------------------------------------------------------------------
// A parsed file: the kept columns of every data row, as views into the file bytes or into `arena`.

struct Sheet {
  std::vector<std::string> header;      // every column of the file, trimmed
  std::vector<int> kept;                // kept[k] = column of the file held in cells[.. + k]
  std::size_t width = 0;                // kept.size()
  std::vector<std::string_view> cells;  // row-major: rows × width, trimmed
  std::vector<long> row_no;             // row number in the file (header = first row)
  std::deque<std::string> arena;        // owned text (unescaped CSV fields, XLSX values)
  std::vector<RowError> row_errors;     // rows that could not be read as a whole
  bool xlsx = false;

  std::size_t rows() const { return row_no.size(); }
  std::string_view at(std::size_t r, std::size_t k) const { return cells[r * width + k]; }
};

// Chooses the kept columns once the header is known.
using SelectColumns = std::function<std::vector<int>(const std::vector<std::string>& header)>;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

void StartRows(Sheet& sh, const std::vector<std::string>& header, const SelectColumns& select) {
  sh.header = header;
  for (auto& h : sh.header) h = std::string(Trim(h));
  sh.kept = select(sh.header);
  sh.width = sh.kept.size();
}

// The exporter writes a cell a spreadsheet would run as a formula with a leading single quote
// (NeutraliseFormula); reading it back takes the quote off.
std::string_view UndoFormulaGuard(std::string_view cell) {
  if (cell.size() >= 2 && cell[0] == '\'') {
    const char c = cell[1];
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') cell.remove_prefix(1);
  }
  return cell;
}

// RFC 4180 over the whole file in memory (the same grammar as core/csv.h, which reads a stream one
// character at a time; this path handles a million rows, so it scans a buffer and keeps views).
Status ParseCsv(std::string_view d, Sheet& sh, const SelectColumns& select) {
  std::size_t i = 0;
  const std::size_t n = d.size();
  if (n >= 3 && d.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  long line = 1;
  std::vector<std::string_view> rec;
  bool have_header = false;
  std::vector<int> slot;  // file column → kept index or -1
  static const std::array<bool, 256> stop = [] {
    std::array<bool, 256> t{};
    t[static_cast<unsigned char>(',')] = t[static_cast<unsigned char>('\n')] = t[static_cast<unsigned char>('\r')] =
        true;
    return t;
  }();
  while (i < n) {
    const long start_line = line;
    rec.clear();
    for (;;) {
      if (i < n && d[i] == '"') {
        std::size_t j = i + 1;
        bool doubled = false;
        for (;;) {
          const void* q = std::memchr(d.data() + j, '"', n - j);
          if (!q) {
            return Fail(Code::kInvalidArgument,
                        fmt::format("unterminated quoted field starting on line {}", start_line),
                        fmt::format("line {}, column {}", start_line, rec.size() + 1));
          }
          std::size_t qi = static_cast<const char*>(q) - d.data();
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
            sh.arena.push_back(std::move(u));
            rec.push_back(sh.arena.back());
          } else {
            rec.push_back(raw);
          }
          i = qi + 1;
          break;
        }
        if (i < n && d[i] != ',' && d[i] != '\n' && d[i] != '\r') {
          return Fail(Code::kInvalidArgument,
                      fmt::format("unexpected character after a closing quote on line {}", line),
                      fmt::format("line {}, column {}", line, rec.size()));
        }
      } else {
        std::size_t j = i;
        while (j < n && !stop[static_cast<unsigned char>(d[j])]) ++j;
        rec.push_back(d.substr(i, j - i));
        i = j;
      }
      if (i >= n) break;
      if (d[i] == ',') {
        ++i;
        continue;
      }
      if (d[i] == '\r') {
        ++i;
        if (i < n && d[i] == '\n') ++i;
      } else {
        ++i;
      }
      ++line;
      break;
    }
    if (rec.size() == 1 && rec[0].empty()) continue;  // blank line
    if (!have_header) {
      std::vector<std::string> header(rec.begin(), rec.end());
      StartRows(sh, header, select);
      slot.assign(sh.header.size(), -1);
      for (std::size_t k = 0; k < sh.kept.size(); ++k) slot[sh.kept[k]] = static_cast<int>(k);
      have_header = true;
      continue;
    }
    if (rec.size() > sh.header.size()) {
      bool extra = false;
      for (std::size_t k = sh.header.size(); k < rec.size(); ++k) extra |= !Trim(rec[k]).empty();
      if (extra) {
        sh.row_errors.push_back(
            {start_line, "", "",
             fmt::format("the row has {} fields but the header has {} columns", rec.size(), sh.header.size())});
      }
    }
    const std::size_t base = sh.cells.size();
    sh.cells.resize(base + sh.width);
    for (std::size_t k = 0; k < sh.width; ++k) {
      const auto c = static_cast<std::size_t>(sh.kept[k]);
      if (c < rec.size()) sh.cells[base + k] = UndoFormulaGuard(Trim(rec[c]));
    }
    sh.row_no.push_back(start_line);
  }
  if (!have_header) return Fail(Code::kInvalidArgument, "the file is empty: a header row is required", "file");
  return Ok();
}

// ------------------------------------------------------------------------------------------------
// XLSX: a ZIP archive of XML parts. Only what a data sheet needs is read: the first worksheet, shared
// strings and the cell formats that are dates.

std::uint32_t Le32(std::string_view z, std::size_t at) {
  auto b = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(z[at + k])); };
  return b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24;
}
std::uint16_t Le16(std::string_view z, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(z[at]) | static_cast<unsigned char>(z[at + 1]) << 8);
}

struct ZipEntry {
  std::uint16_t method = 0;
  std::uint32_t csize = 0, usize = 0, local = 0;
};

Result<std::map<std::string, ZipEntry>> ZipDirectory(std::string_view z) {
  auto bad = [](std::string why) { return Fail(Code::kInvalidArgument, "not a readable XLSX file: " + why, "file"); };
  if (z.size() < 22) return bad("too short");
  std::size_t eocd = std::string_view::npos;
  const std::size_t lowest = z.size() > 65557 ? z.size() - 65557 : 0;
  for (std::size_t p = z.size() - 22 + 1; p-- > lowest;) {
    if (Le32(z, p) == 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd == std::string_view::npos) return bad("no ZIP directory");
  const std::size_t count = Le16(z, eocd + 10);
  std::size_t p = Le32(z, eocd + 16);
  std::map<std::string, ZipEntry> out;
  for (std::size_t e = 0; e < count; ++e) {
    if (p + 46 > z.size() || Le32(z, p) != 0x02014b50) return bad("damaged ZIP directory");
    ZipEntry ze;
    ze.method = Le16(z, p + 10);
    ze.csize = Le32(z, p + 20);
    ze.usize = Le32(z, p + 24);
    const std::size_t nlen = Le16(z, p + 28), xlen = Le16(z, p + 30), clen = Le16(z, p + 32);
    ze.local = Le32(z, p + 42);
    if (p + 46 + nlen > z.size()) return bad("damaged ZIP directory");
    if (ze.csize == 0xFFFFFFFF || ze.usize == 0xFFFFFFFF) return bad("ZIP64 archives are not supported");
    out.emplace(std::string(z.substr(p + 46, nlen)), ze);
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

// What one upload may expand to. The sizes a ZIP directory declares are the sender's claim and are
// never used to size a buffer: output grows as inflate produces it, and stops at these limits (a
// 178-byte file can declare a 4 GiB entry; a 1 MiB deflate stream can expand a thousandfold).
constexpr std::size_t kMaxZipEntryBytes = 256u << 20;  // one decompressed part (the sheet's XML)
constexpr std::size_t kMaxZipTotalBytes = 512u << 20;  // all parts read from one file
constexpr std::size_t kMaxZipRatio = 200;              // decompressed : compressed, past the first MiB

Result<std::string> ZipRead(std::string_view z, const ZipEntry& e, std::string_view name, std::size_t& budget) {
  auto bad = [&](std::string why) {
    return Fail(Code::kInvalidArgument, fmt::format("not a readable XLSX file: {} ({})", why, name), "file");
  };
  if (static_cast<std::size_t>(e.local) + 30 > z.size() || Le32(z, e.local) != 0x04034b50) return bad("damaged entry");
  const std::size_t data = static_cast<std::size_t>(e.local) + 30 + Le16(z, e.local + 26) + Le16(z, e.local + 28);
  if (data > z.size() || e.csize > z.size() - data) return bad("truncated entry");
  const std::size_t limit = std::min(kMaxZipEntryBytes, budget);
  auto too_big = [&] {
    return Fail(Code::kInvalidArgument,
                fmt::format("the XLSX part {} expands beyond what one upload may hold ({} MiB per part, {} MiB in all, "
                            "{}:1 compression): split the file",
                            name, kMaxZipEntryBytes >> 20, kMaxZipTotalBytes >> 20, kMaxZipRatio),
                "file");
  };
  if (e.method == 0) {
    if (e.csize > limit) return too_big();
    budget -= e.csize;
    return std::string(z.substr(data, e.csize));
  }
  if (e.method != 8) return bad("unsupported compression");
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return bad("zlib");
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end{&zs};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data() + data));
  zs.avail_in = e.csize;
  std::string out;
  constexpr std::size_t kChunk = 256 * 1024;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    const std::size_t have = out.size();
    if (have >= limit || (have > (1u << 20) && have / std::max<std::size_t>(1, e.csize) > kMaxZipRatio))
      return too_big();
    const std::size_t grow = std::min(kChunk, limit - have);
    out.resize(have + grow);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + have);
    zs.avail_out = static_cast<uInt>(grow);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(have + (grow - zs.avail_out));
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) return bad("truncated compressed data");
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return bad("corrupt compressed data");
  }
  if (out.size() != e.usize) return bad("the entry's size differs from the ZIP directory");
  budget -= out.size();
  return out;
}

// A minimal pull reader for the XML of spreadsheet parts (no DTDs; CDATA and comments skipped).
struct XmlTag {
  std::string_view name;  // local name (namespace prefix removed)
  std::string_view attrs;
  bool closing = false;
  bool self_closing = false;
};

// Finds the next tag at or after `pos`; `text` receives the character data before it.
bool NextTag(std::string_view x, std::size_t& pos, XmlTag& tag, std::string_view& text) {
  for (;;) {
    std::size_t lt = x.find('<', pos);
    if (lt == std::string_view::npos) return false;
    text = x.substr(pos, lt - pos);
    if (x.compare(lt, 4, "<!--") == 0) {
      std::size_t e = x.find("-->", lt);
      pos = e == std::string_view::npos ? x.size() : e + 3;
      continue;
    }
    if (x.compare(lt, 2, "<?") == 0 || x.compare(lt, 2, "<!") == 0) {
      std::size_t e = x.find('>', lt);
      pos = e == std::string_view::npos ? x.size() : e + 1;
      continue;
    }
    std::size_t gt = x.find('>', lt);
    if (gt == std::string_view::npos) return false;
    std::string_view inner = x.substr(lt + 1, gt - lt - 1);
    tag.closing = !inner.empty() && inner[0] == '/';
    if (tag.closing) inner.remove_prefix(1);
    tag.self_closing = !inner.empty() && inner.back() == '/';
    if (tag.self_closing) inner.remove_suffix(1);
    std::size_t sp = inner.find_first_of(" \t\r\n");
    std::string_view qname = inner.substr(0, sp);
    tag.attrs = sp == std::string_view::npos ? std::string_view() : inner.substr(sp);
    std::size_t colon = qname.find(':');
    tag.name = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
    pos = gt + 1;
    return true;
  }
}

void AppendXmlText(std::string& out, std::string_view t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '&') {
      out.push_back(t[i]);
      continue;
    }
    std::size_t semi = t.find(';', i);
    if (semi == std::string_view::npos) {
      out.push_back('&');
      continue;
    }
    std::string_view ent = t.substr(i + 1, semi - i - 1);
    if (ent == "amp")
      out.push_back('&');
    else if (ent == "lt")
      out.push_back('<');
    else if (ent == "gt")
      out.push_back('>');
    else if (ent == "quot")
      out.push_back('"');
    else if (ent == "apos")
      out.push_back('\'');
    else if (!ent.empty() && ent[0] == '#') {
      std::uint32_t cp = 0;
      bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
      std::string_view digits = ent.substr(hex ? 2 : 1);
      std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      text::AppendUtf8(static_cast<char32_t>(cp), out);
    } else {
      out.append(t.substr(i, semi - i + 1));
    }
    i = semi;
  }
}

// Value of attribute `name` (qualified, e.g. "r:id") in a tag's attribute text.
std::optional<std::string> Attr(std::string_view attrs, std::string_view name) {
  std::size_t p = 0;
  while ((p = attrs.find(name, p)) != std::string_view::npos) {
    bool start_ok =
        p == 0 || attrs[p - 1] == ' ' || attrs[p - 1] == '\t' || attrs[p - 1] == '\n' || attrs[p - 1] == '\r';
    std::size_t eq = p + name.size();
    while (eq < attrs.size() && attrs[eq] == ' ') ++eq;
    if (start_ok && eq < attrs.size() && attrs[eq] == '=') {
      std::size_t q = eq + 1;
      while (q < attrs.size() && attrs[q] == ' ') ++q;
      if (q < attrs.size() && (attrs[q] == '"' || attrs[q] == '\'')) {
        std::size_t e = attrs.find(attrs[q], q + 1);
        if (e == std::string_view::npos) return std::nullopt;
        std::string out;
        AppendXmlText(out, attrs.substr(q + 1, e - q - 1));
        return out;
      }
    }
    p += name.size();
  }
  return std::nullopt;
}

std::vector<std::string> SharedStrings(std::string_view x) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  XmlTag t;
  std::string_view text;
  std::string cur;
  bool in_si = false, in_t = false;
  int in_rph = 0;
  while (NextTag(x, pos, t, text)) {
    if (in_t && in_rph == 0) AppendXmlText(cur, text);
    if (t.name == "si") {
      if (!t.closing) {
        cur.clear();
        in_si = true;
        if (t.self_closing) {
          out.emplace_back();
          in_si = false;
        }
      } else {
        out.push_back(cur);
        in_si = false;
      }
    } else if (t.name == "t" && in_si) {
      in_t = !t.closing && !t.self_closing;
    } else if (t.name == "rPh") {
      in_rph += t.closing ? -1 : (t.self_closing ? 0 : 1);
    }
  }
  return out;
}

// Cell formats (styles.xml cellXfs) that display dates.
std::vector<bool> DateStyles(std::string_view x) {
  std::set<int> custom_dates;
  std::vector<bool> out;
  std::size_t pos = 0;
  XmlTag t;
  std::string_view text;
  bool in_xfs = false;
  while (NextTag(x, pos, t, text)) {
    if (t.name == "numFmt" && !t.closing) {
      auto id = Attr(t.attrs, "numFmtId");
      auto code = Attr(t.attrs, "formatCode");
      if (id && code) {
        std::string plain;
        bool quoted = false, bracket = false;
        for (char c : *code) {
          if (c == '"')
            quoted = !quoted;
          else if (c == '[' && !quoted)
            bracket = true;
          else if (c == ']' && !quoted)
            bracket = false;
          else if (!quoted && !bracket)
            plain.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
        if (plain.find_first_of("yd") != std::string::npos) custom_dates.insert(std::atoi(id->c_str()));
      }
    } else if (t.name == "cellXfs") {
      in_xfs = !t.closing && !t.self_closing;
    } else if (t.name == "xf" && in_xfs && !t.closing) {
      int id = std::atoi(Attr(t.attrs, "numFmtId").value_or("0").c_str());
      bool date = (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
                  (id >= 50 && id <= 58) || custom_dates.contains(id);
      out.push_back(date);
    }
  }
  return out;
}

// Column index of a cell reference such as "AB12" (0-based), or -1.
int ColumnOfRef(std::string_view ref) {
  int col = 0;
  std::size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) col = col * 26 + (ref[i] - 'A' + 1);
  return i == 0 ? -1 : col - 1;
}

std::string NumberText(std::string_view v) {
  double d = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc() || p != v.data() + v.size()) return std::string(v);
  if (std::floor(d) == d && std::fabs(d) < 1e15) return fmt::format("{}", static_cast<long long>(d));
  return fmt::format("{}", d);
}

Status ParseXlsx(std::string_view z, Sheet& sh, const SelectColumns& select) {
  auto dir = ZipDirectory(z);
  if (!dir) return std::unexpected(dir.error());
  std::size_t budget = kMaxZipTotalBytes;
  auto read = [&](const std::string& name) -> Result<std::optional<std::string>> {
    auto it = dir->find(name);
    if (it == dir->end()) return std::optional<std::string>();
    auto body = ZipRead(z, it->second, name, budget);
    if (!body) return std::unexpected(body.error());
    return std::optional<std::string>(std::move(*body));
  };
  // The first sheet of the workbook, through its relationship.
  std::string sheet_path = "xl/worksheets/sheet1.xml";
  auto wb = read("xl/workbook.xml");
  if (!wb) return std::unexpected(wb.error());
  if (!*wb) return Fail(Code::kInvalidArgument, "not an XLSX workbook (xl/workbook.xml is missing)", "file");
  {
    std::size_t pos = 0;
    XmlTag t;
    std::string_view text;
    std::optional<std::string> rid;
    while (NextTag(**wb, pos, t, text)) {
      if (t.name == "sheet" && !t.closing) {
        rid = Attr(t.attrs, "r:id");
        break;
      }
    }
    auto rels = read("xl/_rels/workbook.xml.rels");
    if (!rels) return std::unexpected(rels.error());
    if (rid && *rels) {
      pos = 0;
      while (NextTag(**rels, pos, t, text)) {
        if (t.name == "Relationship" && Attr(t.attrs, "Id") == rid) {
          std::string target = Attr(t.attrs, "Target").value_or("");
          if (target.starts_with("/"))
            sheet_path = target.substr(1);
          else if (!target.empty())
            sheet_path = "xl/" + target;
          break;
        }
      }
    }
  }
  auto sst_xml = read("xl/sharedStrings.xml");
  if (!sst_xml) return std::unexpected(sst_xml.error());
  std::vector<std::string> sst = *sst_xml ? SharedStrings(**sst_xml) : std::vector<std::string>{};
  auto styles_xml = read("xl/styles.xml");
  if (!styles_xml) return std::unexpected(styles_xml.error());
  std::vector<bool> date_style = *styles_xml ? DateStyles(**styles_xml) : std::vector<bool>{};
  auto ws = read(sheet_path);
  if (!ws) return std::unexpected(ws.error());
  if (!*ws) return Fail(Code::kInvalidArgument, fmt::format("the workbook has no sheet '{}'", sheet_path), "file");
  sh.xlsx = true;

  const std::string_view x = **ws;
  std::size_t pos = 0;
  XmlTag t;
  std::string_view text;
  std::vector<std::string> row;
  long row_no = 0;
  bool have_header = false;
  std::vector<int> slot;
  int col = -1;
  std::string type, value;
  int style = -1;
  bool in_v = false, in_is_t = false, in_cell = false;
  int in_rph = 0;
  auto finish_row = [&]() {
    bool blank = std::all_of(row.begin(), row.end(), [](const std::string& s) { return s.empty(); });
    if (blank) return;
    if (!have_header) {
      StartRows(sh, row, select);
      slot.assign(sh.header.size(), -1);
      for (std::size_t k = 0; k < sh.kept.size(); ++k) slot[sh.kept[k]] = static_cast<int>(k);
      have_header = true;
      return;
    }
    const std::size_t base = sh.cells.size();
    sh.cells.resize(base + sh.width);
    for (std::size_t k = 0; k < sh.width; ++k) {
      const auto c = static_cast<std::size_t>(sh.kept[k]);
      if (c < row.size() && !row[c].empty()) {
        sh.arena.push_back(std::move(row[c]));
        sh.cells[base + k] = Trim(sh.arena.back());
      }
    }
    sh.row_no.push_back(row_no);
  };
  while (NextTag(x, pos, t, text)) {
    if (in_v) AppendXmlText(value, text);
    if (in_is_t && in_rph == 0) AppendXmlText(value, text);
    if (t.name == "row") {
      if (!t.closing) {
        row.clear();
        col = -1;
        auto r = Attr(t.attrs, "r");
        row_no = r ? std::atol(r->c_str()) : row_no + 1;
        if (t.self_closing) finish_row();
      } else {
        finish_row();
      }
    } else if (t.name == "c") {
      if (!t.closing) {
        auto r = Attr(t.attrs, "r");
        col = r ? ColumnOfRef(*r) : col + 1;
        if (col < 0 || col > 16383) col = static_cast<int>(row.size());
        type = Attr(t.attrs, "t").value_or("n");
        auto s = Attr(t.attrs, "s");
        style = s ? std::atoi(s->c_str()) : -1;
        value.clear();
        in_cell = !t.self_closing;
        if (t.self_closing) continue;
      } else {
        in_cell = false;
        std::string out;
        if (type == "s") {
          std::size_t idx = static_cast<std::size_t>(std::atol(value.c_str()));
          if (idx < sst.size()) out = sst[idx];
        } else if (type == "inlineStr" || type == "str" || type == "e") {
          out = value;
        } else if (type == "b") {
          out = value == "1" ? "1" : "0";
        } else if (!value.empty()) {
          bool is_date = style >= 0 && static_cast<std::size_t>(style) < date_style.size() && date_style[style];
          double d = 0;
          auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
          if (is_date && ec == std::errc()) {
            out = ExcelSerialToDate(d).value_or(value);
          } else {
            out = NumberText(value);
          }
        }
        if (static_cast<std::size_t>(col) >= row.size()) row.resize(col + 1);
        row[col] = std::move(out);
      }
    } else if (t.name == "v" && in_cell) {
      in_v = !t.closing && !t.self_closing;
    } else if (t.name == "t" && in_cell) {
      in_is_t = !t.closing && !t.self_closing;
    } else if (t.name == "rPh") {
      in_rph += t.closing ? -1 : (t.self_closing ? 0 : 1);
    }
  }
  if (!have_header) return Fail(Code::kInvalidArgument, "the first sheet is empty: a header row is required", "file");
  return Ok();
}

// `s` itself when it is well-formed UTF-8, otherwise with every invalid sequence replaced by U+FFFD.
std::string ValidUtf8(std::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  std::string out = text::EncodeUtf8(text::DecodeUtf8(s));
  if (IsValidUtf8(out)) return out;
  out.clear();
  for (char c : s) out.push_back(static_cast<unsigned char>(c) < 0x80 ? c : '?');
  return out;
}

Status ParseFile(std::string_view bytes, FileFormat format, Sheet& sh, const SelectColumns& select) {
  return format == FileFormat::kXlsx ? ParseXlsx(bytes, sh, select) : ParseCsv(bytes, sh, select);
}

// ------------------------------------------------------------------------------------------------
// Reference data read in sets.

// Strings of a one-column query, fetched in bulk.
std::vector<std::string> FetchStrings(soci::session& sql, const std::string& query,
                                      const std::vector<std::string>& params = {}) {
  constexpr std::size_t kFetch = 20000;
  std::vector<std::string> out, buf(kFetch);
  std::vector<soci::indicator> ind(kFetch);
  std::vector<std::string> p = params;
  soci::statement st(sql);
  st.alloc();
  st.prepare(query);
  st.exchange(soci::into(buf, ind));
  for (auto& v : p) st.exchange(soci::use(v));
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    for (std::size_t i = 0; i < buf.size(); ++i) {
      if (ind[i] == soci::i_ok) out.push_back(std::move(buf[i]));
    }
    buf.resize(kFetch);
    ind.resize(kFetch);
  }
  return out;
}

std::vector<long long> FetchInts(soci::session& sql, const std::string& query) {
  constexpr std::size_t kFetch = 20000;
  std::vector<long long> out, buf(kFetch);
  soci::statement st = (sql.prepare << query, soci::into(buf));
  st.execute(false);
  while (st.fetch()) {
    out.insert(out.end(), buf.begin(), buf.end());
    buf.resize(kFetch);
  }
  return out;
}

long long Count(soci::session& sql, const std::string& query) {
  long long n = 0;
  sql << query, soci::into(n);
  return n;
}

std::string InList(std::size_t n, const char* prefix) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += fmt::format("{}:{}{}", i ? "," : "", prefix, i);
  return s;
}

// Which of `keys` occur in `column` of `table`: a full scan when the keys are many compared with the
// table, else lookups in batches.
std::unordered_set<std::string> ExistingKeys(soci::session& sql, const std::string& table, const std::string& column,
                                             const std::vector<std::string>& keys) {
  std::unordered_set<std::string> out;
  if (keys.empty()) return out;
  long long total = Count(sql, fmt::format("SELECT COUNT(*) FROM {} WHERE {} IS NOT NULL", table, column));
  if (total == 0) return out;
  if (static_cast<long long>(keys.size()) * 4 >= total) {
    for (auto& v : FetchStrings(sql, fmt::format("SELECT {0} FROM {1} WHERE {0} IS NOT NULL", column, table))) {
      out.insert(std::move(v));
    }
    std::unordered_set<std::string> wanted(keys.begin(), keys.end());
    std::erase_if(out, [&](const std::string& k) { return !wanted.contains(k); });
    return out;
  }
  constexpr std::size_t kBatch = 500;
  for (std::size_t start = 0; start < keys.size(); start += kBatch) {
    std::size_t n = std::min(kBatch, keys.size() - start);
    std::vector<std::string> batch(keys.begin() + start, keys.begin() + start + n);
    for (auto& v : FetchStrings(
             sql, fmt::format("SELECT {0} FROM {1} WHERE {0} IN ({2})", column, table, InList(n, "k")), batch)) {
      out.insert(std::move(v));
    }
  }
  return out;
}

struct AreaIndex {
  std::unordered_set<std::string> communes;                                                   // valid today
  std::unordered_map<std::string, std::vector<std::pair<std::string, long long>>> ancestors;  // self included

  bool Within(const std::string& commune, const std::optional<std::string>& scope) const {
    if (!scope) return true;
    auto it = ancestors.find(commune);
    if (it == ancestors.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(), [&](const auto& a) { return a.first == *scope; });
  }

  // Lowest area holding every commune of `set`, or nullopt (several countries, or empty).
  std::optional<std::string> LowestCommon(const std::set<std::string>& set) const {
    if (set.empty()) return std::nullopt;
    auto first = ancestors.find(*set.begin());
    if (first == ancestors.end()) return std::nullopt;
    std::map<std::string, long long> cand(first->second.begin(), first->second.end());
    for (const auto& c : set) {
      auto it = ancestors.find(c);
      if (it == ancestors.end()) return std::nullopt;
      std::set<std::string> anc;
      for (const auto& a : it->second) anc.insert(a.first);
      std::erase_if(cand, [&](const auto& kv) { return !anc.contains(kv.first); });
      if (cand.empty()) return std::nullopt;
    }
    auto best =
        std::min_element(cand.begin(), cand.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return best->first;
  }
};

AreaIndex LoadAreas(soci::session& sql, const std::string& today) {
  AreaIndex idx;
  for (auto& c :
       FetchStrings(sql, "SELECT code FROM areas WHERE level = 'commune' AND valid_from <= :d1 AND valid_to > :d2",
                    {today, today})) {
    idx.communes.insert(std::move(c));
  }
  soci::rowset<soci::row> rs = (sql.prepare << "SELECT descendant, ancestor, depth FROM area_ancestors "
                                               "WHERE valid_from <= :d1 AND valid_to > :d2",
                                soci::use(today), soci::use(today));
  for (const auto& r : rs) {
    long long depth = r.get_properties(2).get_data_type() == soci::dt_integer ? r.get<int>(2)
                      : r.get_properties(2).get_data_type() == soci::dt_long_long
                          ? r.get<long long>(2)
                          : static_cast<long long>(r.get<double>(2));
    idx.ancestors[r.get<std::string>(0)].emplace_back(r.get<std::string>(1), depth);
  }
  return idx;
}

struct HouseholdKey {
  std::int64_t id = 0;
  std::string commune;
};

// Households named by `refs` (ref or source_ref).
std::unordered_map<std::string, HouseholdKey> ResolveHouseholds(RegistryStore& store, db::Session& s,
                                                                const std::vector<std::string>& refs) {
  std::unordered_map<std::string, HouseholdKey> out;
  if (refs.empty()) return out;
  auto& sql = s.sql();
  long long total = Count(sql, "SELECT COUNT(*) FROM households");
  if (static_cast<long long>(refs.size()) * 4 < total) {
    auto keys = store.staging.HouseholdsByRef(s, refs);
    for (std::size_t i = 0; i < refs.size(); ++i) {
      if (keys[i]) out.emplace(refs[i], HouseholdKey{keys[i]->id, keys[i]->commune_code});
    }
    return out;
  }
  std::unordered_set<std::string_view> wanted(refs.begin(), refs.end());
  constexpr std::size_t kFetch = 20000;
  std::vector<long long> id(kFetch);
  std::vector<std::string> commune(kFetch), ref(kFetch), sref(kFetch);
  std::vector<soci::indicator> ci(kFetch), ri(kFetch), si(kFetch);
  soci::statement st = (sql.prepare << "SELECT id, commune_code, ref, source_ref FROM households", soci::into(id),
                        soci::into(commune, ci), soci::into(ref, ri), soci::into(sref, si));
  st.execute(false);
  while (st.fetch()) {
    for (std::size_t i = 0; i < id.size(); ++i) {
      HouseholdKey k{id[i], ci[i] == soci::i_ok ? commune[i] : std::string()};
      if (ri[i] == soci::i_ok && wanted.contains(ref[i])) out.emplace(ref[i], k);
      if (si[i] == soci::i_ok && wanted.contains(sref[i])) out.emplace(sref[i], k);
    }
    for (auto* v : {&commune, &ref, &sref}) v->resize(kFetch);
    for (auto* v : {&ci, &ri, &si}) v->resize(kFetch);
    id.resize(kFetch);
  }
  return out;
}

// Active heads per household among `ids`.
std::unordered_map<std::int64_t, int> ExistingHeads(soci::session& sql, const std::vector<std::int64_t>& ids) {
  std::unordered_map<std::int64_t, int> out;
  if (ids.empty()) return out;
  long long total = Count(sql, "SELECT COUNT(*) FROM households");
  std::unordered_set<std::int64_t> wanted(ids.begin(), ids.end());
  if (static_cast<long long>(ids.size()) * 4 >= total) {
    for (auto h :
         FetchInts(sql, "SELECT household_id FROM persons WHERE relationship = 'head' AND status = 'active'")) {
      if (wanted.contains(h)) ++out[h];
    }
    return out;
  }
  constexpr std::size_t kBatch = 500;
  for (std::size_t start = 0; start < ids.size(); start += kBatch) {
    std::size_t n = std::min(kBatch, ids.size() - start);
    std::string in;
    for (std::size_t i = 0; i < n; ++i) in += fmt::format("{}{}", i ? "," : "", ids[start + i]);
    for (auto h : FetchInts(sql,
                            "SELECT household_id FROM persons WHERE relationship = 'head' AND status = 'active' "
                            "AND household_id IN (" +
                                in + ")")) {
      ++out[h];
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Validation.

enum class Role { kField, kHouseholdRef };

struct Column {
  int field = -1;  // index in the FieldSpec table (kField)
  Role role = Role::kField;
  std::string name;  // header name as written
};

bool LooksNumeric(std::string_view v) {
  if (v.empty()) return false;
  bool dot = false;
  for (char c : v) {
    if (c == '.' && !dot)
      dot = true;
    else if (c < '0' || c > '9')
      return false;
  }
  return true;
}

const char* KindName(ImportKind k) { return k == ImportKind::kHouseholds ? "households" : "persons"; }

}  // namespace

// ------------------------------------------------------------------------------------------------

std::optional<std::string> ExcelSerialToDate(double serial) {
  if (!(serial >= 1 && serial < 2958466)) return std::nullopt;
  long long days = static_cast<long long>(std::floor(serial));
  if (days == 60) return std::string("1900-02-29");  // Lotus 1-2-3's phantom day, kept by Excel
  if (days < 60) ++days;                             // serials before it are one day off
  // Days since 1970-01-01: serial 25569 = 1970-01-01.
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

std::optional<FileFormat> FormatFromName(std::string_view name) {
  auto lower = std::string(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.ends_with(".xlsx")) return FileFormat::kXlsx;
  if (lower.ends_with(".csv") || lower.ends_with(".txt")) return FileFormat::kCsv;
  return std::nullopt;
}

std::optional<FileFormat> FormatFromMediaType(std::string_view ct) {
  ct = ct.substr(0, ct.find(';'));
  ct = Trim(ct);
  if (ct == "text/csv" || ct == "application/csv" || ct == "text/plain") return FileFormat::kCsv;
  if (ct == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") return FileFormat::kXlsx;
  return std::nullopt;
}

std::string ErrorReportCsv(const std::vector<RowError>& errors) {
  std::string out = "row,column,value,reason\n";
  for (const auto& e : errors) {
    out += fmt::format("{},{},{},{}\n", e.row, csv::Escape(e.column), csv::Escape(e.value), csv::Escape(e.reason));
  }
  return out;
}

Result<std::vector<std::vector<std::string>>> ReadSpreadsheet(std::string_view bytes, FileFormat format,
                                                              std::vector<long>* row_numbers) {
  Sheet sh;
  auto all = [](const std::vector<std::string>& header) {
    std::vector<int> k(header.size());
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<int>(i);
    return k;
  };
  if (auto st = ParseFile(bytes, format, sh, all); !st) return std::unexpected(st.error());
  std::vector<std::vector<std::string>> out;
  out.push_back(sh.header);
  if (row_numbers) row_numbers->assign(1, 1);
  for (std::size_t r = 0; r < sh.rows(); ++r) {
    std::vector<std::string> row;
    for (std::size_t k = 0; k < sh.width; ++k) row.emplace_back(sh.at(r, k));
    out.push_back(std::move(row));
    if (row_numbers) row_numbers->push_back(sh.row_no[r]);
  }
  return out;
}

Result<ImportOutcome> Importer::ImportHouseholds(std::string_view bytes, const Actor& author,
                                                 const ImportOptions& options) {
  return Import(ImportKind::kHouseholds, bytes, author, options);
}

Result<ImportOutcome> Importer::ImportPersons(std::string_view bytes, const Actor& author,
                                              const ImportOptions& options) {
  return Import(ImportKind::kPersons, bytes, author, options);
}

Result<ImportOutcome> Importer::ImportFile(ImportKind kind, const std::string& path, const Actor& author,
                                           ImportOptions options, std::optional<FileFormat> format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, fmt::format("cannot open '{}'", path), "file");
  in.seekg(0, std::ios::end);
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) return Fail(Code::kUnavailable, fmt::format("cannot read '{}'", path), "file");
  options.format = format.value_or(FormatFromName(path).value_or(FileFormat::kCsv));
  if (options.file_name.empty() || options.file_name == "upload") {
    options.file_name = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  }
  return Import(kind, bytes, author, options);
}

Result<ImportOutcome> Importer::Import(ImportKind kind, std::string_view bytes, const Actor& author,
                                       const ImportOptions& options) {
  const bool persons = kind == ImportKind::kPersons;
  const std::span<const FieldSpec> fields = persons ? PersonFields() : HouseholdFields();
  const int f_source = FieldIndex(fields, "source_ref");
  const int f_status = FieldIndex(fields, "status");
  const int f_commune = FieldIndex(fields, "commune_code");          // households
  const int f_currency = FieldIndex(fields, "currency");             // households
  const int f_relationship = FieldIndex(fields, "relationship");     // persons
  const char* ref_header = persons ? "record_id" : "household_ref";  // the file's own reference column

  ImportOutcome out;
  out.kind = kind;
  out.file_name = options.file_name;
  auto progress = [&](std::string_view phase, long long done, long long total) {
    if (options.progress) options.progress(phase, done, total);
  };

  // ---- header → columns
  std::vector<Column> columns;
  std::vector<std::string> missing_required;
  auto select = [&](const std::vector<std::string>& header) {
    std::vector<int> kept;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < header.size(); ++i) {
      const std::string& h = header[i];
      if (h.empty()) {
        out.warnings.push_back(fmt::format("column {} has no name: ignored", i + 1));
        continue;
      }
      if (!seen.insert(h).second) {
        out.warnings.push_back(
            fmt::format("column '{}' appears twice: the second one (column {}) is ignored", h, i + 1));
        continue;
      }
      Column c;
      c.name = h;
      if (persons && h == "household_ref") {
        c.role = Role::kHouseholdRef;
      } else if (h == ref_header) {
        c.field = f_source;
      } else {
        int f = FieldIndex(fields, h);
        if (f < 0 || f == f_source) {
          out.warnings.push_back(fmt::format("unknown column '{}' ignored", h));
          continue;
        }
        if (fields[f].access == Access::kSystem) {
          out.warnings.push_back(fmt::format("column '{}' is set by the registry: ignored", h));
          continue;
        }
        c.field = f;
      }
      columns.push_back(c);
      kept.push_back(static_cast<int>(i));
    }
    auto have = [&](std::string_view name) { return seen.contains(std::string(name)); };
    if (!have(ref_header)) missing_required.emplace_back(ref_header);
    if (persons && !have("household_ref")) missing_required.emplace_back("household_ref");
    for (const auto& f : fields) {
      if (f.required && f.access == Access::kInput && !have(f.name)) missing_required.emplace_back(f.name);
    }
    return kept;
  };

  progress("reading", 0, 0);
  Sheet sh;
  if (auto st = ParseFile(bytes, options.format, sh, select); !st) {
    out.errors.push_back(
        {0, "", "", st.error().message + (st.error().field.empty() ? "" : " (" + st.error().field + ")")});
  }
  for (auto& w : out.warnings) w = ValidUtf8(w);  // they quote the header's bytes
  const std::size_t n = sh.rows();
  out.rows_total = static_cast<long long>(n);
  for (const auto& m : missing_required) {
    out.errors.push_back({1, m, "", fmt::format("required column '{}' is missing", m)});
  }
  if (n == 0 && out.errors.empty()) {
    // A header without rows would file an empty request that no reviewer's area covers.
    out.errors.push_back({1, "", "", "the file has a header but no data rows: nothing to import"});
  }

  std::vector<Values> rows;
  std::vector<std::string> row_household_ref;  // persons
  std::vector<std::int64_t> row_household_id;  // persons
  std::set<std::string> communes_used;
  const std::string today = author.scope.today.empty() ? DateOf(clock_.Now()).ToString() : author.scope.today;

  if (out.errors.empty()) {
    auto session = store_.db().Acquire();
    auto& sql = session.sql();
    AreaIndex areas;
    try {
      areas = LoadAreas(sql, today);
    } catch (const std::exception& e) {
      return std::unexpected(db::ErrorFromException(e));
    }
    std::vector<RowError> errors = std::move(sh.row_errors);
    auto cell = [&](std::size_t r, std::size_t k) { return sh.at(r, k); };  // trimmed when parsed
    auto err = [](std::vector<RowError>& v, long row, const std::string& col, std::string_view value,
                  std::string reason) {
      v.push_back({row, col, std::string(value), std::move(reason)});
    };
    auto col_of = [&](int field) -> int {
      for (std::size_t k = 0; k < columns.size(); ++k) {
        if (columns[k].role == Role::kField && columns[k].field == field) return static_cast<int>(k);
      }
      return -1;
    };

    // ---- per-row country, from the household (persons) or the commune (households)
    std::vector<std::optional<CountryCode>> country(n);
    std::vector<bool> row_ok_household(n, true);
    try {
      if (persons) {
        int k_ref = -1;
        for (std::size_t k = 0; k < columns.size(); ++k) {
          if (columns[k].role == Role::kHouseholdRef) k_ref = static_cast<int>(k);
        }
        row_household_ref.resize(n);
        row_household_id.assign(n, 0);
        std::vector<std::string> distinct;
        {
          std::unordered_set<std::string_view> seen;
          for (std::size_t r = 0; r < n; ++r) {
            auto v = cell(r, k_ref);
            if (!v.empty() && seen.insert(v).second) distinct.emplace_back(v);
          }
        }
        progress("validating", 0, static_cast<long long>(n));
        auto found = ResolveHouseholds(store_, session, distinct);
        std::vector<std::int64_t> ids;
        std::unordered_map<std::int64_t, const HouseholdKey*> by_id;
        for (const auto& [ref, key] : found) {
          if (by_id.emplace(key.id, &key).second) ids.push_back(key.id);
        }
        auto heads = ExistingHeads(sql, ids);
        std::unordered_map<std::int64_t, long> first_head_row;
        const int k_rel = col_of(f_relationship);
        for (std::size_t r = 0; r < n; ++r) {
          auto v = cell(r, k_ref);
          const long row = sh.row_no[r];
          if (v.empty()) {
            err(errors, row, "household_ref", v, "'household_ref' is required");
            row_ok_household[r] = false;
            continue;
          }
          auto it = found.find(std::string(v));
          if (it == found.end() || !areas.Within(it->second.commune, author.scope.area)) {
            err(errors, row, "household_ref", v, fmt::format("no household '{}' in the registry within your area", v));
            row_ok_household[r] = false;
            continue;
          }
          row_household_ref[r] = std::string(v);
          row_household_id[r] = it->second.id;
          country[r] = CountryOfArea(it->second.commune);
          communes_used.insert(it->second.commune);
          if (k_rel >= 0 && cell(r, k_rel) == "head") {
            const std::int64_t hid = it->second.id;
            if (heads.contains(hid)) {
              err(errors, row, "relationship", "head",
                  fmt::format("household '{}' already has a head in the registry", v));
            } else if (auto f = first_head_row.find(hid); f != first_head_row.end()) {
              err(errors, row, "relationship", "head",
                  fmt::format("household '{}' already has a head on row {} of this file", v, f->second));
            } else {
              first_head_row.emplace(hid, row);
            }
          }
        }
      } else {
        const int k_commune = col_of(f_commune);
        for (std::size_t r = 0; r < n; ++r) country[r] = CountryOfArea(cell(r, k_commune));
      }

      // ---- the file's own references: unique in the file and new to the registry
      {
        const int k_src = col_of(f_source);
        std::unordered_map<std::string_view, long> first;
        first.reserve(n);
        std::vector<std::string> refs;
        refs.reserve(n);
        for (std::size_t r = 0; r < n; ++r) {
          auto v = cell(r, k_src);
          if (v.empty()) continue;  // reported as required below
          auto [it, fresh] = first.emplace(v, sh.row_no[r]);
          if (!fresh) {
            err(errors, sh.row_no[r], ref_header, v,
                fmt::format("'{}' {} is a duplicate of row {}", ref_header, v, it->second));
          } else {
            refs.emplace_back(v);
          }
        }
        auto existing = ExistingKeys(sql, persons ? "persons" : "households", "source_ref", refs);
        if (!existing.empty()) {
          for (std::size_t r = 0; r < n; ++r) {
            auto v = cell(r, k_src);
            if (!v.empty() && existing.contains(std::string(v)) && first[v] == sh.row_no[r]) {
              err(errors, sh.row_no[r], ref_header, v,
                  fmt::format("'{}' {} is already in the registry (imported before)", ref_header, v));
            }
          }
        }
      }
    } catch (const std::exception& e) {
      return std::unexpected(db::ErrorFromException(e));
    }

    // ---- every column, in row blocks shared among threads
    rows.resize(n);
    unsigned threads = options.threads > 0 ? static_cast<unsigned>(options.threads)
                                           : std::min(8u, std::max(1u, std::thread::hardware_concurrency()));
    constexpr std::size_t kBlock = 1 << 16;
    std::vector<std::vector<RowError>> thread_errors(threads);
    auto validate = [&](std::size_t begin, std::size_t end, std::vector<RowError>& errs) {
      for (std::size_t r = begin; r < end; ++r) rows[r].resize(fields.size());
      for (std::size_t k = 0; k < columns.size(); ++k) {
        const Column& c = columns[k];
        if (c.role != Role::kField) continue;
        const FieldSpec& spec = fields[c.field];
        const bool date = spec.type == FieldType::kDate || spec.type == FieldType::kBirthDate;
        const bool by_country = spec.type == FieldType::kNationalId || spec.type == FieldType::kPhone;
        for (std::size_t r = begin; r < end; ++r) {
          std::string_view v = cell(r, k);
          if (v.empty()) {
            if (spec.required || c.field == f_source)
              err(errs, sh.row_no[r], c.name, v, fmt::format("'{}' is required", c.name));
            continue;
          }
          if (by_country && !country[r]) continue;  // the household is unknown: reported on household_ref
          std::string converted;
          if (date && sh.xlsx && LooksNumeric(v) && !(v.size() == 4 && v.find('.') == std::string_view::npos)) {
            double d = 0;
            std::from_chars(v.data(), v.data() + v.size(), d);
            if (auto s = ExcelSerialToDate(d)) {
              converted = *s;
              v = converted;
            }
          }
          auto norm = NormalizeValue(spec, v, country[r].value_or(CountryCode::kMorocco));
          if (!norm) {
            err(errs, sh.row_no[r], c.name, v, norm.error().message);
            continue;
          }
          if (spec.type == FieldType::kArea && *norm && !areas.communes.contains(**norm)) {
            err(errs, sh.row_no[r], c.name, v,
                fmt::format("'{}': no commune {} in the reference areas", c.name, **norm));
            continue;
          }
          rows[r][c.field] = std::move(*norm);
        }
      }
      for (std::size_t r = begin; r < end; ++r) {
        Values& row = rows[r];
        if (persons) {
          if (auto st = CheckPerson(row, ""); !st) {
            std::string col = st.error().field.substr(st.error().field.find_last_of('.') + 1);
            int f = FieldIndex(fields, col);
            err(errs, sh.row_no[r], col, f >= 0 && row[f] ? *row[f] : "", st.error().message);
          }
          row[f_status] = "active";
        } else {
          if (row[f_commune] && !areas.Within(*row[f_commune], author.scope.area)) {
            err(errs, sh.row_no[r], "commune_code", *row[f_commune],
                fmt::format("commune {} is outside your area ({})", *row[f_commune], *author.scope.area));
          }
          row[f_status] = "active";
          if (!row[f_currency] && country[r]) row[f_currency] = *country[r] == CountryCode::kMorocco ? "MAD" : "DZD";
        }
      }
    };
    for (std::size_t block = 0; block < n; block += kBlock) {
      const std::size_t end = std::min(n, block + kBlock);
      const std::size_t per = (end - block + threads - 1) / threads;
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < threads; ++t) {
        std::size_t b = block + t * per, e = std::min(end, b + per);
        if (b >= e) break;
        if (t + 1 == threads || e == end) {
          validate(b, e, thread_errors[t]);
        } else {
          pool.emplace_back(validate, b, e, std::ref(thread_errors[t]));
        }
      }
      for (auto& th : pool) th.join();
      progress("validating", static_cast<long long>(end), static_cast<long long>(n));
    }
    for (auto& te : thread_errors)
      errors.insert(errors.end(), std::make_move_iterator(te.begin()), std::make_move_iterator(te.end()));
    std::stable_sort(errors.begin(), errors.end(), [](const RowError& a, const RowError& b) { return a.row < b.row; });
    out.errors = std::move(errors);
    if (!persons) {
      for (std::size_t r = 0; r < n; ++r) {
        if (rows[r][f_commune]) communes_used.insert(*rows[r][f_commune]);
      }
    }
  }

  if (!out.errors.empty()) {
    // The report quotes the file's bytes; a file that is not UTF-8 must still give a readable report
    // (and PostgreSQL refuses invalid UTF-8 in a text column).
    for (auto& e : out.errors) {
      e.value = ValidUtf8(e.value);
      e.column = ValidUtf8(e.column);
      e.reason = ValidUtf8(e.reason);
    }
    std::set<long> bad;
    for (const auto& e : out.errors) bad.insert(e.row);
    out.rows_rejected = static_cast<long long>(bad.size());
    if (options.store_report) {
      std::string report = ErrorReportCsv(out.errors);
      std::string kind_name = KindName(kind), created = FormatTimestamp(clock_.Now());
      std::optional<long long> author_id;
      if (author.user_id) author_id = *author.user_id;
      long long total = out.rows_total, rejected = out.rows_rejected;
      auto id = store_.db().InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
        long long rid = 0;
        s.sql() << "INSERT INTO import_reports (kind, file_name, author_id, author_username, created_at, rows_total, "
                   "rows_rejected, report) VALUES (:k, :f, :a, :u, :c, :t, :r, :rep) RETURNING id",
            soci::use(kind_name), soci::use(options.file_name), soci::use(author_id), soci::use(author.username),
            soci::use(created), soci::use(total), soci::use(rejected), soci::use(report), soci::into(rid);
        return rid;
      });
      if (!id) return std::unexpected(id.error());
      out.report_id = *id;
    }
    return out;
  }

  // ---- one batch change request
  ImportBatch batch;
  batch.kind = persons ? "import_persons" : "import_households";
  batch.file_name = options.file_name;
  batch.rows = std::move(rows);
  batch.household_refs = std::move(row_household_ref);
  batch.household_ids = std::move(row_household_id);
  {
    AreaIndex areas;
    try {
      auto s = store_.db().Acquire();
      areas = LoadAreas(s.sql(), today);
    } catch (const std::exception& e) {
      return std::unexpected(db::ErrorFromException(e));
    }
    batch.area_code = areas.LowestCommon(communes_used);
  }
  progress("staging", 0, out.rows_total);
  auto cr = changes_.SubmitImport(batch, author);
  if (!cr) return std::unexpected(cr.error());
  progress("staging", out.rows_total, out.rows_total);
  out.change_request = std::move(*cr);
  return out;
}

Result<std::optional<ImportReport>> Importer::Report(std::int64_t id) {
  try {
    auto s = store_.db().Acquire();
    soci::row r;
    long long rid = id;
    s.sql() << "SELECT id, kind, file_name, author_id, author_username, created_at, rows_total, rows_rejected, report "
               "FROM import_reports WHERE id = :id",
        soci::use(rid), soci::into(r);
    if (!s.sql().got_data()) return std::optional<ImportReport>();
    ImportReport rep;
    rep.id = db::RowInt(r, 0);
    rep.kind = r.get<std::string>(1);
    rep.file_name = r.get<std::string>(2);
    if (r.get_indicator(3) == soci::i_ok) rep.author_id = db::RowInt(r, 3);
    rep.author_username = r.get<std::string>(4);
    rep.created_at = r.get<std::string>(5);
    rep.rows_total = db::RowInt(r, 6);
    rep.rows_rejected = db::RowInt(r, 7);
    rep.csv = r.get<std::string>(8);
    return std::optional<ImportReport>(std::move(rep));
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

}  // namespace sanad::registry
