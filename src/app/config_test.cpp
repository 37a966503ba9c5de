#include "app/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "db/database_url.h"

namespace sanad::app {
namespace {

namespace fs = std::filesystem;

// Environment variables set by one test and removed at its end.
class ScopedEnv {
 public:
  ScopedEnv& Set(const std::string& name, const std::string& value) {
    ::setenv(name.c_str(), value.c_str(), 1);
    names_.push_back(name);
    return *this;
  }
  ~ScopedEnv() {
    for (const auto& n : names_) ::unsetenv(n.c_str());
  }

 private:
  std::vector<std::string> names_;
};

// A small command tree shaped like sanad's: `serve` (every option a setting), `migrate` (shares db
// and data-dir only), `demo` (never configured).
struct Cli {
  CLI::App app{"test"};
  DatabaseOptions serve_db{"sqlite:var/sanad.db"};
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string web_root = "/default/web";
  DatabaseOptions migrate_db{"sqlite:var/sanad.db"};
  std::string migrate_data_dir = "/default/data";
  int migrate_threads = 0;
  DatabaseOptions demo_db{"sqlite:var/demo.db"};
  bool ran = false;
  Configuration config;

  Cli() {
    auto* serve = app.add_subcommand("serve");
    AddDatabaseOptions(*serve, serve_db);
    serve->add_option("--port", port)->check(CLI::Range(1, 65535))->capture_default_str();
    serve->add_option("--bind", bind)->capture_default_str();
    serve->add_option("--web-root", web_root)->capture_default_str();
    serve->callback([this] { ran = true; });
    auto* migrate = app.add_subcommand("migrate");
    AddDatabaseOptions(*migrate, migrate_db);
    migrate->add_option("--data-dir", migrate_data_dir)->capture_default_str();
    migrate->add_option("--threads", migrate_threads);
    migrate->callback([this] { ran = true; });
    auto* demo = app.add_subcommand("demo");
    AddDatabaseOptions(*demo, demo_db);
    demo->callback([this] { ran = true; });
  }

  void Run(std::vector<std::string> args) {
    args.insert(args.begin(), "sanad");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    config.Apply(app, static_cast<int>(argv.size()), argv.data());
    ASSERT_TRUE(config.errors().empty()) << config.errors().front().message;
    app.parse(static_cast<int>(argv.size()), argv.data());
    ASSERT_TRUE(ran);
  }

  // Applies the configuration only (for files with errors: a configured command would exit).
  void ApplyOnly(std::vector<std::string> args) {
    args.insert(args.begin(), "sanad");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    config.Apply(app, static_cast<int>(argv.size()), argv.data());
  }
};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sanad-config-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    env_.Set("SANAD_CONFIG", "");  // no /etc/sanad/sanad.conf of the machine running the test
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text, mode_t mode = 0644) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }

  bool HasError(const Configuration& c, const std::string& key, const std::string& part) {
    for (const auto& e : c.errors()) {
      if (e.field == key && e.message.find(part) != std::string::npos) return true;
    }
    return false;
  }

  fs::path dir_;
  ScopedEnv env_;
};

TEST_F(ConfigTest, CommandLineBeatsEnvironmentBeatsFileBeatsDefault) {
  const auto file = Write("a.conf", "port = 9000\nbind = \"10.0.0.1\"\nweb_root = '/from/file'\n");
  env_.Set("SANAD_BIND", "0.0.0.0");
  Cli cli;
  cli.Run({"serve", "--config", file, "--web-root", "/from/flag"});
  EXPECT_EQ(cli.port, 9000);                           // file over default
  EXPECT_EQ(cli.bind, "0.0.0.0");                      // environment over file
  EXPECT_EQ(cli.web_root, "/from/flag");               // command line over file
  EXPECT_EQ(cli.serve_db.url, "sqlite:var/sanad.db");  // default

  const Setting* port = cli.config.Find("port");
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->source, Source::kFile);
  EXPECT_EQ(port->env, "SANAD_PORT");
  EXPECT_EQ(cli.config.Find("bind")->source, Source::kEnvironment);
  EXPECT_EQ(cli.config.Find("db")->source, Source::kDefault);
}

TEST_F(ConfigTest, CommandLineBeatsEnvironment) {
  env_.Set("SANAD_PORT", "7000");
  Cli cli;
  cli.Run({"serve", "--port", "7100"});
  EXPECT_EQ(cli.port, 7100);
  Cli env_only;
  env_only.Run({"serve"});
  EXPECT_EQ(env_only.port, 7000);
}

TEST_F(ConfigTest, SharedKeysConfigureTheOtherCommandsButNotTheDemo) {
  const auto file = Write("a.conf", "db = \"sqlite:/var/lib/sanad/sanad.db\"\ndata-dir = /srv/data\n");
  env_.Set("SANAD_THREADS", "5");  // serve's setting only; migrate's --threads is not configured
  Cli cli;
  cli.Run({"migrate", "--config", file});
  EXPECT_EQ(cli.migrate_db.url, "sqlite:/var/lib/sanad/sanad.db");
  EXPECT_EQ(cli.migrate_data_dir, "/srv/data");
  EXPECT_EQ(cli.migrate_threads, 0);
  EXPECT_EQ(cli.demo_db.url, "sqlite:var/demo.db");
}

