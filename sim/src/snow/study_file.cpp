// caf-consensus sim: Snow study files (see snow/study_file.hpp).

#include "caf/consensus/sim/snow/study_file.hpp"

#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace caf::consensus::sim::snow {

namespace {

/// Errors of one file: `FILE: key 'PATH': PROBLEM`.
struct study_reader {
  const std::string& file;

  error fail(const std::string& path, const std::string& why) const {
    return make_error(errc::malformed_input,
                      file + ": key '" + path + "': " + why);
  }

  template <class T>
  error number(const YAML::Node& v, const std::string& path, T& out) const {
    try {
      out = v.as<T>();
      return {};
    } catch (const YAML::Exception&) {
      return fail(path, "expected a number, got '" + scalar(v) + "'");
    }
  }

  static std::string scalar(const YAML::Node& v) {
    return v.IsScalar() ? v.Scalar() : std::string{"(not a scalar)"};
  }

  /// Applies one network key to `x`.
  error apply(config& x, const std::string& key, const YAML::Node& v,
              const std::string& path) const {
    auto u32 = [&](uint32_t& out) -> error {
      int64_t tmp = 0;
      if (auto err = number(v, path, tmp))
        return err;
      if (tmp < 0 || tmp > int64_t{UINT32_MAX})
        return fail(path,
                    "must be a non-negative integer, got '" + scalar(v) + "'");
      out = static_cast<uint32_t>(tmp);
      return {};
    };
    auto i32 = [&](int32_t& out) { return number(v, path, out); };
    if (key == "nodes")
      return u32(x.nodes);
    if (key == "colours")
      return u32(x.colours);
    if (key == "k")
      return i32(x.q.k);
    if (key == "alpha_preference")
      return i32(x.q.alpha_preference);
    if (key == "alpha_confidence")
      return i32(x.q.alpha_confidence);
    if (key == "beta")
      return i32(x.q.beta);
    if (key == "adversaries")
      return u32(x.adversaries);
    if (key == "adversary_share") {
      double share = 0;
      if (auto err = number(v, path, share))
        return err;
      if (!(share >= 0 && share < 1))
        return fail(path, "must be in [0, 1), got '" + scalar(v) + "'");
      // Rounded to the nearest node (ties up).
      x.adversaries = static_cast<uint32_t>(
        std::floor(share * static_cast<double>(x.nodes) + 0.5));
      return {};
    }
    if (key == "wrong")
      return u32(x.wrong);
    if (key == "max_polls_per_node")
      return number(v, path, x.max_polls_per_node);
    if (key == "checkpoints")
      return u32(x.checkpoints);
    auto word = scalar(v);
    if (key == "semantics")
      return from_string(word, x.sem)
               ? error{}
               : fail(path, "expected snowflake, snowball or luxfi, got '"
                              + word + "'");
    if (key == "schedule")
      return from_string(word, x.sched)
               ? error{}
               : fail(path, "expected async or sync, got '" + word + "'");
    if (key == "attack")
      return from_string(word, x.attack)
               ? error{}
               : fail(path, "expected fixed, balancing or equivocating, got '"
                              + word + "'");
    return fail(path, "unknown key");
  }

  /// Applies a map of network keys; `adversary_share` last (it needs nodes).
  error apply_map(config& x, const YAML::Node& m, const std::string& path,
                  bool allow_name) const {
    if (!m.IsMap())
      return fail(path, "expected a map of network keys");
    std::optional<YAML::Node> share;
    for (auto kv : m) {
      auto key = kv.first.as<std::string>();
      if (allow_name && key == "name")
        continue;
      if (key == "adversary_share") {
        share.emplace(kv.second);
        continue;
      }
      if (auto err = apply(x, key, kv.second, path + "." + key))
        return err;
    }
    if (share)
      return apply(x, "adversary_share", *share, path + ".adversary_share");
    return {};
  }

