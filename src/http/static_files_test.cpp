#include "http/static_files.h"

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>

namespace sanad::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("sanad-static-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "assets");
    Write("index.html", "<html lang=\"ar\" dir=\"rtl\"></html>");
    Write("assets/app.js", "plain javascript");
    Write("assets/app.js.gz", "gzip bytes");
    Write("assets/app.js.br", "brotli bytes");
    Write("assets/only-gzip.css", "plain css");
    Write("assets/only-gzip.css.gz", "gzip css");
    Write("assets/stray.txt.gz", "no base file");
    auto loaded = StaticFiles::Load(root_.string());
    ASSERT_TRUE(loaded) << loaded.error().message;
    files_ = std::move(*loaded);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& body) { std::ofstream(root_ / rel, std::ios::binary) << body; }
  static std::string HeaderOf(const Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) return v;
    }
    return "";
  }

  fs::path root_;
  StaticFiles files_;
};

TEST_F(StaticFilesTest, SendsBrotliWhenTheBrowserAcceptsIt) {
  auto r = files_.Serve("/assets/app.js", "gzip, deflate, br");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "brotli bytes");
  EXPECT_EQ(HeaderOf(*r, "Content-Encoding"), "br");
  EXPECT_EQ(HeaderOf(*r, "Vary"), "Accept-Encoding");
  EXPECT_EQ(r->content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, FallsBackToGzipThenToTheFileItself) {
  EXPECT_EQ(files_.Serve("/assets/app.js", "gzip")->body, "gzip bytes");
  EXPECT_EQ(files_.Serve("/assets/app.js", "br;q=0, gzip;q=0.5")->body, "gzip bytes");
  auto plain = files_.Serve("/assets/app.js", "");
  EXPECT_EQ(plain->body, "plain javascript");
  EXPECT_EQ(HeaderOf(*plain, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(*plain, "Vary"), "Accept-Encoding");  // caches must key on the header
  EXPECT_EQ(files_.Serve("/assets/app.js", "identity")->body, "plain javascript");
  EXPECT_EQ(files_.Serve("/assets/only-gzip.css", "br, gzip")->body, "gzip css");
}

TEST_F(StaticFilesTest, RefusalsAndWildcardsFollowTheWeights) {
  EXPECT_EQ(files_.Serve("/assets/app.js", "*")->body, "brotli bytes");
  EXPECT_EQ(files_.Serve("/assets/app.js", "*;q=0")->body, "plain javascript");
  EXPECT_EQ(files_.Serve("/assets/app.js", "gzip;q=0.000, *;q=0")->body, "plain javascript");
  EXPECT_EQ(files_.Serve("/assets/app.js", "GZIP ; q=1")->body, "gzip bytes");
}

TEST_F(StaticFilesTest, CompressedCopiesAreNotFilesOfTheirOwn) {
  EXPECT_FALSE(files_.Serve("/assets/app.js.gz", "gzip"));
  EXPECT_FALSE(files_.Serve("/assets/stray.txt.gz", "gzip"));
  auto html = files_.Serve("/", "br");
  ASSERT_TRUE(html);
  EXPECT_EQ(HeaderOf(*html, "Vary"), "");  // no compressed copy: nothing varies
}

}  // namespace
}  // namespace sanad::http
