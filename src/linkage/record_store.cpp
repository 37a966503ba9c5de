#include "linkage/record_store.h"

#include <algorithm>
#include <cctype>

#include "text/cross_script.h"
#include "text/latin.h"
#include "text/names.h"
#include "text/utf8.h"

namespace sanad::linkage {
namespace {

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string LowerAlnum(std::string_view s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::string Digits(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out.push_back(c);
  return out;
}

// Phones compare on their last 9 digits: +212 6…, 00212 6…, 06… are the same Moroccan number.
std::string NormalisePhone(std::string_view s) {
  std::string d = Digits(s);
  if (d.size() > 9) d = d.substr(d.size() - 9);
  return d.size() >= 6 ? d : std::string();
}

bool ValidDate(int y, int m, int d) { return y >= 1850 && y <= 2200 && m >= 0 && m <= 12 && d >= 0 && d <= 31; }

}  // namespace

std::uint32_t StringDict::Add(std::string_view v) {
  if (v.empty()) return 0;
  auto [it, inserted] = index_.try_emplace(std::string(v), static_cast<std::uint32_t>(values_.size()));
  if (inserted) {
    values_.emplace_back(v);
    counts_.push_back(0);
  }
  ++counts_[it->second];
  return it->second;
}

std::size_t StringDict::MemoryBytes() const {
  std::size_t b = values_.capacity() * sizeof(std::string) + counts_.capacity() * 4;
  for (const auto& v : values_) b += v.capacity() > 15 ? v.capacity() : 0;
  return b + index_.size() * 64;
}

std::string DefaultProvinceOf(std::string_view commune) {
  std::size_t dots = 0;
  for (char c : commune) dots += c == '.';
  if (dots >= 2) {
    std::size_t cut = commune.size();
    for (int k = 0; k < 2; ++k) cut = commune.rfind('.', cut - 1);
    return std::string(commune.substr(0, cut));
  }
  if (commune.size() >= 4 && Digits(commune).size() == commune.size())
    return std::string(commune.substr(0, commune.size() - 2));
  return {};
}

std::int32_t ParseDate(std::string_view s) {
  const std::string t = Trim(s);
  int y = 0, m = 0, d = 0;
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    if (pos + len > t.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
    }
    out = v;
    return true;
  };
  if (t.size() == 10 && t[4] == '-' && t[7] == '-' && num(0, 4, y) && num(5, 2, m) && num(8, 2, d)) {
  } else if (t.size() == 8 && num(0, 4, y) && num(4, 2, m) && num(6, 2, d)) {
  } else if (t.size() == 10 && t[2] == '/' && t[5] == '/' && num(0, 2, d) && num(3, 2, m) && num(6, 4, y)) {
  } else if (t.size() == 4 && num(0, 4, y)) {
  } else {
    return 0;
  }
  return ValidDate(y, m, d) ? y * 10000 + m * 100 + d : 0;
}

std::string ArabicToBytes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : text::DecodeUtf8(s)) {
    if (c < 0x80)
      out.push_back(static_cast<char>(c));
    else if (c >= 0x0621 && c <= 0x064A)
      out.push_back(static_cast<char>(0xA1 + (c - 0x0621)));
    else
      out.push_back('?');
  }
  return out;
}

std::size_t RecordStore::MemoryBytes() const {
  std::size_t b = ids_.capacity() * sizeof(std::string) + birth_date_.capacity() * 4 + source_.capacity() +
                  packed_.capacity() * 4 + (input_index_.capacity() + row_of_input_.capacity()) * 4;
  for (const auto& id : ids_) b += id.capacity() > 15 ? id.capacity() : 0;
  for (std::size_t c = 0; c < kNumCols; ++c) b += cols_[c].capacity() * 4 + dicts_[c].MemoryBytes();
  return b;
}

void RecordStoreBuilder::Reserve(std::size_t n) {
  store_.ids_.reserve(n);
  for (auto& c : store_.cols_) c.reserve(n);
  store_.birth_date_.reserve(n);
  store_.source_.reserve(n);
}

std::uint32_t RecordStoreBuilder::Put(Col c, std::string_view v) {
  const auto i = static_cast<std::size_t>(c);
  const std::uint32_t id = store_.dicts_[i].Add(v);
  store_.cols_[i].push_back(id);
  if (id != 0) ++store_.non_null_[i];
  return id;
}

