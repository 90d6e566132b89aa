// The synthetic fast path: agents that answer token sets (`result::words`)
// give the same results as agents that answer texts the policy tokenizes.
// Every answer's token set is the tokenization of the text the agent would
// have answered, and whole runs (both engines, every policy) give the same
// state apart from the texts, and the same result rows.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/binary_serializer.hpp"
#include "caf/scoped_actor.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/engine/actor_engine.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/text/tokenizer.hpp"

using namespace caf::consensus;

namespace {

const std::string scenario_dir = CAF_CONSENSUS_SCENARIOS;

/// Templates that exercise the tokenizer: upper case, a final sigma, a
/// dotted capital I, a no-break space and an ideographic space inside a
/// word, tabs and newlines, repeated words, punctuation.
sim::agent_world unicode_world() {
  sim::agent_world w;
  w.labels = {"A", "B", "C", "D"};
  w.templates = {"The ΟΔΟΣ Ödön İstanbul a\u00a0b c\u3000d ΟΔΟΣ the",
                 "Retry\twith BACKOFF\nand jitter, retry WITH backoff!",
                 "", // the default template of C
                 "x"};
  w.ground_truth = "A";
  return w;
}

sim::agent_world default_world() {
  sim::agent_world w;
  w.labels = {"yes", "no", "maybe so"};
  for (auto& x : w.labels)
    w.templates.push_back(sim::default_template(x));
  w.ground_truth = "yes";
  return w;
}

std::vector<sim::agent_group> groups_of(const sim::agent_world& w) {
  std::vector<sim::agent_group> out;
  for (double noise : {0.0, 0.05, 0.3, 1.0}) {
    for (auto refine : {sim::behaviour::resample, sim::behaviour::copy_peer,
                        sim::behaviour::flip_flop}) {
      sim::agent_group g;
      g.name = "g";
      g.labels = w.labels;
      g.weights.assign(w.labels.size(), 1.0);
      g.noise = noise;
      g.refine = refine;
      g.fail = 0.1;
      g.tokens = {sim::latency_model::kind::uniform, 10, 90, {}};
      out.push_back(g);
    }
  }
  return out;
}

/// The whole state, bit for bit, after blanking what differs by design: the
/// texts (the text path has them) and the token sets (the fast path has
/// them).
std::vector<char> without_texts(state st) {
  for (auto& rs : st.responses)
    for (auto& r : rs) {
      r.text = shared_text{};
      r.words = word_set{};
    }
  st.synthesis.clear();
  std::vector<char> buf;
  caf::binary_serializer sink{nullptr, buf};
  if (auto err = sink(st))
    ADD_FAILURE() << "cannot serialize the state";
  return buf;
}

bool has_words(const state& st) {
  for (auto& rs : st.responses)
    for (auto& r : rs)
      if (r.ok && (!r.words || !r.text.empty()))
        return false;
  return true;
}

bool has_texts(const state& st) {
  for (auto& rs : st.responses)
    for (auto& r : rs)
      if (r.ok && (r.words || r.text.empty()))
        return false;
  return true;
}

std::string rows_of(const sim::scenario& cell, uint64_t c, uint64_t rep,
                    const state& st) {
  auto m = sim::measure(cell, c, rep, sim::run_seed(cell, c, rep), st, true);
  return sim::to_csv(m) + "\n" + sim::agents_csv(m) + sim::rounds_csv(m)
         + sim::rounds_jsonl(m);
}

} // namespace

