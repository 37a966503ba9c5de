#include "targeting/rescoring.h"

#include <algorithm>

#include "targeting/rescoring_store.h"
#include "targeting/score_run.h"

namespace sanad::targeting {
namespace {

// What one pass found: the entries it handled, or a gap (pruned entries) up to `gap_to`.
struct Pass {
  RescoringTotals totals;
  std::int64_t position = 0;
  std::int64_t gap_to = 0;  // > 0: the feed was pruned past the position
};

}  // namespace

Rescoring::Rescoring(db::Database& db, registry::ChangeFeedStore& feed, ScoreStore& scores, Model model,
                     const Clock& clock, RescoringOptions options)
    : db_(db), feed_(feed), scores_(scores), model_(std::move(model)), clock_(clock), options_(options) {}

Result<std::int64_t> Rescoring::Position() {
  auto last = feed_.LastSeq();
  if (!last) return std::unexpected(last.error());
  const std::string now = FormatTimestamp(clock_.Now());
  return db_.InTransaction<std::int64_t>(
      [&](db::Session& s) -> Result<std::int64_t> { return RescoringStore::LockPosition(s, kConsumer, *last, now); });
}

Result<RescoringTotals> Rescoring::CatchUp() {
  RescoringTotals totals;
  while (true) {
    // Nothing new since this process's last pass: no transaction (the follower calls this per entry).
    auto last = feed_.LastSeq();
    if (!last) return std::unexpected(last.error());
    if (*last <= done_.load()) return totals;

    const auto at = clock_.Now();
    const std::string now = FormatTimestamp(at), as_of = DateOf(at).ToString();
    auto pass = db_.InTransaction<Pass>([&](db::Session& s) -> Result<Pass> {
      Pass p;
      p.position = RescoringStore::LockPosition(s, kConsumer, *last, now);
      // The feed's committed rows do not change: read on another connection while this one holds the lock.
      auto entries = feed_.After(p.position, options_.entries_per_pass);
      if (!entries) return std::unexpected(entries.error());
      if (entries->empty()) return p;
      if (entries->front().seq != p.position + 1) {
        p.gap_to = entries->back().seq;
        return p;
      }
      std::vector<std::int64_t> households, persons;
      for (const auto& e : *entries) {
        households.insert(households.end(), e.change.household_ids.begin(), e.change.household_ids.end());
        persons.insert(persons.end(), e.change.person_ids.begin(), e.change.person_ids.end());
      }
      std::sort(persons.begin(), persons.end());
      persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
      for (std::size_t i = 0; i < persons.size(); i += options_.chunk) {
        const std::vector<std::int64_t> part(
            persons.begin() + static_cast<std::ptrdiff_t>(i),
            persons.begin() + static_cast<std::ptrdiff_t>(std::min(persons.size(), i + options_.chunk)));
        auto of = RescoringStore::HouseholdsOfPersons(s, part);
        households.insert(households.end(), of.begin(), of.end());
      }
      std::sort(households.begin(), households.end());
      households.erase(std::unique(households.begin(), households.end()), households.end());
      for (std::size_t i = 0; i < households.size(); i += options_.chunk) {
        const std::vector<std::int64_t> part(
            households.begin() + static_cast<std::ptrdiff_t>(i),
            households.begin() + static_cast<std::ptrdiff_t>(std::min(households.size(), i + options_.chunk)));
        const HouseholdBatch batch = scores_.ReadHouseholds(s, part, as_of);
        if (batch.size() == 0) continue;  // exited or merged away: their last score stays as it was
        const ScoredBatch scored = Score(model_, batch);
        p.totals.saved += scores_.SaveIn(s, model_, batch, scored, as_of, now);
        p.totals.households += batch.size();
      }
      p.totals.changes = entries->size();
      p.position = entries->back().seq;
      RescoringStore::SetPosition(s, kConsumer, p.position, now);
      return p;
    });
    if (!pass) return std::unexpected(pass.error());
    if (pass->gap_to > 0) {
      auto whole = WholeRegistry(pass->gap_to);
      if (!whole) return std::unexpected(whole.error());
      totals.whole_registry = true;
      totals.households += whole->households;
      totals.saved += whole->saved;
      continue;
    }
    totals.changes += pass->totals.changes;
    totals.households += pass->totals.households;
    totals.saved += pass->totals.saved;
    done_ = pass->position;
    if (pass->totals.changes == 0) {
      // The position is at the feed's end as read at the start (or past it).
      done_ = std::max(pass->position, *last);
      return totals;
    }
  }
}

Result<RescoringTotals> Rescoring::WholeRegistry(std::int64_t up_to) {
  const auto at = clock_.Now();
  RunOptions run{DateOf(at).ToString(), FormatTimestamp(at), options_.chunk};
  auto all = ScoreAll(scores_, model_, run);
  if (!all) return std::unexpected(all.error());
  const std::string now = FormatTimestamp(clock_.Now());
  auto moved = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    const std::int64_t at_seq = RescoringStore::LockPosition(s, kConsumer, up_to, now);
    if (at_seq < up_to) RescoringStore::SetPosition(s, kConsumer, up_to, now);
    return true;
  });
  if (!moved) return std::unexpected(moved.error());
  RescoringTotals totals;
  totals.whole_registry = true;
  totals.households = all->households;
  totals.saved = all->saved;
  return totals;
}

}  // namespace sanad::targeting
