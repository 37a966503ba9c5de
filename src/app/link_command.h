// `sanad link`: record linkage from the command line.
#pragma once

#include <CLI/CLI.hpp>

namespace sanad::app {

// Adds the `link` subcommand to `root`, with two subcommands:
//   link dedupe --input FILE.csv --out clusters.csv [--model FILE] [--preset sanad|febrl|ncvr]
//               [--threads N] [--threshold P] [--review-threshold P] [--review-out FILE] [--quiet]
//     writes `record_id,cluster_id` for every input record (cluster_id = record_id of the cluster's
//     first record);
//   link match --left A.csv --right B.csv --out pairs.csv [--model FILE] [--preset …] [--threads N]
//     writes `left_id,right_id,weight` for the pairs at or above the threshold.
// --model FILE: used when the file exists; otherwise a model is trained on the input and saved there.
// Progress (stage, pairs, pairs/s) goes to stderr; one summary line (records, candidate pairs,
// comparisons/s, clusters, seconds, peak memory) to stdout. Bad input prints a message naming the file,
// line and column to stderr and throws CLI::RuntimeError (exit code 1).
void RegisterLinkCommand(CLI::App& root);

}  // namespace sanad::app