TEST(fast_path, every_answer_is_the_token_set_of_its_text) {
  for (auto base : {unicode_world(), default_world()}) {
    auto words = base;
    sim::prepare_words(words);
    ASSERT_NE(words.words, nullptr);
    auto groups = groups_of(base);
    size_t compared = 0;
    for (auto& g : groups) {
      for (uint32_t index = 0; index < 8; ++index) {
        sim::agent a{"a" + std::to_string(index), &g, index};
        for (uint64_t seed = 1; seed <= 6; ++seed) {
          for (int32_t round = 0; round <= 3; ++round) {
            request req;
            req.participant = a.id;
            req.index = index;
            req.round = round;
            req.own_label = base.labels[seed % base.labels.size()];
            req.peers.push_back({"p", "", base.labels[index % 2]});
            auto t = sim::answer(base, a, seed, req);
            auto w = sim::answer(words, a, seed, req);
            ASSERT_EQ(t.ok, w.ok);
            EXPECT_EQ(t.label, w.label);
            EXPECT_EQ(t.ms, w.ms);
            EXPECT_EQ(t.tokens, w.tokens);
            EXPECT_EQ(t.error, w.error);
            EXPECT_EQ(t.timed_out, w.timed_out);
            EXPECT_FALSE(t.words);
            if (!t.ok)
              continue;
            ASSERT_TRUE(w.words);
            EXPECT_TRUE(w.output.empty());
            EXPECT_EQ(text::tokenize(t.output), w.words.tokens())
              << "text: " << t.output.str();
            // Distinct ids.
            auto ids = w.words.ids();
            std::sort(ids.begin(), ids.end());
            EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
            ++compared;
          }
        }
      }
    }
    EXPECT_GT(compared, 1800u);
  }
}

TEST(fast_path, a_label_without_a_template_answers_text) {
  auto w = default_world();
  sim::prepare_words(w);
  sim::agent_group g;
  g.name = "g";
  g.labels = {"elsewhere"}; // not a label of the world
  g.weights = {1};
  sim::agent a{"g", &g, 0};
  request req;
  req.participant = "g";
  auto x = sim::answer(w, a, 7, req);
  ASSERT_TRUE(x.ok);
  EXPECT_FALSE(x.words);
  EXPECT_EQ(x.output, sim::default_template("elsewhere"));
}

TEST(fast_path, whole_runs_are_identical_on_both_engines_and_every_policy) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  size_t runs = 0;
  for (auto name : {"quickstart.yaml", "hanzo-never-finalizes.yaml",
                    "snowball-polls.yaml", "voter-model.yaml",
                    "studies/stopping.yaml", "avalanche-adversaries.yaml"}) {
    auto sc = sim::load_scenario(scenario_dir + "/" + name);
    ASSERT_TRUE(sc) << render(sc.error());
    auto cells = std::min<uint64_t>(sim::cell_count(*sc), 4);
    for (uint64_t c = 0; c < cells; ++c) {
      auto cell = sim::resolve_cell(*sc, c);
      ASSERT_TRUE(cell) << render(cell.error());
      ASSERT_NE(cell->world.words, nullptr) << name;
      auto texts = *cell;
      texts.world.words = nullptr;
      for (auto policy :
           {"", "metastable", "hanzo", "snowball", "vote", "sequential"}) {
        auto fast = *cell;
        auto slow = texts;
        if (*policy != '\0')
          fast.ps.policy = slow.ps.policy = policy;
        for (uint64_t rep = 0; rep < 3; ++rep) {
          auto seed = sim::run_seed(fast, c, rep);
          auto a = sim::run_inline(fast, seed);
          auto b = sim::run_inline(slow, seed);
          ASSERT_TRUE(a) << render(a.error());
          ASSERT_TRUE(b) << render(b.error());
          EXPECT_TRUE(has_words(*a)) << name;
          EXPECT_TRUE(has_texts(*b)) << name;
          EXPECT_EQ(without_texts(*a), without_texts(*b))
            << name << " cell " << c << " policy " << policy;
          EXPECT_EQ(rows_of(fast, c, rep, *a), rows_of(slow, c, rep, *b));
          caf::scoped_actor self{sys};
          sim::actor_engine eng{self.ptr()};
          auto on_actors = eng.run(fast, seed);
          ASSERT_TRUE(on_actors) << render(on_actors.error());
          EXPECT_EQ(without_texts(*on_actors), without_texts(*b)) << name;
          ++runs;
        }
      }
    }
  }
  EXPECT_GT(runs, 100u);
}
