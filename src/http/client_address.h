// The address of the client behind a request. Behind a reverse proxy (nginx) every connection comes
// from the proxy, so per-address sign-in throttling and the audit log would see one address for all
// users; the proxy passes the real one in X-Forwarded-For. That header is trusted only when the
// connection comes from a configured proxy (a client could otherwise choose its own address).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sanad::http {

// `peer` is the connection's address; `forwarded_for` the X-Forwarded-For header (may be empty);
// `trusted_proxies` the addresses of the proxies in front (IPv4 or IPv6, exact).
// Returns the right-most address of X-Forwarded-For that is not itself a trusted proxy, when the peer is
// a trusted proxy and that address is a valid IP address; otherwise the peer.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace sanad::http
