// Benchmark (not a test): a full ASD run — every household scored anew, then the cycle: load as of the
// cut-off → eligibility → entitlements → cycle entries with their snapshot — through src/targeting and
// src/cycles on SQLite, against the same computation written as set-based SQL inside PostgreSQL (one
// INSERT … SELECT for the scores, asd_score_sql.h, and one for the cycle, asd_cycle_sql.h) on the same
// registry. Prints each side's scoring, cycle and total times, the ratios and the peak memory.
// bench/asd_cycle.sh makes the registries.
//   asd_cycle --sqlite URL --postgres URL [--period 2026-09] [--model FILE] [--chunk 2048]
//             [--read-ahead on|off]
// (--read-ahead off: the registry read on the generating connection, between the chunks' evaluations,
// as before the read-ahead; to compare the two in one session.)
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "asd_cycle_sql.h"
#include "asd_score_sql.h"
#include "core/time.h"
#include "cycles/compute_cycle.h"
#include "cycles/cycle_store.h"
#include "db/database.h"
#include "db/row.h"
#include "programs/templates.h"
#include "targeting/score_run.h"

namespace {

using sanad::Result;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from) { return std::chrono::duration<double>(Clock::now() - from).count(); }

// CPU seconds (user + system) this process has used: on a shared machine the wall time also counts
// the waits for a core.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

long PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

struct Totals {
  long long considered = 0, eligible = 0, total_minor = 0, one_off_minor = 0;
};

// A fresh draft cycle of ASD for the period, committed before the timing starts (an earlier run's cycle
// and entries are removed first: deleting them is not part of the computation).
long long NewCycle(sanad::db::Session& s, const std::string& period, const std::string& cut_off) {
  s.sql() << "DELETE FROM cycle_entries WHERE cycle_id IN (SELECT id FROM programme_cycles WHERE programme = 'ASD' "
             "AND period = :p)",
      soci::use(period);
  s.sql() << "DELETE FROM programme_cycles WHERE programme = 'ASD' AND period = :p", soci::use(period);
  s.sql() << "INSERT INTO programme_cycles (programme, period, cut_off, state, currency, programme_digest, "
             "generated_at, generated_by) VALUES ('ASD', :p, :c, 'draft', 'MAD', 'bench', :g, 'bench')",
      soci::use(period), soci::use(cut_off), soci::use(cut_off);
  long long id = 0;
  s.sql() << "SELECT id FROM programme_cycles WHERE programme = 'ASD' AND period = :p", soci::use(period),
      soci::into(id);
  return id;
}

Totals Written(sanad::db::Session& s, long long cycle) {
  Totals t;
  sanad::db::EachRow(
      s.sql(),
      "SELECT COUNT(*), SUM(eligible), SUM(amount_minor), SUM(one_off_minor) FROM cycle_entries WHERE cycle_id = :c",
      [&](soci::statement& st) { st.exchange(soci::use(cycle)); },
      [&](const soci::row& r) {
        t.considered = sanad::db::RowInt(r, 0);
        t.eligible = sanad::db::RowOptInt(r, 1).value_or(0);
        t.total_minor = sanad::db::RowOptInt(r, 2).value_or(0);
        t.one_off_minor = sanad::db::RowOptInt(r, 3).value_or(0);
      });
  return t;
}

void Print(const char* what, const Totals& t, double seconds) {
  fmt::print("{}: {} households, {} eligible, monthly {:.2f} MAD, one-off {:.2f} MAD, {:.2f} s\n", what, t.considered,
             t.eligible, static_cast<double>(t.total_minor) / 100, static_cast<double>(t.one_off_minor) / 100, seconds);
}

// The scores written: how many, how many at or under ASD's threshold, and their sum (both sides compute
// each score in the same order of operations; the sums are compared to a relative 1e-9, as the two
// databases add 5,000,000 doubles in different orders).
struct Scores {
  long long count = 0, under_asd = 0;
  double sum = 0;
};

