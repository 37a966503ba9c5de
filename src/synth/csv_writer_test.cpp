#include "synth/csv_writer.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "synth/generator.h"
#include "synth/test_support.h"

namespace sanad::synth {
namespace {

std::string Escaped(std::string_view field) {
  std::string out;
  AppendCsvField(out, field);
  return out;
}

TEST(AppendCsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(Escaped("Mohamed"), "Mohamed");
  EXPECT_EQ(Escaped("محمد"), "محمد");
  EXPECT_EQ(Escaped(""), "");
  EXPECT_EQ(Escaped("12 Rue 3, Hay Salam"), "\"12 Rue 3, Hay Salam\"");
  EXPECT_EQ(Escaped("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Escaped("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(Escaped("cr\r"), "\"cr\r\"");
  EXPECT_EQ(Escaped("M'hamed"), "M'hamed");
}

TEST(AppendCsvField, RoundTripsThroughTheSplitter) {
  for (std::string_view s : {"a,b", "\"", "x\"\"y", ",", "plain"}) {
    std::string line = Escaped(s) + "," + Escaped(s);
    EXPECT_EQ(SplitCsvLine(line), (std::vector<std::string>{std::string(s), std::string(s)}));
  }
}

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(WriteCsv, FilesHaveTheHeaderAndOneLinePerRowWithTheHeaderFieldCount) {
  auto registry = Generate(testing::Reference(), {.households = 2500, .seed = 77});
  ASSERT_TRUE(registry);
  const auto dir = std::filesystem::temp_directory_path() / "sanad_synth_csv_test";
  std::filesystem::create_directories(dir);
  std::int64_t last_progress = 0;
  WriteOptions options{.threads = 3, .progress = [&](std::int64_t done, std::int64_t) { last_progress = done; }};
  ASSERT_TRUE(WriteHouseholdsCsv(*registry, dir / "households.csv", options));
  ASSERT_TRUE(WritePersonsCsv(*registry, dir / "persons.csv", options));
  EXPECT_EQ(last_progress, static_cast<std::int64_t>(registry->PersonCount()));

  for (auto [file, header, rows, formatter] :
       {std::tuple{"households.csv", HouseholdsCsvHeader(), registry->HouseholdCount(), &FormatHouseholdRows},
        std::tuple{"persons.csv", PersonsCsvHeader(), registry->PersonCount(), &FormatPersonRows}}) {
    const std::string text = ReadAll(dir / file);
    std::string expected(header);
    expected.push_back('\n');
    formatter(*registry, 0, rows, expected);
    ASSERT_EQ(text, expected) << file;
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);
    const std::size_t columns = SplitCsvLine(line).size();
    std::size_t count = 0;
    while (std::getline(lines, line)) {
      ASSERT_EQ(SplitCsvLine(line).size(), columns) << file << ": " << line;
      ++count;
    }
    EXPECT_EQ(count, rows);
  }
  std::filesystem::remove_all(dir);
}

TEST(WriteCsv, UnwritablePathIsUnavailable) {
  auto registry = Generate(testing::Reference(), {.households = 10, .seed = 1});
  ASSERT_TRUE(registry);
  auto status = WriteHouseholdsCsv(*registry, "/nonexistent-dir/x/households.csv");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Code::kUnavailable);
}

}  // namespace
}  // namespace sanad::synth
