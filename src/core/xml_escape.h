// XML text escaping, in one place: the pain.001 payment files and the Open311 XML documents.
#pragma once

#include <string>
#include <string_view>

namespace sanad {

// `s` with &, <, >, " and ' escaped for XML text and attributes (UTF-8 passes through); control
// characters other than tab and line ends, which XML 1.0 does not allow, are dropped.
std::string XmlEscape(std::string_view s);

}  // namespace sanad
