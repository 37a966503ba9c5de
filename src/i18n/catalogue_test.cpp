// The catalogues are complete and consistent: the same codes in ar, fr and en, the same placeholders
// in each language, a text for every code the sources use (Failure, FailWith, Problem, MsgCode), and no
// error a client may see built from an English text instead of a code.
// The web front end imports these same files, so a code missing here is missing on screen too.
#include "i18n/catalogue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace sanad::i18n {
namespace {

constexpr Lang kAll[] = {Lang::kAr, Lang::kFr, Lang::kEn};

TEST(Catalogue, SameCodesInEveryLanguage) {
  auto en = Codes(Lang::kEn);
  ASSERT_FALSE(en.empty());
  for (Lang l : kAll) EXPECT_EQ(Codes(l), en) << "catalogue " << LangTag(l) << " differs from en";
}

TEST(Catalogue, SamePlaceholdersInEveryLanguage) {
  for (const auto& code : Codes(Lang::kEn)) {
    auto en = Render(Lang::kEn, code);
    ASSERT_TRUE(en);
    auto want = Placeholders(*en);
    std::sort(want.begin(), want.end());
    for (Lang l : kAll) {
      auto text = Render(l, code);
      ASSERT_TRUE(text) << code;
      auto got = Placeholders(*text);
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, want) << code << " in " << LangTag(l);
    }
  }
}

// A placeholder's kind ({name:code}, {name:decimal}, {name:money}, {name:fields}, {name:plural:…}) is one the server
// and the web page both render (catalogue.cpp, web/src/i18n), and the same in every language: a kind either of them
// does not know is shown to the reader as it is written.
TEST(Catalogue, PlaceholderKindsAreKnownAndTheSameInEveryLanguage) {
  // The kind, without a plural's forms (each language has its own): {n:plural:one=…;other=…} is "plural",
  // and it has an "other" form, the one used when no other applies.
  static const std::regex kPlaceholder(R"(\{(\w+)(?::([a-z]*)(:[^}]*)?)?\})");
  const std::set<std::string> known{"", "code", "decimal", "fields", "money", "plural"};
  auto kinds = [](const std::string& text) {
    std::set<std::pair<std::string, std::string>> out;
    for (std::sregex_iterator it(text.begin(), text.end(), kPlaceholder), end; it != end; ++it) {
      out.emplace((*it)[1].str(), (*it)[2].str());
      if ((*it)[2].str() == "plural") {
        const std::string forms = (*it)[3].str();
        EXPECT_TRUE(forms.starts_with(":other=") || forms.find(";other=") != std::string::npos) << text;
      }
    }
    return out;
  };
  for (const auto& code : Codes(Lang::kEn)) {
    const auto want = kinds(*Render(Lang::kEn, code));
    for (const auto& [name, kind] : want)
      EXPECT_TRUE(known.contains(kind)) << code << ": {" << name << ":" << kind << "}";
    for (Lang l : kAll) EXPECT_EQ(kinds(*Render(l, code)), want) << code << " in " << LangTag(l);
  }
}

std::set<std::string> CodesUsedInSources() {
  // A code literal right after the Code argument of Failure/FailWith, as the first member of a
  // Problem, or inside MsgCode("…").
  static const std::regex kUse(
      R"re((?:Failure|FailWith|Failures)\s*\(\s*Code::k\w+\s*,\s*"([a-z0-9_.]+)"|Problem\s*\{\s*"([a-z0-9_.]+)"|MsgCode\s*\(\s*"([a-z0-9_.]+)")re");
  std::set<std::string> used;
  const std::filesystem::path root = std::filesystem::path(SANAD_SOURCE_ROOT) / "src";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto& p = entry.path();
    if (!entry.is_regular_file() || (p.extension() != ".cpp" && p.extension() != ".h")) continue;
    if (p.stem().string().ends_with("_test")) continue;  // tests may use made-up codes on purpose
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), kUse), end; it != end; ++it) {
      for (size_t g = 1; g <= 3; ++g) {
        if ((*it)[g].matched) used.insert((*it)[g].str());
      }
    }
  }
  return used;
}

