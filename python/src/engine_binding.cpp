// caf-consensus python: the round engine as a Python object (`_core.Engine`)
// that an asyncio loop drives one round at a time, and the conversion of
// Python's `random` state to the library's MT19937 and back.

#include "bindings.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "caf/sec.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/hanzo.hpp"
#include "caf/consensus/rng/python_random.hpp"
#include "caf/consensus/rng/seed.hpp"

namespace py = pybind11;

namespace caf::consensus::python {

namespace {

/// A seed given as (negative, 32-bit words of |n| least significant first):
/// Python splits its int of any size.
rng::seed seed_of(const py::object& x) {
  auto t = x.cast<py::tuple>();
  return rng::seed::from_words(t[1].cast<std::vector<uint32_t>>(),
                               t[0].cast<bool>());
}

/// The generator whose state `random.getstate()[1]` holds: a tuple of 624
/// words and the position (converted without per-item pybind11 casts: this
/// runs twice per round).
expected<rng::python_random> mt_from_tuple(const py::object& x) {
  if (!PyTuple_Check(x.ptr()) || PyTuple_GET_SIZE(x.ptr()) != 625)
    return make_error(sec::invalid_argument,
                      "a random state is a tuple of 625 integers");
  std::vector<uint32_t> words(624);
  for (Py_ssize_t i = 0; i < 624; ++i) {
    auto v = PyLong_AsUnsignedLong(PyTuple_GET_ITEM(x.ptr(), i));
    if (PyErr_Occurred() || v > 0xffffffffUL) {
      PyErr_Clear();
      return make_error(sec::invalid_argument,
                        "a random state word is not a 32-bit integer");
    }
    words[i] = static_cast<uint32_t>(v);
  }
  auto pos = PyLong_AsSsize_t(PyTuple_GET_ITEM(x.ptr(), 624));
  if (PyErr_Occurred() || pos < 0) {
    PyErr_Clear();
    return make_error(sec::invalid_argument, "invalid random state position");
  }
  return rng::python_random::from_state(words, static_cast<size_t>(pos));
}

/// The inverse of `mt_from_tuple`. When the table is still `same_as`'s
/// (only the position moved: no twist since), its 624 int objects are
/// reused instead of allocating new ones.
py::tuple mt_to_tuple(const rng::python_random& g,
                      const std::vector<uint32_t>* before = nullptr,
                      const py::object* same_as = nullptr) {
  auto words = g.state_words();
  py::tuple out(625);
  if (before != nullptr && same_as != nullptr && *before == words) {
    for (Py_ssize_t i = 0; i < 624; ++i) {
      auto* item = PyTuple_GET_ITEM(same_as->ptr(), i);
      Py_INCREF(item);
      PyTuple_SET_ITEM(out.ptr(), i, item);
    }
  } else {
    for (size_t i = 0; i < 624; ++i)
      PyTuple_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i),
                       PyLong_FromUnsignedLong(words[i]));
  }
  PyTuple_SET_ITEM(out.ptr(), 624, PyLong_FromSize_t(g.state_position()));
  return out;
}

params params_of(const py::dict& kw) {
  params ps;
  auto get = [&](const char* key) -> py::object {
    return kw.contains(key) ? py::object(kw[key]) : py::none();
  };
  if (auto x = get("rounds"); !x.is_none())
    ps.rounds = x.cast<int32_t>();
  if (auto x = get("k"); !x.is_none())
    ps.k = x.cast<int32_t>();
  if (auto x = get("alpha"); !x.is_none())
    ps.alpha = x.cast<double>();
  if (auto x = get("beta_1"); !x.is_none())
    ps.beta_1 = x.cast<double>();
  if (auto x = get("beta_2"); !x.is_none())
    ps.beta_2 = x.cast<double>();
  if (auto x = get("policy"); !x.is_none())
    ps.policy = x.cast<std::string>();
  if (auto x = get("seed"); !x.is_none())
    ps.seed = seed_of(x);
  if (auto x = get("timeout_ms"); !x.is_none())
    ps.timeout_ms = x.cast<int64_t>();
  if (auto x = get("beta"); !x.is_none())
    ps.beta = x.cast<int32_t>();
  if (auto x = get("luminance_weighted"); !x.is_none())
    ps.luminance_weighted = x.cast<bool>();
  if (auto x = get("stop_on_unanimity"); !x.is_none())
    ps.stop_on_unanimity = x.cast<bool>();
  return ps;
}

/// One run: the engine plus, for `hanzo`, its policy, whose generator the
/// Python side may set before each round and read back after (continuing
/// Python's global `random` state exactly where the reference would).
class py_engine {
public:
  py_engine(std::string prompt, std::vector<std::string> participants,
            const py::dict& kw, bool naive_sum) {
    auto ps = params_of(kw);
    engine_options opts;
    if (ps.policy == "hanzo")
      opts.factory = [this, naive_sum] {
        auto pol = std::make_unique<policy::hanzo>();
        pol->uncompensated_sum(naive_sum);
        hanzo_ = pol.get();
        return std::unique_ptr<policy::policy_base>{std::move(pol)};
      };
    auto eng = engine::make(std::move(prompt), std::move(participants),
                            std::move(ps), std::move(opts));
    if (!eng)
      throw py::value_error(render(eng.error()));
    eng_ = std::make_unique<engine>(std::move(*eng));
  }

