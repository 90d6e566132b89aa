// caf-consensus sim: synthetic agents that behave like LLM endpoints.
//
// Random streams. Every draw of `answer` comes from its own xoshiro256**
// stream seeded with
//
//   rng::derive(run_seed, {agent.index, round, purpose})
//
// where `purpose` is `rng::hash_name` of one of the names below. Streams are
// thus keyed by what they decide, never by call order, and independent of
// each other: changing a group's failure rate does not change its latencies
// or its labels (common random numbers across sweep cells).
//
//   "sim.agent.latency"  one latency sample (normal: redraws until >= 0)
//   "sim.agent.fault"    one uniform draw deciding no-answer / failure
//   "sim.agent.label"    categorical draws (initial answer, `resample`, and
//                        the fallback when the request shows no own label)
//   "sim.agent.refine"   the choice of a behaviour: `conform` coin,
//                        `copy-peer` pick
//   "sim.agent.noise"    word-level noise of the rendered text
//
// Default templates use a separate, scenario-independent generator seeded
// with `rng::hash_name(label)`.

#include "caf/consensus/sim/agents/agents.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <string_view>

#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::sim {

namespace {

// -- constants ----------------------------------------------------------------

/// Largest latency we report (about 31 years): keeps `llround` defined.
constexpr double max_latency_ms = 1e12;

/// Number of redraws for a truncated normal before giving up (clamp to 0).
constexpr int max_normal_redraws = 64;

/// Number of words of a default template (the label word included).
constexpr size_t template_words = 12;

constexpr char failure_text[] = "simulated failure";

constexpr char timeout_text[] = "timeout";

/// Words a default template is made of (256 distinct lower-case words, none
/// of them a filler word).
constexpr const char* vocabulary[] = {
  "apple",   "anchor",  "arrow",   "autumn",   "badge",    "bamboo",
  "banner",  "barrel",  "basket",  "beacon",   "bicycle",  "blanket",
  "blossom", "bottle",  "boulder", "bracket",  "breeze",   "bridge",
  "bronze",  "bucket",  "buffalo", "butter",   "cabin",    "cactus",
  "camera",  "candle",  "canyon",  "carbon",   "carpet",   "castle",
  "cedar",   "cellar",  "cement",  "chalk",    "channel",  "cherry",
  "chimney", "circus",  "citrus",  "climate",  "clover",   "cobalt",
  "coconut", "comet",   "compass", "copper",   "coral",    "cotton",
  "crater",  "crayon",  "cricket", "crystal",  "cushion",  "dagger",
  "delta",   "desert",  "diamond", "dolphin",  "donkey",   "dragon",
  "drizzle", "eagle",   "echo",    "eclipse",  "ember",    "engine",
  "falcon",  "feather", "fennel",  "ferry",    "fiddle",   "figure",
  "flannel", "flute",   "forest",  "fossil",   "fountain", "galaxy",
  "garden",  "garlic",  "gazelle", "ginger",   "glacier",  "granite",
  "gravel",  "guitar",  "hammer",  "harbor",   "harvest",  "hazel",
  "helmet",  "hermit",  "hollow",  "honey",    "horizon",  "iceberg",
  "igloo",   "indigo",  "island",  "ivory",    "jacket",   "jaguar",
  "jasmine", "jelly",   "jigsaw",  "juniper",  "kayak",    "kernel",
  "kettle",  "kitten",  "ladder",  "lagoon",   "lantern",  "lava",
  "lemon",   "lentil",  "lichen",  "lilac",    "lizard",   "lobster",
  "locket",  "lumber",  "magnet",  "mango",    "maple",    "marble",
  "meadow",  "melon",   "meteor",  "mirror",   "mitten",   "monsoon",
  "mosaic",  "muffin",  "mustard", "napkin",   "nectar",   "needle",
  "nickel",  "nutmeg",  "oasis",   "oatmeal",  "ocean",    "olive",
  "onion",   "orbit",   "orchid",  "otter",    "oyster",   "paddle",
  "panther", "papaya",  "parcel",  "parrot",   "pebble",   "pepper",
  "pewter",  "pillow",  "pilot",   "planet",   "plaster",  "pocket",
  "pollen",  "pony",    "poplar",  "potato",   "prairie",  "prism",
  "pumpkin", "puzzle",  "quarry",  "quartz",   "quill",    "rabbit",
  "radish",  "raven",   "reef",    "ribbon",   "river",    "rocket",
  "saddle",  "saffron", "salmon",  "satin",    "scarlet",  "sequoia",
  "shadow",  "shovel",  "silver",  "sketch",   "sparrow",  "spider",
  "spindle", "sponge",  "spruce",  "squirrel", "stable",   "statue",
  "summit",  "sunset",  "swallow", "sweater",  "tablet",   "tangerine",
  "teapot",  "temple",  "thimble", "thistle",  "thunder",  "timber",
  "tinsel",  "tomato",  "topaz",   "torch",    "tornado",  "trellis",
  "trumpet", "tulip",   "tundra",  "turnip",   "turtle",   "umbrella",
  "valley",  "vanilla", "velvet",  "violet",   "violin",   "volcano",
  "waffle",  "walnut",  "walrus",  "wagon",    "weasel",   "whistle",
  "willow",  "window",  "winter",  "wizard",   "wombat",   "yarrow",
  "yogurt",  "zebra",   "zenith",  "zephyr",   "zinc",     "zucchini",
  "acorn",   "almond",  "amber",   "antler",   "biscuit",  "cinnamon",
  "dahlia",  "emerald", "gondola", "hyacinth",
};

static_assert(sizeof(vocabulary) / sizeof(vocabulary[0]) == 256,
              "the template vocabulary must hold 256 words");

/// Words the noise model inserts: 32 common words, none in `vocabulary` and
/// none a single letter (so that they never equal a label word such as the
/// `a` of a multiple-choice label `A`).
constexpr const char* fillers[] = {
  "the",    "an",   "really",   "very",      "just",   "so",    "well",
  "also",   "then", "quite",    "indeed",    "of",     "to",    "and",
  "or",     "in",   "on",       "it",        "is",     "that",  "this",
  "we",     "you",  "maybe",    "perhaps",   "rather", "still", "yet",
  "simply", "now",  "actually", "basically",
};

static_assert(sizeof(fillers) / sizeof(fillers[0]) == 32,
              "the filler list must hold 32 words");

// -- random streams -----------------------------------------------------------

uint64_t purpose_key(const char* name) {
  return rng::hash_name(name, std::strlen(name));
}

struct purposes {
  uint64_t latency = purpose_key("sim.agent.latency");
  uint64_t fault = purpose_key("sim.agent.fault");
  uint64_t label = purpose_key("sim.agent.label");
  uint64_t refine = purpose_key("sim.agent.refine");
  uint64_t noise = purpose_key("sim.agent.noise");
};

const purposes& purpose() {
  static const purposes instance;
  return instance;
}

rng::rng64 stream(uint64_t run_seed, const agent& a, int32_t round,
                  uint64_t purpose) {
  auto r = static_cast<uint64_t>(static_cast<int64_t>(round));
  return rng::rng64{rng::derive(run_seed, {uint64_t{a.index}, r, purpose})};
}

// -- latency ------------------------------------------------------------------

double draw_latency(const latency_model& m, rng::rng64& gen) {
  using kind = latency_model::kind;
  switch (m.type) {
    case kind::constant:
      return m.a;
    case kind::uniform:
      return m.a + (m.b - m.a) * gen.uniform();
    case kind::normal:
      for (int i = 0; i < max_normal_redraws; ++i) {
        auto x = m.a + m.b * gen.normal();
        if (x >= 0)
          return x;
      }
      return 0;
    case kind::lognormal:
      if (!(m.a > 0))
        return 0;
      return std::exp(std::log(m.a) + m.b * gen.normal());
    case kind::exponential:
      return gen.exponential(m.a);
    case kind::empirical:
      if (m.values.empty())
        return m.a;
      return m.values[gen.below(m.values.size())];
  }
  return m.a;
}

int64_t sample_latency(const latency_model& m, rng::rng64& gen) {
  auto x = draw_latency(m, gen);
  if (!(x > 0)) // Negative, zero or NaN.
    return 0;
  if (x > max_latency_ms)
    x = max_latency_ms;
  return static_cast<int64_t>(std::llround(x));
}

// -- labels -------------------------------------------------------------------

/// Draws from the group's categorical distribution. Negative, NaN or missing
/// weights count as 0; if no weight is positive the labels are equally
/// likely. Without labels, falls back to the ground truth (or the first
/// scenario label).
std::string draw_label(const agent_world& world, const agent_group& g,
                       rng::rng64& gen) {
  if (g.labels.empty())
    return !world.ground_truth.empty() || world.labels.empty()
             ? world.ground_truth
             : world.labels.front();
  auto weight = [&](size_t i) {
    auto w = i < g.weights.size() ? g.weights[i] : 0.0;
    return w > 0 && std::isfinite(w) ? w : 0.0;
  };
  double total = 0;
  for (size_t i = 0; i < g.labels.size(); ++i)
    total += weight(i);
  if (!(total > 0))
    return g.labels[gen.below(g.labels.size())];
  auto x = gen.uniform() * total;
  size_t last = 0;
  for (size_t i = 0; i < g.labels.size(); ++i) {
    auto w = weight(i);
    if (w <= 0)
      continue;
    last = i;
    if (x < w)
      return g.labels[i];
    x -= w;
  }
  return g.labels[last]; // Rounding: x landed just past the last weight.
}

std::string wrong_label(const agent_world& world, const agent_group& g) {
  if (!g.wrong_label.empty())
    return g.wrong_label;
  for (auto& x : world.labels)
    if (x != world.ground_truth)
      return x;
  return world.ground_truth;
}

/// The plurality label among `peers` (first-appearance order for equal
/// counts), or an empty string if no peer has a label or the top count is
/// shared by several labels.
std::string unique_plurality(const std::vector<peer_view>& peers) {
  std::vector<std::pair<std::string, size_t>> counts;
  for (auto& p : peers) {
    if (p.label.empty())
      continue;
    auto i = std::find_if(counts.begin(), counts.end(),
                          [&](auto& kv) { return kv.first == p.label; });
    if (i == counts.end())
      counts.emplace_back(p.label, 1);
    else
      ++i->second;
  }
  std::string best;
  size_t top = 0;
  bool shared = false;
  for (auto& [label, n] : counts) {
    if (n > top) {
      best = label;
      top = n;
      shared = false;
    } else if (n == top) {
      shared = true;
    }
  }
  return shared ? std::string{} : best;
}

std::string majority_label(const request& req, const std::string& own) {
  auto x = unique_plurality(req.peers);
  return x.empty() ? own : x;
}

std::string copy_peer_label(const request& req, const std::string& own,
                            rng::rng64& gen) {
  std::vector<const std::string*> shown;
  for (auto& p : req.peers)
    if (!p.label.empty())
      shown.push_back(&p.label);
  if (shown.empty())
    return own;
  return *shown[gen.below(shown.size())];
}

/// Candidates are the scenario's labels (or, without any, the distinct shown
/// labels). Answers the candidate with the fewest shown votes, zero included;
/// among several with the fewest, the first in candidate order. When every
/// candidate has the same count (a perfectly balanced sample) it keeps its
/// own label if that is a candidate.
std::string balancing_label(const agent_world& world, const request& req,
                            const std::string& own) {
  std::vector<std::string> candidates = world.labels;
  if (candidates.empty())
    for (auto& p : req.peers)
      if (!p.label.empty()
          && std::find(candidates.begin(), candidates.end(), p.label)
               == candidates.end())
        candidates.push_back(p.label);
  if (candidates.empty())
    return own;
  std::vector<size_t> votes(candidates.size(), 0);
  for (auto& p : req.peers) {
    auto i = std::find(candidates.begin(), candidates.end(), p.label);
    if (i != candidates.end())
      ++votes[static_cast<size_t>(i - candidates.begin())];
  }
  auto [lo, hi] = std::minmax_element(votes.begin(), votes.end());
  if (*lo == *hi
      && std::find(candidates.begin(), candidates.end(), own)
           != candidates.end())
    return own;
  return candidates[static_cast<size_t>(lo - votes.begin())];
}

std::string choose_label(const agent_world& world, const agent& a,
                         uint64_t run_seed, const request& req) {
  auto& g = *a.group;
  auto& ps = purpose();
  auto draw = [&] {
    auto gen = stream(run_seed, a, req.round, ps.label);
    return draw_label(world, g, gen);
  };
  // Adversaries ignore their distribution.
  switch (g.refine) {
    case behaviour::fixed_wrong:
      return wrong_label(world, g);
    case behaviour::flip_flop:
      return req.round % 2 == 0 ? world.ground_truth : wrong_label(world, g);
    default:
      break;
  }
  if (req.round <= 0)
    return draw();
  auto own = req.own_label.empty() ? draw() : req.own_label;
  switch (g.refine) {
    case behaviour::stubborn:
      return own;
    case behaviour::resample:
      return draw();
    case behaviour::copy_peer: {
      auto gen = stream(run_seed, a, req.round, ps.refine);
      return copy_peer_label(req, own, gen);
    }
    case behaviour::majority:
      return majority_label(req, own);
    case behaviour::conform: {
      auto gen = stream(run_seed, a, req.round, ps.refine);
      return gen.bernoulli(g.conform_p) ? majority_label(req, own) : own;
    }
    case behaviour::balancing:
      return balancing_label(world, req, own);
    default:
      return own;
  }
}

// -- text ---------------------------------------------------------------------

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
         || c == '\f';
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i]))
      ++i;
    auto first = i;
    while (i < text.size() && !is_space(text[i]))
      ++i;
    if (i > first)
      out.emplace_back(text, first, i - first);
  }
  return out;
}

