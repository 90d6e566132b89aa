// caf-consensus: tests of shared_text, the immutable shared string of
// outputs, responses, peer texts and prompts: it reads, compares, prints and
// serializes like a std::string, and a run stores each output once.

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"
#include "caf/deep_to_string.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/shared_text.hpp"
#include "caf/consensus/state.hpp"

using namespace caf::consensus;

namespace {

TEST(shared_text, reads_like_a_string) {
  shared_text empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.str(), "");
  EXPECT_STREQ(empty.c_str(), "");
  shared_text x = std::string{"hello world"};
  EXPECT_FALSE(x.empty());
  EXPECT_EQ(x.size(), 11u);
  EXPECT_EQ(x[4], 'o');
  const std::string& ref = x;
  EXPECT_EQ(ref, "hello world");
  std::string_view view = x;
  EXPECT_EQ(view.substr(6), "world");
  EXPECT_EQ(std::string(x.begin(), x.end()), "hello world");
  EXPECT_EQ(x + "!", "hello world!");
  EXPECT_EQ("> " + x, "> hello world");
  std::ostringstream out;
  out << x;
  EXPECT_EQ(out.str(), "hello world");
}

TEST(shared_text, compares_by_content) {
  shared_text a = "abc";
  shared_text b = std::string{"abc"};
  shared_text c = "abd";
  EXPECT_FALSE(a.same_storage(b));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_LT(a, c);
  EXPECT_EQ(a, std::string{"abc"});
  EXPECT_EQ(std::string{"abc"}, a);
  EXPECT_EQ(a, "abc");
  EXPECT_NE(a, "ab");
  EXPECT_EQ(a, std::string_view{"abc"});
  std::unordered_set<shared_text> set{a, b, c};
  EXPECT_EQ(set.size(), 2u);
  // An empty string and a default-constructed text are the same text.
  EXPECT_EQ(shared_text{std::string{}}, shared_text{});
}

TEST(shared_text, copies_share_storage) {
  shared_text a = std::string(1000, 'x');
  auto b = a;
  EXPECT_TRUE(a.same_storage(b));
  EXPECT_EQ(a.data(), b.data());
  // Assigning a new string replaces the reference, never the shared text.
  b = "other";
  EXPECT_EQ(a, std::string(1000, 'x'));
  EXPECT_EQ(b, "other");
}

TEST(shared_text, rewrite_reuses_storage_only_when_unshared) {
  auto fill_with = [](char c) {
    return [c](char* first) { std::fill(first, first + 3, c); };
  };
  shared_text a = std::string(100, 'x');
  auto* storage = a.data();
  // Nobody else holds the text: rewritten in place.
  a.rewrite(3, fill_with('y'));
  EXPECT_EQ(a, "yyy");
  EXPECT_EQ(a.data(), storage);
  // Shared: the other holder keeps its text, this one gets new storage.
  auto b = a;
  a.rewrite(3, fill_with('z'));
  EXPECT_EQ(b, "yyy");
  EXPECT_EQ(b.data(), storage);
  EXPECT_EQ(a, "zzz");
  EXPECT_FALSE(a.same_storage(b));
  // Growing past the capacity takes the new size and an eighth more (no
  // doubling, as std::string's own growth would); a rewrite up to that size
  // keeps the storage (a prompt rewritten each round varies a little).
  shared_text d = std::string(100, 'x');
  d.rewrite(101, [](char* first) { std::fill(first, first + 101, 'g'); });
  EXPECT_EQ(d, std::string(101, 'g'));
  EXPECT_GE(d.str().capacity(), 101u + 101u / 8);
  EXPECT_LT(d.str().capacity(), 150u);
  auto* grown = d.data();
  d.rewrite(113, [](char* first) { std::fill(first, first + 113, 'h'); });
  EXPECT_EQ(d, std::string(113, 'h'));
  EXPECT_EQ(d.data(), grown);
  // An empty text gets storage; an empty rewrite is the empty text.
  shared_text c;
  c.rewrite(3, fill_with('w'));
  EXPECT_EQ(c, "www");
  c.rewrite(0, fill_with('v'));
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c, shared_text{});
}

TEST(shared_text, prints_like_a_string) {
  std::string s = "say \"hi\"";
  EXPECT_EQ(caf::deep_to_string(shared_text{s}), caf::deep_to_string(s));
  // A response prints exactly as before texts were shared.
  response r{2, "some text", true, "A", 42, "", {}};
  EXPECT_EQ(
    caf::deep_to_string(r),
    "caf::consensus::response(2, \"some text\", true, \"A\", 42, \"\")");
}

TEST(shared_text, serializes_like_a_string) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  request req;
  req.participant = "p1";
  req.index = 1;
  req.round = 2;
  req.prompt = "Query: q\n\nPeers:\n[p0] x\n\nRefine your response:";
  req.query = "q";
  req.peers.push_back(peer_view{"p0", "x", "A"});
  req.own_text = std::string(5000, 'y');
  std::vector<char> buf;
  {
    caf::binary_serializer sink{sys, buf};
    ASSERT_FALSE(sink(req));
  }
  // The same bytes as the plain strings would give.
  std::vector<char> plain;
  {
    caf::binary_serializer sink{sys, plain};
    std::string prompt = req.prompt;
    std::string query = req.query;
    ASSERT_FALSE(sink(req.participant, req.index, req.round, prompt, query));
  }
  EXPECT_EQ(std::vector<char>(buf.begin(), buf.begin() + plain.size()), plain);
  request back;
  caf::binary_deserializer source{sys, buf};
  ASSERT_FALSE(source(back));
  EXPECT_EQ(caf::deep_to_string(back), caf::deep_to_string(req));
  EXPECT_EQ(back.own_text, req.own_text);
  EXPECT_EQ(back.peers.at(0).text, "x");
}

TEST(shared_text, a_run_stores_each_output_once) {
  params ps;
  ps.policy = "metastable";
  ps.rounds = 2;
  ps.k = 2;
  ps.beta_1 = 2.0; // every round runs
  auto eng = engine::make("q", {"a", "b", "c"}, ps);
  ASSERT_TRUE(eng);
  // What every call returned, by round and participant.
  std::vector<std::vector<shared_text>> given(3, std::vector<shared_text>(3));
  bool peers_shared = true;
  bool own_shared = true;
  auto st = run_inline(*eng, [&](const request& req) {
    if (req.round > 0) {
      for (auto& p : req.peers) {
        auto j = p.id == "a" ? 0 : p.id == "b" ? 1 : 2;
        peers_shared = peers_shared
                       && p.text.same_storage(given[req.round - 1][j]);
      }
      own_shared
        = own_shared
          && req.own_text.same_storage(given[req.round - 1][req.index]);
    }
    auto text = "answer " + std::to_string(req.round) + " of " + req.participant
                + " with enough words to leave the small-string buffer";
    given[req.round][req.index] = text;
    return make_ok(req.participant, given[req.round][req.index]);
  });
  EXPECT_TRUE(peers_shared);
  EXPECT_TRUE(own_shared);
  for (size_t i = 0; i < 3; ++i)
    for (size_t r = 0; r < 3; ++r)
      EXPECT_TRUE(st.responses[i][r].text.same_storage(given[r][i]))
        << "participant " << i << ", round " << r;
  ASSERT_FALSE(st.winner.empty());
  EXPECT_TRUE(st.synthesis.find("answer 2 of ") == 0) << st.synthesis;
}

} // namespace