  bool done() const {
    return eng_->done();
  }

  int32_t round() const {
    return eng_->round();
  }

  /// (participant, prompt) of every pending request, in participant order.
  py::list requests() const {
    py::list out;
    for (auto& req : eng_->requests())
      out.append(py::make_tuple(req.participant, req.prompt.str()));
    return out;
  }

  /// Completes the round with (output, ok, error, ms, timed_out) per
  /// participant; the engine runs without the GIL. With `mt_state` (the 625
  /// integers of `random.getstate()[1]`), the hanzo generator continues from
  /// it; returns its state after the round in the same form (None without
  /// `mt_state`).
  py::object complete(const py::list& xs, const py::object& mt_state) {
    auto& st = eng_->current();
    if (xs.size() != st.participants.size())
      throw py::value_error("complete: expected one result per participant");
    std::vector<result> rs(xs.size());
    for (size_t i = 0; i < rs.size(); ++i) {
      auto t = xs[i].cast<py::tuple>();
      auto& r = rs[i];
      r.id = st.participants[i];
      r.output = t[0].cast<std::string>();
      r.ok = t[1].cast<bool>();
      if (!t[2].is_none())
        r.error = t[2].cast<std::string>();
      r.ms = t[3].cast<int64_t>();
      r.timed_out = t[4].cast<bool>();
    }
    rng::python_random* gen = nullptr;
    std::vector<uint32_t> before;
    if (!mt_state.is_none()) {
      if (hanzo_ == nullptr || hanzo_->generator() == nullptr)
        throw py::value_error("a random state applies to policy 'hanzo' only");
      auto g = mt_from_tuple(mt_state);
      if (!g)
        throw py::value_error(render(g.error()));
      gen = hanzo_->generator();
      *gen = std::move(*g);
      before = gen->state_words();
    }
    {
      py::gil_scoped_release nogil;
      eng_->complete(std::move(rs));
    }
    if (gen == nullptr)
      return py::none();
    return mt_to_tuple(*gen, &before, &mt_state);
  }

  /// The final state as a dict of plain Python values.
  py::dict take() {
    if (!eng_->done())
      throw py::value_error("take: the run is not done");
    state st;
    {
      py::gil_scoped_release nogil;
      st = eng_->take();
    }
    py::dict d;
    py::list responses;
    py::list errors;
    for (auto& xs : st.responses) {
      py::list texts;
      py::list errs;
      for (auto& r : xs) {
        texts.append(py::str(r.text.str()));
        errs.append(r.ok ? py::object(py::none()) : py::str(r.error));
      }
      responses.append(texts);
      errors.append(errs);
    }
    d["responses"] = responses;
    d["errors"] = errors;
    d["confidence"] = st.confidence;
    d["luminance"] = st.luminance;
    d["scores"] = st.scores;
    d["winner"] = st.winner;
    d["finalized"] = st.finalized;
    d["synthesis"] = st.synthesis;
    d["rounds_executed"] = st.rounds_executed;
    d["stop"] = to_string(st.stop);
    d["calls"] = st.calls;
    d["failures"] = st.failures;
    d["timeouts"] = st.timeouts;
    d["policy"] = st.policy;
    py::list samples;
    for (auto& tr : st.trace) {
      py::list per;
      for (auto& s : tr.samples)
        per.append(s.to_vector());
      samples.append(per);
    }
    d["samples"] = samples;
    return d;
  }

private:
  std::unique_ptr<engine> eng_;
  policy::hanzo* hanzo_ = nullptr;
};

} // namespace

void bind_engine(py::module_& m) {
  py::class_<py_engine>(m, "Engine",
                        "One consensus run driven a round at a time.")
    .def(py::init<std::string, std::vector<std::string>, py::dict, bool>(),
         py::arg("prompt"), py::arg("participants"), py::arg("params"),
         py::arg("naive_sum") = false)
    .def_property_readonly("done", &py_engine::done)
    .def_property_readonly("round", &py_engine::round)
    .def("requests", &py_engine::requests)
    .def("complete", &py_engine::complete, py::arg("results"),
         py::arg("mt_state") = py::none())
    .def("take", &py_engine::take);
  m.def(
    "mt_from_seed",
    [](const py::object& n) {
      rng::python_random g{seed_of(n)};
      return mt_to_tuple(g);
    },
    py::arg("n"),
    "`random.getstate()[1]` after `random.seed(n)`; n given as (negative,\n"
    "words).");
}

} // namespace caf::consensus::python
