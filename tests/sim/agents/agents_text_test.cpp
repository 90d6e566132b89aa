// Tests: synthetic agents: default templates and word-level noise (suite
// agents_text).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"
#include "sim/agents/agents_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::sim::test;

namespace {

// -- text ---------------------------------------------------------------------

TEST(agents_text, noise_zero_renders_the_template_verbatim) {
  auto w = make_world();
  w.templates[0] = "  The answer is\tParis,  clearly!\n";
  auto g = make_group();
  auto a = make_agent(g);
  for (uint64_t seed = 0; seed < 50; ++seed)
    EXPECT_EQ(answer(w, a, seed, make_request(0)).output, w.templates[0]);
  // Labels without a template use their default template.
  w.templates.resize(1);
  EXPECT_EQ(answer(w, a, 1, make_request(1, "C")).output,
            default_template("C"));
  EXPECT_EQ(answer(w, a, 1, make_request(1, "Z")).output,
            default_template("Z"));
}

TEST(agents_text, noise_lowers_word_overlap) {
  auto w = make_world();
  auto g = make_group();
  auto a = make_agent(g);
  double prev = 1.1;
  for (auto rate : {0.0, 0.1, 0.3, 0.6}) {
    g.noise = rate;
    double sum = 0;
    double to_template = 0;
    constexpr int n = 500;
    for (uint64_t seed = 0; seed < n; ++seed) {
      auto x = answer(w, a, 2 * seed, make_request(0)).output;
      auto y = answer(w, a, 2 * seed + 1, make_request(0)).output;
      sum += jaccard_of(x, y);
      to_template += jaccard_of(x, w.templates[0]);
    }
    auto avg = sum / n;
    if (rate == 0.0) {
      EXPECT_DOUBLE_EQ(avg, 1.0);
    } else {
      EXPECT_LT(avg, prev - 0.05) << rate;
      EXPECT_LT(to_template / n, 1.0) << rate;
    }
    if (rate == 0.1) {
      EXPECT_GT(avg, 0.75);
      EXPECT_LT(avg, 0.95);
    }
    prev = avg;
  }
}

TEST(agents_text, noisy_renderings_stay_close_to_their_label) {
  // Same label with noise 0.1: high overlap; different labels: low.
  auto w = make_world();
  auto g = make_group();
  g.noise = 0.1;
  auto a = make_agent(g);
  int close = 0;
  constexpr int n = 300;
  for (uint64_t seed = 0; seed < n; ++seed) {
    auto x = answer(w, a, seed, make_request(1, "A")).output;
    auto y = answer(w, a, seed + n, make_request(1, "A")).output;
    auto z = answer(w, a, seed + n, make_request(1, "B")).output;
    if (jaccard_of(x, y) > 0.6)
      ++close;
    EXPECT_LT(jaccard_of(x, z), 0.3);
  }
  EXPECT_GT(close, n * 9 / 10);
}

TEST(agents_text, noise_inserts_fillers_and_drops_words) {
  auto w = make_world();
  auto g = make_group();
  g.noise = 1;
  auto a = make_agent(g);
  auto tmpl = text::tokenize(w.templates[0]);
  bool saw_insert = false;
  bool saw_drop = false;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    auto out = text::tokenize(answer(w, a, seed, make_request(0)).output);
    for (auto& x : out)
      if (!std::binary_search(tmpl.begin(), tmpl.end(), x))
        saw_insert = true;
    for (auto& x : tmpl)
      if (!std::binary_search(out.begin(), out.end(), x))
        saw_drop = true;
  }
  EXPECT_TRUE(saw_insert);
  EXPECT_TRUE(saw_drop);
}

TEST(agents_text, default_templates) {
  std::set<std::string> all;
  std::vector<text::token_set> sets;
  for (int i = 0; i < 60; ++i) {
    auto label = "Label " + std::to_string(i);
    auto t = default_template(label);
    EXPECT_EQ(t, default_template(label));
    auto words = text::python_split(t);
    EXPECT_EQ(words.size(), 12u) << t;
    auto toks = text::tokenize(t);
    EXPECT_EQ(toks.size(), 12u) << t;    // Distinct words.
    EXPECT_EQ(text::python_lower(t), t); // Lower-case.
    EXPECT_EQ(words.front(), "label_" + std::to_string(i));
    all.insert(t);
    sets.push_back(std::move(toks));
  }
  EXPECT_EQ(all.size(), 60u);
  // 11 vocabulary words of 256 each: about 0.5 shared words per pair.
  double worst = 0;
  double sum = 0;
  int high = 0;
  int pairs = 0;
  for (size_t i = 0; i < sets.size(); ++i) {
    for (size_t j = i + 1; j < sets.size(); ++j) {
      auto x = text::jaccard(sets[i], sets[j]);
      worst = std::max(worst, x);
      sum += x;
      high += x >= 0.2 ? 1 : 0;
      ++pairs;
    }
  }
  EXPECT_LT(sum / pairs, 0.05);
  EXPECT_LT(high, pairs / 100);
  EXPECT_LE(worst, 0.35);
  EXPECT_EQ(text::python_split(default_template("")).size(), 12u);
}

} // namespace
