// Columnar store of person records prepared for linkage: every field normalised once at load time,
// interned (string → small integer id) so that equality is an integer compare, term frequencies are
// counts, and the per-record footprint is a few 32-bit ids (about 100 bytes per record, so 10 M
// records fit in ~1 GB plus the distinct values).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sanad::linkage {

// Raw input fields, in the registry's canonical person layout plus the FEBRL/NCVR address fields.
enum class InField : std::uint8_t {
  kGivenAr,
  kFamilyAr,
  kGivenLat,
  kFamilyLat,
  kFatherAr,
  kFatherLat,
  kSex,
  kBirthDate,
  kCommune,
  kLocality,
  kPostcode,
  kAddress,
  kStreetNo,
  kState,
  kNationalId,
  kPhone,
  kCount
};
inline constexpr std::size_t kNumInFields = static_cast<std::size_t>(InField::kCount);

// One input row: its identifier, raw field texts ("" = missing) and the source list it came from
// (0 for a single-file deduplication; 0 = left, 1 = right for matching; 0..k-1 for k parties).
struct RawRecord {
  std::string id;
  std::array<std::string, kNumInFields> fields;
  std::uint8_t source = 0;
  std::string& operator[](InField f) { return fields[static_cast<std::size_t>(f)]; }
  const std::string& operator[](InField f) const { return fields[static_cast<std::size_t>(f)]; }
};

// Prepared columns. Names are stored three ways: the Latin match form (text::NameMatchForm), the
// Arabic match form transcoded to one byte per letter (so that Jaro–Winkler runs on bytes), and the
// cross-script key (text::CrossScriptKey), which is filled from whichever script is present.
enum class Col : std::uint8_t {
  kGivenLat,
  kGivenAr,
  kGivenKey,
  kFamilyLat,
  kFamilyAr,
  kFamilyKey,
  kFatherLat,
  kFatherAr,
  kFatherKey,
  kSex,
  kCommune,
  kProvince,
  kLocality,
  kPostcode,
  kAddress,
  kStreetNo,
  kState,
  kNationalId,
  kPhone,
  kCount
};
inline constexpr std::size_t kNumCols = static_cast<std::size_t>(Col::kCount);

// Interned strings of one column. Id 0 is "missing"; ids are dense. Not thread-safe for Add.
class StringDict {
 public:
  StringDict() {
    values_.emplace_back();
    counts_.push_back(0);
  }
  std::uint32_t Add(std::string_view v);
  std::string_view Get(std::uint32_t id) const { return values_[id]; }
  std::uint32_t Count(std::uint32_t id) const { return counts_[id]; }
  std::size_t size() const { return values_.size(); }
  void FreeIndex() { std::unordered_map<std::string, std::uint32_t>().swap(index_); }
  std::size_t MemoryBytes() const;

 private:
  std::vector<std::string> values_;
  std::vector<std::uint32_t> counts_;
  std::unordered_map<std::string, std::uint32_t> index_;
};

// Maps a commune code to its province code; "" when unknown. Configurable because code formats differ
// by country (DefaultProvinceOf handles Moroccan RR.PPP.CC.NN and Algerian WWCC codes).
using ProvinceFn = std::function<std::string(std::string_view commune)>;

// "01.511.01.01" → "01.511" (drop the last two dot-separated parts: commune, then its cercle/district);
// all-digit codes of 4+ digits (Algerian wilaya+commune, e.g. "1601") → all but the last two digits.
std::string DefaultProvinceOf(std::string_view commune);

// Parses a birth date written YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or YYYY (year only, month/day 0) into
// yyyymmdd; 0 when empty or unreadable.
std::int32_t ParseDate(std::string_view s);

// Layout: every column is a struct-of-arrays vector of 32-bit ids (scanned by blocking and term
// frequencies), and the same ids are also packed row by row (kPackedWidth words per record, birth date
// last) for the comparison of candidate pairs, which visits records in random order: one or two cache
// lines per record instead of one per column. Costs 80 more bytes per record (800 MB at 10 M).
inline constexpr std::size_t kPackedWidth = kNumCols + 1;

class RecordStore {
 public:
  // The packed ids of a row: Packed(r)[static_cast<int>(Col::kX)], birth date at [kNumCols].
  const std::uint32_t* Packed(std::size_t r) const { return packed_.data() + r * kPackedWidth; }
  std::size_t size() const { return ids_.size(); }
  std::uint32_t Id(Col c, std::size_t r) const { return cols_[static_cast<std::size_t>(c)][r]; }
  std::string_view Value(Col c, std::size_t r) const { return dict(c).Get(Id(c, r)); }
  const StringDict& dict(Col c) const { return dicts_[static_cast<std::size_t>(c)]; }
  const std::vector<std::uint32_t>& column(Col c) const { return cols_[static_cast<std::size_t>(c)]; }
  std::int32_t BirthDate(std::size_t r) const { return birth_date_[r]; }
  std::uint8_t Source(std::size_t r) const { return source_[r]; }
  const std::string& RecordId(std::size_t r) const { return ids_[r]; }
  // Number of records with a non-missing value in `c` (denominator of term frequencies).
  std::size_t NonNull(Col c) const { return non_null_[static_cast<std::size_t>(c)]; }
  bool HasBirthDate() const { return dates_non_null_ > 0; }
  // Rows are stored sorted by family/given/father name keys (see RecordStoreBuilder::Build); these map
  // between a row and the position of its record in the input.
  std::uint32_t InputIndex(std::size_t row) const { return input_index_[row]; }
  std::uint32_t RowOfInput(std::size_t input) const { return row_of_input_[input]; }
  std::size_t MemoryBytes() const;

 private:
  friend class RecordStoreBuilder;
  std::vector<std::string> ids_;
  std::array<std::vector<std::uint32_t>, kNumCols> cols_;
  std::array<StringDict, kNumCols> dicts_;
  std::array<std::size_t, kNumCols> non_null_{};
  std::vector<std::int32_t> birth_date_;
  std::vector<std::uint8_t> source_;
  std::vector<std::uint32_t> input_index_, row_of_input_;
  std::vector<std::uint32_t> packed_;
  std::size_t dates_non_null_ = 0;
};

// Builds a RecordStore from raw rows. Name normalisation is memoised per distinct raw spelling (names
// repeat heavily: Zipf), so loading costs one normalisation per distinct name, not per record.
// Not thread-safe; one builder per store.
class RecordStoreBuilder {
 public:
  explicit RecordStoreBuilder(ProvinceFn province = DefaultProvinceOf) : province_(std::move(province)) {}
  void Reserve(std::size_t n);
  void Add(const RawRecord& r);
  // Finishes the store; the builder is left empty. Rows are reordered by (family key, given key, father
  // key, birth date) so that the records of a name block sit next to each other in memory: comparing
  // the pairs of a block then reads neighbouring cache lines instead of one random line per column.
  RecordStore Build();

 private:
  struct NameForms {
    std::uint32_t lat = 0, ar = 0, key = 0;
  };
  void AddName(const std::string& raw_lat, const std::string& raw_ar, Col lat, Col ar, Col key_col);
  std::uint32_t Put(Col c, std::string_view v);

  ProvinceFn province_;
  RecordStore store_;
  std::unordered_map<std::string, std::pair<std::string, std::string>> name_memo_;  // raw → (match form, key)
};

// Transcodes the Arabic letters U+0621–U+064A of a normalised name to single bytes 0xA1–0xCA (ASCII
// kept), so that byte-wise similarity measures see one unit per letter.
std::string ArabicToBytes(std::string_view normalised_utf8);

}  // namespace sanad::linkage
