// Benchmark: fuzzy name search over N synthetic persons (default 1,000,000), NameIndex against PostgreSQL
// 15 pg_trgm (GIN) on the same names, in the same run.
//
//   name_search [--persons N] [--queries Q] [--seed S] [--country MA|DZ] [--threads T]
//               [--pg-thresholds 0.3[,0.2…]] [--no-pg]
//
// Query set (deterministic for a seed), four kinds in equal shares, each with a target record:
//   typo       the target's Latin name (given + family) with one keyboard edit;
//   variant    another transliteration of the target's true given and family names (reference variants),
//              order swapped one time in five;
//   cross      the target holds ONE script only (a duplicate registration with a missing script); the
//              query is the true name in the OTHER script (canonical or a variant spelling);
//   duplicate  the names of a duplicate registration (variants, typos) as typed, in one of its scripts.
// Scope: half the queries are filtered to the target's commune, a quarter to its province, a quarter
// unfiltered. Ground truth: the relevant records of a query are those whose TRUE given and family names
// (the generator's name indices) are the query's, inside the scope; recall@10 = |top-10 ∩ relevant| /
// min(10, |relevant|). The synthetic vocabulary is small (60 given names, 50 surnames), so unfiltered
// queries have thousands of relevant records and their recall@10 is a precision of the top 10; the
// commune-filtered ones have a handful and need every spelling and script of the name.
//
// PostgreSQL gets the same normalisation as the index (text::NameMatchForm: NormalizeArabic / FoldLatin,
// particles fused, phonetic Latin folding), one column per script with its own GIN gin_trgm_ops index,
// b-tree indexes on commune and province, and each query goes to the column of its script:
//   SELECT id FROM person_names WHERE name_lat % $1 [AND commune = $2] ORDER BY similarity(name_lat, $1) DESC LIMIT 10
#include <libpq-fe.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "search/name_index.h"
#include "synth/generator.h"
#include "synth/reference_data.h"
#include "text/names.h"

namespace {

using namespace sanad;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::size_t RssBytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(field)) return std::strtoull(line.c_str() + std::strlen(field), nullptr, 10) * 1024;
  return 0;
}

enum class Kind { kTypo, kVariant, kCross, kDuplicate };
constexpr const char* kKindNames[] = {"typo", "variant", "cross-script", "duplicate"};
enum class Scope { kNone, kProvince, kCommune };
constexpr const char* kScopeNames[] = {"unfiltered", "province", "commune"};

struct Query {
  std::string text;
  Kind kind;
  Scope scope;
  std::string scope_code;  // province prefix or commune code
  std::uint8_t given, family;
  std::uint32_t target;
  std::size_t relevant = 0;  // |relevant set|
};

struct RunResult {
  std::vector<double> latency_ms;
  std::vector<double> recall;
  std::vector<char> target_found;
};

std::string Province(std::string_view commune_code) {
  // MA-01.511.01.01 → MA-01.511 ; DZ-1607 → DZ-16
  if (commune_code.starts_with("DZ-")) return std::string(commune_code.substr(0, 5));
  const auto first = commune_code.find('.');
  const auto second = first == std::string_view::npos ? first : commune_code.find('.', first + 1);
  return std::string(commune_code.substr(0, second));
}

