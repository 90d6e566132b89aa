// caf-consensus sim: the text a synthetic agent answers: default templates
// made from a fixed vocabulary, and word-level noise.

#include "caf/consensus/sim/agents/internal/text.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

namespace caf::consensus::sim {

namespace {

/// Number of words of a default template (the label word included).
constexpr size_t template_words = 12;

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

static_assert(sizeof(fillers) / sizeof(fillers[0])
                == agents_internal::filler_count,
              "the filler list must hold 32 words");

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
         || c == '\f';
}

} // namespace

namespace agents_internal {

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

std::string_view filler_word(size_t i) {
  return fillers[i];
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
  // Built in a per-thread buffer and returned as an exact-size copy: growing
  // the result by appends left up to half of its capacity unused, and a run
  // keeps every output to its end (10^6 agents x 4 rounds: ~190 MB).
  thread_local std::string result;
  result.clear();
  auto emit = [&](std::string_view w) {
    if (!result.empty())
      result += ' ';
    result += w;
  };
  noise_walk(
    words.size(), rate, gen, [&](size_t i) { emit(words[i]); },
    [&](size_t f) { emit(fillers[f]); });
  return std::string{result};
}

size_t label_index(const agent_world& world, const std::string& label) {
  auto i = std::find(world.labels.begin(), world.labels.end(), label);
  return static_cast<size_t>(i - world.labels.begin());
}

const std::string& template_of(const agent_world& world,
                               const std::string& label, std::string& buf) {
  auto idx = label_index(world, label);
  if (idx < world.labels.size() && idx < world.templates.size()
      && !world.templates[idx].empty())
    return world.templates[idx];
  buf = default_template(label);
  return buf;
}

} // namespace agents_internal

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
