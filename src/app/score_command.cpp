// sanad score --db URL --model FILE: computes the socio-economic index of every active household with
// the model file (docs/data-formats.md "Score model files") and keeps each household's score, model,
// date and contributions (src/targeting). Chunked, with a progress bar; a re-run with the same model
// and the same data changes nothing.
#include <spdlog/spdlog.h>
#include <chrono>
#include <iostream>

#include "app/cli_errors.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/platform.h"
#include "app/progress_bar.h"
#include "i18n/catalogue.h"
#include "targeting/score_run.h"

namespace sanad::app {

void RegisterScoreCommand(CLI::App& root) {
  struct Options {
    DatabaseOptions db{"sqlite:var/sanad.db"};
    std::string model;
    std::string as_of;
    std::size_t chunk = 5000;
    std::string data_dir = DefaultDataDir();
  };
  auto o = std::make_shared<Options>();
  auto* cmd = root.add_subcommand("score", "Compute every active household's socio-economic index with a model file");
  AddDatabaseOptions(*cmd, o->db);
  cmd->add_option("--model", o->model, "Score model file (JSON, docs/data-formats.md)")->required();
  cmd->add_option("--as-of", o->as_of, "Date the members' ages are taken on, YYYY-MM-DD (default: today)");
  cmd->add_option("--chunk", o->chunk, "Household ids per chunk (one read, one transaction)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the reference data")->capture_default_str();
  cmd->callback([o] {
    const i18n::Lang lang = CliLanguage();
    auto model = targeting::LoadModel(o->model);
    if (!model) {
      spdlog::error("{}", CliErrorText(model.error(), lang));
      std::exit(2);
    }
    auto p = OpenPlatform({o->db, o->data_dir, 2, true});
    if (!p) {
      spdlog::error("{}", CliErrorText(p.error(), lang));
      std::exit(2);
    }
    auto& platform = **p;
    targeting::RunOptions options;
    options.now = FormatTimestamp(platform.clock->Now());
    options.as_of = o->as_of.empty() ? DateOf(platform.clock->Now()).ToString() : o->as_of;
    options.chunk = o->chunk;
    if (auto d = ParseDate(options.as_of, "as_of"); !d) {
      spdlog::error("{}", CliErrorText(d.error(), lang));
      std::exit(2);
    }
    if (auto regions = CheckModelRegions(*model, platform); !regions) {
      spdlog::error("{}", CliErrorText(regions.error(), lang));
      std::exit(2);
    }
    ProgressBar bar(i18n::Render(lang, "score.unit").value_or("households"));
    const std::string phase = i18n::Render(lang, "score.phase").value_or("scoring");
    const auto started = std::chrono::steady_clock::now();
    auto totals = targeting::ScoreAll(*platform.scores, *model, options, [&](std::size_t done, std::int64_t total) {
      bar.Update(phase, static_cast<long long>(done), total);
    });
    bar.Finish();
    if (!totals) {
      spdlog::error("{}", CliErrorText(totals.error(), lang));
      std::exit(2);
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", secs);
    std::cout << i18n::Render(lang, "score.done",
                              {{"households", std::to_string(totals->households)},
                               {"model", model->name},
                               {"version", model->version},
                               {"as_of", options.as_of},
                               {"seconds", seconds},
                               {"added", std::to_string(totals->saved.added)},
                               {"changed", std::to_string(totals->saved.changed)},
                               {"unchanged", std::to_string(totals->saved.unchanged)}})
                     .value_or("done")
              << "\n";
  });
}

}  // namespace sanad::app