TEST(Catalogue, EveryCodeTheSourcesUseHasATextInEachLanguage) {
  auto used = CodesUsedInSources();
  EXPECT_FALSE(used.empty());
  for (const auto& code : used) {
    for (Lang l : kAll) EXPECT_TRUE(Render(l, code)) << "no " << LangTag(l) << " text for \"" << code << '"';
  }
}

// Places whose errors never reach an HTTP client, so their English text is for the operator: they
// end a command of the sanad tool, stop the server at start-up, or pass between a job runner and its
// queue (the deduplication service answers clients with its own codes). Everything else builds an
// error a person may see from a catalogue code: Failure(code, "reason", params, field).
constexpr std::pair<std::string_view, std::string_view> kOperatorOnly[] = {
    {"app/", "the sanad commands and the configuration"},
    {"synth/", "sanad synth"},
    {"audit/checkpoint", "signing keys and checkpoint files (sanad audit, start-up, the checkpointer's log)"},
    {"db/backup", "sanad backup, restore and migrate-data"},
    {"db/database_url.cpp", "the --db URL at start-up"},
    {"cases/note_cipher.cpp", "the case notes key at start-up (sanad serve)"},
    {"db/migrations.cpp", "migrations at start-up"},
    {"db/notification_listener.cpp", "the cluster's change feed connection (logged)"},
    {"geo/reference_data.cpp", "reference data files at start-up"},
    {"http/server.cpp", "listening at start-up; a streamed response whose client went away (logged)"},
    {"http/static_files.cpp", "the web root at start-up"},
    {"jobs/", "a job runner and its queue"},
    {"linkage/model.cpp", "linkage model files (sanad link)"},
    {"linkage/presets.cpp", "sanad link presets and files"},
};

// The errors the sources build with an English text and a status a client sees (an internal error is
// concealed by the HTTP pipeline): Fail(Code::k…, …), Error{Code::k…, "…"} and the like.
std::vector<std::string> EnglishErrorsInSources() {
  static const std::regex kEnglish(
      R"re((?:\bFail\s*\(\s*Code::k(?!Internal\b)\w+\s*,|(?:\bError\s*\{|ErrorResponse\s*\(\s*\{|Classified\s*\()\s*Code::k(?!Internal\b)\w+\s*,\s*(?:"|fmt::format|std::string\s*\(\s*")))re");
  std::vector<std::string> out;
  const std::filesystem::path root = std::filesystem::path(SANAD_SOURCE_ROOT) / "src";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto& p = entry.path();
    if (!entry.is_regular_file() || (p.extension() != ".cpp" && p.extension() != ".h")) continue;
    if (p.stem().string().ends_with("_test")) continue;
    const std::string rel = std::filesystem::relative(p, root).generic_string();
    if (std::any_of(std::begin(kOperatorOnly), std::end(kOperatorOnly),
                    [&](const auto& o) { return rel.starts_with(o.first); }))
      continue;
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), kEnglish), end; it != end; ++it) {
      const auto at = static_cast<std::size_t>(it->position());
      const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
      out.push_back(rel + ":" + std::to_string(line) + ": " + text.substr(at, text.find('\n', at) - at));
    }
  }
  return out;
}

TEST(Catalogue, NoErrorAClientSeesIsWrittenInEnglish) {
  for (const auto& place : EnglishErrorsInSources()) {
    ADD_FAILURE() << place << "\n  an error a client may see needs a catalogue code: Failure(code, \"reason\", params)";
  }
}