void Summarise(const char* label, const std::vector<Query>& queries, const RunResult& r) {
  auto pct = [](std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
  };
  double recall = 0;
  for (double x : r.recall) recall += x;
  recall /= static_cast<double>(r.recall.size());
  double mean = 0;
  for (double x : r.latency_ms) mean += x;
  mean /= static_cast<double>(r.latency_ms.size());
  std::printf("  %-28s p50 %8.3f ms  p99 %8.3f ms  mean %8.3f ms  recall@10 %.4f\n", label, pct(r.latency_ms, 0.5),
              pct(r.latency_ms, 0.99), mean, recall);
  for (int k = 0; k < 4; ++k) {
    double sum = 0;
    int count = 0, small = 0, found = 0;
    std::vector<double> lat;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (static_cast<int>(queries[i].kind) != k) continue;
      sum += r.recall[i];
      ++count;
      lat.push_back(r.latency_ms[i]);
      if (queries[i].relevant <= 10) {
        ++small;
        found += r.target_found[i];
      }
    }
    std::printf(
        "      %-13s n=%4d  recall@10 %.4f  p50 %7.3f ms  p99 %7.3f ms  target in top-10 (|relevant|<=10): %d/%d\n",
        kKindNames[k], count, count ? sum / count : 0.0, pct(lat, 0.5), pct(lat, 0.99), found, small);
  }
  for (int s = 0; s < 3; ++s) {
    double sum = 0;
    int count = 0;
    std::vector<double> lat;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (static_cast<int>(queries[i].scope) != s) continue;
      sum += r.recall[i];
      ++count;
      lat.push_back(r.latency_ms[i]);
    }
    std::printf("      %-13s n=%4d  recall@10 %.4f  p50 %7.3f ms  p99 %7.3f ms\n", kScopeNames[s], count,
                count ? sum / count : 0.0, pct(lat, 0.5), pct(lat, 0.99));
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
double P99(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, v.size() * 99 / 100)];
}
double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / static_cast<double>(v.size());
}

// --- PostgreSQL -------------------------------------------------------------------------------------

bool Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  if (!ok) std::fprintf(stderr, "postgres: %s\n  in: %s\n", PQerrorMessage(c), sql.c_str());
  PQclear(r);
  return ok;
}

std::string Scalar(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  std::string out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "?";
  PQclear(r);
  return out;
}