  error check(const config& x, const std::string& path) const {
    if (auto err = validate(x))
      return fail(path, context_text(err));
    return {};
  }
};

} // namespace

expected<study_file> parse_study(const std::string& text,
                                 const std::string& file) {
  study_reader rd{file};
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return make_error(errc::malformed_input,
                      file + ": not valid YAML: " + e.msg);
  }
  if (!root.IsMap())
    return rd.fail("", "a study file is a map (study, runs, seed, network, "
                       "arms | sweep, baseline)");
  study_file out;
  config base;
  for (auto kv : root) {
    auto key = kv.first.as<std::string>();
    auto& v = kv.second;
    if (key == "study") {
      out.name = rd.scalar(v);
    } else if (key == "runs") {
      int64_t runs = 0;
      if (auto err = rd.number(v, "runs", runs))
        return err;
      if (runs < 1 || runs > 100000000)
        return rd.fail("runs",
                       "must be in [1, 10^8], got '" + rd.scalar(v) + "'");
      out.runs = static_cast<uint64_t>(runs);
    } else if (key == "seed") {
      if (auto err = rd.number(v, "seed", out.seed))
        return err;
    } else if (key != "network" && key != "arms" && key != "sweep"
               && key != "baseline") {
      return rd.fail(key, "unknown key");
    }
  }
  if (out.name.empty())
    return rd.fail("study", "missing: every study has a name");
  if (!root["network"])
    return rd.fail("network", "missing");
  if (auto err = rd.apply_map(base, root["network"], "network", false))
    return err;
  if (root["arms"] && root["sweep"])
    return rd.fail("sweep", "use either arms or sweep, not both");
  if (auto arms = root["arms"]) {
    if (!arms.IsSequence() || arms.size() == 0)
      return rd.fail("arms", "expected a non-empty list of maps");
    for (size_t i = 0; i < arms.size(); ++i) {
      auto path = "arms[" + std::to_string(i) + "]";
      study_arm a{"", base};
      if (!arms[i].IsMap() || !arms[i]["name"])
        return rd.fail(path, "expected a map with a name");
      a.name = rd.scalar(arms[i]["name"]);
      if (auto err = rd.apply_map(a.cfg, arms[i], path, true))
        return err;
      out.arms.push_back(std::move(a));
    }
  } else if (auto sweep = root["sweep"]) {
    if (!sweep.IsMap() || sweep.size() != 1)
      return rd.fail("sweep", "expected one key with a list of values");
    auto key = sweep.begin()->first.as<std::string>();
    auto values = sweep.begin()->second;
    if (!values.IsSequence() || values.size() == 0)
      return rd.fail("sweep." + key, "expected a non-empty list");
    for (size_t i = 0; i < values.size(); ++i) {
      auto path = "sweep." + key + "[" + std::to_string(i) + "]";
      study_arm a{key + "=" + rd.scalar(values[i]), base};
      if (auto err = rd.apply(a.cfg, key, values[i], path))
        return err;
      out.arms.push_back(std::move(a));
    }
  } else {
    out.arms.push_back(study_arm{out.name, base});
  }
  if (auto b = root["baseline"]) {
    study_arm a{"baseline", base};
    if (auto err = rd.apply_map(a.cfg, b, "baseline", true))
      return err;
    if (b.IsMap() && b["name"])
      a.name = rd.scalar(b["name"]);
    if (auto err = rd.check(a.cfg, "baseline"))
      return err;
    out.baseline = std::move(a);
  }
  for (size_t i = 0; i < out.arms.size(); ++i)
    if (auto err = rd.check(out.arms[i].cfg, root["arms"] || root["sweep"]
                                               ? out.arms[i].name
                                               : std::string{"network"}))
      return err;
  return out;
}

expected<study_file> load_study(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::malformed_input, path + ": cannot open file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_study(buf.str(), path);
}

} // namespace caf::consensus::sim::snow
