// caf-consensus sim: verdicts on the Snow family's published advice (see
// advice/snow_claims.hpp).

#include "caf/consensus/sim/advice/snow_claims.hpp"

#include <cctype>
#include <cmath>
#include <sstream>

#include "caf/consensus/sim/snow/study.hpp"
#include "caf/consensus/sim/snow/text.hpp"

namespace caf::consensus::sim {

namespace snow_claims_detail {

// Using-declarations, not a using-directive: sim:: has its own mean_ci.
using snow::adversary;
using snow::arm;
using snow::config;
using snow::mean_ci;
using snow::paired_polls_difference;
using snow::proportion;
using snow::quorum;
using snow::run_arm;
using snow::schedule;
using snow::semantics;
using snow::summarize;

using snow::sci;

std::string num(double x, int digits) {
  return snow::fixed(x, digits);
}

std::string ci(const mean_ci& m, int digits) {
  return snow::mean_text(m, digits);
}

std::string rate(const proportion& p) {
  if (p.events == 0)
    return "0/" + std::to_string(p.trials) + " (95% upper bound "
           + sci(p.upper_one_sided) + ")";
  return std::to_string(p.events) + "/" + std::to_string(p.trials) + " = "
         + sci(p.rate) + " [" + sci(p.low) + ", " + sci(p.high) + "]";
}

config network(int32_t k, int32_t a_pref, int32_t a_conf, int32_t beta) {
  config x;
  x.nodes = 100;
  x.colours = 2;
  x.q = quorum{k, a_pref, a_conf, beta};
  x.sem = semantics::snowball;
  x.sched = schedule::async;
  x.max_polls_per_node = 1000;
  x.checkpoints = 0;
  return x;
}

std::string describe(const config& x, uint64_t runs) {
  std::ostringstream os;
  os << x.nodes << " nodes, " << x.colours << " colours, K " << x.q.k
     << ", alpha " << x.q.alpha_preference << "/" << x.q.alpha_confidence
     << ", beta " << x.q.beta << ", " << to_string(x.sem) << ", "
     << to_string(x.sched);
  if (x.adversaries > 0)
    os << ", " << x.adversaries << " " << to_string(x.attack) << " adversaries";
  os << ", " << runs << " runs";
  return os.str();
}

struct runner {
  const snow_claim_options& opts;

