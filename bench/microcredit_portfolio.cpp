// Benchmark (not a test): the nightly ageing of a micro-credit portfolio and its portfolio-at-risk
// report by wilaya, through the product's code (MicrocreditStore::Portfolio's read from PostgreSQL →
// AgeLoans → Quality, what Lifecycle::Portfolio and GET /api/v1/microcredit/portfolio run), against
// the same computation as one SQL statement inside PostgreSQL (microcredit_portfolio_sql.h), on the
// same synthetic portfolio. Prints the time of each phase (wall and CPU), both totals, whether every
// figure of every wilaya is equal, and the ratio. bench/microcredit_portfolio.sh starts the server.
//   microcredit_portfolio --postgres URL [--loans 1000000] [--as-of 2026-06-30] [--load | --load-only]
// --load (re)generates the portfolio first (not timed as the figure; its time is printed); --load-only
// generates it and stops.
#include <dirent.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "db/database.h"
#include "db/row.h"
#include "microcredit/microcredit_store.h"
#include "microcredit/portfolio.h"
#include "microcredit_portfolio_sql.h"

namespace {

using sanad::Result;
using sanad::microcredit::QualityFigures;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from) { return std::chrono::duration<double>(Clock::now() - from).count(); }

// CPU seconds (user + system) of this process.
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

