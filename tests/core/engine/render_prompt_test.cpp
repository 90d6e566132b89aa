// Tests: the exact text of the refinement prompt (suite render_prompt).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/consensus/request.hpp"

#include "core/engine/engine_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- render_prompt ------------------------------------------------------------

TEST(render_prompt, has_the_exact_format) {
  std::vector<peer_view> peers{{"alice", "Use a hash map.", ""},
                               {"bob", "Sort first,\nthen scan.", "x"}};
  EXPECT_EQ(render_prompt("Find duplicates", peers),
            "Query: Find duplicates\n"
            "\n"
            "Peers:\n"
            "[alice] Use a hash map.\n"
            "[bob] Sort first,\nthen scan.\n"
            "\n"
            "Refine your response:");
}

TEST(render_prompt, into_a_shared_text_gives_the_same_text) {
  std::vector<peer_view> peers{{"alice", "Use a hash map.", ""},
                               {"bob", std::string(1200, 'b'), "x"}};
  auto expected = render_prompt("Find duplicates", peers);
  shared_text fresh;
  render_prompt("Find duplicates", peers, fresh);
  EXPECT_EQ(fresh, expected);
  // Rendering over an unshared longer text reuses its storage.
  shared_text reused = std::string(3000, '-');
  auto* storage = reused.data();
  render_prompt("Find duplicates", peers, reused);
  EXPECT_EQ(reused, expected);
  EXPECT_EQ(reused.data(), storage);
  // A shared text is left alone.
  auto other = reused;
  render_prompt("q", {}, reused);
  EXPECT_EQ(reused, "Query: q\n\nPeers:\n\nRefine your response:");
  EXPECT_EQ(other, expected);
}

TEST(render_prompt, without_peers) {
  EXPECT_EQ(render_prompt("q", {}),
            "Query: q\n\nPeers:\n\nRefine your response:");
  EXPECT_EQ(render_prompt("", {}),
            "Query: \n\nPeers:\n\nRefine your response:");
}

TEST(render_prompt, keeps_an_empty_peer_text) {
  EXPECT_EQ(render_prompt("q", {{"a", "", ""}}),
            "Query: q\n\nPeers:\n[a] \n\nRefine your response:");
}

TEST(render_prompt, cuts_peer_texts_to_1000_code_points) {
  auto ascii = repeat("x", 1000);
  auto prompt = [](const std::string& text) {
    return render_prompt("q", {{"p", text, ""}});
  };
  auto expect = [](const std::string& text) {
    return "Query: q\n\nPeers:\n[p] " + text + "\n\nRefine your response:";
  };
  EXPECT_EQ(prompt(ascii), expect(ascii));
  EXPECT_EQ(prompt(ascii + "yz"), expect(ascii));
  // Two-byte code points: 1001 x U+00E9 -> 1000 x U+00E9 = 2000 bytes.
  auto e_acute = utf8(0xe9);
  EXPECT_EQ(prompt(repeat(e_acute, 1001)), expect(repeat(e_acute, 1000)));
  // Mixed widths: 999 ASCII + one 4-byte emoji + more -> the emoji is the
  // 1000th code point and is kept whole.
  auto emoji = utf8(0x1F600);
  auto mixed = repeat("a", 999) + emoji + utf8(0x4e2d) + "tail";
  EXPECT_EQ(prompt(mixed), expect(repeat("a", 999) + emoji));
  // 998 ASCII + 3-byte + 4-byte: exactly 1000 code points, unchanged.
  auto exact = repeat("a", 998) + utf8(0x4e2d) + emoji;
  EXPECT_EQ(prompt(exact), expect(exact));
  // Only the peer text is cut, not the query.
  auto long_query = repeat("Q", 1500);
  EXPECT_EQ(render_prompt(long_query, {}),
            "Query: " + long_query + "\n\nPeers:\n\nRefine your response:");
}

TEST(render_prompt, shows_many_peers_in_order) {
  std::vector<peer_view> peers;
  std::string lines;
  for (int i = 0; i < 12; ++i) {
    auto id = "p" + std::to_string(i);
    auto text = repeat("w" + std::to_string(i) + " ", 400); // cut at 1000
    peers.push_back(peer_view{id, text, ""});
    lines += "\n[" + id + "] " + cut_code_points(text, 1000);
  }
  EXPECT_EQ(render_prompt("q", peers),
            "Query: q\n\nPeers:" + lines + "\n\nRefine your response:");
}
