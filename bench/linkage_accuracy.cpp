// Linkage accuracy benchmark (issue 4 §4): pairwise precision, recall and F1 of the clusters the
// engine produces, against the truth of FEBRL 1–4, NCVR (5 parties) at 0/20/40 % corruption and a
// synthetic Maghrebi registry with cross-script duplicates; plus the recall of the cross-script key
// against the Arabic→Latin name pairs of data/names/arabic_latin, compared with ICU's Arabic-Latin
// transliterator. Every model here is trained on the data it scores (unsupervised: the truth is only
// read to compute the figures). Usage: linkage_accuracy [--threads N] [--skip-synthetic]
#include <fmt/format.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/csv.h"
#include "linkage/engine.h"
#include "linkage/presets.h"
#include "maghrebi_synth.h"
#include "text/cross_script.h"
#include "text/latin.h"

using namespace sanad;
using namespace sanad::linkage;

namespace {

const std::string kRoot = SANAD_SOURCE_ROOT;

struct Metrics {
  double precision = 0, recall = 0, f1 = 0;
  std::uint64_t tp = 0, predicted = 0, truth = 0;
};

// Pairwise metrics of a clustering: a pair is predicted when both records share a cluster and true when
// they share an entity; with `cross_source_only`, only pairs of records from different sources count
// (linking files, where pairs inside one file are not the question).
Metrics Evaluate(const RecordStore& store, const std::vector<std::uint32_t>& cluster, const std::vector<std::string>& entity,
                 bool cross_source_only) {
  auto pairs_of = [&](const std::map<std::uint8_t, std::uint64_t>& per_source) {
    std::uint64_t n = 0, same = 0;
    for (auto& [s, k] : per_source) { n += k; same += k * (k - 1) / 2; }
    return n * (n - 1) / 2 - (cross_source_only ? same : 0);
  };
  std::unordered_map<std::uint32_t, std::map<std::uint8_t, std::uint64_t>> by_cluster;
  std::unordered_map<std::string, std::map<std::uint8_t, std::uint64_t>> by_entity;
  std::map<std::pair<std::uint32_t, std::string>, std::map<std::uint8_t, std::uint64_t>> by_both;
  for (std::size_t r = 0; r < store.size(); ++r) {
    ++by_cluster[cluster[r]][store.Source(r)];
    ++by_entity[entity[r]][store.Source(r)];
    ++by_both[{cluster[r], entity[r]}][store.Source(r)];
  }
  Metrics m;
  for (auto& [k, v] : by_cluster) m.predicted += pairs_of(v);
  for (auto& [k, v] : by_entity) m.truth += pairs_of(v);
  for (auto& [k, v] : by_both) m.tp += pairs_of(v);
  m.precision = m.predicted ? static_cast<double>(m.tp) / m.predicted : 0;
  m.recall = m.truth ? static_cast<double>(m.tp) / m.truth : 0;
  m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0;
  return m;
}

std::string FebrlEntity(const std::string& id) {  // "rec-123-dup-0" → "123"
  const auto a = id.find('-'), b = id.find('-', a + 1);
  return id.substr(a + 1, b - a - 1);
}

void Report(const std::string& name, const RecordStore& store, const EngineResult& r, const Metrics& m, const std::string& goal,
            bool met) {
  std::uint64_t skipped = 0;
  for (const auto& rule : r.rules) skipped += rule.skipped_pairs;
  fmt::print("{:<26} records {:>7}  candidates {:>9}  P {:.4f}  R {:.4f}  F1 {:.4f}  ({} true pairs, {} predicted)  "
             "{:.2f} s  {}{}\n",
             name, store.size(), r.candidate_pairs, m.precision, m.recall, m.f1, m.truth, m.predicted, r.total_seconds,
             goal == "-" ? std::string("(no goal)") : fmt::format("goal {} → {}", goal, met ? "MET" : "MISSED"), skipped ? fmt::format(" [{} pairs in oversized blocks skipped]", skipped) : "");
}

// With SANAD_DEBUG_ERRORS=N set, prints N false-positive matches and N missed true pairs in the review
// band, explained field by field: the tool used to tune the comparisons.
void DebugErrors(const RecordStore& store, const EngineResult& r, const std::vector<std::string>& entity) {
  const char* env = std::getenv("SANAD_DEBUG_ERRORS");
  if (!env) return;
  int left = std::atoi(env);
  auto show = [&](const ScoredPair& p, const char* what) {
    const auto e = r.model.Explain(store, p.a, p.b);
    fmt::print("  {} {} ~ {}  weight {:.2f}\n", what, store.RecordId(p.a), store.RecordId(p.b), e.weight);
    for (const auto& f : e.fields)
      fmt::print("      {:<14} {:<22} {:<30} {:<30} {:+.2f} {:+.2f}\n", f.comparison, f.label, f.value_a, f.value_b, f.log2_bf, f.tf_adjustment);
  };
  for (const auto& p : r.matches)
    if (entity[p.a] != entity[p.b] && left-- > 0) show(p, "FALSE MATCH");
  left = std::atoi(env);
  for (const auto& p : r.review)
    if (entity[p.a] == entity[p.b] && left-- > 0) show(p, "MISSED (review)");
}

std::optional<EngineResult> RunOn(const RecordStore& store, Preset preset, LinkType type, int threads,
                                  bool one_per_source = true) {
  EngineOptions opt;
  opt.threads = threads;
  auto spec = DefaultSpec(preset, type, store);
  spec.one_record_per_source = spec.one_record_per_source && one_per_source;
  auto r = RunEngine(store, spec, std::nullopt, opt);
  if (!r) {
    fmt::print("engine error: {}\n", r.error().message);
    return std::nullopt;
  }
  return std::move(*r);
}

void Febrl(int threads) {
  for (const char* set : {"1", "2", "3", "4"}) {
    RecordStoreBuilder b;
    const bool link = std::strcmp(set, "4") == 0;
    const std::string dir = kRoot + "/data/linkage/febrl/";
    if (link) {
      if (!LoadCsv(dir + "dataset4a.csv", Preset::kFebrl, 0, b) || !LoadCsv(dir + "dataset4b.csv", Preset::kFebrl, 1, b)) return;
    } else if (auto s = LoadCsv(dir + "dataset" + set + ".csv", Preset::kFebrl, 0, b); !s) {
      fmt::print("{}\n", s.error().message);
      return;
    }
    const auto store = b.Build();
    std::vector<std::string> entity;
    for (std::size_t i = 0; i < store.size(); ++i) entity.push_back(FebrlEntity(store.RecordId(i)));
    auto r = RunOn(store, Preset::kFebrl, link ? LinkType::kLinkOnly : LinkType::kDedupe, threads);
    if (!r) return;
    const auto m = Evaluate(store, r->clustering.cluster_of, entity, link);
    Report(std::string("FEBRL ") + set + (link ? " (4a x 4b)" : ""), store, *r, m, "F1>=0.99", m.f1 >= 0.99);
  }
}

void Ncvr(int threads) {
  for (int level : {0, 20, 40}) {
    RecordStoreBuilder b;
    for (int party = 0; party < 5; ++party) {
      const std::string path = fmt::format("{}/data/linkage/ncvr_5party_5000/ncvr_numrec_5000_modrec_2_ocp_{}_myp_{}_nump_5.csv",
                                           kRoot, level, party);
      if (auto s = LoadCsv(path, Preset::kNcvr, static_cast<std::uint8_t>(party), b); !s) {
        fmt::print("{}\n", s.error().message);
        return;
      }
    }
    const auto store = b.Build();
    std::vector<std::string> entity;
    for (std::size_t i = 0; i < store.size(); ++i) entity.push_back(store.RecordId(i));
    auto r = RunOn(store, Preset::kNcvr, LinkType::kLinkOnly, threads);
    if (!r) return;
    const auto m = Evaluate(store, r->clustering.cluster_of, entity, true);
    DebugErrors(store, *r, entity);
    const bool has_goal = level == 40;
    Report(fmt::format("NCVR {}% (5 parties)", level), store, *r, m, has_goal ? "F1>=0.90 (Splink~0.83)" : "-",
           has_goal ? m.f1 >= 0.90 : true);
    // The same without the one-record-per-source constraint (plain connected components, as Splink's
    // clustering does), to show what that constraint contributes.
    auto plain = RunOn(store, Preset::kNcvr, LinkType::kLinkOnly, threads, /*one_per_source=*/false);
    if (!plain) return;
    const auto mp = Evaluate(store, plain->clustering.cluster_of, entity, true);
    Report(fmt::format("  same, plain components"), store, *plain, mp, has_goal ? "F1>=0.90" : "-", has_goal ? mp.f1 >= 0.90 : true);
  }
}

void Synthetic(int threads) {
  bench::SynthOptions o;
  o.records = 100000;
  auto reg = bench::GenerateMaghrebi(kRoot, o);
  if (!reg) {
    fmt::print("generator: {}\n", reg.error().message);
    return;
  }
  RecordStoreBuilder b;
  for (const auto& r : reg->records) b.Add(r);
  const auto store = b.Build();
  std::vector<std::string> entity;
  // Rows are reordered by the store; the truth follows each row's input position.
  for (std::size_t row = 0; row < store.size(); ++row) entity.push_back(std::to_string(reg->person[store.InputIndex(row)]));
  auto r = RunOn(store, Preset::kSanad, LinkType::kDedupe, threads);
  if (!r) return;
  const auto m = Evaluate(store, r->clustering.cluster_of, entity, false);
  DebugErrors(store, *r, entity);
  Report("Synthetic Maghrebi", store, *r, m, "F1>=0.97", m.f1 >= 0.97);
  // The hard cases separately: brothers wrongly merged, cross-script duplicates found.
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < store.size(); ++i) members[reg->person[store.InputIndex(i)]].push_back(i);
  std::uint64_t cross = 0, cross_found = 0;
  for (auto& [p, recs] : members) {
    for (std::size_t x = 0; x < recs.size(); ++x)
      for (std::size_t y = x + 1; y < recs.size(); ++y) {
        const auto a = recs[x], c = recs[y];
        const bool a_lat = store.Id(Col::kGivenLat, a) && !store.Id(Col::kGivenAr, a);
        const bool a_ar = store.Id(Col::kGivenAr, a) && !store.Id(Col::kGivenLat, a);
        const bool c_lat = store.Id(Col::kGivenLat, c) && !store.Id(Col::kGivenAr, c);
        const bool c_ar = store.Id(Col::kGivenAr, c) && !store.Id(Col::kGivenLat, c);
        if ((a_lat && c_ar) || (a_ar && c_lat)) {
          ++cross;
          cross_found += r->clustering.cluster_of[a] == r->clustering.cluster_of[c];
        }
      }
  }
  std::size_t brothers_merged = 0;
  for (const auto& [x, y] : reg->brothers)
    brothers_merged += r->clustering.cluster_of[store.RowOfInput(x)] == r->clustering.cluster_of[store.RowOfInput(y)];
  fmt::print("  brothers (same family, father, commune, phone; other given name and birth date) wrongly merged: {} of {}; "
             "pairs stopped by the exclusion rules: {}\n",
             brothers_merged, reg->brothers.size(), r->excluded_pairs);
  fmt::print("  {} persons with brothers generated; refused merges by the national-id guard: {}; "
             "cross-script duplicate pairs (Arabic-only vs Latin-only): {} found of {} ({:.3f})\n",
             reg->brother_pairs, r->clustering.refused, cross_found, cross, cross ? static_cast<double>(cross_found) / cross : 0);
  for (const auto& rule : r->rules) fmt::print("    rule {:<36} {:>9} pairs\n", rule.rule, rule.pairs);
  // Blocking recall: the share of true pairs that at least one blocking rule makes a candidate.
  const auto spec = DefaultSpec(Preset::kSanad, LinkType::kDedupe, store);
  std::vector<std::vector<std::uint64_t>> keys;
  for (const auto& rule : spec.blocking) keys.push_back(BlockKeys(store, rule, threads));
  std::uint64_t true_pairs = 0, blocked = 0;
  int shown = std::getenv("SANAD_DEBUG_ERRORS") ? std::atoi(std::getenv("SANAD_DEBUG_ERRORS")) : 0;
  for (auto& [p, recs] : members)
    for (std::size_t x = 0; x < recs.size(); ++x)
      for (std::size_t y = x + 1; y < recs.size(); ++y) {
        ++true_pairs;
        bool hit = false;
        for (const auto& k : keys) hit = hit || (k[recs[x]] != 0 && k[recs[x]] == k[recs[y]]);
        blocked += hit;
        if (!hit && shown-- > 0) {
          for (auto r : {recs[x], recs[y]})
            fmt::print("    not blocked: {} given {} family {} father {} date {} commune {} id {} phone {}\n", store.RecordId(r),
                       store.Value(Col::kGivenKey, r), store.Value(Col::kFamilyKey, r), store.Value(Col::kFatherKey, r),
                       store.BirthDate(r), store.Value(Col::kCommune, r), store.Value(Col::kNationalId, r),
                       store.Value(Col::kPhone, r));
        }
      }
  fmt::print("  blocking recall: {} of {} true pairs are candidates ({:.4f})\n", blocked, true_pairs,
             static_cast<double>(blocked) / true_pairs);
}

