// sanad serve --db URL --port N [--bind ADDR]: the web application and the JSON API.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/application.h"
#include "app/cli_errors.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/platform.h"
#include "audit/checkpointer.h"
#include "dci/signature.h"

namespace sanad::app {

namespace {

struct ServeOptions {
  DatabaseOptions db{"sqlite:var/sanad.db"};
  std::string bind = "127.0.0.1";
  int port = 8080;
  int threads = 8;
  std::string web_root = DefaultWebRoot();
  std::string data_dir = DefaultDataDir();
  std::string access_log = "-";
  // Background jobs (src/jobs): this server's share of the cluster's batch work.
  std::string node_id;  // empty: hostname:pid
  int job_workers = 1;
  int job_lease_ms = 15'000;
  int job_heartbeat_ms = 5'000;
  int job_poll_ms = 1'000;
  int test_job_chunk_delay_ms = 0;  // TEST ONLY: slows every job down at each chunk boundary
  int feed_poll_ms = 1000;
  std::string score_model;                   // the active socio-economic index model file (empty: none)
  std::string affiliation_funds;             // affiliation funds' parameter sets (JSON; empty: built-in)
  std::string audit_signing_key;             // Ed25519 key file (sanad audit keygen)
  std::string audit_checkpoints;             // signed checkpoints of the audit chain, outside the database
  int audit_checkpoint_interval = 60;        // seconds
  std::string public_url;                    // https://… when a TLS proxy in front serves the application
  std::vector<std::string> trusted_proxies;  // reverse proxies whose X-Forwarded-For is believed
  // The ministry's paying account, written in pain.001 files (docs/payments.md).
  std::string payments_debtor_name;
  std::string payments_debtor_account;
  std::string payments_debtor_bic;
  std::string payments_initiating_party;
  std::string case_notes_key_file;                // 64 hex digits sealing confidential case notes (docs/cases.md)
  std::string dci_signing_key;                    // Ed25519 key file signing Sanad's SPDCI messages (sanad dci keygen)
  int counselling_delivery_s = 60;                // how often the counselling outbox is delivered (0: never)
  int microcredit_collection_interval_s = 86400;  // collection proposals (0: never)
  int case_escalation_interval_s = 300;           // how often overdue cases are escalated (0: never)
  int job_history_days = 90;                      // settled periodic passes kept (0: for ever)
};

// The audit chain's anchor outside the database: a checkpointer that signs the chain head into the
// checkpoint file every interval and at shutdown. Null when not configured.
struct AuditAnchor {
  std::unique_ptr<audit::CheckpointWriter> writer;
  std::unique_ptr<audit::Checkpointer> checkpointer;
};

Result<AuditAnchor> StartAuditAnchor(const ServeOptions& o, Platform& p) {
  AuditAnchor a;
  if (o.audit_signing_key.empty() && o.audit_checkpoints.empty()) {
    spdlog::warn(
        "audit checkpoints are off (--audit-signing-key and --audit-checkpoints): someone who can write the "
        "database could rewrite the audit log undetected");
    return a;
  }
  if (o.audit_signing_key.empty() || o.audit_checkpoints.empty()) {
    return Fail(Code::kInvalidArgument, "--audit-signing-key and --audit-checkpoints go together");
  }
  auto key = audit::LoadSigningKey(o.audit_signing_key);
  if (!key) return std::unexpected(key.error());
  auto writer = audit::CheckpointWriter::Open(o.audit_checkpoints, *key);
  if (!writer) return std::unexpected(writer.error());
  a.writer = std::move(*writer);
  a.checkpointer = std::make_unique<audit::Checkpointer>(
      *p.audit, *a.writer, *p.clock, std::chrono::seconds(o.audit_checkpoint_interval),
      [](const std::string& message) { spdlog::error("audit checkpoint: {}", message); });
  // A first checkpoint now: it also checks that the chain still extends the last one signed.
  if (auto c = a.checkpointer->CheckpointNow(); !c) spdlog::error("audit checkpoint: {}", CliErrorText(c.error()));
  a.checkpointer->Start();
  spdlog::info("audit checkpoints: every {} s to {} (public key {})", o.audit_checkpoint_interval, o.audit_checkpoints,
               key->PublicHex());
  return a;
}

int Serve(const ServeOptions& o) {
  // Block the stop signals before any thread starts so that only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto platform = OpenPlatform({o.db, o.data_dir, static_cast<std::size_t>(o.threads) + 2, true});
  if (!platform) {
    spdlog::error("{}", CliErrorText(platform.error()));
    return 1;
  }
  Platform& p = **platform;
  auto anchor = StartAuditAnchor(o, p);
  if (!anchor) {
    spdlog::error("{}", CliErrorText(anchor.error()));
    return 1;
  }
  std::shared_ptr<spdlog::logger> access;
  if (o.access_log == "-") {
    access = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  } else if (o.access_log != "none") {
    access =
        std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::basic_file_sink_mt>(o.access_log));
  }
  if (access) {
    access->set_pattern("%v");
    access->flush_on(spdlog::level::info);
  }
  std::optional<targeting::Model> score_model;
  if (!o.score_model.empty()) {
    auto model = targeting::LoadModel(o.score_model);
    if (!model) {
      spdlog::error("{}", CliErrorText(model.error()));
      return 1;
    }
    if (auto regions = CheckModelRegions(*model, p); !regions) {
      spdlog::error("{}", CliErrorText(regions.error()));
      return 1;
    }
    score_model = std::move(*model);
  }
  std::vector<affiliation::FundRules> affiliation_funds;
  if (!o.affiliation_funds.empty()) {
    std::ifstream in(o.affiliation_funds);
    const auto sets = nlohmann::json::parse(in, nullptr, false);
    if (!in.good() && !in.eof()) {
      spdlog::error("--affiliation-funds: cannot read {}", o.affiliation_funds);
      return 1;
    }
    if (sets.is_discarded()) {
      spdlog::error("--affiliation-funds {}: not JSON", o.affiliation_funds);
      return 1;
    }
    auto funds = affiliation::FundsWith(sets);
    if (!funds) {
      spdlog::error("--affiliation-funds {}: {}", o.affiliation_funds, CliErrorText(funds.error()));
      return 1;
    }
    affiliation_funds = std::move(*funds);
  }
  // The key of confidential case notes: $SANAD_CASE_NOTES_KEY or the secret file, never the database.
  std::optional<cases::NoteCipher> case_notes;
  {
    auto key = ReadSecret("case_notes_key", o.case_notes_key_file);
    if (!key) {
      spdlog::error("{}", CliErrorText(key.error()));
      return 1;
    }
    if (*key) {
      auto cipher = cases::NoteCipher::FromHex(**key);
      if (!cipher) {
        spdlog::error("{}", CliErrorText(cipher.error()));
        return 1;
      }
      case_notes = *cipher;
    }
  }
  // Sanad's DCI signing key: one file per deployment, the same on every app server (docs/dci.md).
  std::optional<dci::OwnKey> dci_key;
  if (!o.dci_signing_key.empty()) {
    auto file = audit::LoadSigningKey(o.dci_signing_key, "DCI signing key", "dci-signing-key");
    if (!file) {
      spdlog::error("{}", CliErrorText(file.error()));
      return 1;
    }
    auto key = dci::OwnKeyFromSecret(file->secret);
    if (!key) {
      spdlog::error("--dci-signing-key {}: {}", o.dci_signing_key, CliErrorText(key.error()));
      return 1;
    }
    dci_key = std::move(*key);
    spdlog::info("DCI messages signed with key {} (GET /dci/public-key)", dci_key->key_id);
  }
  if (o.test_job_chunk_delay_ms > 0)
    spdlog::warn("test knob: every job sleeps {} ms per chunk", o.test_job_chunk_delay_ms);
  const auto collection_interval = std::chrono::seconds(o.microcredit_collection_interval_s);
  auto app =
      Application::Create(p, {.data_dir = o.data_dir,
                              .server = {.bind = o.bind,
                                         .port = static_cast<std::uint16_t>(o.port),
                                         .threads = static_cast<std::size_t>(o.threads),
                                         .trusted_proxies = o.trusted_proxies},
                              .web_root = o.web_root,
                              .access_log = access,
                              .https = o.public_url.starts_with("https://"),
                              .jobs = {.node_id = o.node_id,
                                       .workers = o.job_workers,
                                       .lease = std::chrono::milliseconds(o.job_lease_ms),
                                       .heartbeat = std::chrono::milliseconds(o.job_heartbeat_ms),
                                       .poll = std::chrono::milliseconds(o.job_poll_ms),
                                       .progress_flush = std::chrono::milliseconds(std::min(1000, o.job_heartbeat_ms)),
                                       .test_chunk_delay = std::chrono::milliseconds(o.test_job_chunk_delay_ms)},
                              .feed_poll = std::chrono::milliseconds(o.feed_poll_ms),
                              .payment_debtor = {.name = o.payments_debtor_name,
                                                 .account = o.payments_debtor_account,
                                                 .bic = o.payments_debtor_bic.empty()
                                                            ? std::nullopt
                                                            : std::optional<std::string>(o.payments_debtor_bic),
                                                 .initiating_party = o.payments_initiating_party},
                              .score_model = std::move(score_model),
                              .affiliation_funds = std::move(affiliation_funds),
                              .dci_outbox = {.signing_key = std::move(dci_key)},

                              .case_notes = case_notes,
                              .case_escalation_interval = std::chrono::seconds(o.case_escalation_interval_s),
                              .counselling_delivery_interval = std::chrono::seconds(o.counselling_delivery_s),
                              .microcredit_collection_interval = collection_interval,
                              .pass_history = std::chrono::hours(24 * o.job_history_days)});
  if (!app) {
    spdlog::error("{}", CliErrorText(app.error()));
    return 1;
  }
  if (auto st = (*app)->Listen(); !st) {
    spdlog::error("{}", CliErrorText(st.error()));
    return 1;
  }
  spdlog::info("Sanad serving http://{}:{}/ (database {}, {} web files, node {})", o.bind, o.port, p.db->url().display,
               (*app)->files().size(), (*app)->runner().node_id());
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, finishing requests in progress", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  // The server finishes requests in progress; running jobs stop at their next chunk boundary and are
  // given back to the queue.
  (*app)->Stop();
  if (anchor->checkpointer) {
    if (auto st = anchor->checkpointer->Stop(); !st)
      spdlog::error("final audit checkpoint: {}", CliErrorText(st.error()));
  }
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& root) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd = root.add_subcommand("serve", "Serve the web application and the JSON API");
  AddDatabaseOptions(*cmd, o->db);
  cmd->add_option("--port", o->port, "TCP port")->check(CLI::Range(1, 65535))->capture_default_str();
  cmd->add_option("--bind", o->bind, "Address to listen on")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Request threads")->check(CLI::Range(1, 256))->capture_default_str();
  cmd->add_option("--web-root", o->web_root, "Folder of the built web application")->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the reference data")->capture_default_str();
  cmd->add_option("--access-log", o->access_log, "Access log file; '-' for standard output, 'none' to disable")
      ->capture_default_str();
  cmd->add_option("--node-id", o->node_id, "This server's name in job leases (default hostname:pid)");
  cmd->add_option("--job-workers", o->job_workers, "Background jobs this server runs at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--job-lease-ms", o->job_lease_ms,
                  "A job whose server stops heartbeating is taken over after this long")
      ->check(CLI::Range(200, 3'600'000))
      ->capture_default_str();
  cmd->add_option("--job-heartbeat-ms", o->job_heartbeat_ms,
                  "How often a running job's lease is extended (under half the lease)")
      ->check(CLI::Range(50, 600'000))
      ->capture_default_str();
  cmd->add_option("--job-poll-ms", o->job_poll_ms, "How often an idle server looks for queued jobs")
      ->check(CLI::Range(10, 600'000))
      ->capture_default_str();
  cmd->add_option("--test-job-chunk-delay-ms", o->test_job_chunk_delay_ms,
                  "TEST ONLY: sleep this long at every job chunk boundary (cluster takeover tests)")
      ->check(CLI::Range(0, 600'000))
      ->group("Testing");
  cmd->add_option("--feed-poll-ms", o->feed_poll_ms,
                  "How often the registry change feed is read when no notification came (other app servers' changes)")
      ->check(CLI::Range(50, 60000))
      ->capture_default_str();
  cmd->add_option("--score-model", o->score_model,
                  "Socio-economic index model file (JSON, docs/data-formats.md): approved changes re-score their "
                  "households with it and the simulator computes a missing index with it");
  cmd->add_option("--affiliation-funds", o->affiliation_funds,
                  "Affiliation funds' parameter sets (JSON array, docs/affiliation.md): configures Morocco's AMO of "
                  "independents or replaces a built-in fund");
  cmd->add_option("--audit-signing-key", o->audit_signing_key,
                  "Ed25519 key file signing audit checkpoints (sanad audit keygen; mode 0600)");
  cmd->add_option("--audit-checkpoints", o->audit_checkpoints,
                  "File (outside the database) to which signed audit checkpoints are appended");
  cmd->add_option("--audit-checkpoint-interval", o->audit_checkpoint_interval, "Seconds between audit checkpoints")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  cmd->add_option("--payments-debtor-name", o->payments_debtor_name,
                  "Name of the paying ministry in pain.001 payment files (Dbtr/Nm)");
  cmd->add_option("--payments-debtor-account", o->payments_debtor_account,
                  "RIB of the account payments are made from (pain.001 DbtrAcct)");
  cmd->add_option("--payments-debtor-bic", o->payments_debtor_bic,
                  "BIC of the paying account's bank (pain.001 DbtrAgt); empty: NOTPROVIDED");
  cmd->add_option("--payments-initiating-party", o->payments_initiating_party,
                  "Name of the initiating party in pain.001 files (InitgPty/Nm); empty: the debtor's name");
  cmd->add_option("--dci-signing-key", o->dci_signing_key,
                  "Ed25519 key file (sanad dci keygen; mode 0600) signing every SPDCI message Sanad sends; the same "
                  "file on every app server. Without it callbacks and requests to civil registries go unsigned")
      ->group(kSecretGroup);
  cmd->add_option("--case-notes-key-file", o->case_notes_key_file,
                  "File holding the key (64 hexadecimal digits, mode 0600) that seals confidential case notes; "
                  "without it confidential notes are refused")
      ->group(kSecretGroup);
  cmd->add_option(
         "--case-escalation-interval-s", o->case_escalation_interval_s,
         "Seconds between escalation passes over overdue cases and grievances (0: only when a coordinator starts one)")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  cmd->add_option("--counselling-delivery-interval-s", o->counselling_delivery_s,
                  "Seconds between deliveries of the counselling outbox: confirmations, reminders, cancellations "
                  "(0: only when an administrator starts one)")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  cmd->add_option("--job-history-days", o->job_history_days,
                  "Days the settled runs of the periodic passes (escalations, outbox deliveries, collection "
                  "proposals) are kept in the jobs table (0: for ever)")
      ->check(CLI::Range(0, 36500))
      ->capture_default_str();
  cmd->add_option("--microcredit-collection-interval-s", o->microcredit_collection_interval_s,
                  "Seconds between micro-credit collection proposals (a field visit for each loan entering 31-60 "
                  "days of arrears without an open task; 0: only when an officer starts one)")
      ->check(CLI::Range(0, 7 * 86400))
      ->capture_default_str();
  cmd->add_option("--trusted-proxy", o->trusted_proxies,
                  "Address of a reverse proxy in front (repeat for several): from it, X-Forwarded-For gives the "
                  "client's address for sign-in throttling and the audit log");
  cmd->add_option("--public-url", o->public_url,
                  "Address users reach the application at, e.g. https://sanad.example.ma behind a TLS proxy; "
                  "https:// marks session cookies Secure and sends Strict-Transport-Security")
      ->check([](const std::string& v) {
        return v.starts_with("https://") || v.starts_with("http://")
                   ? std::string()
                   : std::string("must start with https:// or http://");
      });
  cmd->callback([o] {
    if (o->job_heartbeat_ms * 2 > o->job_lease_ms) {
      spdlog::error("--job-heartbeat-ms must be at most half of --job-lease-ms");
      std::exit(2);
    }
    std::exit(Serve(*o));
  });
}

}  // namespace sanad::app