void RecordStoreBuilder::AddName(const std::string& raw_lat, const std::string& raw_ar, Col lat, Col ar, Col key_col) {
  auto forms = [&](const std::string& raw) -> const std::pair<std::string, std::string>& {
    auto it = name_memo_.find(raw);
    if (it != name_memo_.end()) return it->second;
    std::string form = text::NameMatchForm(raw);
    if (text::DetectScript(raw) == text::Script::kArabic) form = ArabicToBytes(form);
    return name_memo_.emplace(raw, std::make_pair(std::move(form), text::CrossScriptKey(raw))).first->second;
  };
  std::string_view lat_form, ar_form, key;
  // A Latin column holding Arabic text (or the reverse) is put where its script says.
  for (const std::string* raw : {&raw_lat, &raw_ar}) {
    if (raw->empty()) continue;
    const auto& f = forms(*raw);
    const bool is_ar = text::DetectScript(*raw) == text::Script::kArabic;
    (is_ar ? ar_form : lat_form) = f.first;
    if (key.empty() || is_ar) key = f.second;  // prefer the key of the Arabic spelling: it is the source form
  }
  Put(lat, lat_form);
  Put(ar, ar_form);
  Put(key_col, key);
}

void RecordStoreBuilder::Add(const RawRecord& r) {
  store_.ids_.push_back(Trim(r.id));
  store_.source_.push_back(r.source);
  AddName(Trim(r[InField::kGivenLat]), Trim(r[InField::kGivenAr]), Col::kGivenLat, Col::kGivenAr, Col::kGivenKey);
  AddName(Trim(r[InField::kFamilyLat]), Trim(r[InField::kFamilyAr]), Col::kFamilyLat, Col::kFamilyAr, Col::kFamilyKey);
  AddName(Trim(r[InField::kFatherLat]), Trim(r[InField::kFatherAr]), Col::kFatherLat, Col::kFatherAr, Col::kFatherKey);
  std::string sex = LowerAlnum(r[InField::kSex]);
  if (!sex.empty()) sex = sex[0] == 'h' ? "m" : sex.substr(0, 1);  // homme → m; f/m/female/male
  Put(Col::kSex, sex);
  const std::string commune = Trim(r[InField::kCommune]);
  Put(Col::kCommune, commune);
  Put(Col::kProvince, commune.empty() ? std::string() : province_(commune));
  Put(Col::kLocality, text::NameMatchForm(r[InField::kLocality]));
  Put(Col::kPostcode, LowerAlnum(r[InField::kPostcode]));
  Put(Col::kAddress, text::FoldLatin(r[InField::kAddress]));
  Put(Col::kStreetNo, LowerAlnum(r[InField::kStreetNo]));
  Put(Col::kState, LowerAlnum(r[InField::kState]));
  Put(Col::kNationalId, LowerAlnum(r[InField::kNationalId]));
  Put(Col::kPhone, NormalisePhone(r[InField::kPhone]));
  const std::int32_t date = ParseDate(r[InField::kBirthDate]);
  store_.birth_date_.push_back(date);
  if (date != 0) ++store_.dates_non_null_;
}

RecordStore RecordStoreBuilder::Build() {
  for (auto& d : store_.dicts_) d.FreeIndex();
  name_memo_.clear();
  auto& st = store_;
  const std::size_t n = st.ids_.size();
  std::vector<std::uint32_t> order(n);
  for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
  const auto& fam = st.cols_[static_cast<std::size_t>(Col::kFamilyKey)];
  const auto& giv = st.cols_[static_cast<std::size_t>(Col::kGivenKey)];
  const auto& fat = st.cols_[static_cast<std::size_t>(Col::kFatherKey)];
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    if (fam[x] != fam[y]) return fam[x] < fam[y];
    if (giv[x] != giv[y]) return giv[x] < giv[y];
    if (fat[x] != fat[y]) return fat[x] < fat[y];
    return st.birth_date_[x] < st.birth_date_[y];
  });
  auto permute = [&](auto& v) {
    std::remove_reference_t<decltype(v)> out;
    out.reserve(n);
    for (std::uint32_t i : order) out.push_back(std::move(v[i]));
    v = std::move(out);
  };
  permute(st.ids_);
  for (auto& c : st.cols_) permute(c);
  permute(st.birth_date_);
  permute(st.source_);
  st.input_index_ = order;
  st.row_of_input_.assign(n, 0);
  for (std::uint32_t r = 0; r < n; ++r) st.row_of_input_[order[r]] = r;
  st.packed_.assign(n * kPackedWidth, 0);
  for (std::size_t r = 0; r < n; ++r) {
    std::uint32_t* row = st.packed_.data() + r * kPackedWidth;
    for (std::size_t c = 0; c < kNumCols; ++c) row[c] = st.cols_[c][r];
    row[kNumCols] = static_cast<std::uint32_t>(st.birth_date_[r]);
  }
  RecordStore out = std::move(store_);
  store_ = RecordStore{};
  return out;
}

}  // namespace sanad::linkage
