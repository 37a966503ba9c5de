// A bounded mutational fuzzer for the import readers called directly (no server): the XLSX reader
// (libzip + expat) and the CSV grammar. libFuzzer is not used: the project builds with GCC, and the
// clang on the machine cannot compile its C++23 (std::expected). Each round takes a seed and mutates it
// either inside the ZIP (an XML part edited as text, then the archive rebuilt with correct CRCs, so the
// mutation reaches expat) or as raw bytes (flips, insertions, truncation, splices, lying sizes). Every
// input must end in rows or in an error with a catalogue code; a crash, a hang or an error without a
// code is a failure. Run under AddressSanitizer for the long run (README).
//
//   fuzz_xlsx --seconds 600 [--seed 1]     # prints counts; exit 1 on any failure
//
// Deterministic for a seed and a number of rounds; bounded in time.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <map>
#include <random>

#include "byte_mutator.h"

#include "registry/import_columns.h"
#include "registry/import_sheet.h"
#include "registry/xlsx_reader.h"
#include "zip_builder.h"

namespace sanad::testing {
namespace {

struct Seed {
  std::vector<ZipPart> parts;
};

std::vector<Seed> XlsxSeeds() {
  const std::string workbook =
      R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns:r="r"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>)";
  const std::string rels = R"(<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>)";
  const std::string shared =
      R"(<sst count="3"><si><t>record_id</t></si><si><r><t>given</t></r><r><t xml:space="preserve">_name_ar</t></r><rPh><t>x</t></rPh></si><si><t>محمد &amp; علي</t></si></sst>)";
  const std::string styles =
      R"(<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>)";
  const std::string sheet =
      R"(<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>birth_date</t></is></c></row>)"
      R"(<row r="2"><c r="A2" t="inlineStr"><is><t>R-1</t></is></c><c r="B2" t="s"><v>2</v></c><c r="C2" s="1"><v>29000</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="str"><f>A2</f><v>R-1</v></c></row>)"
      R"(<row r="4"><c r="AA4"><v>-1.5E3</v></c><c t="e"><v>#REF!</v></c></row></sheetData></worksheet>)";
  std::vector<Seed> seeds;
  seeds.push_back({{{"xl/workbook.xml", workbook},
                    {"xl/_rels/workbook.xml.rels", rels},
                    {"xl/sharedStrings.xml", shared},
                    {"xl/styles.xml", styles},
                    {"xl/worksheets/sheet1.xml", sheet}}});
  // The template the server hands out (written by libxlsxwriter) is a further, raw-bytes seed (Run).
  return seeds;
}

// Pieces of the formats the readers parse (XML of the sheet parts, CSV), inserted by the mutator.
constexpr std::string_view kXlsxTokens[] = {"<",
                                            ">",
                                            "</c>",
                                            "<c r=\"XFD1048577\">",
                                            "<v>",
                                            "</row>",
                                            "<row r=\"0\">",
                                            "t=\"s\"",
                                            "<v>99999999999</v>",
                                            "&#0;",
                                            "&#x110000;",
                                            "&amp;",
                                            "<!DOCTYPE a [<!ENTITY e \"x\">]>",
                                            "\xff\xfe",
                                            "\"",
                                            ",",
                                            "\r\n",
                                            "\"\"",
                                            "<![CDATA[x]]>",
                                            "s=\"-1\"",
                                            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
                                            "xmlns:x=\"y\"",
                                            "<x:c>"};

using Mutator = fuzz::ByteMutator;

int Run(int seconds, std::uint64_t seed) {
  Mutator m(seed);
  auto seeds = XlsxSeeds();
  auto tmpl = registry::ImportTemplateXlsx(registry::ImportKind::kHouseholdsWithMembers);
  if (!tmpl) {
    std::cerr << "no template: " << tmpl.error().message << "\n";
    return 1;
  }
  const std::string csv_seed = registry::ImportTemplateCsv(registry::ImportKind::kPersons) +
                               "\"a,\"\"b\"\"\",\"x\ny\",,\r\n,\r\n'=1+1,\xd8\xa7\n";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  long rounds = 0, failures = 0;
  std::map<std::string, long> outcomes;
  auto check = [&](const char* what, const std::string& input, const Status& st) {
    ++rounds;
    const std::string key = st ? std::string("read") : st.error().reason;
    ++outcomes[std::string(what) + " " + (key.empty() ? "<no code>" : key)];
    if (!st && st.error().reason.empty() && ++failures <= 10) {
      std::cerr << "FAIL " << what << ": an error without a code: " << st.error().message << "\n  input ("
                << input.size() << " bytes)\n";
    }
  };
  const registry::XlsxLimits small{.max_part_bytes = 8u << 20, .max_total_bytes = 16u << 20, .max_ratio = 200};
  auto sink = [](long, std::vector<std::string>&) -> Status { return Ok(); };
  while (std::chrono::steady_clock::now() < deadline) {
    const std::size_t kind = m.Below(10);
    if (kind < 5) {
      // Inside the archive: one part's XML mutated, or a part dropped, renamed or its size lied about.
      auto parts = seeds[m.Below(seeds.size())].parts;
      auto& p = parts[m.Below(parts.size())];
      if (m.Chance(80)) {
        p.head = m.Mutate(p.head, kXlsxTokens);
      } else if (m.Chance(50)) {
        p.name = m.Mutate(p.name, kXlsxTokens);
      } else {
        p.declared_size = static_cast<std::uint32_t>(m.Below(1u << 31));
      }
      if (m.Chance(5)) p.pad = m.Below(2u << 20);  // a small bomb
      const std::string bytes = MakeZip(parts);
      check("xlsx-part", bytes, registry::ReadXlsx(bytes, sink, small));
    } else if (kind < 8) {
      const std::string bytes = m.Mutate(m.Chance(50) ? *tmpl : MakeZip(seeds[0].parts), kXlsxTokens);
      check("xlsx-bytes", bytes, registry::ReadXlsx(bytes, sink, small));
    } else {
      const std::string bytes = m.Mutate(csv_seed, kXlsxTokens);
      auto rows = registry::ReadSpreadsheet(bytes, registry::FileFormat::kCsv);
      check("csv", bytes, rows ? Ok() : Status(std::unexpected(rows.error())));
    }
  }
  std::cout << "fuzz_xlsx: " << seconds << " s, seed " << seed << ", " << rounds << " inputs, " << failures
            << " failures\n";
  for (const auto& [k, n] : outcomes) std::cout << "  " << k << ": " << n << "\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace sanad::testing

int main(int argc, char** argv) {
  CLI::App app{"Bounded mutational fuzzing of the XLSX and CSV import readers"};
  int seconds = 20;
  std::uint64_t seed = 1;
  app.add_option("--seconds", seconds, "How long to run")->check(CLI::Range(1, 86400));
  app.add_option("--seed", seed, "Random seed");
  CLI11_PARSE(app, argc, argv);
  return sanad::testing::Run(seconds, seed);
}
