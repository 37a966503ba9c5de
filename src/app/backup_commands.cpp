// sanad backup, sanad restore, sanad migrate-data: the operator's side of db/backup.h and
// db/backup_transfer.h. Each ends by printing every table's row count; restore and migrate-data also
// verify the audit chain of the database they wrote.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <cstdio>
#include <iostream>

#include "app/cli_errors.h"
#include "app/commands.h"
#include "app/platform.h"
#include "audit/verify_report.h"
#include "db/backup.h"
#include "db/backup_transfer.h"
#include "db/migrations.h"

namespace sanad::app {

namespace {

[[noreturn]] void Die(const Error& e, int code = 1) {
  spdlog::error("{}", CliErrorText(e));
  std::exit(code);
}

void PrintCounts(const std::vector<db::TableCount>& tables) {
  long long total = 0;
  std::cout << fmt::format("  {:<32} {:>12}\n", "table", "rows");
  for (const auto& t : tables) {
    std::cout << fmt::format("  {:<32} {:>12}\n", t.table, t.rows);
    total += t.rows;
  }
  std::cout << fmt::format("  {:<32} {:>12}\n", "(all tables)", total);
}

// Opens `url` without migrating it (a restored or copied database is checked as it is), prints its
// row counts and verifies its audit chain. Exits 1 when the chain is broken.
void CountAndVerify(const std::string& url, const std::vector<db::TableCount>* expected) {
  auto p = OpenPlatform({url, DefaultDataDir(), 1, false});
  if (!p) Die(p.error());
  std::vector<db::TableCount> counts;
  {
    auto s = (*p)->db->Acquire();
    auto c = db::CountTableRows(s.sql(), (*p)->db->dialect());
    if (!c) Die(c.error());
    counts = std::move(*c);
  }
  PrintCounts(counts);
  if (expected && *expected != counts) {
    spdlog::error("row counts of {} differ from the source's", (*p)->db->url().display);
    std::exit(1);
  }
  auto report = (*p)->audit->Verify();
  if (!report) Die(report.error());
  if (report->first_broken_id) {
    std::cout << "audit chain BROKEN at entry " << *report->first_broken_id << ": "
              << audit::VerifyReasonText(*report, i18n::Lang::kEn) << "\n";
    std::exit(1);
  }
  std::cout << "audit chain intact: " << report->checked << " entries verified\n";
}

// Opening the platform folds the audit spool of a SQLite database (audit entries of reads made durable
// beside the database but not yet in its chain), so that a copy of the database holds every durable
// entry. Nothing to do on PostgreSQL.
void FoldAuditSpool(const std::string& url) {
  auto p = OpenPlatform({url, DefaultDataDir(), 1, false});
  if (!p) Die(p.error());
}

void RegisterBackup(CLI::App& root) {
  struct Options {
    std::string db = "sqlite:var/sanad.db";
    std::string out;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = root.add_subcommand("backup", "Write a consistent backup of a running database to a file");
  cmd->add_option("--db", o->db, "Database URL")->capture_default_str();
  cmd->add_option("--out", o->out, "Backup file to create (SQLite: a database file; PostgreSQL: a pg_dump -Fc archive)")
      ->required();
  cmd->callback([o] {
    auto url = db::ParseDatabaseUrl(o->db);
    if (!url) Die(url.error(), 2);
    int last_decile = -1;
    auto progress = [&last_decile](long long done, long long total) {
      int decile = total > 0 ? static_cast<int>(done * 10 / total) : 10;
      if (decile != last_decile && total > 0) spdlog::info("backup: {} of {} pages", done, total);
      last_decile = decile;
    };
    FoldAuditSpool(o->db);
    auto report = db::Backup(*url, o->out, progress);
    if (!report) Die(report.error());
    std::cout << fmt::format("backup of {} written to {} ({} bytes, schema version {})\n", url->display, o->out,
                             report->bytes, report->schema_version);
    PrintCounts(report->tables);
  });
}

void RegisterRestore(CLI::App& root) {
  struct Options {
    std::string db;
    std::string in;
    bool force = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = root.add_subcommand(
      "restore", "Restore a backup into an empty database, then count rows and verify the audit chain");
  cmd->add_option("--db", o->db, "Database URL to restore into (a new SQLite file, or an empty PostgreSQL database)")
      ->required();
  cmd->add_option("--in", o->in, "Backup file written by `sanad backup`")->required();
  cmd->add_flag("--force", o->force, "Replace the content of a database that is not empty");
  cmd->callback([o] {
    auto url = db::ParseDatabaseUrl(o->db);
    if (!url) Die(url.error(), 2);
    auto report = db::Restore(*url, o->in, o->force ? db::RestoreMode::kReplace : db::RestoreMode::kEmptyOnly);
    if (!report) Die(report.error(), report.error().code == Code::kInternal ? 1 : 2);
    std::cout << fmt::format("restored {} from {} ({}{})\n", url->display, o->in, db::BackupKindName(report->kind),
                             report->replaced ? ", previous content replaced" : "");
    CountAndVerify(o->db, nullptr);
  });
}

void RegisterMigrateData(CLI::App& root) {
  struct Options {
    std::string from;
    std::string to;
    std::size_t chunk_rows = 20000;
  };
  auto o = std::make_shared<Options>();
  auto* cmd =
      root.add_subcommand("migrate-data", "Copy every table of a SQLite database into an empty PostgreSQL database");
  cmd->add_option("--from", o->from, "Source database URL (sqlite:PATH)")->required();
  cmd->add_option("--to", o->to, "Target database URL (postgresql://…), empty")->required();
  cmd->add_option("--chunk-rows", o->chunk_rows, "Rows per COPY batch and progress line")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  cmd->callback([o] {
    db::TransferOptions options;
    options.chunk_rows = o->chunk_rows;
    options.progress = [](const db::TransferProgress& p) {
      if (p.finished) {
        std::cout << fmt::format("copied {:<32} {:>12} rows  {:.1f} s\n", p.table, p.rows_done, p.seconds)
                  << std::flush;
      } else {
        std::cout << fmt::format("  {:<32} {:>12} of {} rows\n", p.table, p.rows_done, p.rows_total) << std::flush;
      }
    };
    FoldAuditSpool(o->from);
    auto report = db::CopySqliteToPostgres(o->from, o->to, options);
    if (!report) Die(report.error(), report.error().code == Code::kInternal ? 1 : 2);
    std::cout << fmt::format("copied {} tables (schema version {}); counts on the target:\n", report->tables.size(),
                             report->schema_version);
    auto sorted = report->tables;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.table < b.table; });
    CountAndVerify(o->to, &sorted);
  });
}

}  // namespace

void RegisterBackupCommands(CLI::App& root) {
  RegisterBackup(root);
  RegisterRestore(root);
  RegisterMigrateData(root);
}

}  // namespace sanad::app