TEST(Catalogue, RendersParametersAndFieldNames) {
  MessageParams p{{"field", "birth_date"}, {"value", "2030-01-01"}};
  EXPECT_EQ(Render(Lang::kEn, "field.in_future", p), "Date of birth cannot be in the future (2030-01-01).");
  EXPECT_EQ(Render(Lang::kFr, "field.in_future", p), "Date de naissance ne peut pas être dans le futur (2030-01-01).");
  EXPECT_EQ(Render(Lang::kAr, "no.such.code"), std::nullopt);
  // A programme's own fields have their labels ("code est obligatoire." when a copy had no code).
  EXPECT_EQ(Render(Lang::kFr, "field.required", {{"field", "code"}}), "Code est obligatoire.");
  EXPECT_EQ(Render(Lang::kFr, "field.required", {{"field", "name_ar"}}), "Nom en arabe est obligatoire.");
  // A field without a name entry shows the field itself rather than nothing.
  EXPECT_EQ(Render(Lang::kEn, "field.required", {{"field", "zzz"}}), "zzz is required.");
  // A {name:code} value that is itself a catalogue code (a programme's line label) is rendered as such.
  EXPECT_EQ(Render(Lang::kFr, "program.reason.amount_out_of_range",
                   {{"line", "program.line.asd.flat"}, {"max", "1000000000"}}),
            "Le montant ne peut être payé : " + *Render(Lang::kFr, "program.line.asd.flat") +
                " dépasse 1\u202f000\u202f000\u202f000, le plus grand montant qu’une ligne ou un ménage peut atteindre "
                "; la règle du "
                "programme est à vérifier.");
  EXPECT_EQ(Render(Lang::kEn, "program.reason.amount_out_of_range", {{"line", "my own line"}, {"max", "1"}}),
            "The amount cannot be paid: my own line goes past 1, the largest amount a line or a household may reach; "
            "the programme’s rule is to be checked.");
}

// Arabic field names are masculine (تاريخ الازدياد) or feminine (الجماعة, الأسرة): the texts about a
// field make their verb and adjective agree with a word of their own (القيمة, الحقل), never with the name.
TEST(Catalogue, ArabicFieldTextsAgreeWhateverTheFieldsGender) {
  EXPECT_EQ(Render(Lang::kAr, "field.not_a_commune", {{"field", "commune_code"}, {"value", "X"}}),
            "الجماعة: يجب أن تكون القيمة رمز جماعة من المعطيات المرجعية (مثلًا MA-03.231.01.03): \u2068X\u2069.");
  EXPECT_EQ(Render(Lang::kAr, "field.required", {{"field", "household_id"}}), "الأسرة: هذا الحقل مطلوب.");
  EXPECT_EQ(Render(Lang::kAr, "value.not_boolean", {{"field", "electricity"}, {"value", "2"}}),
            "الكهرباء: القيمة \u20682\u2069 غير صالحة؛ يجب أن تكون 1 أو 0.");
}

// In Arabic a value with Latin letters or digits is isolated (U+2068 … U+2069), as the web page does its
// own: without it the bidirectional algorithm reorders it with the Arabic around it, and a date 2026-13-45
// read «45-13-2026». A value of Arabic text, a name rendered from the catalogue, and French and English are
// left as they are; a code example of the text itself is isolated left-to-right (U+2066 … U+2069).
TEST(Catalogue, ArabicTextsIsolateLatinAndNumericValues) {
  const std::string fsi = "\u2068", lri = "\u2066", pdi = "\u2069";
  EXPECT_EQ(Render(Lang::kAr, "reconciliation.bad_date", {{"value", "2026-13-45"}}),
            "التاريخ «" + fsi + "2026-13-45" + pdi + "» غير صالح (" + lri + "YYYY-MM-DD" + pdi + ").");
  EXPECT_EQ(Render(Lang::kAr, "field.required", {{"field", "household_id"}}), "الأسرة: هذا الحقل مطلوب.");
  EXPECT_EQ(Render(Lang::kAr, "field.required", {{"field", "zzz"}}), fsi + "zzz" + pdi + ": هذا الحقل مطلوب.");
  EXPECT_EQ(Render(Lang::kAr, "value.not_boolean", {{"field", "electricity"}, {"value", "نعم"}}),
            "الكهرباء: القيمة نعم غير صالحة؛ يجب أن تكون 1 أو 0.");
  EXPECT_EQ(Render(Lang::kFr, "value.not_boolean", {{"field", "electricity"}, {"value", "2"}}),
            *Render(Lang::kFr, "value.not_boolean", {{"field", "electricity"}, {"value", "2"}}));
  EXPECT_EQ(Render(Lang::kEn, "field.required", {{"field", "zzz"}}), "zzz is required.");
  const std::string example =
      *Render(Lang::kAr, "rule.unknown_variable", {{"line", "1"}, {"column", "2"}, {"name", "x"}});
  EXPECT_NE(example.find(lri + "members.count(m, m.sex == \"F\")" + pdi), std::string::npos) << example;
}

