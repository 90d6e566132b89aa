// caf-consensus python: the simulator (`_core.Scenario`, `_core.run_sweep`,
// `_core.run_advice`): the same scenario parser, sweep driver, store and
// summaries as `consensus-sim`, with results handed to Python as JSON text.

#include "bindings.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "caf/sec.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/advice/advice.hpp"
#include "caf/consensus/sim/advice/output.hpp"
#include "caf/consensus/sim/advice/population.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/scenario/overrides.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_export.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/manifest.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace py = pybind11;

namespace caf::consensus::python {

namespace {

/// A parsed scenario plus the text it came from (the store keeps it).
struct py_scenario {
  sim::scenario sc;
  std::string text;
};

/// Raises ValueError with every problem found (one per line).
[[noreturn]] void raise_problems(const error& err,
                                 const sim::scenario_problems& ps) {
  std::string msg = render(err);
  if (ps.shown.size() > 1) {
    msg = std::to_string(ps.total) + " problems:";
    for (auto& x : ps.shown)
      msg += "\n  " + x;
  }
  throw py::value_error(msg);
}

py_scenario parse(const std::string& text, const std::string& origin) {
  sim::scenario_problems ps;
  auto sc = sim::parse_scenario(text, origin, &ps);
  if (!sc)
    raise_problems(sc.error(), ps);
  return py_scenario{std::move(*sc), text};
}

py_scenario load(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw py::value_error("cannot read scenario file '" + path + "'");
  std::ostringstream buf;
  buf << in.rdbuf();
  auto text = buf.str();
  if (text.size() > sim::max_scenario_file_bytes)
    throw py::value_error("scenario file '" + path + "' is larger than "
                          + std::to_string(sim::max_scenario_file_bytes)
                          + " bytes");
  return parse(text, path);
}

/// The problems of a scenario text (empty: valid).
std::vector<std::string> problems(const std::string& text,
                                  const std::string& origin) {
  sim::scenario_problems ps;
  auto sc = sim::parse_scenario(text, origin, &ps);
  if (sc)
    return {};
  if (ps.shown.empty())
    return {render(sc.error())};
  return ps.shown;
}

sim::engine_kind engine_of(const std::string& name) {
  if (name == "actors")
    return sim::engine_kind::actors;
  if (name == "inline")
    return sim::engine_kind::inline_calls;
  throw py::value_error("engine must be 'actors' or 'inline', got '" + name
                        + "'");
}

/// Runs `work` on its own thread while the calling (main) thread, without
/// the GIL except for short checks every `tick`, calls `poll` (which may
/// raise, e.g. KeyboardInterrupt from a pending SIGINT). On an exception
/// from `poll`, `cancel` is set and the exception is returned once `work`
/// ends.
template <class Work, class Poll>
std::exception_ptr run_polled(Work work, Poll poll, std::atomic<bool>& cancel) {
  std::atomic<bool> finished{false};
  std::thread worker{[&] {
    work();
    finished = true;
  }};
  std::exception_ptr ep;
  {
    py::gil_scoped_release nogil;
    while (!finished) {
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
      if (ep)
        continue;
      py::gil_scoped_acquire gil;
      try {
        poll();
      } catch (...) {
        ep = std::current_exception();
        cancel = true;
      }
    }
    worker.join();
  }
  return ep;
}

/// Whether `ep` is a KeyboardInterrupt raised by `poll`.
bool is_interrupt(const std::exception_ptr& ep) {
  try {
    std::rethrow_exception(ep);
  } catch (py::error_already_set& e) {
    return e.matches(PyExc_KeyboardInterrupt);
  } catch (...) {
    return false;
  }
}

/// Runs every replicate of every cell; returns (rows as JSON text, summary
/// per cell as JSON text, interrupted). After Ctrl-C the runs finished so far
/// are returned (and stored, with `out_dir`).
py::tuple run_sweep(const py_scenario& s, const std::string& engine,
                    size_t threads, const py::object& progress,
                    const std::string& out_dir) {
  sim::sweep_options opts;
  opts.engine = engine_of(engine);
  opts.threads = threads == 0 ? 1 : threads;
  auto cells = sim::cell_count(s.sc);
  std::optional<sim::results_store> store;
  if (!out_dir.empty()) {
    auto st = sim::results_store::create(
      out_dir, s.sc, s.text, false,
      sim::manifest(s.sc, opts.engine, "caf_consensus.sim.run"));
    if (!st)
      throw py::value_error(sim::render_sweep_error(st.error()));
    store.emplace(std::move(*st));
  }
  std::mutex mtx;
  std::vector<sim::run_metrics> runs;
  std::atomic<bool> cancel{false};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> total{cells * s.sc.replicates};
  opts.on_batch = [&](const std::vector<sim::run_metrics>& batch) -> error {
    std::lock_guard<std::mutex> guard{mtx};
    if (cancel)
      return make_error(sec::runtime_error, "interrupted");
    if (store)
      if (auto err = store->insert(batch))
        return err;
    runs.insert(runs.end(), batch.begin(), batch.end());
    return {};
  };
  opts.on_progress = [&](uint64_t n, uint64_t all) {
    done = n;
    total = all;
  };
  error err;
  uint64_t reported = ~uint64_t{0};
  auto poll = [&] {
    if (PyErr_CheckSignals() != 0)
      throw py::error_already_set();
    if (!progress.is_none() && done.load() != reported) {
      reported = done.load();
      progress(reported, total.load());
    }
  };
  auto ep = run_polled([&] { err = sim::run_sweep(s.sc, opts); }, poll, cancel);
  bool interrupted = false;
  if (ep) {
    if (!is_interrupt(ep))
      std::rethrow_exception(ep);
    interrupted = true;
  }
  if (store && !err && !interrupted)
    if (auto n = sim::export_runs(*store, out_dir); !n)
      err = n.error();
  if (err && !interrupted)
    throw std::runtime_error(sim::render_sweep_error(err));
  if (!progress.is_none() && done.load() != reported)
    progress(done.load(), total.load());
  // Rows and summaries in (cell, replicate) order, as the CLI reads them
  // back from its store: the means then sum in the same order.
  std::sort(runs.begin(), runs.end(), [](const auto& x, const auto& y) {
    return std::tie(x.cell, x.replicate) < std::tie(y.cell, y.replicate);
  });
  std::vector<sim::cell_summary> sums(cells);
  py::list rows;
  for (auto& m : runs) {
    rows.append(py::str(sim::to_json(m).dump()));
    if (m.cell < sums.size())
      sums[m.cell].add(m);
  }
  py::list summaries;
  for (uint64_t c = 0; c < cells; ++c)
    summaries.append(sim::summary_json(s.sc, c, sums[c]).dump());
  return py::make_tuple(rows, summaries, interrupted);
}

/// The advice verdicts as JSON text.
std::string run_advice(const std::string& agents, uint64_t replicates,
                       uint64_t seed, size_t threads,
                       std::vector<std::string> policies, bool rules,
                       const py::object& progress) {
  auto pop = agents.empty() ? sim::default_population()
                            : sim::load_population(agents);
  if (!pop)
    throw py::value_error(render(pop.error()));
  sim::advice_options opts;
  opts.replicates = replicates;
  opts.seed = seed;
  opts.threads = threads == 0 ? 1 : threads;
  if (!policies.empty())
    opts.policies = std::move(policies);
  opts.rules = rules;
  std::mutex mtx;
  std::string what;
  uint64_t done = 0;
  uint64_t planned = 0;
  opts.on_progress = [&](const std::string& w, uint64_t d, uint64_t p) {
    std::lock_guard<std::mutex> guard{mtx};
    what = w;
    done = d;
    planned = p;
  };
  std::atomic<bool> cancel{false};
  std::optional<expected<sim::advice_report>> rep;
  auto poll = [&] {
    if (PyErr_CheckSignals() != 0)
      throw py::error_already_set();
    if (!progress.is_none()) {
      std::lock_guard<std::mutex> guard{mtx};
      if (planned > 0)
        progress(what, done, planned);
    }
  };
  // run_advice has no cancellation: Ctrl-C is raised when it returns.
  if (auto ep = run_polled([&] { rep.emplace(sim::run_advice(*pop, opts)); },
                           poll, cancel))
    std::rethrow_exception(ep);
  if (!*rep)
    throw std::runtime_error(render(rep->error()));
  return sim::advice_json(**rep, "caf_consensus.sim.advice").dump();
}

} // namespace

void bind_sim(py::module_& m) {
  py::class_<py_scenario>(m, "Scenario", "A parsed scenario.")
    .def_property_readonly("name",
                           [](const py_scenario& s) { return s.sc.name; })
    .def_property_readonly(
      "description", [](const py_scenario& s) { return s.sc.description; })
    .def_property_readonly("prompt",
                           [](const py_scenario& s) { return s.sc.prompt; })
    .def_property_readonly("policy",
                           [](const py_scenario& s) { return s.sc.ps.policy; })
    .def_property_readonly("replicates",
                           [](const py_scenario& s) { return s.sc.replicates; })
    .def_property_readonly(
      "cells", [](const py_scenario& s) { return sim::cell_count(s.sc); })
    .def_property_readonly("participants",
                           [](const py_scenario& s) {
                             return sim::participant_ids(s.sc);
                           })
    .def_property_readonly("hash",
                           [](const py_scenario& s) { return s.sc.hash; })
    .def_property_readonly("text", [](const py_scenario& s) { return s.text; })
    .def("set_replicates", [](py_scenario& s, uint64_t n) {
      if (auto err = sim::override_replicates(s.sc, std::to_string(n),
                                              "replicates"))
        throw py::value_error(render(err));
    });
  m.def("parse_scenario", &parse, py::arg("text"), py::arg("origin"));
  m.def("load_scenario", &load, py::arg("path"));
  m.def("scenario_problems", &problems, py::arg("text"), py::arg("origin"));
  m.def("run_sweep", &run_sweep, py::arg("scenario"), py::arg("engine"),
        py::arg("threads"), py::arg("progress"), py::arg("out"));
  m.def("run_advice", &run_advice, py::arg("agents"), py::arg("replicates"),
        py::arg("seed"), py::arg("threads"), py::arg("policies"),
        py::arg("rules"), py::arg("progress"));
  m.attr("version") = sim::program_version;
}

} // namespace caf::consensus::python
