// The XLSX reader: what a workbook written by a spreadsheet library reads back as, the cell kinds a
// hand-written sheet may hold, and every kind of damaged or hostile file ending in an error that says
// what is wrong (never a crash, never memory sized by the file's own claims).
#include "registry/xlsx_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "registry/import_sheet.h"
#include "zip_builder.h"

namespace sanad::registry {
namespace {

using testing::MakeZip;
using Rows = std::map<long, std::vector<std::string>>;

Result<Rows> Read(std::string_view bytes, const XlsxLimits& limits = {}) {
  Rows rows;
  auto st = ReadXlsx(
      bytes,
      [&](long row, std::vector<std::string>& cells) -> Status {
        rows[row] = cells;
        return Ok();
      },
      limits);
  if (!st) return std::unexpected(st.error());
  return rows;
}

std::string Reason(std::string_view bytes, const XlsxLimits& limits = {}) {
  auto r = Read(bytes, limits);
  return r ? "read" : r.error().reason;
}

// A minimal workbook around `sheet_xml`, with optional shared strings and styles.
std::string Workbook(const std::string& sheet_xml, const std::string& shared = "", const std::string& styles = "") {
  std::vector<testing::ZipPart> parts = {
      {"xl/workbook.xml",
       R"(<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)"
       R"(<sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>)"},
      {"xl/worksheets/sheet1.xml", sheet_xml}};
  if (!shared.empty()) parts.push_back({"xl/sharedStrings.xml", shared});
  if (!styles.empty()) parts.push_back({"xl/styles.xml", styles});
  return MakeZip(parts);
}

TEST(XlsxReader, ReadsWhatASpreadsheetLibraryWrites) {
  char path[] = "/tmp/sanad-xlsx-test-XXXXXX";
  close(mkstemp(path));
  lxw_workbook* wb = workbook_new(path);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "data");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");
  worksheet_write_string(ws, 0, 0, "name", nullptr);
  worksheet_write_string(ws, 0, 1, "rooms", nullptr);
  worksheet_write_string(ws, 0, 3, "since", nullptr);
  worksheet_write_string(ws, 1, 0, "فاطمة الزهراء", nullptr);
  worksheet_write_number(ws, 1, 1, 3, nullptr);
  worksheet_write_number(ws, 1, 2, 2.5, nullptr);
  lxw_datetime dt = {2024, 3, 15, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 3, &dt, date);
  worksheet_write_boolean(ws, 3, 0, 1, nullptr);  // row 4; row 3 is empty
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);

  auto rows = Read(bytes);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"name", "rooms", "", "since"}));
  EXPECT_EQ((*rows)[2], (std::vector<std::string>{"فاطمة الزهراء", "3", "2.5", "2024-03-15"}));
  EXPECT_EQ((*rows)[4], (std::vector<std::string>{"1"}));
}

TEST(XlsxReader, ReadsInlineAndRichStringsFormulaResultsAndPrefixedElements) {
  const std::string sheet =
      R"(<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>)"
      R"(<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a &amp; b</x:t></x:is></x:c>)"
      R"(<x:c r="C1" t="s"><x:v>1</x:v></x:c><x:c t="str"><x:f>A1</x:f><x:v>cached</x:v></x:c></x:row>)"
      R"(<x:row><x:c t="b"><x:v>0</x:v></x:c><x:c><x:v>45366</x:v></x:c><x:c s="1"><x:v>45366</x:v></x:c>)"
      R"(<x:c t="s"><x:v>99</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>)"
      R"(<x:row r="7"/></x:sheetData></x:worksheet>)";
  const std::string shared = R"(<sst><si><t>zero</t></si><si><r><t>ric</t></r><r><t xml:space="preserve">h </t></r>)"
                             R"(<rPh><t>phonetic</t></rPh></si></sst>)";
  const std::string styles =
      R"(<styleSheet><numFmts><numFmt numFmtId="164" formatCode="&quot;day&quot; 0.0"/></numFmts>)"
      R"(<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>)";
  auto rows = Read(Workbook(sheet, shared, styles));
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u) << "a row without cells is not reported";
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"a & b", "", "rich ", "cached"}));
  // A number without a date format stays a number (the importer reads a date column's serials itself);
  // a shared string index past the table is an empty cell.
  EXPECT_EQ((*rows)[2], (std::vector<std::string>{"0", "45366", "2024-03-15", "", "#N/A"}));
}