// Numbers in a text are written as the reader's page writes them (the web's Intl formats, from the same
// ICU data): an index to at most 7 decimals, the precision of the decrees' thresholds (9.3264284), with the
// language's decimal separator; amounts in minor units as money in the payment's currency. Before, a
// reason read "10.674162499999998" in French and a reconciliation "80000 … (minor units)".
TEST(Catalogue, NumbersAreWrittenInTheReadersLanguage) {
  const MessageParams index{{"index", "10.674162499999998"}, {"threshold", "9.743001"}};
  EXPECT_EQ(Render(Lang::kFr, "program.reason.index_above_threshold", index),
            "L'indice socio-économique 10,6741625 dépasse le seuil du programme (9,743001).");
  EXPECT_EQ(Render(Lang::kEn, "program.reason.index_above_threshold",
                   {{"index", "9.600944285714286"}, {"threshold", "9.3264284"}}),
            "The socio-economic index 9.6009443 is above the programme threshold (9.3264284).");
  EXPECT_EQ(Render(Lang::kAr, "program.reason.index_above_threshold", index),
            "المؤشر السوسيو-اقتصادي \u206810,6741625\u2069 يتجاوز عتبة البرنامج (\u20689,743001\u2069).");
  // Not a number (a rule of one's own may name anything): written as it is.
  EXPECT_EQ(Render(Lang::kEn, "program.reason.index_above_threshold", {{"index", "n/a"}, {"threshold", "9"}}),
            "The socio-economic index n/a is above the programme threshold (9).");
  const MessageParams amounts{{"id", "C1H15"}, {"expected", "80000"}, {"found", "-123456789"}, {"currency", "MAD"}};
  EXPECT_EQ(Render(Lang::kEn, "reconciliation.amount_mismatch", amounts),
            "Amount of payment C1H15 differs: expected MAD\u00a0800.00, found -MAD\u00a01,234,567.89.");
  EXPECT_EQ(Render(Lang::kFr, "reconciliation.amount_mismatch", amounts),
            "Montant du paiement C1H15 différent : attendu 800,00\u00a0MAD, reçu -1\u202f234\u202f567,89\u00a0MAD.");
}

// A cycle's state is a word of the reader's language, not the stored code ("état : approved").
TEST(Catalogue, CycleStatesAreWrittenInTheReadersLanguage) {
  EXPECT_EQ(Render(Lang::kFr, "cycle.not_paid", {{"id", "7"}, {"state", "approved"}}),
            "Le cycle 7 ne peut être clôturé qu’une fois payé (état : approuvé).");
  EXPECT_EQ(Render(Lang::kAr, "cycle.not_draft", {{"id", "7"}, {"state", "paid"}}),
            "الدورة \u20687\u2069 لم تعد مسودة (حالتها: مؤداة).");
  EXPECT_EQ(Render(Lang::kEn, "cycle.not_approved", {{"id", "7"}, {"state", "draft"}}),
            "Cycle 7 is not approved (state: draft).");
}

