// sanad_synth_cli: the `sanad synth` subcommand as a stand-alone program.
#include <CLI/CLI.hpp>

#include "app/synth_command.h"

int main(int argc, char** argv) {
  CLI::App root{"Sanad synthetic registry generator"};
  root.require_subcommand(1);
  sanad::app::RegisterSynthCommand(root);
  CLI11_PARSE(root, argc, argv);
  return 0;
}