TEST_F(ConfigTest, TheConfigFileMayComeFromTheEnvironment) {
  const auto file = Write("a.conf", "port = 9100\n");
  env_.Set("SANAD_CONFIG", file);
  Cli cli;
  cli.Run({"serve"});
  EXPECT_EQ(cli.port, 9100);
  EXPECT_EQ(cli.config.file(), file);
}

TEST_F(ConfigTest, ErrorsNameTheKey) {
  const auto file = Write("bad.conf",
                          "prot = 80\nport = 70000\nbind = a\nbind = b\ndb_password = \"hunter2\"\n"
                          "db = \"postgress://u:hunter2@h/x\"\n[serve]\nthreads = 4\n");
  Cli cli;
  cli.ApplyOnly({"serve", "--config", file});
  EXPECT_TRUE(HasError(cli.config, "prot", "unknown key 'prot'"));
  EXPECT_TRUE(HasError(cli.config, "port", "70000"));
  EXPECT_TRUE(HasError(cli.config, "bind", "given twice"));  // CLI11 reads both lines as one list
  EXPECT_TRUE(HasError(cli.config, "db_password", "secrets are not read from the configuration file"));
  EXPECT_TRUE(HasError(cli.config, "db", "unsupported database URL"));
  EXPECT_TRUE(HasError(cli.config, "serve", "sections are not used"));
  for (const auto& e : cli.config.errors()) EXPECT_EQ(e.message.find("hunter2"), std::string::npos) << e.message;
}

TEST_F(ConfigTest, BadEnvironmentValuesNameTheVariable) {
  env_.Set("SANAD_PORT", "eighty");
  Cli cli;
  cli.ApplyOnly({"serve"});
  EXPECT_TRUE(HasError(cli.config, "port", "SANAD_PORT=eighty"));
}

TEST_F(ConfigTest, AMissingExplicitFileIsAnError) {
  Cli cli;
  cli.ApplyOnly({"serve", "--config", (dir_ / "missing.conf").string()});
  EXPECT_TRUE(HasError(cli.config, "config", "cannot read configuration file"));
}

TEST_F(ConfigTest, SecretFilesMustBeReadableByTheirOwnerOnly) {
  const auto open = Write("open.pw", "s3cret\n", 0644);
  auto refused = ReadSecretFile("db_password_file", open);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "db_password_file");
  EXPECT_NE(refused.error().message.find("group or others (mode 0644)"), std::string::npos);
  EXPECT_EQ(refused.error().message.find("s3cret"), std::string::npos);
  EXPECT_FALSE(ReadSecretFile("k", Write("group.pw", "s3cret\n", 0640)));
  EXPECT_FALSE(ReadSecretFile("k", Write("empty.pw", "\n", 0600)));
  EXPECT_FALSE(ReadSecretFile("k", (dir_ / "missing.pw").string()));
  auto ok = ReadSecretFile("k", Write("ok.pw", "s3cret\r\n", 0600));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, "s3cret");
}

TEST_F(ConfigTest, TheDatabasePasswordReachesLibpqButNotTheDisplay) {
  const auto pw = Write("db.pw", "p@ss:w/rd\n", 0600);
  DatabaseOptions db{"postgresql://sanad@db.example:5432/registry"};
  db.password_file = pw;
  auto url = ResolveDatabaseUrl(db);
  ASSERT_TRUE(url) << url.error().message;
  auto parsed = db::ParseDatabaseUrl(*url);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_NE(parsed->pg_connection.find("password='p@ss:w/rd'"), std::string::npos) << parsed->pg_connection;
  EXPECT_NE(parsed->pg_connection.find("user='sanad'"), std::string::npos);
  EXPECT_NE(parsed->pg_connection.find("host='db.example'"), std::string::npos);
  EXPECT_EQ(parsed->display.find("p@ss"), std::string::npos);

  // The environment wins over the file.
  env_.Set("SANAD_DB_PASSWORD", "from-env");
  auto from_env = db::ParseDatabaseUrl(*ResolveDatabaseUrl(db));
  EXPECT_NE(from_env->pg_connection.find("password='from-env'"), std::string::npos);

  // A password in the URL and one configured: refused rather than guessed.
  EXPECT_FALSE(ResolveDatabaseUrl(DatabaseOptions{"postgresql://sanad:old@db:5432/registry"}));
  // SQLite has none: the URL is left as it is.
  EXPECT_EQ(*ResolveDatabaseUrl(DatabaseOptions{"sqlite:/tmp/x.db"}), "sqlite:/tmp/x.db");
}

TEST_F(ConfigTest, ABadSecretFileStopsTheDatabaseFromOpening) {
  DatabaseOptions db{"postgresql://sanad@db:5432/registry"};
  db.password_file = Write("open.pw", "x\n", 0604);
  auto url = ResolveDatabaseUrl(db);
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().field, "db_password_file");
}

}  // namespace
}  // namespace sanad::app