std::string IcuKey(icu::Transliterator& icu, const std::string& arabic) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(arabic);
  icu.transliterate(u);
  std::string t;
  u.toUTF8String(t);
  return text::CrossScriptKey(text::FoldLatin(t));
}

// Share of (Arabic, Latin) name pairs whose keys agree, for our direct key and for ICU "Arabic-Latin"
// followed by the Latin key: on the Maghrebi variants file and on the general google_ar2en pairs.
void CrossScriptRecall() {
  std::ifstream in(kRoot + "/data/names/arabic_latin/google_ar2en.txt");
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> icu(icu::Transliterator::createInstance("Arabic-Latin", UTRANS_FORWARD, st));
  if (U_FAILURE(st)) {
    fmt::print("ICU Arabic-Latin unavailable\n");
    return;
  }
  {
    auto reader = csv::Reader::Open(kRoot + "/data/names/maghreb_name_variants.csv");
    std::vector<std::string> row;
    std::uint64_t n = 0, direct = 0, via_icu = 0;
    while (reader) {
      auto ok = reader->Next(row);
      if (!ok || !*ok) break;
      const std::string kd = text::CrossScriptKey(row[1]), ki = IcuKey(*icu, row[1]);
      std::size_t from = 0;
      while (from <= row[3].size()) {
        std::size_t to = row[3].find('|', from);
        if (to == std::string::npos) to = row[3].size();
        const std::string k = text::CrossScriptKey(row[3].substr(from, to - from));
        ++n;
        direct += k == kd;
        via_icu += k == ki;
        from = to + 1;
      }
    }
    fmt::print("Cross-script key recall on maghreb_name_variants.csv ({} Latin spellings vs the Arabic form): direct "
               "Arabic key {:.3f}, ICU Arabic-Latin then Latin key {:.3f}\n",
               n, static_cast<double>(direct) / n, static_cast<double>(via_icu) / n);
  }
  std::string line;
  std::uint64_t n = 0, direct = 0, via_icu = 0;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string ar = line.substr(0, tab), lat = line.substr(tab + 1);
    const std::string k = text::CrossScriptKey(lat);
    if (k.empty()) continue;
    ++n;
    direct += text::CrossScriptKey(ar) == k;
    via_icu += IcuKey(*icu, ar) == k;
  }
  fmt::print("Cross-script key recall on google_ar2en.txt ({} pairs, mostly non-Maghrebi names): direct Arabic key {:.3f}, ICU Arabic-Latin then "
             "Latin key {:.3f}\n",
             n, static_cast<double>(direct) / n, static_cast<double>(via_icu) / n);
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  bool synthetic = true, public_sets = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--skip-synthetic") == 0) synthetic = false;
    if (std::strcmp(argv[i], "--synthetic-only") == 0) public_sets = false;
  }
  if (public_sets) {
    CrossScriptRecall();
    Febrl(threads);
    Ncvr(threads);
  }
  if (synthetic) Synthetic(threads);
  return 0;
}
