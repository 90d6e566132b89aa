// Tests: endpoints, shared secrets and TLS files of distributed sweeps
// (suite distributed_config).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "caf/consensus/sim/sweep/distributed.hpp"
#include "sim/sweep/distributed_helpers.hpp"
#include "support/process.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim::test;
namespace fs = std::filesystem;

// -- endpoints and credentials ------------------------------------------------

TEST(distributed_config, endpoints_parse_and_bad_ones_are_named) {
  auto ep = sim::parse_endpoint("10.0.0.7:4270", "127.0.0.1");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->host, "10.0.0.7");
  EXPECT_EQ(ep->port, 4270);
  ep = sim::parse_endpoint("4271", "127.0.0.1");
  ASSERT_TRUE(ep);
  EXPECT_EQ(sim::to_string(*ep), "127.0.0.1:4271");
  ep = sim::parse_endpoint("[::1]:80", "127.0.0.1");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(sim::to_string(*ep), "[::1]:80");
  EXPECT_TRUE(sim::parse_endpoint("127.0.0.1:0", "x", true));
  for (auto bad : {"", "host:", ":80", "host:0", "host:65536", "host:12a",
                   "::1:80", "[::1]80", "[::1", "ho st:80", "h:-1"}) {
    auto x = sim::parse_endpoint(bad, "127.0.0.1");
    ASSERT_FALSE(x) << bad;
    EXPECT_TRUE(contains(msg(x.error()), "invalid address")) << bad;
  }
  auto xs = sim::parse_endpoints("a:1,b:2");
  ASSERT_TRUE(xs);
  EXPECT_EQ(xs->size(), 2u);
  EXPECT_TRUE(
    contains(msg(sim::parse_endpoints("a:1,,b:2").error()), "empty entry"));
  EXPECT_TRUE(
    contains(msg(sim::parse_endpoints("a:1,a:1").error()), "listed twice"));
}

TEST(distributed_config, secrets_come_from_a_file_or_the_environment) {
  auto d = test_util::temp_dir("secret");
  auto file = d + "/secret";
  {
    std::ofstream f{file};
    f << "short\n";
  }
  auto s = sim::load_secret(file);
  ASSERT_FALSE(s);
  EXPECT_TRUE(contains(msg(s.error()), "too short"));
  EXPECT_FALSE(contains(msg(s.error()), "short\n"));
  {
    std::ofstream f{file};
    f << secret << "\r\n";
  }
  s = sim::load_secret(file);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, secret); // trailing newline stripped
  EXPECT_TRUE(contains(msg(sim::load_secret(d + "/nope").error()),
                       "cannot read the secret file"));
  ::unsetenv("CONSENSUS_SECRET");
  EXPECT_TRUE(contains(msg(sim::load_secret("").error()), "no shared secret"));
  ::setenv("CONSENSUS_SECRET", secret.c_str(), 1);
  s = sim::load_secret("");
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, secret);
  ::unsetenv("CONSENSUS_SECRET");
  fs::remove_all(d);
}

TEST(distributed_config, tls_files_are_checked_up_front) {
  auto d = test_util::temp_dir("tls");
  sim::tls_options t;
  EXPECT_FALSE(sim::check_tls(t)); // off
  t.certificate = d + "/cert.pem";
  auto err = sim::check_tls(t);
  ASSERT_TRUE(err);
  EXPECT_TRUE(contains(msg(err), "--tls-key, --tls-ca")) << msg(err);
  t.key = d + "/key.pem";
  t.ca_file = d + "/ca.pem";
  EXPECT_TRUE(contains(msg(sim::check_tls(t)), "cannot read TLS file"));
  for (auto f : {t.certificate, t.key, t.ca_file}) {
    std::ofstream out{f};
    out << "not a PEM file\n";
  }
  EXPECT_TRUE(contains(msg(sim::check_tls(t)), "does not load"));
  fs::remove_all(d);
}
