// `sanad synth`: generate a synthetic registry and write households.csv and persons.csv.
#pragma once

#include <CLI/CLI.hpp>

namespace sanad::app {

// Adds the `synth` subcommand to `root`:
//   sanad synth --households N --country MA|DZ --seed S [--region CODE] [--duplicates 0.05]
//               --out-dir DIR [--data-dir DIR] [--threads T] [--quiet]
// Progress goes to stderr, one final summary line (counts and seconds) to stdout. On failure the
// subcommand throws CLI::RuntimeError (exit code 1) after printing the reason to stderr.
void RegisterSynthCommand(CLI::App& root);

}  // namespace sanad::app
