#include "app/link_command.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

#include "app/cli_errors.h"
#include "core/csv.h"
#include "linkage/engine.h"
#include "linkage/presets.h"

namespace sanad::app {
namespace {

struct LinkArgs {
  std::string input, left, right, out, model, preset = "sanad", review_out;
  int threads = 0;
  double threshold = 0.9, review_threshold = 0.5;
  bool quiet = false;
};

[[noreturn]] void FailLink(const Error& e) { FailCommand("link", e); }

double PeakMemoryMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::function<void(const linkage::Progress&)> ProgressPrinter(bool quiet) {
  if (quiet) return {};
  const bool tty = isatty(STDERR_FILENO) != 0;
  auto last = std::make_shared<std::pair<double, std::uint64_t>>(0.0, 0);
  return [tty, last](const linkage::Progress& p) {
    const double dt = p.seconds - last->first;
    const double rate = dt > 0 ? static_cast<double>(p.pairs - last->second) / dt : 0.0;
    if (!tty && dt < 2.0 && p.stage != "done") return;  // logs: one line every 2 s
    *last = {p.seconds, p.pairs};
    std::fprintf(stderr, "%s%-48.48s %14s pairs %10.0f pairs/s %7.1f s%s", tty ? "\r" : "", p.stage.c_str(),
                 fmt::format("{:L}", p.pairs).c_str(), rate, p.seconds, tty ? "" : "\n");
    if (tty && p.stage == "done") std::fputc('\n', stderr);
    std::fflush(stderr);
  };
}

linkage::EngineOptions Options(const LinkArgs& a) {
  linkage::EngineOptions o;
  o.threads = a.threads > 0 ? a.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.match_probability = a.threshold;
  o.review_probability = a.review_threshold;
  o.progress = ProgressPrinter(a.quiet);
  return o;
}

std::optional<linkage::Model> LoadModelIfExists(const std::string& path) {
  if (path.empty() || !std::filesystem::exists(path)) return std::nullopt;
  auto m = linkage::Model::Load(path);
  if (!m) FailLink(m.error());
  return *m;
}

linkage::EngineResult Run(const linkage::RecordStore& store, const linkage::ModelSpec& spec, const LinkArgs& a) {
  auto model = LoadModelIfExists(a.model);
  auto r = linkage::RunEngine(store, spec, model, Options(a));
  if (!r) FailLink(r.error());
  if (r->trained && !a.model.empty()) {
    if (auto s = r->model.Save(a.model); !s) FailLink(s.error());
  }
  return std::move(*r);
}

std::ofstream OpenOut(const std::string& path) {
  std::ofstream out(path);
  if (!out) FailLink(Error{Code::kNotFound, fmt::format("cannot write '{}'", path), "out"});
  return out;
}

void PrintSummary(const linkage::RecordStore& store, const linkage::EngineResult& r, std::size_t clusters) {
  const double cps = r.compare_seconds > 0 ? static_cast<double>(r.candidate_pairs) / r.compare_seconds : 0.0;
  for (const auto& rule : r.rules) {
    std::fprintf(stderr, "  rule %-40s %12llu pairs %8llu blocks (largest %llu%s)\n", rule.rule.c_str(),
                 static_cast<unsigned long long>(rule.pairs), static_cast<unsigned long long>(rule.blocks),
                 static_cast<unsigned long long>(rule.largest_block),
                 rule.skipped_blocks ? fmt::format(", {} blocks / {} pairs skipped above max block size",
                                                   rule.skipped_blocks, rule.skipped_pairs)
                                           .c_str()
                                     : "");
  }
  std::printf(
      "records=%zu candidate_pairs=%llu comparisons_per_s=%.0f matches=%zu review=%zu clusters=%zu "
      "refused_merges=%llu seconds=%.2f peak_memory_mb=%.0f\n",
      store.size(), static_cast<unsigned long long>(r.candidate_pairs), cps, r.matches.size(), r.review.size(),
      clusters, static_cast<unsigned long long>(r.clustering.refused), r.total_seconds, PeakMemoryMb());
}

void Dedupe(const LinkArgs& a) {
  auto preset = linkage::ParsePreset(a.preset);
  if (!preset) FailLink(preset.error());
  linkage::RecordStoreBuilder builder;
  if (auto s = linkage::LoadCsv(a.input, *preset, 0, builder); !s) FailLink(s.error());
  const auto store = builder.Build();
  const auto spec = linkage::DefaultSpec(*preset, linkage::LinkType::kDedupe, store);
  const auto r = Run(store, spec, a);
  auto out = OpenOut(a.out);
  out << "record_id,cluster_id\n";
  for (std::size_t input = 0; input < store.size(); ++input) {
    const auto row = store.RowOfInput(input);
    out << csv::Escape(store.RecordId(row)) << ',' << csv::Escape(store.RecordId(r.clustering.cluster_of[row])) << '\n';
  }
  if (!a.review_out.empty()) {
    auto rv = OpenOut(a.review_out);
    rv << "record_id_a,record_id_b,weight,probability\n";
    for (const auto& p : r.review)
      rv << csv::Escape(store.RecordId(p.a)) << ',' << csv::Escape(store.RecordId(p.b)) << ','
         << fmt::format("{:.3f},{:.4f}", p.weight, linkage::Model::Probability(p.weight)) << '\n';
  }
  PrintSummary(store, r, r.clustering.clusters);
}

void Match(const LinkArgs& a) {
  auto preset = linkage::ParsePreset(a.preset);
  if (!preset) FailLink(preset.error());
  linkage::RecordStoreBuilder builder;
  if (auto s = linkage::LoadCsv(a.left, *preset, 0, builder); !s) FailLink(s.error());
  if (auto s = linkage::LoadCsv(a.right, *preset, 1, builder); !s) FailLink(s.error());
  const auto store = builder.Build();
  const auto spec = linkage::DefaultSpec(*preset, linkage::LinkType::kLinkOnly, store);
  const auto r = Run(store, spec, a);
  auto out = OpenOut(a.out);
  out << "left_id,right_id,weight\n";
  for (const auto& p : r.matches) {
    const bool a_left = store.Source(p.a) == 0;
    const auto l = a_left ? p.a : p.b, rr = a_left ? p.b : p.a;
    out << csv::Escape(store.RecordId(l)) << ',' << csv::Escape(store.RecordId(rr)) << ','
        << fmt::format("{:.3f}", p.weight) << '\n';
  }
  PrintSummary(store, r, r.clustering.clusters);
}

void CommonOptions(CLI::App* cmd, LinkArgs& a) {
  cmd->add_option("--out", a.out, "output CSV")->required();
  cmd->add_option("--model", a.model, "model JSON: used if it exists, else trained and saved there");
  cmd->add_option("--preset", a.preset, "input layout")->check(CLI::IsMember({"sanad", "febrl", "ncvr"}));
  cmd->add_option("--threads", a.threads, "worker threads (default: all cores)")->check(CLI::Range(1, 256));
  cmd->add_option("--threshold", a.threshold, "match probability at or above which pairs are linked")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--review-threshold", a.review_threshold, "lower bound of the review band")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--quiet", a.quiet, "no progress on stderr");
}

}  // namespace

void RegisterLinkCommand(CLI::App& root) {
  auto args = std::make_shared<LinkArgs>();
  auto* link = root.add_subcommand("link", "record linkage: deduplicate a list or match two lists");
  link->require_subcommand(1);
  auto* dedupe = link->add_subcommand("dedupe", "find the records of one file that are the same person");
  dedupe->add_option("--input", args->input, "input CSV")->required();
  dedupe->add_option("--review-out", args->review_out, "write the review band (pairs between the thresholds) here");
  CommonOptions(dedupe, *args);
  dedupe->callback([args] { Dedupe(*args); });
  auto* match = link->add_subcommand("match", "link the records of two files");
  match->add_option("--left", args->left, "left CSV")->required();
  match->add_option("--right", args->right, "right CSV")->required();
  CommonOptions(match, *args);
  match->callback([args] { Match(*args); });
}

}  // namespace sanad::app
