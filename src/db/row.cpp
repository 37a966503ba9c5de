#include "db/row.h"

namespace sanad::db {

long long RowInt(const soci::row& r, std::size_t i) {
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<long long>(r.get<double>(i));
    default:
      return std::stoll(r.get<std::string>(i));
  }
}

std::optional<long long> RowOptInt(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return RowInt(r, i);
}

double RowDouble(const soci::row& r, std::size_t i) {
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_double:
      return r.get<double>(i);
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return static_cast<double>(r.get<long long>(i));
    default:
      return std::stod(r.get<std::string>(i));
  }
}

std::optional<std::string> RowOptStr(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return r.get<std::string>(i);
}

std::string RowStr(const soci::row& r, std::size_t i) { return RowOptStr(r, i).value_or(""); }

long long CountRows(soci::session& sql, const std::string& query, const std::function<void(soci::statement&)>& bind) {
  long long n = 0;
  soci::statement st(sql);
  st.alloc();
  st.prepare(query);
  st.exchange(soci::into(n));
  bind(st);
  st.define_and_bind();
  st.execute(true);
  return n;
}

void EachRow(soci::session& sql, const std::string& query, const std::function<void(soci::statement&)>& bind,
             const std::function<void(const soci::row&)>& each) {
  soci::row r;
  soci::statement st(sql);
  st.alloc();
  st.prepare(query);
  st.exchange(soci::into(r));
  bind(st);
  st.define_and_bind();
  if (!st.execute(true)) return;
  do each(r);
  while (st.fetch());
}

}  // namespace sanad::db