void AppendCopyField(std::string& buf, std::string_view s) {
  if (s.empty()) {
    buf += "\\N";
    return;
  }
  for (char ch : s) {
    if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r')
      buf.push_back(' ');
    else
      buf.push_back(ch);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t persons_wanted = 1'000'000;
  std::size_t query_count = 2000;
  std::uint64_t seed = 2026;
  synth::Country country = synth::Country::kMorocco;
  unsigned threads = 0;
  bool run_pg = true;
  std::size_t show_misses = 0;
  std::vector<double> thresholds = {0.3};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--persons" && next)
      persons_wanted = std::atoll(argv[++i]);
    else if (arg == "--queries" && next)
      query_count = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--seed" && next)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--country" && next)
      country = std::strcmp(argv[++i], "DZ") == 0 ? synth::Country::kAlgeria : synth::Country::kMorocco;
    else if (arg == "--threads" && next)
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (arg == "--no-pg")
      run_pg = false;
    else if (arg == "--show-misses" && next)
      show_misses = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--pg-thresholds" && next) {
      thresholds.clear();
      std::stringstream ss(argv[++i]);
      for (std::string t; std::getline(ss, t, ',');) thresholds.push_back(std::atof(t.c_str()));
    } else {
      std::fprintf(stderr,
                   "usage: name_search [--persons N] [--queries Q] [--seed S] [--country MA|DZ] [--threads T] "
                   "[--pg-thresholds 0.3,0.2] [--no-pg]\n");
      return 2;
    }
  }

  // 1. Synthetic registry.
  const auto t0 = Clock::now();
  auto reference = synth::LoadReferenceData(std::filesystem::path(SANAD_SOURCE_ROOT) / "data");
  if (!reference) {
    std::fprintf(stderr, "reference data: %s (%s)\n", reference.error().message.c_str(),
                 reference.error().field.c_str());
    return 1;
  }
  synth::Config config;
  config.country = country;
  config.seed = seed;
  config.households = persons_wanted / 4 + 1000;
  auto registry = synth::Generate(*reference, config);
  while (registry && static_cast<std::int64_t>(registry->PersonCount()) < persons_wanted) {
    config.households = config.households * 5 / 4 + 1000;
    registry = synth::Generate(*reference, config);
  }
  if (!registry) {
    std::fprintf(stderr, "generate: %s\n", registry.error().message.c_str());
    return 1;
  }
  const auto& reg = *registry;
  const auto& ps = reg.persons;
  const std::size_t n = static_cast<std::size_t>(persons_wanted);
  std::size_t duplicates = 0, single_script = 0;
  std::vector<search::PersonNames> people(n);
  for (std::size_t p = 0; p < n; ++p) {
    auto& x = people[p];
    x.id = static_cast<std::int64_t>(p + 1);
    x.given_ar = reg.text.Get(ps.given_name_ar[p]);
    x.family_ar = reg.text.Get(ps.family_name_ar[p]);
    x.given_lat = reg.text.Get(ps.given_name_lat[p]);
    x.family_lat = reg.text.Get(ps.family_name_lat[p]);
    x.commune_code = reg.communes[reg.households.commune[ps.household[p]]].area_code;
    duplicates += ps.true_person[p] != p;
    single_script += x.given_ar.empty() != x.given_lat.empty();
  }
  const auto t1 = Clock::now();
  std::printf(
      "name_search: %s, %zu persons (%zu duplicate registrations, %zu in one script only), seed %llu, %u hardware "
      "threads\n",
      country == synth::Country::kMorocco ? "MA" : "DZ", n, duplicates, single_script,
      static_cast<unsigned long long>(seed), std::thread::hardware_concurrency());
  std::printf("  generate                     %8.2f s\n", Seconds(t1 - t0));

  // 2. Index.
  const std::size_t rss_before = RssBytes("VmRSS:");
  search::NameIndex index;
  const auto b0 = Clock::now();
  index.Build(people, threads);
  const auto b1 = Clock::now();
  const std::size_t rss_after = RssBytes("VmRSS:");
  std::printf("NameIndex build                %8.2f s  (%.0f persons/s)\n", Seconds(b1 - b0),
              static_cast<double>(n) / Seconds(b1 - b0));
  std::printf("NameIndex memory               %8.1f MiB (MemoryBytes), RSS growth %.1f MiB, %.1f bytes/person\n",
              static_cast<double>(index.MemoryBytes()) / 1048576.0,
              static_cast<double>(rss_after > rss_before ? rss_after - rss_before : 0) / 1048576.0,
              static_cast<double>(index.MemoryBytes()) / static_cast<double>(n));

  // 3. Query set with ground truth.
  std::mt19937_64 rng(seed * 7919 + 17);
  auto below = [&](std::size_t m) { return static_cast<std::size_t>(rng() % m); };
  auto pick = [&](const std::vector<std::string>& variants, const std::string& fallback) -> std::string {
    if (variants.empty() || below(3) == 0) return fallback;
    return variants[below(variants.size())];
  };
  auto typo = [&](std::string s) {
    std::vector<std::size_t> pos;
    for (std::size_t i = 1; i < s.size(); ++i)
      if (std::isalpha(static_cast<unsigned char>(s[i]))) pos.push_back(i);
    if (pos.empty()) return s;
    const std::size_t i = pos[below(pos.size())];
    switch (below(4)) {
      case 0:
        s.erase(i, 1);
        break;
      case 1:
        s[i] = static_cast<char>('a' + below(26));
        break;
      case 2:
        if (i + 1 < s.size() && std::isalpha(static_cast<unsigned char>(s[i + 1])))
          std::swap(s[i], s[i + 1]);
        else
          s.insert(i, 1, s[i]);
        break;
      default:
        s.insert(i, 1, s[i]);
        break;
    }
    return s;
  };
  std::vector<std::uint32_t> arabic_only, latin_only, dup_rows;
  for (std::uint32_t p = 0; p < n; ++p) {
    const bool ar = !people[p].given_ar.empty(), lat = !people[p].given_lat.empty();
    if (ar && !lat) arabic_only.push_back(p);
    if (lat && !ar) latin_only.push_back(p);
    if (ps.true_person[p] != p) dup_rows.push_back(p);
  }
  std::vector<Query> queries;
  for (std::size_t qi = 0; qi < query_count; ++qi) {
    Query q{};
    q.kind = static_cast<Kind>(qi % 4);
    std::uint32_t p = static_cast<std::uint32_t>(below(n));
    const bool swap = below(5) == 0;
    auto join = [&](const std::string& g, const std::string& f) { return swap ? f + " " + g : g + " " + f; };
    if (q.kind == Kind::kTypo) {
      while (people[p].given_lat.empty()) p = static_cast<std::uint32_t>(below(n));
      const std::string full = people[p].given_lat + " " + people[p].family_lat;
      q.text = typo(full);
    } else if (q.kind == Kind::kVariant) {
      const auto& g = reference->given_names[ps.given_name[p]];
      const auto& f = reference->surnames[ps.family_name[p]];
      if (below(4) == 0)
        q.text = join(pick(g.arabic_variants, g.arabic), pick(f.arabic_variants, f.arabic));
      else
        q.text = join(pick(g.latin_variants, g.latin), pick(f.latin_variants, f.latin));
    } else if (q.kind == Kind::kCross) {
      const bool want_latin_query = below(2) == 0 ? !arabic_only.empty() : latin_only.empty();
      p = want_latin_query ? arabic_only[below(arabic_only.size())] : latin_only[below(latin_only.size())];
      const auto& g = reference->given_names[ps.given_name[p]];
      const auto& f = reference->surnames[ps.family_name[p]];
      q.text = want_latin_query ? join(pick(g.latin_variants, g.latin), pick(f.latin_variants, f.latin))
                                : join(pick(g.arabic_variants, g.arabic), pick(f.arabic_variants, f.arabic));
    } else {
      p = dup_rows[below(dup_rows.size())];
      const bool arabic = people[p].given_lat.empty() || (!people[p].given_ar.empty() && below(2) == 0);
      q.text = arabic ? join(people[p].given_ar, people[p].family_ar) : join(people[p].given_lat, people[p].family_lat);
    }
    q.target = p;
    q.given = ps.given_name[p];
    q.family = ps.family_name[p];
    const int s = static_cast<int>(below(4));
    q.scope = s < 2 ? Scope::kCommune : s == 2 ? Scope::kProvince : Scope::kNone;
    q.scope_code = q.scope == Scope::kCommune    ? people[p].commune_code
                   : q.scope == Scope::kProvince ? Province(people[p].commune_code)
                                                 : "";
    queries.push_back(std::move(q));
  }
  // Relevant-set sizes.
  {
    std::unordered_map<std::uint32_t, std::size_t> by_name;
    std::unordered_map<std::string, std::size_t> by_scope;
    auto key = [](std::uint8_t g, std::uint8_t f, std::string_view code) {
      return std::to_string(g) + "/" + std::to_string(f) + "/" + std::string(code);
    };
    for (std::size_t p = 0; p < n; ++p) {
      ++by_name[ps.given_name[p] * 256u + ps.family_name[p]];
      ++by_scope[key(ps.given_name[p], ps.family_name[p], people[p].commune_code)];
      ++by_scope[key(ps.given_name[p], ps.family_name[p], Province(people[p].commune_code))];
    }
    for (auto& q : queries)
      q.relevant =
          q.scope == Scope::kNone ? by_name[q.given * 256u + q.family] : by_scope[key(q.given, q.family, q.scope_code)];
  }
  std::size_t small_sets = 0;
  for (const auto& q : queries) small_sets += q.relevant <= 10;
  std::printf(
      "queries                        %zu (typo / variant / cross-script / duplicate: 1/4 each; commune 1/2, "
      "province 1/4, unfiltered 1/4); %zu with <= 10 relevant records\n",
      queries.size(), small_sets);
  for (std::size_t i = 0; i < 8 && i < queries.size(); ++i)
    std::printf("    e.g. [%s, %s %s] \"%s\"  (relevant %zu)\n", kKindNames[static_cast<int>(queries[i].kind)],
                kScopeNames[static_cast<int>(queries[i].scope)], queries[i].scope_code.c_str(), queries[i].text.c_str(),
                queries[i].relevant);

  auto relevant = [&](const Query& q, std::int64_t id) {
    const std::size_t p = static_cast<std::size_t>(id - 1);
    if (ps.given_name[p] != q.given || ps.family_name[p] != q.family) return false;
    const std::string& c = people[p].commune_code;
    return q.scope == Scope::kNone || (q.scope == Scope::kCommune ? c == q.scope_code : c.starts_with(q.scope_code));
  };
  auto score = [&](const Query& q, const std::vector<std::int64_t>& ids, RunResult& r) {
    std::size_t hit = 0;
    bool target = false;
    for (auto id : ids) {
      hit += relevant(q, id);
      target |= static_cast<std::uint32_t>(id - 1) == q.target;
    }
    r.recall.push_back(static_cast<double>(hit) / static_cast<double>(std::min<std::size_t>(10, q.relevant)));
    r.target_found.push_back(target);
  };

  // 4. NameIndex: masks prepared per scope (the registry keeps one per user scope); a warm-up pass.
  std::unordered_map<std::string, std::vector<bool>> masks;
  for (const auto& q : queries)
    if (q.scope != Scope::kNone && !masks.contains(q.scope_code)) {
      const std::vector<std::string> prefixes = {q.scope_code};
      masks[q.scope_code] = index.CommuneMask(prefixes);
    }
  for (const auto& q : queries)
    (void)index.Search(q.text, 10, q.scope == Scope::kNone ? nullptr : &masks[q.scope_code]);
  RunResult ours;
  for (const auto& q : queries) {
    const auto s0 = Clock::now();
    const auto hits = index.Search(q.text, 10, q.scope == Scope::kNone ? nullptr : &masks[q.scope_code]);
    ours.latency_ms.push_back(Millis(Clock::now() - s0));
    std::vector<std::int64_t> ids;
    for (const auto& h : hits) ids.push_back(h.id);
    score(q, ids, ours);
    if (show_misses > 0 && ours.recall.back() < 1.0) {
      --show_misses;
      const auto& t = people[q.target];
      std::printf("  miss [%s] \"%s\" recall %.2f |relevant| %zu; target %s %s / %s %s; got:",
                  kKindNames[static_cast<int>(q.kind)], q.text.c_str(), ours.recall.back(), q.relevant,
                  t.given_ar.c_str(), t.family_ar.c_str(), t.given_lat.c_str(), t.family_lat.c_str());
      for (const auto& h : hits)
        std::printf(" %s%s/%s %s/%s(%.2f)", relevant(q, h.id) ? "+" : "-", people[h.id - 1].given_ar.c_str(),
                    people[h.id - 1].family_ar.c_str(), people[h.id - 1].given_lat.c_str(),
                    people[h.id - 1].family_lat.c_str(), h.score);
      std::printf("\n");
    }
  }
  std::printf("\nresults (top-10, one query at a time, latency measured around each call)\n");
  Summarise("NameIndex", queries, ours);

  // Updates: re-upsert 10,000 persons (names moved to the delta) then search again.
  {
    const auto u0 = Clock::now();
    for (std::size_t i = 0; i < 10'000; ++i) index.Upsert(people[(i * 7919) % n]);
    const double us = Seconds(Clock::now() - u0) * 1e6 / 10'000;
    RunResult after;
    for (const auto& q : queries) {
      const auto s0 = Clock::now();
      const auto hits = index.Search(q.text, 10, q.scope == Scope::kNone ? nullptr : &masks[q.scope_code]);
      after.latency_ms.push_back(Millis(Clock::now() - s0));
      std::vector<std::int64_t> ids;
      for (const auto& h : hits) ids.push_back(h.id);
      score(q, ids, after);
    }
    std::printf(
        "  NameIndex Upsert             %8.1f us each (10,000 persons re-upserted); searching afterwards: "
        "p50 %.3f ms, p99 %.3f ms, recall@10 %.4f\n",
        us, Median(after.latency_ms), P99(after.latency_ms), Mean(after.recall));
  }

  if (!run_pg) {
    std::printf("pg_trgm: skipped (--no-pg)\n");
    return 0;
  }

  // 5. PostgreSQL 15 + pg_trgm on the same names.
  const std::string pg_dir =
      (std::filesystem::temp_directory_path() / ("sanad_name_search_pg_" + std::to_string(getpid()))).string();
  const std::string script = std::string(SANAD_SOURCE_ROOT) + "/scripts/pg-test-server.sh";
  if (std::system((script + " start " + pg_dir + " >/dev/null").c_str()) != 0) {
    std::fprintf(stderr, "could not start PostgreSQL (%s)\n", script.c_str());
    return 1;
  }
  struct Stop {
    std::string cmd;
    ~Stop() { (void)std::system(cmd.c_str()); }
  } stop{script + " stop " + pg_dir};
  std::string url;
  std::ifstream(pg_dir + "/url") >> url;
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::fprintf(stderr, "postgres connect: %s\n", PQerrorMessage(c));
    return 1;
  }
  std::printf("\nPostgreSQL %s (%s), pg_trgm; show_trgm('محمد') = %s\n", Scalar(c, "SHOW server_version").c_str(),
              url.c_str(), (Exec(c, "CREATE EXTENSION pg_trgm"), Scalar(c, "SELECT show_trgm('محمد')::text").c_str()));
  Exec(c, "CREATE TABLE person_names (id bigint NOT NULL, commune text, province text, name_ar text, name_lat text)");
  const auto l0 = Clock::now();
  {
    std::unordered_map<std::string, std::string> cache;
    auto form = [&](const std::string& given, const std::string& family) -> const std::string& {
      std::string full = given + " " + family;
      auto it = cache.find(full);
      if (it == cache.end()) it = cache.emplace(full, text::NameMatchForm(full)).first;
      return it->second;
    };
    PGresult* r = PQexec(c, "COPY person_names FROM STDIN");
    PQclear(r);
    std::string buf;
    for (std::size_t p = 0; p < n; ++p) {
      const auto& x = people[p];
      buf += std::to_string(x.id);
      buf.push_back('\t');
      AppendCopyField(buf, x.commune_code);
      buf.push_back('\t');
      AppendCopyField(buf, Province(x.commune_code));
      buf.push_back('\t');
      AppendCopyField(buf, x.given_ar.empty() && x.family_ar.empty() ? "" : form(x.given_ar, x.family_ar));
      buf.push_back('\t');
      AppendCopyField(buf, x.given_lat.empty() && x.family_lat.empty() ? "" : form(x.given_lat, x.family_lat));
      buf.push_back('\n');
      if (buf.size() > (1 << 20) || p + 1 == n) {
        if (PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) != 1) {
          std::fprintf(stderr, "COPY: %s\n", PQerrorMessage(c));
          return 1;
        }
        buf.clear();
      }
    }
    PQputCopyEnd(c, nullptr);
    r = PQgetResult(c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      std::fprintf(stderr, "COPY: %s\n", PQerrorMessage(c));
      return 1;
    }
    PQclear(r);
  }
  const auto l1 = Clock::now();
  Exec(c, "SET maintenance_work_mem = '2GB'");
  Exec(c, "SET max_parallel_maintenance_workers = 2");
  Exec(c, "CREATE INDEX person_names_ar_trgm ON person_names USING gin (name_ar gin_trgm_ops)");
  Exec(c, "CREATE INDEX person_names_lat_trgm ON person_names USING gin (name_lat gin_trgm_ops)");
  Exec(c, "CREATE INDEX person_names_commune ON person_names (commune)");
  Exec(c, "CREATE INDEX person_names_province ON person_names (province)");
  Exec(c, "VACUUM ANALYZE person_names");
  const auto l2 = Clock::now();
  std::printf(
      "pg load (COPY)                 %8.2f s; indexes (2 GIN gin_trgm_ops + 2 b-tree) + VACUUM ANALYZE %.2f s; "
      "table+indexes %s\n",
      Seconds(l1 - l0), Seconds(l2 - l1),
      Scalar(c, "SELECT pg_size_pretty(pg_total_relation_size('person_names'))").c_str());

  const char* columns[] = {"name_ar", "name_lat"};
  const char* filters[] = {"", " AND province = $2", " AND commune = $2"};
  for (int col = 0; col < 2; ++col)
    for (int f = 0; f < 3; ++f) {
      const std::string name = std::string("q_") + columns[col] + "_" + std::to_string(f);
      const std::string sql = std::string("SELECT id FROM person_names WHERE ") + columns[col] + " % $1" + filters[f] +
                              " ORDER BY similarity(" + columns[col] + ", $1) DESC LIMIT 10";
      PGresult* r = PQprepare(c, name.c_str(), sql.c_str(), f == 0 ? 1 : 2, nullptr);
      if (PQresultStatus(r) != PGRES_COMMAND_OK) std::fprintf(stderr, "prepare: %s\n", PQerrorMessage(c));
      PQclear(r);
    }
  std::vector<std::string> normalised;
  for (const auto& q : queries) normalised.push_back(text::NameMatchForm(q.text));
  auto run_pg_query = [&](std::size_t i) {
    const Query& q = queries[i];
    const int col = text::DetectScript(q.text) == text::Script::kArabic ? 0 : 1;
    const std::string name = std::string("q_") + columns[col] + "_" + std::to_string(static_cast<int>(q.scope));
    const char* params[2] = {normalised[i].c_str(), q.scope_code.c_str()};
    PGresult* r = PQexecPrepared(c, name.c_str(), q.scope == Scope::kNone ? 1 : 2, params, nullptr, nullptr, 0);
    std::vector<std::int64_t> ids;
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
      for (int row = 0; row < PQntuples(r); ++row) ids.push_back(std::atoll(PQgetvalue(r, row, 0)));
    else
      std::fprintf(stderr, "query: %s\n", PQerrorMessage(c));
    PQclear(r);
    return ids;
  };
  for (double threshold : thresholds) {
    Exec(c, "SET pg_trgm.similarity_threshold = " + std::to_string(threshold));
    for (std::size_t i = 0; i < std::min<std::size_t>(200, queries.size()); ++i) (void)run_pg_query(i);  // warm-up
    RunResult pg;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      const auto s0 = Clock::now();
      const auto ids = run_pg_query(i);
      pg.latency_ms.push_back(Millis(Clock::now() - s0));
      score(queries[i], ids, pg);
    }
    char label[64];
    std::snprintf(label, sizeof label, "pg_trgm (threshold %.2f)", threshold);
    std::printf("\n");
    Summarise("NameIndex", queries, ours);
    Summarise(label, queries, pg);
    std::printf(
        "  ratio pg_trgm/NameIndex: p50 %.1fx, p99 %.1fx, mean %.1fx faster; recall@10 %.4f vs %.4f "
        "(goal: >= 10x faster, recall at least as high) -> %s\n",
        Median(pg.latency_ms) / Median(ours.latency_ms), P99(pg.latency_ms) / P99(ours.latency_ms),
        Mean(pg.latency_ms) / Mean(ours.latency_ms), Mean(ours.recall), Mean(pg.recall),
        Median(pg.latency_ms) / Median(ours.latency_ms) >= 10 && Mean(ours.recall) >= Mean(pg.recall) ? "met"
                                                                                                      : "NOT met");
  }
  PQfinish(c);
  std::printf("peak RSS %.1f MiB\n", static_cast<double>(RssBytes("VmHWM:")) / 1048576.0);
  return 0;
}
