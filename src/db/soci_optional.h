// std::optional<T> ↔ SQL NULL for SOCI 4.0, which only ships boost::optional support.
#pragma once

#include <soci/soci.h>
#include <optional>

namespace soci {

template <typename T>
struct type_conversion<std::optional<T>> {
  using base_type = typename type_conversion<T>::base_type;

  static void from_base(const base_type& in, indicator ind, std::optional<T>& out) {
    if (ind == i_null) {
      out.reset();
    } else {
      T tmp{};
      type_conversion<T>::from_base(in, ind, tmp);
      out = std::move(tmp);
    }
  }

  static void to_base(const std::optional<T>& in, base_type& out, indicator& ind) {
    if (in) {
      type_conversion<T>::to_base(*in, out, ind);
    } else {
      ind = i_null;
    }
  }
};

}  // namespace soci