Scores ScoresWritten(sanad::db::Session& s) {
  Scores out;
  sanad::db::EachRow(
      s.sql(), "SELECT COUNT(*), COUNT(CASE WHEN score <= 9.743001 THEN 1 END), SUM(score) FROM household_scores",
      [](soci::statement&) {},
      [&](const soci::row& r) {
        out.count = sanad::db::RowInt(r, 0);
        out.under_asd = sanad::db::RowInt(r, 1);
        if (r.get_indicator(2) != soci::i_null) out.sum = sanad::db::RowDouble(r, 2);
      });
  return out;
}

void PrintScores(const char* what, const Scores& sc, double seconds, double cpu) {
  fmt::print("{}: {} households scored anew, {} at or under 9.743001, sum {:.6f}, {:.2f} s ({:.2f} s CPU)\n", what,
             sc.count, sc.under_asd, sc.sum, seconds, cpu);
}

struct Timed {
  Totals totals;
  Scores scores;
  double score_seconds = 0, score_cpu = 0;  // scoring every household anew, wall and CPU
  double seconds = 0;                       // the cycle, wall
  double cpu = 0;                           // its CPU (user + system of this process over the same span)
};

// The engine: ComputeCycleEntries in one transaction, with a second connection for its read-ahead
// (as the server's pool has).
Result<Timed> Engine(const std::string& url, const std::string& period, const std::string& cut_off, std::size_t chunk,
                     bool read_ahead, const sanad::targeting::Model& model) {
  auto db = sanad::db::Database::Open(url, 3);  // the caller's connection and the scoring's two reads ahead
  if (!db) return std::unexpected(db.error());
  auto s = (*db)->Acquire();
  return sanad::db::Guard([&]() -> Result<Timed> {
    const long long cycle = NewCycle(s, period, cut_off);
    Timed out;
    // Every household scored anew, as of the period's first day and at the cut-off (so the scores are
    // in force for the cycle): `sanad score`'s run. The scores of an earlier run are removed first, not
    // timed.
    s.sql() << "DELETE FROM household_scores";
    sanad::targeting::ScoreStore store(**db);
    const double score_cpu_before = CpuSeconds();
    const auto score_start = Clock::now();
    auto scored = sanad::targeting::ScoreAll(store, model, {period + "-01", cut_off, 5000});
    if (!scored) return std::unexpected(scored.error());
    out.score_seconds = Seconds(score_start);
    out.score_cpu = CpuSeconds() - score_cpu_before;
    out.scores = ScoresWritten(s);
    const double cpu_before = CpuSeconds();
    const auto start = Clock::now();
    sanad::db::Transaction tx(s);
    sanad::cycles::CycleRun run{cycle, period, cut_off, {}, chunk, read_ahead};
    auto totals = sanad::cycles::ComputeCycleEntries(s, *sanad::programs::FindBuiltin("ASD"), run);
    if (!totals) return std::unexpected(totals.error());
    // The cycle row keeps its totals and its scores' model, which the entries then leave out (as the
    // comparator does): the generation job's own call.
    if (auto st = sanad::cycles::CycleStore(**db).SetTotals(s, cycle, *totals); !st) return std::unexpected(st.error());
    const auto committing = Clock::now();
    const double cpu_committing = CpuSeconds();
    tx.Commit();
    fmt::print(stderr,
               "engine CPU: read {:.2f} s ({}), evaluate {:.2f} s ({:.2f} s of it on the reading thread), write {:.2f} "
               "s, commit {:.2f} s ({:.2f} s wall); waited {:.2f} s for chunks\n",
               totals->read_cpu, totals->read_ahead ? "ahead, on a second connection" : "inline", totals->evaluate_cpu,
               totals->evaluate_ahead_cpu, totals->write_cpu, CpuSeconds() - cpu_committing, Seconds(committing),
               totals->read_wait);
    out.seconds = Seconds(start);
    out.cpu = CpuSeconds() - cpu_before;
    out.totals = {totals->considered, totals->eligible, totals->total_minor, totals->one_off_total_minor};
    return out;
  });
}

