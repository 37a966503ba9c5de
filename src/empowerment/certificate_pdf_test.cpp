// A training certificate is a one-page PDF in Arabic or French with her name on it (pdftotext reads it
// back when the machine has it).
#include "empowerment/certificate_pdf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>

namespace sanad::empowerment {
namespace {

CertificateText Text(const std::string& lang, const std::string& name) {
  return {lang,
          name,
          lang == "ar" ? "المهارات الرقمية" : "Compétences numériques",
          "digital_skills",
          "2026-03-02",
          "2026-03-06",
          "2026-03-05",
          "ABCD-EFGH-JKMN-PQRS",
          "/api/v1/public/empowerment/certificates/ABCD-EFGH-JKMN-PQRS"};
}

int Pages(const std::string& pdf) {
  // Page objects: "/Type /Page" not followed by "s" (the page tree is /Pages).
  static const std::regex page(R"(/Type\s*/Page[^s])");
  return static_cast<int>(std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

// The PDF's text by pdftotext, or nullopt when the tool is not installed.
std::optional<std::string> TextOf(const std::string& pdf, const std::string& stem) {
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) return std::nullopt;
  const std::string path = ::testing::TempDir() + stem + ".pdf";
  std::ofstream(path, std::ios::binary) << pdf;
  const std::string cmd = "pdftotext -enc UTF-8 " + path + " -";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    pclose(p);
  }
  return out;
}

TEST(CertificatePdf, IsOnePageInFrenchWithHerName) {
  auto pdf = RenderCertificatePdf(Text("fr", "Fatima El Alaoui"));
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  EXPECT_EQ(Pages(*pdf), 1);
  if (auto text = TextOf(*pdf, "certificate-fr")) {
    EXPECT_NE(text->find("Fatima El Alaoui"), std::string::npos) << *text;
  } else {
    GTEST_LOG_(INFO) << "pdftotext not installed: the text check is skipped";
  }
}

TEST(CertificatePdf, IsOnePageInArabic) {
  auto pdf = RenderCertificatePdf(Text("ar", "فاطمة العلوي"));
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  EXPECT_EQ(Pages(*pdf), 1);
  // The Arabic glyphs are embedded from DejaVu Sans.
  EXPECT_NE(pdf->find("DejaVuSans"), std::string::npos);
  if (auto text = TextOf(*pdf, "certificate-ar")) {
    EXPECT_NE(text->find("فاطمة"), std::string::npos) << *text;
  }
}

TEST(CertificatePdf, HasAPngPreviewOfTheSamePage) {
  auto png = RenderCertificatePng(Text("ar", "فاطمة العلوي"), 1.0);
  ASSERT_TRUE(png) << png.error().message;
  EXPECT_EQ(png->rfind("\x89PNG", 0), 0u);
}

TEST(CertificatePdf, RefusesOtherLanguages) { EXPECT_FALSE(RenderCertificatePdf(Text("en", "Fatima"))); }

}  // namespace
}  // namespace sanad::empowerment
