// Anchoring the audit chain outside the database: an attacker with write access to the database
// (who drops the append-only triggers first, as the owner can) rewrites and rehashes the chain, cuts
// its tail and fixes the head, or replaces a row; the chain alone still verifies, the signed
// checkpoints do not. Runs on SQLite and PostgreSQL (SANAD_TEST_DB).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "audit/audit_log.h"
#include "audit/checkpoint.h"
#include "audit/checkpointer.h"
#include "audit/verify_report.h"
#include "db/migrations.h"
#include "test_db.h"

namespace sanad::audit {
namespace {

namespace fs = std::filesystem;

class AuditAnchoring : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = db::Database::Open(testing::FreshDatabaseUrl(testing::BackendFromEnv()), 4);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    log_ = std::make_unique<AuditLog>(*db_, clock_);
    dir_ = fs::temp_directory_path() / ("sanad-anchor-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto pub = GenerateKeyFile((dir_ / "key").string());
    ASSERT_TRUE(pub) << pub.error().message;
    public_hex_ = *pub;
    auto key = LoadSigningKey((dir_ / "key").string());
    ASSERT_TRUE(key) << key.error().message;
    key_ = *key;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void AppendViews(int n) {
    for (int i = 0; i < n; ++i) {
      AuditEntry e;
      e.username = "amina";
      e.action = "view";
      e.record_type = "household";
      e.record_id = std::to_string(100 + i);
      e.ip = "127.0.0.1";
      e.request_id = "r" + std::to_string(i);
      ASSERT_TRUE(log_->Append(e));
    }
  }

  // Appends `n` entries and a signed checkpoint after them, through the server's own checkpointer.
  void AppendAndCheckpoint(int n) {
    AppendViews(n);
    auto c = checkpointer().CheckpointNow();
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_TRUE(*c);
  }

  Checkpointer& checkpointer() {
    if (!writer_) {
      auto w = CheckpointWriter::Open(Checkpoints(), key_);
      EXPECT_TRUE(w) << w.error().message;
      writer_ = std::move(*w);
      checkpointer_ = std::make_unique<Checkpointer>(*log_, *writer_, clock_, std::chrono::seconds(60), nullptr);
    }
    return *checkpointer_;
  }

  std::string Checkpoints() const { return (dir_ / "checkpoints.jsonl").string(); }

  VerifyReport VerifyWithCheckpoints() {
    auto file = ReadCheckpointFile(Checkpoints());
    EXPECT_TRUE(file) << file.error().message;
    Anchors anchors{&*file, *ParsePublicKey(public_hex_)};
    auto r = log_->Verify(&anchors);
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }

  bool Postgres() const { return db_->dialect() == db::Dialect::kPostgres; }

  // What the owner of the database can do: switch the append-only guard off.
  void DropGuards() {
    auto s = db_->Acquire();
    if (Postgres()) {
      s.sql() << "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change";
    } else {
      s.sql() << "DROP TRIGGER audit_log_no_update";
      s.sql() << "DROP TRIGGER audit_log_no_delete";
      s.sql() << "DROP TRIGGER audit_log_no_replace";
    }
  }

  // Edits entry `id`'s record_id and recomputes every later hash and the head, as an attacker who
  // knows the (public) chain algorithm would.
  void RewriteAndRehash(long long id, const std::string& new_record_id) {
    auto page = log_->Query(AuditQuery{.limit = 100000});
    ASSERT_TRUE(page);
    std::vector<AuditEntry> entries(page->items.rbegin(), page->items.rend());
    auto s = db_->Acquire();
    std::string prev = kGenesisHash;
    for (auto& e : entries) {
      if (e.id == id) e.record_id = new_record_id;
      e.prev_hash = prev;
      e.hash = ChainHash(e, prev);
      prev = e.hash;
      if (e.id >= id) {
        long long eid = e.id;
        s.sql() << "UPDATE audit_log SET record_id = :r, prev_hash = :p, hash = :h WHERE id = :id",
            soci::use(e.record_id), soci::use(e.prev_hash), soci::use(e.hash), soci::use(eid);
      }
    }
    s.sql() << "UPDATE audit_head SET last_hash = :h WHERE singleton = 1", soci::use(prev);
  }

  SystemClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<AuditLog> log_;
  fs::path dir_;
  std::string public_hex_;
  SigningKey key_;
  std::unique_ptr<CheckpointWriter> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

TEST_F(AuditAnchoring, KeyFilesAreCreatedOwnerOnlyAndLooserOnesAreRefused) {
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(key_.PublicHex(), public_hex_);
  EXPECT_FALSE(GenerateKeyFile((dir_ / "key").string())) << "an existing key is never overwritten";
  for (mode_t mode : {0640, 0604, 0660}) {
    ::chmod((dir_ / "key").c_str(), mode);
    auto loose = LoadSigningKey((dir_ / "key").string());
    ASSERT_FALSE(loose) << "mode " << mode;
    EXPECT_NE(loose.error().message.find("chmod 600"), std::string::npos) << loose.error().message;
  }
  ::chmod((dir_ / "key").c_str(), 0400);
  EXPECT_TRUE(LoadSigningKey((dir_ / "key").string()));
}

TEST_F(AuditAnchoring, TheUntamperedLogVerifiesAgainstItsCheckpoints) {
  AppendAndCheckpoint(5);
  AppendAndCheckpoint(3);
  AppendViews(2);  // not yet anchored
  EXPECT_TRUE(checkpointer().CheckpointNow().value().has_value());
  EXPECT_FALSE(checkpointer().CheckpointNow().value().has_value()) << "nothing new, nothing signed";
  auto r = VerifyWithCheckpoints();
  EXPECT_FALSE(r.broken()) << r.reason;
  EXPECT_EQ(r.checked, 10);
  EXPECT_EQ(r.checkpoints, 3);
  EXPECT_EQ(r.anchored_through, 10);
  std::ifstream in(Checkpoints());
  std::string header;
  std::getline(in, header);
  EXPECT_NE(header.find(public_hex_), std::string::npos) << "the file names its public key";
}

TEST_F(AuditAnchoring, RewritingAnEntryAndRehashingTheChainIsDetected) {
  AppendAndCheckpoint(6);
  AppendViews(2);
  DropGuards();
  RewriteAndRehash(3, "999");
  auto plain = log_->Verify();
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->broken()) << "the chain alone cannot see a full rehash";
  auto r = VerifyWithCheckpoints();
  ASSERT_TRUE(r.first_broken_id);
  EXPECT_EQ(*r.first_broken_id, 6) << r.reason;
  EXPECT_EQ(r.reason, "audit_verify.checkpoint_mismatch");
  EXPECT_NE(VerifyReasonText(r, i18n::Lang::kEn).find("between 1 and 6"), std::string::npos)
      << VerifyReasonText(r, i18n::Lang::kEn);
  auto next = checkpointer().CheckpointNow();
  ASSERT_FALSE(next) << "the checkpointer must not sign a rewritten chain";
  EXPECT_NE(next.error().message.find("no longer extends"), std::string::npos) << next.error().message;
}

TEST_F(AuditAnchoring, CuttingTheTailAndFixingTheHeadIsDetected) {
  AppendAndCheckpoint(8);
  DropGuards();
  {
    auto s = db_->Acquire();
    s.sql() << "DELETE FROM audit_log WHERE id > 5";
    std::string hash;
    s.sql() << "SELECT hash FROM audit_log WHERE id = 5", soci::into(hash);
    s.sql() << "UPDATE audit_head SET last_id = 5, last_hash = :h WHERE singleton = 1", soci::use(hash);
  }
  auto plain = log_->Verify();
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->broken()) << "a consistent shorter chain looks intact on its own";
  auto r = VerifyWithCheckpoints();
  ASSERT_TRUE(r.first_broken_id);
  EXPECT_EQ(*r.first_broken_id, 6);
  EXPECT_EQ(r.reason, "audit_verify.truncated");
  const MessageParams& params = r.params;
  EXPECT_NE(std::find(params.begin(), params.end(), std::pair<std::string, std::string>{"entries", "5"}), params.end());
  EXPECT_NE(VerifyReasonText(r, i18n::Lang::kEn).find("has 5 entries"), std::string::npos)
      << VerifyReasonText(r, i18n::Lang::kEn);
}

TEST_F(AuditAnchoring, ReplacingARowIsRefusedAndWhenForcedIsDetected) {
  AppendAndCheckpoint(4);
  auto page = log_->Query(AuditQuery{.record_id = std::string("103"), .limit = 1});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  AuditEntry e = page->items[0];  // entry 4, the checkpointed head
  e.record_id = "555";
  e.hash = ChainHash(e, e.prev_hash);
  long long id = e.id;
  const std::string replace =
      Postgres() ? "INSERT INTO audit_log (id, at, user_id, username, action, record_type, record_id, ip, request_id, "
                   "details, "
                   "prev_hash, hash) VALUES (:id, :at, NULL, :un, :ac, :rt, :ri, :ip, :rq, :de, :ph, :h) ON CONFLICT "
                   "(id) DO UPDATE "
                   "SET record_id = EXCLUDED.record_id, hash = EXCLUDED.hash"
                 : "INSERT OR REPLACE INTO audit_log (id, at, user_id, username, action, record_type, record_id, ip, "
                   "request_id, "
                   "details, prev_hash, hash) VALUES (:id, :at, NULL, :un, :ac, :rt, :ri, :ip, :rq, :de, :ph, :h)";
  auto run_replace = [&] {
    auto s = db_->Acquire();
    s.sql() << replace, soci::use(id), soci::use(e.at), soci::use(e.username), soci::use(e.action),
        soci::use(e.record_type), soci::use(e.record_id), soci::use(e.ip), soci::use(e.request_id),
        soci::use(e.details), soci::use(e.prev_hash), soci::use(e.hash);
  };
  EXPECT_ANY_THROW(run_replace()) << "the database refuses to replace an audit row";
  DropGuards();
  run_replace();
  {
    auto s = db_->Acquire();
    s.sql() << "UPDATE audit_head SET last_hash = :h WHERE singleton = 1", soci::use(e.hash);
  }
  auto plain = log_->Verify();
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->broken()) << "replacing the last row and fixing the head passes the chain alone";
  auto r = VerifyWithCheckpoints();
  ASSERT_TRUE(r.first_broken_id);
  EXPECT_EQ(*r.first_broken_id, 4) << r.reason;
}