  arm run(const config& x) const {
    return run_arm(x, opts.seed, opts.runs, opts.threads);
  }
};

/// Dual alpha vs equal alphas, paired on common seeds.
snow_verdict dual_alpha(const runner& r, uint32_t colours, int64_t cap) {
  auto equal = network(20, 15, 15, 20);
  equal.colours = colours;
  equal.max_polls_per_node = cap;
  auto dual = equal;
  dual.q.alpha_preference = 11;
  auto a = r.run(equal);
  auto b = r.run(dual);
  auto sa = summarize(a);
  auto sb = summarize(b);
  auto d = paired_polls_difference(a, b);
  snow_verdict out;
  out.id = "dual-alpha-" + std::to_string(colours);
  out.claim = "AlphaPreference = K/2 + 1 converges faster than equal alphas ("
              + std::to_string(colours) + " colours)";
  out.source = "avalanchego, snow/consensus/snowball/"
               "consensus_performance_test.go (TestDualAlphaOptimization)";
  out.test = describe(dual, r.opts.runs) + "; alpha 11/15 vs 15/15 on the "
             + "same seeds; runs capped at " + std::to_string(cap)
             + " polls per node";
  std::ostringstream ev;
  ev << "finished " << num(100 * sb.finished.rate, 1) << "% (dual) vs "
     << num(100 * sa.finished.rate, 1) << "% (equal); capped "
     << num(100 * sb.capped.rate, 1) << "% vs " << num(100 * sa.capped.rate, 1)
     << "%";
  if (d.n >= 30) {
    ev << "; paired difference in polls per node (dual - equal) " << ci(d, 2)
       << " over " << d.n << " seeds where both finished ("
       << num(100 * d.mean / sa.polls_per_node.mean, 1) << "% of "
       << num(sa.polls_per_node.mean, 2) << ")";
  }
  out.evidence = ev.str();
  if (sa.finished.rate < 0.5 && sb.finished.rate < 0.5) {
    out.v = verdict::inconclusive;
    out.evidence += "; most runs of both arms are capped: in a flat network "
                    "a poll rarely gives one colour alpha_preference votes "
                    "(avalanchego tests 10 colours on its tree of binary "
                    "decisions)";
  } else if (sb.finished.rate + 0.01 < sa.finished.rate) {
    out.v = verdict::does_not_hold;
  } else if (d.n >= 30 && d.high < 0) {
    out.v = verdict::holds;
  } else if (d.n >= 30 && d.low > 0) {
    out.v = verdict::does_not_hold;
  } else {
    out.v = verdict::inconclusive;
  }
  return out;
}

/// Zero disagreement without adversaries.
snow_verdict no_disagreement(const runner& r) {
  auto x = network(20, 15, 15, 20);
  auto s = summarize(r.run(x));
  snow_verdict out;
  out.id = "no-disagreement";
  out.claim = "no two honest nodes finalize different values";
  out.source = "avalanchego, snow/consensus/snowball network tests "
               "(Disagreement() must stay false)";
  out.test = describe(x, r.opts.runs);
  out.v = s.disagreement.events == 0 ? verdict::holds : verdict::does_not_hold;
  out.evidence = "disagreement " + rate(s.disagreement) + "; finished "
                 + num(100 * s.finished.rate, 1) + "%";
  return out;
}

/// One luxfi preset: decides, and safely.
snow_verdict preset(const runner& r, int32_t k, int32_t alpha, int32_t beta) {
  auto x = network(k, alpha, alpha, beta);
  x.sem = semantics::luxfi;
  auto s = summarize(r.run(x));
  snow_verdict out;
  out.id = "luxfi-preset-k" + std::to_string(k);
  out.claim = "preset K " + std::to_string(k) + " / alpha "
              + std::to_string(alpha) + " / beta " + std::to_string(beta)
              + " decides without disagreement";
  out.source = "luxfi/consensus parameter presets";
  out.test = describe(x, r.opts.runs);
  out.evidence = "disagreement " + rate(s.disagreement) + "; finished "
                 + num(100 * s.finished.rate, 1) + "%; polls per node "
                 + ci(s.polls_per_node, 2);
  if (s.disagreement.events > 0)
    out.v = verdict::does_not_hold;
  else if (s.finished.rate == 1)
    out.v = verdict::holds;
  else
    out.v = verdict::inconclusive;
  return out;
}

/// luxfi's "safety failure < 1e-9": an upper bound from zero failures.
snow_verdict luxfi_safety(const runner& r) {
  auto x = network(10, 8, 8, 100);
  x.sem = semantics::luxfi;
  x.max_polls_per_node = 2000;
  auto s = summarize(r.run(x));
  snow_verdict out;
  out.id = "luxfi-safety";
  out.claim = "safety failure probability < 1e-9 with k 10-20, alpha 0.8k, "
              "beta 100-300";
  out.source = "luxfi/consensus paper";
  out.test = describe(x, r.opts.runs)
             + " (the smallest k and beta of the range)";
  auto& d = s.disagreement;
  out.evidence = "disagreement " + rate(d);
  if (d.events > 0) {
    out.v = verdict::does_not_hold;
  } else if (d.upper_one_sided < 1e-9) {
    out.v = verdict::holds;
  } else {
    out.v = verdict::inconclusive;
    out.evidence += ": consistent with the claim, but the strongest "
                    "statement these runs support is a failure rate below "
                    + sci(d.upper_one_sided)
                    + " (exact one-sided 95%); "
                      "confirming 1e-9 needs about 3.0e9 runs without a "
                      "failure";
  }
  return out;
}

/// Safety below the Frosty bound f < n/5, against equivocating adversaries.
snow_verdict frosty_bound(const runner& r) {
  auto x = network(20, 14, 14, 14);
  x.adversaries = 19;
  x.attack = adversary::equivocating;
  x.max_polls_per_node = 300;
  auto s = summarize(r.run(x));
  snow_verdict out;
  out.id = "safety-below-n/5";
  out.claim = "safety holds with fewer than n/5 Byzantine nodes";
  out.source = "Frosty (Buchwald et al.), the bound of its proofs";
  out.test = describe(x, r.opts.runs);
  out.v = s.disagreement.events == 0 ? verdict::holds : verdict::does_not_hold;
  out.evidence = "disagreement " + rate(s.disagreement) + "; finished "
                 + num(100 * s.finished.rate, 1) + "% (the rest capped at "
                 + "300 polls per node: liveness, not safety)";
  return out;
}

/// Liveness attacks need more than order sqrt(n) adversaries.
snow_verdict liveness_sqrt_n(const runner& r) {
  auto few = network(20, 15, 15, 20);
  few.max_polls_per_node = 300;
  few.attack = adversary::balancing;
  few.adversaries = 2; // 0.2 sqrt(n)
  auto many = few;
  many.adversaries = 10; // sqrt(n)
  auto sf = summarize(r.run(few));
  auto sm = summarize(r.run(many));
  snow_verdict out;
  out.id = "liveness-sqrt-n";
  out.claim = "a liveness attack needs on the order of sqrt(n) adversaries";
  out.source = "Avalanche paper (Snowflake to Avalanche), liveness analysis";
  out.test = describe(many, r.opts.runs) + " vs 2 balancing adversaries";
  out.evidence = "capped at 300 polls per node: " + num(100 * sf.capped.rate, 1)
                 + "% [" + num(100 * sf.capped.low, 1) + ", "
                 + num(100 * sf.capped.high, 1) + "] with 2 adversaries, "
                 + num(100 * sm.capped.rate, 1) + "% ["
                 + num(100 * sm.capped.low, 1) + ", "
                 + num(100 * sm.capped.high, 1) + "] with 10 = sqrt(n)";
  if (sf.capped.high < 0.1 && sm.capped.low > 0.5)
    out.v = verdict::holds;
  else if (sf.capped.low > 0.5)
    out.v = verdict::does_not_hold;
  else
    out.v = verdict::inconclusive;
  return out;
}

/// Diminishing returns of k (beta 5, alpha = ceil(0.75 k)).
snow_verdict k_returns(const runner& r) {
  auto at = [&](int32_t k) {
    auto a = static_cast<int32_t>(std::ceil(0.75 * k));
    auto x = network(k, a, a, 5);
    x.max_polls_per_node = 300;
    return summarize(r.run(x));
  };
  auto s4 = at(4);
  auto s8 = at(8);
  auto s20 = at(20);
  snow_verdict out;
  out.id = "k-returns";
  out.claim = "a larger k gives broader agreement, with diminishing returns";
  out.source = "hanzo-consensus README (larger k: broader agreement); "
               "luxfi/consensus (k 10-20)";
  out.test = "100 honest nodes, 2 colours, alpha ceil(0.75 k), beta 5, "
             "Snowball, async, "
             + std::to_string(r.opts.runs) + " runs per k";
  out.evidence = "disagreement k 4: " + rate(s4.disagreement) + "; k 8: "
                 + rate(s8.disagreement) + "; k 20: " + rate(s20.disagreement)
                 + "; queries per node k 4: "
                 + num(4 * s4.polls_per_node.mean, 0)
                 + ", k 8: " + num(8 * s8.polls_per_node.mean, 0)
                 + ", k 20: " + num(20 * s20.polls_per_node.mean, 0);
  auto gain_small = s8.disagreement.high < s4.disagreement.low;
  auto gain_large = s20.disagreement.high < s8.disagreement.low;
  // Holds: k 4 -> 8 removes disagreements significantly, k 8 -> 20 adds
  // no significant gain while it costs more queries. Does not hold: a larger
  // k is significantly worse.
  auto worse = s8.disagreement.low > s4.disagreement.high
               || s20.disagreement.low > s8.disagreement.high;
  if (worse)
    out.v = verdict::does_not_hold;
  else if (gain_small && !gain_large)
    out.v = verdict::holds;
  else
    out.v = verdict::inconclusive;
  return out;
}

} // namespace snow_claims_detail

std::vector<snow_verdict> run_snow_claims(const snow_claim_options& opts) {
  using namespace snow_claims_detail;
  runner r{opts};
  std::vector<snow_verdict> out;
  out.push_back(dual_alpha(r, 2, 1000));
  out.push_back(dual_alpha(r, 10, 200));
  out.push_back(no_disagreement(r));
  out.push_back(preset(r, 20, 14, 14));
  out.push_back(preset(r, 21, 15, 15));
  out.push_back(preset(r, 11, 8, 8));
  out.push_back(preset(r, 4, 3, 2));
  out.push_back(luxfi_safety(r));
  out.push_back(frosty_bound(r));
  out.push_back(liveness_sqrt_n(r));
  out.push_back(k_returns(r));
  return out;
}

std::string snow_claims_text(const std::vector<snow_verdict>& xs) {
  std::ostringstream os;
  os << "\n== Snow family (avalanchego, luxfi/consensus, Avalanche papers) "
        "==\n";
  for (auto& x : xs) {
    auto v = to_string(x.v);
    for (auto& c : v)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    os << x.claim << " [" << x.source << "]\n  -> " << v
       << "\n     test: " << x.test << "\n     " << x.evidence << "\n";
  }
  return os.str();
}

} // namespace caf::consensus::sim