// CPU seconds of the PostgreSQL server, from /proc: the server runs on this machine (as in
// asd_cycle.cpp). 0 when it cannot be read.
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
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr || n == 0) return st;
  std::sscanf(p + 2, "%*c %llu %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu", &st.ppid, &st.utime, &st.stime,
              &st.cutime, &st.cstime);
  return st;
}
// Every process of the server: its backends (the engine's read uses two connections) and what it reaped.
double PostgresCpuSeconds(unsigned long long backend) {
  const unsigned long long postmaster = ReadProcStat(backend).ppid;
  const ProcStat server = ReadProcStat(postmaster);
  unsigned long long ticks = server.cutime + server.cstime;
  if (DIR* proc = opendir("/proc")) {
    while (const dirent* e = readdir(proc)) {
      const unsigned long long pid = std::strtoull(e->d_name, nullptr, 10);
      if (pid == 0) continue;
      const ProcStat st = ReadProcStat(pid);
      if (st.ppid == postmaster) ticks += st.utime + st.stime;
    }
    closedir(proc);
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

unsigned long long BackendPid(sanad::db::Database& db) {
  auto s = db.Acquire();
  long long pid = 0;
  s.sql() << "SELECT pg_backend_pid()", soci::into(pid);
  return static_cast<unsigned long long>(pid);
}

std::string Load() {
  char buf[64] = {};
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (f != nullptr) {
    if (std::fgets(buf, sizeof buf, f) == nullptr) buf[0] = 0;
    std::fclose(f);
  }
  std::string s(buf);
  const auto cut = s.find(' ', s.find(' ', s.find(' ') + 1) + 1);
  return s.substr(0, cut);
}

using ByGroup = std::map<std::string, QualityFigures>;

// Every integer figure of Quality, in the column order of kPortfolioSql.
std::vector<std::int64_t> Figures(const QualityFigures& q) {
  std::vector<std::int64_t> v{q.loans,         q.active_loans,        q.disbursed_minor,  q.outstanding_minor,
                              q.overdue_minor, q.par1_minor,          q.par30_minor,      q.par90_minor,
                              q.due_minor,     q.repaid_on_due_minor, q.written_off_minor};
  v.insert(v.end(), q.bucket_loans.begin(), q.bucket_loans.end());
  v.insert(v.end(), q.bucket_outstanding_minor.begin(), q.bucket_outstanding_minor.end());
  return v;
}

constexpr const char* kFigureNames[] = {"loans",
                                        "active_loans",
                                        "disbursed_minor",
                                        "outstanding_minor",
                                        "overdue_minor",
                                        "par1_minor",
                                        "par30_minor",
                                        "par90_minor",
                                        "due_minor",
                                        "repaid_on_due_minor",
                                        "written_off_minor",
                                        "bucket_loans[0]",
                                        "bucket_loans[1]",
                                        "bucket_loans[2]",
                                        "bucket_loans[3]",
                                        "bucket_loans[4]",
                                        "bucket_loans[5]",
                                        "bucket_outstanding[0]",
                                        "bucket_outstanding[1]",
                                        "bucket_outstanding[2]",
                                        "bucket_outstanding[3]",
                                        "bucket_outstanding[4]",
                                        "bucket_outstanding[5]"};

struct Phase {
  double wall = 0, cpu = 0;
};

struct EngineRun {
  ByGroup groups;
  QualityFigures total;
  Phase read, age, quality, all;
  double server_cpu = 0;  // PostgreSQL's CPU during the read
  std::size_t instalments = 0, repayments = 0;
};

Result<EngineRun> Engine(const std::string& url, const std::string& as_of) {
  // Three connections (the server's pool has 8): the store reads the loans with their packed schedules and
  // the two halves of the repayments at once.
  auto db = sanad::db::Database::Open(url, 3);
  if (!db) return std::unexpected(db.error());
  const auto backend = BackendPid(**db);
  sanad::microcredit::MicrocreditStore store(**db);
  EngineRun run;
  const double server_before = PostgresCpuSeconds(backend);
  const double cpu0 = CpuSeconds();
  const auto t0 = Clock::now();
  // National scope (the nightly run sees the whole portfolio), dated the day of the report.
  auto data =
      store.Portfolio(sanad::microcredit::Scope{std::nullopt, as_of}, as_of, sanad::microcredit::GroupBy::kWilaya);
  if (!data) return std::unexpected(data.error());
  run.read = {Seconds(t0), CpuSeconds() - cpu0};
  run.server_cpu = PostgresCpuSeconds(backend) - server_before;
  const auto t1 = Clock::now();
  const double cpu1 = CpuSeconds();
  const int year = std::stoi(as_of.substr(0, 4));
  const auto day = sanad::microcredit::DayOf(year, static_cast<unsigned>(std::stoi(as_of.substr(5, 2))),
                                             static_cast<unsigned>(std::stoi(as_of.substr(8, 2))));
  const auto ageing = sanad::microcredit::AgeLoans(data->columns, day);
  run.age = {Seconds(t1), CpuSeconds() - cpu1};
  const auto t2 = Clock::now();
  const double cpu2 = CpuSeconds();
  const auto figures = sanad::microcredit::Quality(data->columns, ageing, data->group_names.size());
  for (std::size_t g = 0; g < figures.size(); ++g) {
    run.groups[data->group_names[g]] = figures[g];
    run.total += figures[g];
  }
  run.quality = {Seconds(t2), CpuSeconds() - cpu2};
  run.all = {Seconds(t0), CpuSeconds() - cpu0};
  run.instalments = data->columns.due_on.size();
  run.repayments = data->columns.repayment_loan.size();
  return run;
}

struct SqlRun {
  ByGroup groups;
  QualityFigures total;
  Phase phase;
  double server_cpu = 0;
};

Result<SqlRun> Sql(const std::string& url, const std::string& as_of, const std::string& work_mem) {
  auto db = sanad::db::Database::Open(url, 1);
  if (!db) return std::unexpected(db.error());
  const auto backend = BackendPid(**db);
  auto s = (*db)->Acquire();
  return sanad::db::Guard([&]() -> Result<SqlRun> {
    // Memory for the sorts and hashes of one statement, as a server sized for this report would have
    // (the default 4 MB spills the 36 M-row window to disk).
    s.sql() << "SET work_mem = '" + work_mem + "'";
    SqlRun run;
    const double server_before = PostgresCpuSeconds(backend);
    const double cpu0 = CpuSeconds();
    const auto t0 = Clock::now();
    std::vector<std::string> dates(6, as_of);
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(sanad::bench::kPortfolioSql);
    for (std::size_t i = 0; i < dates.size(); ++i) st.exchange(soci::use(dates[i], fmt::format("d{}", i + 1)));
    soci::row r;
    st.exchange(soci::into(r));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
      QualityFigures q;
      std::vector<std::int64_t*> fields{
          &q.loans,         &q.active_loans,        &q.disbursed_minor,  &q.outstanding_minor,
          &q.overdue_minor, &q.par1_minor,          &q.par30_minor,      &q.par90_minor,
          &q.due_minor,     &q.repaid_on_due_minor, &q.written_off_minor};
      for (auto& b : q.bucket_loans) fields.push_back(&b);
      for (auto& b : q.bucket_outstanding_minor) fields.push_back(&b);
      for (std::size_t i = 0; i < fields.size(); ++i) *fields[i] = sanad::db::RowInt(r, i + 1);
      run.groups[sanad::db::RowOptStr(r, 0).value_or("")] = q;
      run.total += q;
    }
    run.phase = {Seconds(t0), CpuSeconds() - cpu0};
    run.server_cpu = PostgresCpuSeconds(backend) - server_before;
    return run;
  });
}

// Generates the portfolio (bench/microcredit_portfolio_sql.h) and refreshes the planner's statistics
// and the visibility map, as a database in service would have them.
sanad::Status Generate(const std::string& url, long long loans, const std::string& as_of) {
  auto db = sanad::db::Database::Open(url, 1);
  if (!db) return std::unexpected(db.error());
  auto s = (*db)->Acquire();
  return sanad::db::Guard([&]() -> sanad::Status {
    for (const char* step : sanad::bench::kLoadSteps) {
      const auto t = Clock::now();
      const std::string sql = fmt::format(fmt::runtime(step), loans, as_of);
      s.sql() << sql;
      const double took = Seconds(t);
      if (took > 5) {
        std::string head = sql.substr(sql.find_first_not_of(" \n"), 60);
        std::replace(head.begin(), head.end(), '\n', ' ');
        fmt::print(stderr, "  load step {:.0f} s: {}…\n", took, head);
      }
    }
    s.sql() << "VACUUM ANALYZE microcredit_loans";
    s.sql() << "VACUUM ANALYZE microcredit_instalments";
    s.sql() << "VACUUM ANALYZE microcredit_repayments";
    return sanad::Ok();
  });
}

// Compares every figure of every group; prints the differences (at most 20).
bool Same(const ByGroup& engine, const ByGroup& sql) {
  int shown = 0;
  bool same = engine.size() == sql.size();
  if (!same) fmt::print("groups differ: engine {}, SQL {}\n", engine.size(), sql.size());
  for (const auto& [g, q] : engine) {
    const auto it = sql.find(g);
    if (it == sql.end()) {
      same = false;
      if (shown++ < 20) fmt::print("{}: missing from the SQL\n", g);
      continue;
    }
    const auto a = Figures(q), b = Figures(it->second);
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i] == b[i]) continue;
      same = false;
      if (shown++ < 20) fmt::print("{} {}: engine {} SQL {}\n", g, kFigureNames[i], a[i], b[i]);
    }
  }
  return same;
}