TEST_F(AuditAnchoring, AnAlteredCheckpointFileIsDetected) {
  AppendAndCheckpoint(3);
  AppendAndCheckpoint(3);
  std::vector<std::string> lines;
  {
    std::ifstream in(Checkpoints());
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  ASSERT_EQ(lines.size(), 3u);
  // The attacker rehashed the database and now edits the second checkpoint's hash to match.
  auto pos = lines[2].find("\"hash\":\"") + 8;
  lines[2][pos] = lines[2][pos] == 'a' ? 'b' : 'a';
  {
    std::ofstream out(Checkpoints(), std::ios::trunc);
    for (const auto& l : lines) out << l << "\n";
  }
  auto r = VerifyWithCheckpoints();
  ASSERT_TRUE(r.bad_checkpoint_line);
  EXPECT_EQ(*r.bad_checkpoint_line, 3);
  EXPECT_EQ(r.reason, "audit_verify.checkpoint_unsigned");
  EXPECT_NE(VerifyReasonText(r, i18n::Lang::kEn).find("signature"), std::string::npos)
      << VerifyReasonText(r, i18n::Lang::kEn);

  // A file re-signed with the attacker's own key carries their public key in its header; the
  // operator's copy of the real public key (--audit-public-key) rejects it.
  SigningKey other;
  {
    auto pub = GenerateKeyFile((dir_ / "other").string());
    ASSERT_TRUE(pub);
    other = *LoadSigningKey((dir_ / "other").string());
  }
  auto file = ReadCheckpointFile(Checkpoints());
  ASSERT_TRUE(file);
  for (auto& c : file->checkpoints) c = SignCheckpoint(other, c.id, c.hash, c.at);
  Anchors real{&*file, *ParsePublicKey(public_hex_)};
  auto forged = log_->Verify(&real);
  ASSERT_TRUE(forged);
  EXPECT_TRUE(forged->bad_checkpoint_line);
}

TEST_F(AuditAnchoring, TheWriterRefusesACheckpointFileOfAnotherKey) {
  AppendAndCheckpoint(1);
  auto pub = GenerateKeyFile((dir_ / "other").string());
  ASSERT_TRUE(pub);
  auto other = LoadSigningKey((dir_ / "other").string());
  auto w = CheckpointWriter::Open(Checkpoints(), *other);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("another key"), std::string::npos);
}