/// Applies word-level noise: each word, with probability `rate`, is dropped,
/// swapped with the next word (which then is not noised itself; a swap of the
/// last word is a no-op) or followed by a filler word, the three equally
/// likely. The result joins words with single spaces. With `rate <= 0` the
/// text is returned unchanged.
std::string add_noise(const std::string& text, double rate, rng::rng64& gen) {
  if (!(rate > 0))
    return text;
  auto words = split_words(text);
  std::string result;
  auto emit = [&](std::string_view w) {
    if (!result.empty())
      result += ' ';
    result += w;
  };
  for (size_t i = 0; i < words.size(); ++i) {
    if (!gen.bernoulli(rate)) {
      emit(words[i]);
      continue;
    }
    switch (gen.below(3)) {
      case 0: // Drop.
        break;
      case 1: // Swap with the next word.
        if (i + 1 < words.size()) {
          emit(words[i + 1]);
          emit(words[i]);
          ++i;
        } else {
          emit(words[i]);
        }
        break;
      default: // Insert a filler after the word.
        emit(words[i]);
        emit(fillers[gen.below(std::size(fillers))]);
    }
  }
  return result;
}

const std::string& template_of(const agent_world& world,
                               const std::string& label, std::string& buf) {
  auto i = std::find(world.labels.begin(), world.labels.end(), label);
  if (i != world.labels.end()) {
    auto idx = static_cast<size_t>(i - world.labels.begin());
    if (idx < world.templates.size() && !world.templates[idx].empty())
      return world.templates[idx];
  }
  buf = default_template(label);
  return buf;
}