std::string Pct(double r) { return fmt::format("{:.2f} %", 100 * r); }

}  // namespace

int main(int argc, char** argv) {
  std::string postgres, as_of = "2026-06-30", work_mem = "1GB";
  long long loans = 1'000'000;
  bool load = false, load_only = false, skip_sql = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const std::string value = i + 1 < argc ? argv[i + 1] : "";
    if (flag == "--engine-only") {  // profiling the engine's path: no comparator
      skip_sql = true;
      continue;
    }
    if (flag == "--load" || flag == "--load-only") {
      load = true;
      load_only = flag == "--load-only";
      continue;
    }
    if (flag == "--postgres") postgres = value;
    if (flag == "--as-of") as_of = value;
    if (flag == "--loans") loans = std::stoll(value);
    if (flag == "--work-mem") work_mem = value;
    ++i;
  }
  if (postgres.empty() || as_of.size() != 10) {
    std::fprintf(stderr,
                 "usage: microcredit_portfolio --postgres URL [--loans N] [--as-of YYYY-MM-DD] [--load] "
                 "[--work-mem 1GB]\n");
    return 2;
  }
  if (load) {
    const auto t = Clock::now();
    auto made = Generate(postgres, loans, as_of);
    if (!made) {
      fmt::print(stderr, "load: {} {}\n", made.error().reason, made.error().message);
      return 1;
    }
    fmt::print("portfolio generated in PostgreSQL: {} loans × 36 instalments in {:.0f} s (not the figure)\n", loans,
               Seconds(t));
    if (load_only) return 0;
  }
  const std::string load_before = Load();
  auto engine = Engine(postgres, as_of);
  if (!engine) {
    fmt::print(stderr, "engine: {} {}\n", engine.error().reason, engine.error().message);
    return 1;
  }
  const auto& e = *engine;
  fmt::print("engine: {} loans, {} instalments, {} sums of repayments up to {}\n", e.total.loans, e.instalments,
             e.repayments, as_of);
  fmt::print("  read (MicrocreditStore::Portfolio, COPY)  {:6.2f} s wall {:6.2f} s CPU (+ PostgreSQL {:.2f} s CPU)\n",
             e.read.wall, e.read.cpu, e.server_cpu);
  fmt::print("  ageing (AgeLoans)                          {:6.2f} s wall {:6.2f} s CPU\n", e.age.wall, e.age.cpu);
  fmt::print("  PAR by wilaya (Quality)                    {:6.2f} s wall {:6.2f} s CPU\n", e.quality.wall,
             e.quality.cpu);
  fmt::print("  written: nothing (the ageing is computed on demand, not persisted per loan)\n");
  fmt::print("  total                                      {:6.2f} s wall {:6.2f} s CPU, peak RSS {} MiB\n", e.all.wall,
             e.all.cpu, PeakRssMiB());
  if (skip_sql) return 0;
  auto sql = Sql(postgres, as_of, work_mem);
  if (!sql) {
    fmt::print(stderr, "postgres: {} {}\n", sql.error().reason, sql.error().message);
    return 1;
  }
  fmt::print("SQL in PostgreSQL (window functions, work_mem {}): {:.2f} s wall, PostgreSQL {:.2f} s CPU\n", work_mem,
             sql->phase.wall, sql->server_cpu);
  const bool same = Same(e.groups, sql->groups);
  const auto& t = e.total;
  fmt::print(
      "portfolio: outstanding {:.2f} DA, PAR1 {}, PAR30 {}, PAR90 {}, arrears rate {}, written off {:.2f} DA; "
      "{} wilayas\n",
      static_cast<double>(t.outstanding_minor) / 100, Pct(t.Par1()), Pct(t.Par30()), Pct(t.Par90()),
      Pct(t.ArrearsRate()), static_cast<double>(t.written_off_minor) / 100, e.groups.size());
  const double engine_cpu = e.all.cpu + e.server_cpu;
  fmt::print(
      "microcredit_portfolio loans={} engine={:.2f} s engine_cpu={:.2f} s (client {:.2f} + server {:.2f}) "
      "postgres_sql={:.2f} s postgres_cpu={:.2f} s ratio={:.2f}x cpu_ratio={:.2f}x same_figures={} load={} "
      "goal: engine <= 10 s at 1 M loans, ratio >= 5x\n",
      t.loans, e.all.wall, engine_cpu, e.all.cpu, e.server_cpu, sql->phase.wall, sql->server_cpu,
      sql->phase.wall / e.all.wall, engine_cpu > 0 ? sql->server_cpu / engine_cpu : 0.0, same ? "yes" : "NO",
      load_before);
  return same ? 0 : 3;
}
