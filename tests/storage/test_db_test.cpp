// The test databases' own clean-up (tests/support/test_db.h): a test process removes the SQLite files it
// made when it exits, and a child it forks removes none of them.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_db.h"

namespace sanad::testing {
namespace {

std::string PathOf(const std::string& url) { return url.substr(std::string("sqlite:").size()); }

// Runs `child` in a forked process that then exits normally (std::exit: the exit handlers run); what it
// wrote to the pipe.
template <class F>
std::string InChild(F child) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const std::string out = child();
    if (write(fds[1], out.data(), out.size()) < 0) std::_Exit(2);
    close(fds[1]);
    std::exit(0);
  }
  close(fds[1]);
  std::string out;
  char buf[512];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return out;
}

TEST(TestDatabases, AProcessRemovesTheSqliteFilesItMadeWhenItExits) {
  const std::string made = InChild([] {
    std::string path = PathOf(FreshDatabaseUrl(Backend::kSqlite));
    std::ofstream(path) << "x";
    std::ofstream(path + "-wal") << "x";
    return path;
  });
  ASSERT_FALSE(made.empty());
  EXPECT_FALSE(std::filesystem::exists(made));
  EXPECT_FALSE(std::filesystem::exists(made + "-wal"));
}

TEST(TestDatabases, AForkedChildLeavesItsParentsFiles) {
  const std::string mine = PathOf(FreshDatabaseUrl(Backend::kSqlite));
  std::ofstream(mine) << "x";
  InChild([] { return std::string("done"); });
  EXPECT_TRUE(std::filesystem::exists(mine));
}

}  // namespace
}  // namespace sanad::testing
