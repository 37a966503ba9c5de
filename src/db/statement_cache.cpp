#include "db/statement_cache.h"

#include <soci/sqlite3/soci-sqlite3.h>
#include <stdexcept>

namespace sanad::db {

struct Prepared::Entry {
  enum class Kind { kInt, kText };
  struct Param {
    Kind kind = Kind::kText;
    long long i = 0;
    std::string s;
    soci::indicator ind = soci::i_ok;
  };

  explicit Entry(soci::session& sql) : st(sql) {}

  std::string text;
  soci::statement st;
  soci::row row;
  std::deque<Param> params;  // stable addresses: SOCI keeps pointers to them
  bool bound = false;        // parameters and the row exchanged with SOCI (fixed from then on)
  bool in_use = false;
  std::uint64_t last_used = 0;
};

Prepared::Prepared(StatementCache& cache, Entry* entry, std::unique_ptr<Entry> owned)
    : cache_(&cache), entry_(entry), owned_(std::move(owned)) {}

Prepared::Prepared(Prepared&& o) noexcept
    : cache_(o.cache_), entry_(o.entry_), owned_(std::move(o.owned_)), next_param_(o.next_param_) {
  o.entry_ = nullptr;
}

Prepared::~Prepared() {
  if (!entry_) return;
  if (cache_->dialect_ == Dialect::kSqlite && entry_->bound) {
    // An unfinished SQLite statement keeps its read transaction (and WAL snapshot) open.
    auto* be = static_cast<soci::sqlite3_statement_backend*>(entry_->st.get_backend());
    if (be && be->stmt_) sqlite_api::sqlite3_reset(be->stmt_);
  }
  if (!owned_) cache_->Release(entry_, false);
}

void Prepared::Fail() {
  if (!owned_ && entry_) {
    cache_->Release(entry_, true);  // finalised: never reused after an error
    entry_ = nullptr;
  }
}

namespace {

Prepared::Entry::Param& Slot(std::deque<Prepared::Entry::Param>& params, bool bound, std::size_t i,
                             Prepared::Entry::Kind kind, const std::string& text) {
  if (!bound) {
    if (params.size() != i) throw std::logic_error("statement parameters bound out of order: " + text);
    params.push_back({});
    params.back().kind = kind;
  }
  if (i >= params.size()) throw std::logic_error("too many parameters bound for: " + text);
  auto& p = params[i];
  if (p.kind != kind) throw std::logic_error("a parameter changed kind between executions of: " + text);
  return p;
}

}  // namespace

Prepared& Prepared::Bind(long long v) {
  auto& p = Slot(entry_->params, entry_->bound, next_param_++, Entry::Kind::kInt, entry_->text);
  p.i = v;
  p.ind = soci::i_ok;
  return *this;
}

Prepared& Prepared::Bind(std::string_view v) {
  auto& p = Slot(entry_->params, entry_->bound, next_param_++, Entry::Kind::kText, entry_->text);
  p.s.assign(v);
  p.ind = soci::i_ok;
  return *this;
}

Prepared& Prepared::Bind(const std::optional<std::string>& v) {
  auto& p = Slot(entry_->params, entry_->bound, next_param_++, Entry::Kind::kText, entry_->text);
  if (v) {
    p.s = *v;
    p.ind = soci::i_ok;
  } else {
    p.s.clear();
    p.ind = soci::i_null;
  }
  return *this;
}

Prepared& Prepared::Bind(const std::optional<long long>& v) {
  auto& p = Slot(entry_->params, entry_->bound, next_param_++, Entry::Kind::kInt, entry_->text);
  p.i = v.value_or(0);
  p.ind = v ? soci::i_ok : soci::i_null;
  return *this;
}

bool Prepared::Execute() {
  if (!entry_) throw std::logic_error("a failed statement was executed again");
  if (next_param_ != entry_->params.size()) {
    throw std::logic_error("wrong number of parameters bound for: " + entry_->text);
  }
  next_param_ = 0;
  try {
    if (!entry_->bound) {
      entry_->st.exchange(soci::into(entry_->row));
      for (auto& p : entry_->params) {
        if (p.kind == Entry::Kind::kInt) {
          entry_->st.exchange(soci::use(p.i, p.ind));
        } else {
          entry_->st.exchange(soci::use(p.s, p.ind));
        }
      }
      entry_->st.define_and_bind();
      entry_->bound = true;
    }
    return entry_->st.execute(true);
  } catch (...) {
    Fail();
    throw;
  }
}

bool Prepared::Next() {
  try {
    return entry_->st.fetch();
  } catch (...) {
    Fail();
    throw;
  }
}

const soci::row& Prepared::Row() const { return entry_->row; }

long long Prepared::AffectedRows() { return entry_->st.get_affected_rows(); }

StatementCache::StatementCache(soci::session& sql, Dialect dialect, std::size_t capacity)
    : sql_(sql), dialect_(dialect), capacity_(capacity == 0 ? 1 : capacity) {}

StatementCache::~StatementCache() = default;

std::unique_ptr<Prepared::Entry> StatementCache::Make(std::string_view text) {
  auto e = std::make_unique<Prepared::Entry>(sql_);
  e->text.assign(text);
  e->st.alloc();
  e->st.prepare(e->text);  // SOCI's repeatable query: a named prepared statement on PostgreSQL
  ++prepared_;
  return e;
}

Prepared StatementCache::Prepare(std::string_view text) {
  ++tick_;
  if (auto it = entries_.find(text); it != entries_.end()) {
    Prepared::Entry* e = it->second.get();
    if (!e->in_use) {
      e->in_use = true;
      e->last_used = tick_;
      ++reused_;
      return Prepared(*this, e, nullptr);
    }
    auto owned = Make(text);  // nested use of the same statement
    Prepared::Entry* raw = owned.get();
    return Prepared(*this, raw, std::move(owned));
  }
  auto made = Make(text);
  Prepared::Entry* e = made.get();
  e->in_use = true;
  e->last_used = tick_;
  entries_.emplace(e->text, std::move(made));
  if (entries_.size() > capacity_) Evict();
  return Prepared(*this, e, nullptr);
}

void StatementCache::Release(Prepared::Entry* e, bool failed) {
  e->in_use = false;
  if (failed) {
    const std::string key = e->text;  // the entry (and its text) dies in erase
    entries_.erase(key);
  }
}

void StatementCache::Evict() {
  auto victim = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second->in_use) continue;
    if (victim == entries_.end() || it->second->last_used < victim->second->last_used) victim = it;
  }
  if (victim != entries_.end()) entries_.erase(victim);
}

void StatementCache::Clear() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second->in_use) {
      ++it;
    } else {
      it = entries_.erase(it);
    }
  }
}

StatementCacheStats StatementCache::Stats() const { return {prepared_, reused_, entries_.size()}; }

}  // namespace sanad::db
