// docs/openapi.yaml describes every route: the (method, path) pairs of the document equal those of the
// route table that api::BuildRoutes assembles (":code" in the router is "{code}" in the document).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <fstream>
#include <regex>
#include <set>

#include "api/services.h"
#include "app/application.h"
#include "app/platform.h"
#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using Endpoint = std::pair<std::string, std::string>;  // (METHOD, /path/{param})

// A line-based reader for the `paths:` section: paths at two spaces of indentation, methods at four.
// Enough for our document; no YAML library needed.
std::set<Endpoint> OpenApiEndpoints(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::set<Endpoint> out;
  const std::regex path_re(R"(^  (/[^:\s]*):\s*$)");
  const std::regex method_re(R"(^    (get|put|post|delete|patch|head|options|trace):\s*$)");
  bool in_paths = false;
  std::string path;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.find_first_not_of(' ') == std::string::npos || line[line.find_first_not_of(' ')] == '#')
      continue;
    if (line[0] != ' ') {  // a top-level key
      in_paths = line.starts_with("paths:");
      path.clear();
      continue;
    }
    if (!in_paths) continue;
    std::smatch m;
    if (std::regex_match(line, m, path_re)) {
      path = m[1];
    } else if (line.starts_with("  ") && line[2] != ' ') {
      throw std::runtime_error("unexpected line under paths: " + line);
    } else if (std::regex_match(line, m, method_re)) {
      if (path.empty()) throw std::runtime_error("method outside a path: " + line);
      std::string method = m[1];
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (!out.emplace(method, path).second)
        throw std::runtime_error(std::string("listed twice: ").append(method).append(" ").append(path));
    }
  }
  return out;
}

std::string ToOpenApiPath(const std::string& pattern) {
  return std::regex_replace(pattern, std::regex(":([A-Za-z_][A-Za-z0-9_]*)"), "{$1}");
}

TEST(OpenApi, TheDocumentAndTheRouterListTheSameRoutes) {
  auto dir = MakeTempDir();
  auto platform = app::OpenPlatform({"sqlite:" + (dir / "openapi.db").string(), app::DefaultDataDir(), 1, true});
  ASSERT_TRUE(platform) << platform.error().message;
  // Wired by the composition root as `sanad serve` is, so that every module's routes are in the table.
  auto application = app::Application::Create(**platform, {.data_dir = app::DefaultDataDir()});
  ASSERT_TRUE(application) << application.error().message;
  api::Services& services = (*application)->services();
  std::set<Endpoint> routed;
  for (const auto& r : api::BuildRoutes(services)) {
    EXPECT_TRUE(routed.emplace(r.method, ToOpenApiPath(r.pattern)).second)
        << "routed twice: " << r.method << " " << r.pattern;
  }
  const auto documented = OpenApiEndpoints(std::string(SANAD_SOURCE_ROOT) + "/docs/openapi.yaml");
  std::vector<Endpoint> undocumented, unrouted;
  std::set_difference(routed.begin(), routed.end(), documented.begin(), documented.end(),
                      std::back_inserter(undocumented));
  std::set_difference(documented.begin(), documented.end(), routed.begin(), routed.end(), std::back_inserter(unrouted));
  for (const auto& [m, path] : undocumented)
    ADD_FAILURE() << "routed but not in docs/openapi.yaml: " << m << " " << path;
  for (const auto& [m, path] : unrouted) ADD_FAILURE() << "in docs/openapi.yaml but not routed: " << m << " " << path;
  EXPECT_GE(routed.size(), 10u);
  application->reset();
  platform->reset();
  std::filesystem::remove_all(dir);
}

TEST(OpenApi, TheLineReaderFindsPathsAndMethodsOnly) {
  auto dir = MakeTempDir();
  const std::string file = (dir / "mini.yaml").string();
  std::ofstream(file) << "openapi: 3.0.3\n"
                         "paths:\n"
                         "  /a/{id}:\n"
                         "    parameters:\n"
                         "      - name: id\n"
                         "    get:\n"
                         "      responses:\n"
                         "        '200':\n"
                         "          description: ok\n"
                         "    delete:\n"
                         "      summary: x\n"
                         "  /b:\n"
                         "    post:\n"
                         "      requestBody: {}\n"
                         "components:\n"
                         "  schemas:\n"
                         "    get:\n"
                         "      type: object\n";
  EXPECT_EQ(OpenApiEndpoints(file), (std::set<Endpoint>{{"GET", "/a/{id}"}, {"DELETE", "/a/{id}"}, {"POST", "/b"}}));
  EXPECT_EQ(ToOpenApiPath("/api/v1/areas/:code"), "/api/v1/areas/{code}");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sanad::testing