// The comparator: one INSERT … SELECT in PostgreSQL.
// The CPU seconds (user + system) PostgreSQL spent: the backend that runs the comparator's statement,
// plus the processes of the server that ended meanwhile (parallel query workers, which the postmaster
// reaps), read from /proc: the server runs on this machine. 0 when it cannot be read.
struct ProcStat {
  unsigned long long utime = 0, stime = 0, cutime = 0, cstime = 0, ppid = 0;
};
ProcStat ReadProcStat(unsigned long long pid) {
  ProcStat st;
  std::FILE* f = std::fopen(fmt::format("/proc/{}/stat", pid).c_str(), "r");
  if (f == nullptr) return st;
  char buf[1024] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  // The fields after the command's closing parenthesis: state (3), ppid (4), …, utime (14), stime (15),
  // cutime (16), cstime (17).
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr || n == 0) return st;
  std::sscanf(p + 2, "%*c %llu %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu", &st.ppid, &st.utime, &st.stime,
              &st.cutime, &st.cstime);
  return st;
}
double PostgresCpuSeconds(unsigned long long backend) {
  const ProcStat b = ReadProcStat(backend);
  const ProcStat server = ReadProcStat(b.ppid);
  return static_cast<double>(b.utime + b.stime + server.cutime + server.cstime) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

Result<Timed> Sql(const std::string& url, const std::string& period, const std::string& cut_off,
                  const sanad::targeting::Model& model) {
  auto db = sanad::db::Database::Open(url, 1);
  if (!db) return std::unexpected(db.error());
  auto s = (*db)->Acquire();
  return sanad::db::Guard([&]() -> Result<Timed> {
    long long cycle = NewCycle(s, period, cut_off);
    Timed out;
    // The scores of an earlier run removed, and statistics for the planner, as a freshly loaded database
    // would not have them yet (not timed).
    s.sql() << "TRUNCATE household_scores";
    s.sql() << "ANALYZE";
    long long backend = 0;
    s.sql() << "SELECT pg_backend_pid()", soci::into(backend);
    const double score_cpu_before = PostgresCpuSeconds(static_cast<unsigned long long>(backend));
    const auto score_start = Clock::now();
    {
      // Every household scored anew in one statement, then the new scores' statistics (a PostgreSQL user
      // runs ANALYZE after a bulk load; the cycle's plan depends on them): timed.
      sanad::db::Transaction tx(s);
      const std::string as_of = period + "-01";
      s.sql() << sanad::bench::ScoreSql(model, as_of), soci::use(model.name, "model"),
          soci::use(model.version, "version"), soci::use(as_of, "scored_on"), soci::use(cut_off, "scored_at");
      tx.Commit();
      s.sql() << "ANALYZE household_scores";
    }
    out.score_seconds = Seconds(score_start);
    out.score_cpu = PostgresCpuSeconds(static_cast<unsigned long long>(backend)) - score_cpu_before;
    out.scores = ScoresWritten(s);
    const double cpu_before = PostgresCpuSeconds(static_cast<unsigned long long>(backend));
    const auto start = Clock::now();
    sanad::db::Transaction tx(s);
    const std::string day = period + "-01";
    int september = period.substr(5, 2) == "09" ? 1 : 0;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(sanad::bench::kAsdCycleSql);
    const char* cuts[] = {"cut1", "cut2", "cut3", "cut4", "cut5", "cut6", "cut7", "cut8", "cut9"};
    for (const char* name : cuts) st.exchange(soci::use(cut_off, name));
    for (const char* name : {"day1", "day2", "day3"}) st.exchange(soci::use(day, name));
    st.exchange(soci::use(cycle, "cycle"));
    st.exchange(soci::use(cycle, "cycle2"));
    st.exchange(soci::use(september, "sept"));
    st.exchange(soci::use(september, "sept2"));
    st.define_and_bind();
    st.execute(true);
    tx.Commit();
    out.seconds = Seconds(start);
    out.cpu = PostgresCpuSeconds(static_cast<unsigned long long>(backend)) - cpu_before;
    out.totals = Written(s, cycle);
    return out;
  });
}

}  // namespace