TEST(XlsxReader, FollowsTheWorkbookToItsFirstSheet) {
  const std::string bytes = MakeZip(
      {{"xl/workbook.xml",
        R"(<workbook><sheets><sheet name="x" r:id="rId7"/><sheet r:id="rId1"/></sheets></workbook>)"},
       {"xl/_rels/workbook.xml.rels", R"(<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>)"
                                      R"(<Relationship Id="rId7" Target="/xl/worksheets/data.xml"/></Relationships>)"},
       {"xl/worksheets/sheet1.xml", R"(<worksheet><sheetData><row><c t="inlineStr"><is><t>no</t></is></c></row>)"
                                    R"(</sheetData></worksheet>)"},
       {"xl/worksheets/data.xml", R"(<worksheet><sheetData><row><c t="inlineStr"><is><t>yes</t></is></c></row>)"
                                  R"(</sheetData></worksheet>)"}});
  auto rows = Read(bytes);
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"yes"}));
}

TEST(XlsxReader, DamagedFilesEndInAnErrorNamingWhatIsWrong) {
  const std::string good = Workbook(R"(<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>)");
  ASSERT_EQ(Reason(good), "read");
  EXPECT_EQ(Reason(""), "xlsx.not_zip");
  EXPECT_EQ(Reason("name,sex\nAli,M\n"), "xlsx.not_zip");
  EXPECT_EQ(Reason(good.substr(0, good.size() / 2)), "xlsx.not_zip") << "the directory is cut off";
  for (std::size_t cut : {std::size_t{40}, good.size() - 30}) {
    std::string damaged = good;
    for (std::size_t i = cut; i < cut + 8 && i < damaged.size(); ++i) damaged[i] = static_cast<char>(~damaged[i]);
    const std::string reason = Reason(damaged);
    EXPECT_TRUE(reason.starts_with("xlsx.")) << cut << ": " << reason;
  }
  EXPECT_EQ(Reason(MakeZip({{"docProps/app.xml", "<x/>"}})), "xlsx.no_workbook");
  EXPECT_EQ(Reason(MakeZip({{"xl/workbook.xml", "<workbook/>"}})), "xlsx.no_sheet");
  EXPECT_EQ(Reason(Workbook("<worksheet><sheetData><row></sheetData>")), "xlsx.bad_xml");
  EXPECT_EQ(Reason(Workbook("not xml at all")), "xlsx.bad_xml");
  auto bad = Read(Workbook("<worksheet>\n<sheetData>\n<row><c></row>"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "file");
  EXPECT_EQ(bad.error().params, (MessageParams{{"part", "xl/worksheets/sheet1.xml"}, {"line", "3"}}));
}

TEST(XlsxReader, ADocumentTypeIsRefusedSoNoEntityIsEverExpanded) {
  const std::string laughs =
      R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>)"
      R"(<worksheet><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>)";
  EXPECT_EQ(Reason(Workbook(laughs)), "xlsx.dtd");
  EXPECT_EQ(Reason(Workbook(R"(<!DOCTYPE x SYSTEM "file:///etc/passwd"><worksheet/>)")), "xlsx.dtd");
}

TEST(XlsxReader, SizesDeclaredInTheZipAreNeverTrusted) {
  // A 178-byte file whose directory declares a 4 GiB workbook part.
  const std::string liar = MakeZip({{"xl/workbook.xml", "<workbook/>", 0xFFFFFFF0u}});
  EXPECT_LT(liar.size(), 300u);
  EXPECT_EQ(Reason(liar), "xlsx.size_differs");
  // A part that claims less than it holds.
  EXPECT_EQ(Reason(MakeZip({{"xl/workbook.xml", "<workbook/>", 3u}})), "xlsx.size_differs");
  // A bomb: 24 MiB of spaces in about 24 KB, refused by the ratio, the part and the total limits.
  const std::string bomb =
      MakeZip({{"xl/workbook.xml", "<workbook/>"},
               {"xl/worksheets/sheet1.xml", "<worksheet><sheetData>", {}, 24u << 20, "</sheetData></worksheet>"}});
  EXPECT_LT(bomb.size(), 100'000u);
  EXPECT_EQ(Reason(bomb), "xlsx.too_large") << "ratio";
  EXPECT_EQ(Reason(bomb, {.max_part_bytes = 4u << 20, .max_total_bytes = 512u << 20, .max_ratio = 100000}),
            "xlsx.too_large")
      << "one part";
  EXPECT_EQ(Reason(bomb, {.max_part_bytes = 256u << 20, .max_total_bytes = 2u << 20, .max_ratio = 100000}),
            "xlsx.too_large")
      << "all parts";
  EXPECT_EQ(Reason(bomb, {.max_part_bytes = 256u << 20, .max_total_bytes = 512u << 20, .max_ratio = 100000}), "read");
}

TEST(XlsxReader, TheSinkCanStopTheReading) {
  const std::string bytes =
      Workbook(R"(<worksheet><sheetData><row><c><v>1</v></c></row><row><c><v>2</v></c></row></sheetData></worksheet>)");
  int seen = 0;
  auto st = ReadXlsx(bytes, [&](long, std::vector<std::string>&) -> Status {
    ++seen;
    return Fail(Code::kInvalidArgument, "enough");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "enough");
  EXPECT_EQ(seen, 1);
}

TEST(XlsxReader, ExcelSerialsBecomeCalendarDates) {
  EXPECT_EQ(ExcelSerialToDate(1), "1900-01-01");
  EXPECT_EQ(ExcelSerialToDate(59), "1900-02-28");
  EXPECT_EQ(ExcelSerialToDate(60), "1900-02-29");  // Lotus's phantom day, kept by Excel
  EXPECT_EQ(ExcelSerialToDate(61), "1900-03-01");
  EXPECT_EQ(ExcelSerialToDate(45366.75), "2024-03-15");
  EXPECT_EQ(ExcelSerialToDate(2958465), "9999-12-31");
  EXPECT_EQ(ExcelSerialToDate(0), std::nullopt);
  EXPECT_EQ(ExcelSerialToDate(2958466), std::nullopt);
}

TEST(ImportSheet, CsvAndXlsxGiveTheSameTable) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "name , city\r\n\"Ben \"\"Ali\"\"\",\"Fès,\nMédina\"\r\n,,\r\n'=1+1,x\r\n";
  std::vector<long> row_numbers;
  auto from_csv = ReadSpreadsheet(csv, FileFormat::kCsv, &row_numbers);
  ASSERT_TRUE(from_csv) << from_csv.error().message;
  EXPECT_EQ(*from_csv,
            (std::vector<std::vector<std::string>>{{"name", "city"}, {"Ben \"Ali\"", "Fès,\nMédina"}, {"=1+1", "x"}}));
  EXPECT_EQ(row_numbers, (std::vector<long>{1, 2, 5})) << "a quoted line end counts; a row of empty fields is skipped";
  const std::string xlsx = Workbook(
      R"(<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>name </t></is></c><c t="inlineStr"><is><t>city</t></is></c></row>)"
      R"(<row r="2"><c t="inlineStr"><is><t>Ben "Ali"</t></is></c><c t="inlineStr"><is><t>Fès,&#10;Médina</t></is></c></row>)"
      R"(<row r="5"><c t="inlineStr"><is><t>'=1+1</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>)"
      R"(</sheetData></worksheet>)");
  auto from_xlsx = ReadSpreadsheet(xlsx, FileFormat::kXlsx, &row_numbers);
  ASSERT_TRUE(from_xlsx) << from_xlsx.error().message;
  EXPECT_EQ(*from_xlsx, *from_csv);
  EXPECT_EQ(row_numbers, (std::vector<long>{1, 2, 5}));
}

TEST(ImportSheet, AFileWithoutAHeaderIsRefusedWithACode) {
  for (const std::string& bytes : {std::string(), std::string("\xEF\xBB\xBF\r\n\r\n"), std::string(",,\n")}) {
    auto r = ReadSpreadsheet(bytes, FileFormat::kCsv);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "import.no_header");
  }
  auto bad = ReadSpreadsheet("a,b\n1,\"2\n", FileFormat::kCsv);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().reason, "csv.unterminated_quote");
  EXPECT_EQ(bad.error().params, (MessageParams{{"line", "2"}, {"column", "2"}}));
}

}  // namespace
}  // namespace sanad::registry