// A list of fields ({variables:fields}, "a, b") is written with each field's label and the language's
// own comma; a name without a label stays as it is.
TEST(Catalogue, AListOfFieldsIsWrittenWithTheirLabels) {
  const MessageParams missing{{"variables", "region, children_under_15, zzz"}};
  EXPECT_EQ(Render(Lang::kEn, "program.reason.index_inputs_missing", missing),
            "The socio-economic index cannot be computed: the household's answers lack Region, Children under 15, "
            "zzz.");
  // A cycle's flag names the registry field by its label (it read "selon le registre, de : family_allowances").
  EXPECT_EQ(Render(Lang::kFr, "cycle.flag.registry_receives", {{"other", "family_allowances"}}),
            "Un membre du ménage bénéficie aujourd’hui, selon le registre, de : Allocations familiales");
  EXPECT_EQ(Render(Lang::kAr, "program.reason.index_inputs_missing", missing),
            "تعذر احتساب المؤشر السوسيو-اقتصادي: تنقص أجوبةَ الأسرة المعطياتُ التالية: الجهة، الأطفال دون 15 سنة، "
            "\u2068zzz\u2069.");
}

// A count picks its noun's form by the language's plural rules (ICU's CLDR data, as the web page's
// Intl.PluralRules): Arabic has six ("8 سطر(أسطر)" was a workaround), French counts 0 and 1 as one.
TEST(Catalogue, CountsTakeTheirLanguagesPluralForm) {
  auto rejected = [](Lang lang, const std::string& n) {
    return *Render(lang, "reconciliation.rejected", {{"problems", n}, {"report_id", "3"}});
  };
  EXPECT_EQ(rejected(Lang::kEn, "1"), "Reconciliation file refused: 1 line in error, nothing was applied (report 3).");
  EXPECT_EQ(rejected(Lang::kEn, "8"), "Reconciliation file refused: 8 lines in error, nothing was applied (report 3).");
  EXPECT_EQ(rejected(Lang::kFr, "0"),
            "Fichier de rapprochement refusé : 0 ligne en erreur, rien n'a été appliqué (rapport 3).");
  EXPECT_EQ(rejected(Lang::kFr, "2"),
            "Fichier de rapprochement refusé : 2 lignes en erreur, rien n'a été appliqué (rapport 3).");
  const std::string tail = "، ولم يُطبَّق أي شيء (التقرير \u20683\u2069).";
  EXPECT_EQ(rejected(Lang::kAr, "1"), "رُفض ملف المطابقة: سطر واحد به أخطاء" + tail);
  EXPECT_EQ(rejected(Lang::kAr, "2"), "رُفض ملف المطابقة: سطران بهما أخطاء" + tail);
  EXPECT_EQ(rejected(Lang::kAr, "8"), "رُفض ملف المطابقة: \u20688\u2069 أسطر بها أخطاء" + tail);
  EXPECT_EQ(rejected(Lang::kAr, "11"), "رُفض ملف المطابقة: \u206811\u2069 سطرًا بها أخطاء" + tail);
  EXPECT_EQ(rejected(Lang::kAr, "100"), "رُفض ملف المطابقة: \u2068100\u2069 سطر بها أخطاء" + tail);
  // Not a whole number: the form for "other", with the value as it is.
  EXPECT_EQ(rejected(Lang::kEn, "many"),
            "Reconciliation file refused: many lines in error, nothing was applied (report 3).");
}

TEST(Catalogue, ErrorsFallBackToTheirMessageThenTheirCode) {
  Error coded{Code::kInvalidArgument, "English", "birth_date", 0, "field.required"};
  coded.params = {{"field", "birth_date"}};
  EXPECT_EQ(RenderError(Lang::kAr, coded), "تاريخ الازدياد: هذا الحقل مطلوب.");
  Error plain{Code::kNotFound, "no household 7", "", 0};
  EXPECT_EQ(RenderError(Lang::kEn, plain), "no household 7");
  EXPECT_EQ(RenderError(Lang::kFr, plain), "Introuvable.");
  Error bare{Code::kNotFound, "", "", 0};
  EXPECT_EQ(RenderError(Lang::kFr, bare), "Introuvable.");
}

}  // namespace
}  // namespace sanad::i18n