int main(int argc, char** argv) {
  std::string sqlite, postgres, period = "2026-09", model_file = "data/models/rsu-illustrative-2026.json";
  std::size_t chunk = sanad::cycles::kDefaultChunk;
  bool read_ahead = true;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--sqlite") sqlite = value;
    if (flag == "--postgres") postgres = value;
    if (flag == "--period") period = value;
    if (flag == "--model") model_file = value;
    if (flag == "--chunk") chunk = std::stoul(value);
    if (flag == "--read-ahead") read_ahead = value != "off";
  }
  if (sqlite.empty()) {
    std::fprintf(stderr,
                 "usage: asd_cycle --sqlite URL [--postgres URL] [--period YYYY-MM] [--model FILE] [--chunk N] "
                 "[--read-ahead on|off]\n");
    return 2;
  }
  auto model = sanad::targeting::LoadModel(model_file);
  if (!model) {
    fmt::print(stderr, "model: {} {}\n", model.error().reason, model.error().message);
    return 2;
  }
  const std::string cut_off = sanad::FormatTimestamp(std::chrono::system_clock::now());
  auto engine = Engine(sqlite, period, cut_off, chunk, read_ahead, *model);
  if (!engine) {
    fmt::print(stderr, "engine: {} {}\n", engine.error().reason, engine.error().message);
    return 1;
  }
  PrintScores("engine (src/targeting, SQLite)", engine->scores, engine->score_seconds, engine->score_cpu);
  Print("engine (src/cycles, SQLite)", engine->totals, engine->seconds);
  const long rss = PeakRssMiB();
  const double engine_total = engine->score_seconds + engine->seconds;
  if (postgres.empty()) {
    fmt::print(
        "asd_cycle households={} engine_score={:.2f} s engine_cycle={:.2f} s engine_total={:.2f} s "
        "engine_cpu={:.2f} s peak_rss={} MiB goal=15 s\n",
        engine->totals.considered, engine->score_seconds, engine->seconds, engine_total,
        engine->score_cpu + engine->cpu, rss);
    return 0;
  }
  auto sql = Sql(postgres, period, cut_off, *model);
  if (!sql) {
    fmt::print(stderr, "postgres: {} {}\n", sql.error().reason, sql.error().message);
    return 1;
  }
  PrintScores("set-based SQL (PostgreSQL)", sql->scores, sql->score_seconds, sql->score_cpu);
  Print("set-based SQL (PostgreSQL)", sql->totals, sql->seconds);
  const bool same_scores = engine->scores.count == sql->scores.count &&
                           engine->scores.under_asd == sql->scores.under_asd &&
                           std::abs(engine->scores.sum - sql->scores.sum) <= 1e-9 * std::abs(sql->scores.sum);
  const bool same = engine->totals.considered == sql->totals.considered &&
                    engine->totals.eligible == sql->totals.eligible &&
                    engine->totals.total_minor == sql->totals.total_minor &&
                    engine->totals.one_off_minor == sql->totals.one_off_minor;
  const double sql_total = sql->score_seconds + sql->seconds;
  const double engine_cpu = engine->score_cpu + engine->cpu, sql_cpu = sql->score_cpu + sql->cpu;
  fmt::print(
      "asd_cycle households={} score: engine_sqlite={:.2f} s postgres_sql={:.2f} s ratio={:.2f}x; cycle: "
      "engine_sqlite={:.2f} s postgres_sql={:.2f} s ratio={:.2f}x; whole run: engine_sqlite={:.2f} s "
      "engine_cpu={:.2f} s postgres_sql={:.2f} s postgres_cpu={:.2f} s ratio={:.2f}x cpu_ratio={:.2f}x "
      "peak_rss={} MiB same_scores={} same_totals={} goal: whole run <= 15 s at 5 M, ratio >= 5x\n",
      engine->totals.considered, engine->score_seconds, sql->score_seconds, sql->score_seconds / engine->score_seconds,
      engine->seconds, sql->seconds, sql->seconds / engine->seconds, engine_total, engine_cpu, sql_total, sql_cpu,
      sql_total / engine_total, sql_cpu / engine_cpu, rss, same_scores ? "yes" : "NO", same ? "yes" : "NO");
  return same && same_scores ? 0 : 3;
}
