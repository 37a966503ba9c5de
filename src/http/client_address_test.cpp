#include "http/client_address.h"

#include <gtest/gtest.h>

namespace sanad::http {
namespace {

const std::vector<std::string> kProxies{"127.0.0.1", "10.0.0.5"};

TEST(ClientAddressTest, ADirectClientIsItsConnectionsAddress) {
  EXPECT_EQ(ClientAddress("192.0.2.7", "", kProxies), "192.0.2.7");
  // A client that is not a proxy cannot choose its address by sending the header itself.
  EXPECT_EQ(ClientAddress("192.0.2.7", "203.0.113.9", kProxies), "192.0.2.7");
}

TEST(ClientAddressTest, BehindATrustedProxyTheForwardedAddressCounts) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.9", kProxies), "203.0.113.9");
  EXPECT_EQ(ClientAddress("127.0.0.1", " 2001:db8::1 ", kProxies), "2001:db8::1");
}

TEST(ClientAddressTest, AddressesAClientPutFirstAreIgnored) {
  // The client sent "X-Forwarded-For: 198.51.100.1"; nginx appended the real address.
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.1, 203.0.113.9", kProxies), "203.0.113.9");
  // Two of our proxies in a row: the first address left of them is the client.
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.1, 203.0.113.9, 10.0.0.5", kProxies), "203.0.113.9");
}

TEST(ClientAddressTest, AMalformedHopFallsBackToThePeer) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "not-an-address", kProxies), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.9, ", kProxies), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.0.0.5", kProxies), "127.0.0.1");
}

}  // namespace
}  // namespace sanad::http
