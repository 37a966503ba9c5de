#include "http/client_address.h"

#include <algorithm>
#include <asio/ip/address.hpp>

namespace sanad::http {

namespace {

bool Trusted(const std::string& address, const std::vector<std::string>& trusted) {
  return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

// The canonical text of an IP address, or empty when `text` is not one.
std::string Canonical(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  asio::error_code ec;
  auto a = asio::ip::make_address(std::string(text), ec);
  return ec ? std::string() : a.to_string();
}

}  // namespace

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  if (forwarded_for.empty() || !Trusted(peer, trusted_proxies)) return peer;
  // Each proxy appends the address it received the request from: read from the right, past our own
  // proxies; the first other address is the client as our outermost proxy saw it.
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const std::string_view item = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    const std::string address = Canonical(item);
    if (address.empty()) return peer;  // a malformed hop: trust nothing further left
    if (!Trusted(address, trusted_proxies)) return address;
  }
  return peer;
}

}  // namespace sanad::http
