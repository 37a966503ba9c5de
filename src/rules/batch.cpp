#include "rules/batch.h"

#include <algorithm>

#include "rules/batch_check.h"

namespace sanad::rules {
namespace {

// The values of `rows`; false when the column's vectors do not hold `size` values (an empty `present`
// means every value is present; the value vectors other than the type's own are empty).
bool Gather(const InputColumn& from, std::size_t size, std::span<const std::uint32_t> rows, InputColumn& to) {
  to.type = from.type;
  to.text = from.text;  // the selection views the same text
  auto pick = [&](const auto& in, auto& out) {
    if (in.empty()) return true;
    if (in.size() != size) return false;
    out.reserve(rows.size());
    for (auto r : rows) out.push_back(in[r]);
    return true;
  };
  return pick(from.ints, to.ints) && pick(from.decimals, to.decimals) && pick(from.strings, to.strings) &&
         pick(from.present, to.present);
}

}  // namespace

std::string_view TextArena::Add(std::string_view text) {
  if (text.size() > left_) {
    // Blocks of 64 KiB: a few per chunk of a registry read; a longer text gets a block of its own size.
    const std::size_t size = std::max<std::size_t>(text.size(), 64 * 1024);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    next_ = blocks_.back().get();
    left_ = size;
  }
  char* at = next_;
  std::copy(text.begin(), text.end(), at);
  next_ += text.size();
  left_ -= text.size();
  return {at, text.size()};
}

void AddString(InputColumn& column, std::string_view value) {
  if (!column.text) column.text = std::make_shared<TextArena>();
  column.strings.push_back(column.text->Add(value));
}

Result<Batch> SelectHouseholds(const Batch& batch, std::span<const std::uint32_t> rows) {
  if (!OffsetsValid(batch)) return BatchInvalid("member_offsets");
  const auto& off = batch.member_offsets;
  Batch out;
  out.households = rows.size();
  out.member_offsets.reserve(rows.size() + 1);
  out.member_offsets.push_back(0);
  std::vector<std::uint32_t> member_rows;
  for (auto h : rows) {
    if (h >= batch.households) return BatchInvalid("rows");
    for (std::uint32_t m = off[h]; m < off[h + 1]; ++m) member_rows.push_back(m);
    out.member_offsets.push_back(static_cast<std::uint32_t>(member_rows.size()));
  }
  for (const auto& [name, column] : batch.household) {
    if (!Gather(column, batch.households, rows, out.household[name])) return BatchInvalid(name);
  }
  for (const auto& [name, column] : batch.member) {
    if (!Gather(column, off.back(), member_rows, out.member[name])) return BatchInvalid(name);
  }
  return out;
}

}  // namespace sanad::rules