TEST_F(AuditAnchoring, ConcurrentAppendsShareCommitsAndKeepTheChain) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 40; ++i) {
        AuditEntry e;
        e.username = "w" + std::to_string(t);
        e.action = "view";
        e.record_type = "person";
        e.record_id = std::to_string(i);
        auto r = log_->Append(e);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_GT(r->id, 0);
      }
    });
    if (t == 3) {
      auto c = checkpointer().CheckpointNow();  // checkpoints taken while appends run
      EXPECT_TRUE(c) << c.error().message;
    }
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(checkpointer().CheckpointNow());
  auto r = VerifyWithCheckpoints();
  EXPECT_FALSE(r.broken()) << r.reason;
  EXPECT_EQ(r.checked, 320);
  EXPECT_EQ(r.anchored_through, 320);
}

TEST_F(AuditAnchoring, DetailsThatAreNotAJsonObjectAreRefused) {
  AuditEntry e;
  e.username = "x";
  e.action = "view";
  e.record_type = "benefit";
  e.details = R"({"reference":"x","recorded_by":"mallory"} trailing)";
  EXPECT_FALSE(log_->Append(e));
  e.details = R"("just a string")";
  EXPECT_FALSE(log_->Append(e));
  for (const char* bad : {"[1, 2]", "{", " ", "{\"a\":1}{\"b\":2}", "{\"a\": 1e999x}"}) {
    e.details = bad;
    EXPECT_FALSE(log_->Append(e)) << bad;
  }
  for (const char* good : {" {\"ids\":[1,2,3]}", "{}", "{\"q\":\"محمد\"}"}) {
    e.details = good;
    EXPECT_TRUE(log_->Append(e)) << good;
  }
}

TEST_F(AuditAnchoring, VerifyReportsProgressEveryChunkAndStopsWhenAsked) {
  AppendViews(5);
  std::vector<std::pair<long long, long long>> calls;
  VerifyProgress progress{.on_chunk =
                              [&calls](long long checked, long long total) {
                                calls.emplace_back(checked, total);
                                return Ok();
                              },
                          .every = 2};
  auto r = log_->Verify(nullptr, &progress);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->broken());
  const std::vector<std::pair<long long, long long>> expected{{0, 5}, {2, 5}, {4, 5}, {5, 5}};
  EXPECT_EQ(calls, expected);
  // A job asked to stop: the walk ends at the chunk boundary with that failure.
  progress.on_chunk = [](long long checked, long long) -> Status {
    if (checked >= 2) return Fail(Code::kUnavailable, "stopping");
    return Ok();
  };
  auto stopped = log_->Verify(nullptr, &progress);
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, Code::kUnavailable);
}

}  // namespace
}  // namespace sanad::audit
