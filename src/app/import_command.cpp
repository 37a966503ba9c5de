// sanad import households|persons|both FILE --db URL --user NAME: validates a CSV or XLSX file and files it
// as one batch change request authored by NAME (whose area scope applies). A rejected file writes its
// full error report next to it (FILE.errors.csv) and exits 1.
#include <fmt/format.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <chrono>
#include <fstream>
#include <iostream>

#include "app/cli_errors.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/platform.h"
#include "app/progress_bar.h"
#include "registry/importer.h"

namespace sanad::app {

void RegisterImportCommand(CLI::App& root) {
  struct Options {
    std::string kind;
    std::string file;
    DatabaseOptions db{"sqlite:var/sanad.db"};
    std::string user;
    std::string data_dir = DefaultDataDir();
    std::string format;
    int threads = 0;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = root.add_subcommand(
      "import",
      "Import households, persons, or households with their members from a CSV or XLSX file as one change request");
  cmd->add_option("kind", o->kind, "households | persons | both (households with their members, one row per person)")
      ->required()
      ->check(CLI::IsMember({"households", "persons", "both"}));
  cmd->add_option("file", o->file, "CSV or XLSX file (docs/data-formats.md)")->required();
  AddDatabaseOptions(*cmd, o->db);
  cmd->add_option("--user", o->user, "Account filing the change request (its area scope applies)")->required();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the reference data")->capture_default_str();
  cmd->add_option("--format", o->format, "csv | xlsx (default: from the file name)")
      ->check(CLI::IsMember({"csv", "xlsx"}));
  cmd->add_option("--threads", o->threads, "Validation threads (0 = all cores)");
  cmd->callback([o] {
    // A batch process that builds and drops a few hundred MB of rows: keep freed memory in the heap
    // instead of returning it to the kernel and faulting fresh pages in again (measured: ~15% of the
    // import's CPU went to page faults with glibc's defaults).
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_TOP_PAD, 64 << 20);
    auto p = OpenPlatform({o->db, o->data_dir, 2, true});
    if (!p) {
      spdlog::error("{}", CliErrorText(p.error()));
      std::exit(2);
    }
    auto& platform = **p;
    auto user = platform.auth_store->FindByUsername(o->user);
    if (!user) {
      spdlog::error("{}", CliErrorText(user.error()));
      std::exit(2);
    }
    if (!*user || !(*user)->first.active) {
      spdlog::error("no active account '{}'", o->user);
      std::exit(2);
    }
    const auth::User& u = (*user)->first;
    if (!auth::Grants(u.roles, auth::Permission::kRegistryImport)) {
      spdlog::error("account '{}' may not import into the registry (permission registry.import)", o->user);
      std::exit(2);
    }
    registry::Actor actor;
    actor.user_id = u.id.value;
    actor.username = u.username;
    actor.scope.area = u.area_code;
    actor.scope.today = DateOf(platform.clock->Now()).ToString();
    actor.ip = "local";
    actor.request_id = "cli";

    ProgressBar bar;
    registry::ImportOptions options;
    options.threads = o->threads;
    options.progress = [&bar](std::string_view phase, long long done, long long total) {
      bar.Update(phase, done, total);
    };
    std::optional<registry::FileFormat> format;
    if (!o->format.empty()) format = o->format == "xlsx" ? registry::FileFormat::kXlsx : registry::FileFormat::kCsv;
    registry::Importer importer(*platform.registry, *platform.changes, *platform.clock);
    const auto kind = registry::ImportKindFromName(o->kind).value_or(registry::ImportKind::kPersons);
    auto started = std::chrono::steady_clock::now();
    auto out = importer.ImportFile(kind, o->file, actor, options, format);
    bar.Finish();
    if (!out) {
      spdlog::error("{}", CliErrorText(out.error()));
      std::exit(2);
    }
    for (const auto& w : out->warnings) spdlog::warn("{}", registry::RenderRowError(w, i18n::Lang::kEn));
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (out->accepted()) {
      const auto& cr = *out->change_request;
      std::cerr << fmt::format("{} rows validated and staged in {:.2f} s ({:.0f} rows/s)\n", out->rows_total, secs,
                               secs > 0 ? static_cast<double>(out->rows_total) / secs : 0.0);
      std::cout << fmt::format("change request {} filed: {} ({} rows, area {}); it awaits approval by another user\n",
                               cr.id, cr.kind, cr.item_count, cr.area_code.value_or("national"));
      return;
    }
    std::string report_path = o->file + ".errors.csv";
    {
      std::ofstream rep(report_path, std::ios::binary | std::ios::trunc);
      rep << registry::ErrorReportCsv(out->errors, i18n::Lang::kEn);
    }
    std::cout << fmt::format("REJECTED: {} of {} rows have errors ({} errors); nothing was written.\n",
                             out->rows_rejected, out->rows_total, out->errors.size());
    for (std::size_t i = 0; i < out->errors.size() && i < 10; ++i) {
      const auto& e = out->errors[i];
      std::cout << fmt::format("  row {}{}: {}\n", e.row, e.column.empty() ? "" : ", column " + e.column,
                               registry::RenderRowError(e, i18n::Lang::kEn));
    }
    if (out->errors.size() > 10) std::cout << fmt::format("  … and {} more\n", out->errors.size() - 10);
    std::cout << "full report: " << report_path << (out->report_id ? fmt::format(" (report {})", *out->report_id) : "")
              << "\n";
    std::exit(1);
  });
}

}  // namespace sanad::app
