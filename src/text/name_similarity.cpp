#include "text/name_similarity.h"

#include <algorithm>
#include <string>

#include "text/cross_script.h"
#include "text/names.h"
#include "text/similarity.h"
#include "text/utf8.h"

namespace sanad::text {

namespace {

// A different skeleton costs between 7 and 15 % of the within-script similarity: enough to push the
// distinct names that share a long prefix below 0.92, not so much that true variants whose keys miss
// (Khadija/Hadija, Aicha/Aischa) lose their high score.
constexpr double kMinKeyFactor = 0.85;

double KeyFactor(std::string_view ka, std::string_view kb) {
  return ka == kb ? 1.0 : std::max(kMinKeyFactor, std::min(0.93, JaroWinkler(ka, kb)));
}

}  // namespace

double NameSimilarityOfForms(std::string_view form_a, std::string_view key_a, std::string_view form_b,
                             std::string_view key_b) {
  if (key_a.empty() || key_b.empty()) return 0.0;
  if (form_a.empty() || form_b.empty()) {
    const double keys = key_a == key_b ? 1.0 : JaroWinkler(key_a, key_b);
    return keys * keys;
  }
  return JaroWinkler(form_a, form_b) * KeyFactor(key_a, key_b);
}

double NameSimilarity(std::string_view a, std::string_view b) {
  const std::string ka = CrossScriptKey(a), kb = CrossScriptKey(b);
  if (ka.empty() || kb.empty()) return 0.0;
  if (DetectScript(a) != DetectScript(b)) return NameSimilarityOfForms({}, ka, {}, kb);
  const std::string fa = NameMatchForm(a), fb = NameMatchForm(b);
  const double forms =
      DetectScript(a) == Script::kArabic ? JaroWinkler(DecodeUtf8(fa), DecodeUtf8(fb)) : JaroWinkler(fa, fb);
  return forms * KeyFactor(ka, kb);
}

}  // namespace sanad::text