// -- results ------------------------------------------------------------------

result timeout_result(const agent_world& world, const agent& a,
                      const request& req) {
  result x;
  x.id = a.id;
  x.round = req.round;
  x.ok = false;
  x.timed_out = true;
  x.ms = world.timeout_ms;
  x.error = timeout_text;
  return x;
}

} // namespace

// -- latency ------------------------------------------------------------------

std::string to_string(latency_model::kind type) {
  using kind = latency_model::kind;
  switch (type) {
    case kind::constant:
      return "constant";
    case kind::uniform:
      return "uniform";
    case kind::normal:
      return "normal";
    case kind::lognormal:
      return "lognormal";
    case kind::exponential:
      return "exponential";
    case kind::empirical:
      return "empirical";
  }
  return "???";
}

// -- answers ------------------------------------------------------------------

std::string to_string(behaviour x) {
  switch (x) {
    case behaviour::stubborn:
      return "stubborn";
    case behaviour::resample:
      return "resample";
    case behaviour::copy_peer:
      return "copy-peer";
    case behaviour::majority:
      return "majority";
    case behaviour::conform:
      return "conform";
    case behaviour::fixed_wrong:
      return "fixed-wrong";
    case behaviour::flip_flop:
      return "flip-flop";
    case behaviour::balancing:
      return "balancing";
  }
  return "???";
}

