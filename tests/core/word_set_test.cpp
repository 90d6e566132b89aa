// caf-consensus: answers given as token sets (word_set.hpp): equality,
// serialization, and the token index mapping them onto the same ids as the
// texts they stand for, so that metastable and hanzo score them alike.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"

#include "caf/consensus/detail/token_index.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/state.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"
#include "caf/consensus/word_set.hpp"

using namespace caf::consensus;

namespace {

/// A word set of the tokens of `text` in a vocabulary of its own.
word_set words_of(const std::string& text) {
  auto tokens = text::tokenize(text);
  std::vector<uint32_t> ids;
  for (uint32_t i = 0; i < tokens.size(); ++i)
    ids.push_back(i);
  return word_set{std::make_shared<const vocabulary>(tokens), ids};
}

template <class T>
T round_trip(const T& x) {
  std::vector<char> buf;
  caf::binary_serializer sink{nullptr, buf};
  auto copy = x;
  EXPECT_FALSE(sink(copy));
  T out;
  caf::binary_deserializer source{nullptr, buf};
  EXPECT_FALSE(source(out));
  return out;
}

} // namespace

TEST(word_set, equality_compares_tokens_not_ids) {
  auto v = std::make_shared<const vocabulary>(
    std::vector<std::string>{"b", "a", "c"});
  word_set x{v, {0, 1}};
  EXPECT_EQ(x, words_of("a b"));
  EXPECT_NE(x, words_of("a c"));
  EXPECT_NE(x, word_set{});
  EXPECT_EQ(word_set{}, word_set{});
  EXPECT_EQ(x.tokens(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(x.joined(), "b a");
  EXPECT_EQ(text::tokenize(x.joined()), x.tokens());
  // Ids outside the vocabulary (all of them without one) are dropped.
  EXPECT_EQ((word_set{v, {2, 7, 0}}.ids()), (std::vector<uint32_t>{2, 0}));
  word_set none{nullptr, {0, 1}};
  EXPECT_TRUE(none);
  EXPECT_TRUE(none.ids().empty());
  EXPECT_TRUE(round_trip(none).ids().empty());
}

TEST(word_set, results_and_responses_serialize_their_words) {
  auto r = make_ok("p", shared_text{}, 5, 1);
  r.words = words_of("Retry with BACKOFF");
  auto back = round_trip(r);
  EXPECT_EQ(back, r);
  EXPECT_EQ(back.words.tokens(),
            (std::vector<std::string>{"backoff", "retry", "with"}));
  auto none = round_trip(make_ok("p", "text", 5, 1));
  EXPECT_FALSE(none.words);
  EXPECT_EQ(none.output, "text");
  response resp{1, shared_text{}, true, "A", 3, "", words_of("x y")};
  auto resp_back = round_trip(resp);
  EXPECT_EQ(resp_back.words, resp.words);
}

TEST(word_set, the_index_gives_words_the_ids_of_their_text) {
  detail::token_index index;
  std::vector<std::string> texts = {"The quick brown fox", "the LAZY dog",
                                    "ΟΔΟΣ Straße a\u00a0b", "fox dog the the"};
  for (auto& t : texts) {
    std::vector<uint32_t> from_text;
    std::vector<uint32_t> from_words;
    index.tokenize(t, from_text);
    index.tokenize("", words_of(t), from_words);
    std::sort(from_text.begin(), from_text.end());
    std::sort(from_words.begin(), from_words.end());
    EXPECT_EQ(from_text, from_words) << t;
  }
  // A vocabulary with a repeated token and an id out of range: each token
  // once, the bad id ignored.
  auto v = std::make_shared<const vocabulary>(
    std::vector<std::string>{"fox", "fox", "new"});
  std::vector<uint32_t> ids;
  index.tokenize("", word_set{v, {0, 1, 2, 7}}, ids);
  EXPECT_EQ(ids.size(), 2u);
  // Mixed: Jaccard of words against text equals Jaccard of the texts.
  std::vector<uint32_t> a;
  std::vector<uint32_t> b;
  index.tokenize("", words_of("the quick brown fox"), a);
  index.tokenize("the lazy fox", b);
  EXPECT_EQ(index.jaccard(a, b),
            text::jaccard(text::tokenize("the quick brown fox"),
                          text::tokenize("the lazy fox")));
}

TEST(word_set, policies_score_words_like_their_texts) {
  std::vector<std::string> ids = {"a", "b", "c", "d"};
  std::vector<std::string> outs = {"use a queue with retries",
                                   "Use a QUEUE with backoff",
                                   "retries with backoff", "a cache"};
  for (auto policy : {"metastable", "hanzo"}) {
    params ps;
    ps.policy = policy;
    ps.rounds = 3;
    ps.k = 2;
    ps.beta_1 = 2.0;
    auto run = [&](bool as_words, size_t mixed) {
      auto eng = engine::make("prompt", ids, ps);
      EXPECT_TRUE(eng);
      return run_inline(*eng, [&](const request& req) {
        auto& out = outs[(req.index + static_cast<size_t>(req.round)) % 4];
        auto r = make_ok(req.participant, shared_text{}, 10 + req.index,
                         req.round);
        if (as_words && req.index != mixed)
          r.words = words_of(out);
        else
          r.output = out;
        return r;
      });
    };
    auto texts = run(false, 0);
    for (size_t mixed : {size_t{0}, size_t{2}, size_t{9}}) {
      auto words = run(true, mixed);
      EXPECT_EQ(words.confidence, texts.confidence) << policy;
      EXPECT_EQ(words.scores, texts.scores) << policy;
      EXPECT_EQ(words.winner, texts.winner) << policy;
      EXPECT_EQ(words.finalized, texts.finalized) << policy;
    }
  }
}

namespace {

/// A similarity on texts that the order of words does not change: the ratio
/// of the shorter text's length to the longer's.
class length_ratio : public text::similarity {
public:
  double operator()(std::string_view a, std::string_view b) const override {
    auto lo = std::min(a.size(), b.size());
    auto hi = std::max(a.size(), b.size());
    return hi == 0 ? 0.0 : static_cast<double>(lo) / static_cast<double>(hi);
  }
};

} // namespace

// A similarity on texts sees an answer given as words as its tokens joined
// by spaces: for lower-case texts of distinct words with single spaces, the
// same length as the text.
TEST(word_set, a_text_similarity_sees_words_joined) {
  std::vector<std::string> ids = {"a", "b", "c", "d"};
  std::vector<std::string> outs = {"use a queue with retries",
                                   "retries with backoff", "a cache",
                                   "use backoff and a jittered delay"};
  params ps;
  ps.policy = "metastable";
  ps.rounds = 3;
  ps.k = 2;
  ps.alpha = 0.7;
  ps.beta_1 = 2.0;
  engine_options opts;
  opts.similarity = std::make_shared<length_ratio>();
  auto run = [&](bool as_words) {
    auto eng = engine::make("prompt", ids, ps, opts);
    EXPECT_TRUE(eng);
    return run_inline(*eng, [&](const request& req) {
      auto& out = outs[(req.index + static_cast<size_t>(req.round)) % 4];
      auto r = make_ok(req.participant, shared_text{}, 10, req.round);
      if (as_words)
        r.words = words_of(out);
      else
        r.output = out;
      return r;
    });
  };
  auto texts = run(false);
  auto words = run(true);
  EXPECT_EQ(words.confidence, texts.confidence);
  EXPECT_NE(texts.confidence, std::vector<double>(4, 0.0));
}
