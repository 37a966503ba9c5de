// sanad_link_cli: the `sanad link` subcommand as a stand-alone program (usable before the main binary
// wires it in).
#include <CLI/CLI.hpp>

#include "app/link_command.h"

int main(int argc, char** argv) {
  CLI::App root{"Sanad record linkage"};
  root.require_subcommand(1);
  sanad::app::RegisterLinkCommand(root);
  CLI11_PARSE(root, argc, argv);
  return 0;
}