result answer(const agent_world& world, const agent& a, uint64_t run_seed,
              const request& req) {
  static const agent_group default_group;
  auto self = a;
  if (self.group == nullptr)
    self.group = &default_group;
  auto& g = *self.group;
  auto& ps = purpose();
  // Faults, in this order: crash, no answer, latency above the timeout,
  // failure. A failure that would arrive after the deadline is a timeout.
  if (g.crash_after >= 0 && req.round > g.crash_after)
    return timeout_result(world, self, req);
  auto fault = stream(run_seed, self, req.round, ps.fault).uniform();
  if (fault < g.no_answer)
    return timeout_result(world, self, req);
  auto lat_gen = stream(run_seed, self, req.round, ps.latency);
  auto ms = sample_latency(g.latency, lat_gen);
  if (ms > world.timeout_ms)
    return timeout_result(world, self, req);
  if (fault < g.no_answer + g.fail)
    return make_failure(self.id, req.round, failure_text, ms);
  // A successful answer.
  auto label = choose_label(world, self, run_seed, req);
  std::string buf;
  auto& tmpl = template_of(world, label, buf);
  auto noise_gen = stream(run_seed, self, req.round, ps.noise);
  auto x = make_ok(self.id, add_noise(tmpl, g.noise, noise_gen), ms, req.round);
  x.label = std::move(label);
  return x;
}

std::string default_template(const std::string& label) {
  // The label itself (lower-cased, blanks replaced by '_') is the first word,
  // followed by distinct vocabulary words drawn by a generator seeded with
  // the label's hash, until there are `template_words` words.
  std::string head;
  for (auto c : label) {
    if (is_space(c))
      head += '_';
    else if (c >= 'A' && c <= 'Z')
      head += static_cast<char>(c - 'A' + 'a');
    else
      head += c;
  }
  std::vector<const char*> words;
  if (!head.empty())
    words.push_back(head.c_str());
  // Partial Fisher-Yates over the vocabulary indexes.
  constexpr size_t n = std::size(vocabulary);
  size_t idx[n];
  for (size_t i = 0; i < n; ++i)
    idx[i] = i;
  rng::rng64 gen{rng::hash_name(label.data(), label.size())};
  for (size_t i = 0; i < n && words.size() < template_words; ++i) {
    auto j = i + gen.below(n - i);
    std::swap(idx[i], idx[j]);
    auto w = vocabulary[idx[i]];
    if (head != w)
      words.push_back(w);
  }
  std::string out;
  for (auto w : words) {
    if (!out.empty())
      out += ' ';
    out += w;
  }
  return out;
}

} // namespace caf::consensus::sim
