// consensus-sim ask: one real consensus among MCP servers and models.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>

#include "caf/consensus/connectors/agent_spec.hpp"
#include "caf/consensus/connectors/recording_agent.hpp"
#include "caf/consensus/connectors/report.hpp"
#include "caf/consensus/connectors/run.hpp"
#include "caf/consensus/connectors/terminal.hpp"
#include "caf/consensus/error.hpp"
#include "cli/agent_options.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

namespace {

using connectors::json;

/// Returns `text` on one line, cut to `n` code points, with control
/// characters written visibly (an agent's text never reaches the terminal
/// raw).
std::string one_line(const std::string& text, size_t n) {
  std::string flat;
  bool space = false;
  for (auto c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !flat.empty();
      continue;
    }
    if (space)
      flat += ' ';
    space = false;
    flat += c;
  }
  auto cut = cut_code_points(flat, n);
  auto safe = connectors::terminal_safe(cut);
  return cut.size() < flat.size() ? safe + "..." : safe;
}

std::string fixed(double x, int prec) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(prec) << x;
  return os.str();
}

/// Prints the live per-round view: answers as they arrive, then each round's
/// timeouts and everyone's confidence once the round is complete.
class live_view {
public:
  /// No cut: errors are printed whole.
  static constexpr size_t whole = std::numeric_limits<size_t>::max();

  live_view(std::ostream& out, std::vector<std::string> ids)
    : out_(out), ids_(std::move(ids)) {
    for (auto& id : ids_)
      width_ = std::max(width_, id.size());
  }

  void on_answer(const result& r) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (r.round < round_) {
      out_ << "  (late) " << connectors::terminal_safe(r.id)
           << " answered round " << r.round << " after " << r.ms
           << " ms; ignored\n"
           << std::flush;
      return;
    }
    header(r.round);
    line(r);
    seen_[r.id] = r.ok;
  }

  /// Prints how an agent's start-up went: the slow and the failed ones,
  /// whole.
  void on_ready(const std::string& id, const connectors::readiness& r,
                int64_t timeout_ms) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto ms = static_cast<int64_t>(r.took.count());
    out_ << "  " << std::left << std::setw(static_cast<int>(width_))
         << connectors::terminal_safe(id) << std::right << "  ";
    if (r.misconfigured())
      out_ << "wrong   " << std::setw(7) << ms << " ms  "
           << one_line(connectors::error_text(r.err), whole);
    else if (r.err)
      out_ << "down    " << std::setw(7) << ms << " ms  "
           << one_line(connectors::error_text(r.err), whole)
           << " (it takes part and fails until it answers)";
    else
      out_ << "ready   " << std::setw(7) << ms << " ms  "
           << (r.detail.empty() ? std::string{"(connects per call)"}
                                : connectors::terminal_safe(r.detail))
           << (ms > timeout_ms ? "; slow to start: longer than --timeout-ms "
                                   + std::to_string(timeout_ms)
                                   + ", which counts from round 0 on"
                               : std::string{});
    out_ << '\n' << std::flush;
  }

  void on_round(const connectors::round_event& ev) {
    std::lock_guard<std::mutex> guard{mtx_};
    header(ev.round);
    for (auto& r : ev.results) {
      auto i = seen_.find(r.id);
      if (i == seen_.end())
        line(r); // timeouts and participants that were down
      else if (i->second != r.ok)
        line(r, " (arrived after the deadline)");
    }
    size_t ok = 0;
    for (auto& r : ev.results)
      ok += r.ok ? 1 : 0;
    out_ << "  -> " << ok << "/" << ev.results.size() << " answered; "
         << "confidence:";
    for (size_t i = 0; i < ev.participants.size(); ++i)
      out_ << ' ' << connectors::terminal_safe(ev.participants[i]) << '='
           << fixed(i < ev.confidence.size() ? ev.confidence[i] : 0.0, 2);
    out_ << '\n' << std::flush;
    round_ = ev.round + 1;
    printed_header_ = -1;
    seen_.clear();
  }

private:
  void header(int32_t round) {
    if (printed_header_ == round)
      return;
    printed_header_ = round;
    out_ << "round " << round
         << (round == 0 ? " (initial answers)" : " (refinement)") << '\n';
  }

  void line(const result& r, const char* note = "") {
    out_ << "  " << std::left << std::setw(static_cast<int>(width_))
         << connectors::terminal_safe(r.id) << std::right << "  ";
    if (r.ok)
      out_ << "ok      " << std::setw(7) << r.ms << " ms  \""
           << one_line(r.output, 72) << "\"";
    else if (r.timed_out)
      out_ << "timeout " << std::setw(7) << r.ms << " ms  "
           << one_line(r.error, whole);
    else
      out_ << "failed  " << std::setw(7) << r.ms << " ms  "
           << one_line(r.error, whole);
    out_ << note << '\n' << std::flush;
  }

  std::ostream& out_;
  std::vector<std::string> ids_;
  size_t width_ = 2;
  std::mutex mtx_;
  int32_t round_ = 0;
  int32_t printed_header_ = -1;
  /// Who answered live in the current round, and whether ok.
  std::map<std::string, bool> seen_;
};

expected<std::string> read_prompt(const std::string& arg,
                                  const std::string& file) {
  if (!file.empty()) {
    std::ifstream in{file};
    if (!in)
      return make_error(errc::malformed_input,
                        "cannot open prompt file '" + file + "'");
    return std::string{std::istreambuf_iterator<char>{in}, {}};
  }
  if (arg == "-")
    return std::string{std::istreambuf_iterator<char>{std::cin}, {}};
  return arg;
}

} // namespace

int ask(const args& xs) {
  po::options_description desc{"options"};
  mesh_flags fl;
  std::string prompt_arg;
  std::string prompt_file;
  bool as_json = false;
  bool quiet = false;
  std::string record_path;
  std::string run_id = "run-1";
  std::string prompt_id = "prompt-1";
  std::string key;
  desc.add_options()("help,h", "show this help")(
    "prompt", po::value(&prompt_arg), "the question ('-': read stdin)")(
    "prompt-file", po::value(&prompt_file), "read the question from a file")(
    "json", po::bool_switch(&as_json),
    "print the outcome as one JSON object on stdout (the live view goes to "
    "stderr)")("quiet,q", po::bool_switch(&quiet), "no live view")(
    "record", po::value(&record_path),
    "write every call and the outcome to this trace file (JSON lines, see "
    "docs/traces.md)")("run-id", po::value(&run_id)->default_value(run_id),
                       "run id written to the trace")(
    "prompt-id", po::value(&prompt_id)->default_value(prompt_id),
    "prompt id written to the trace")(
    "key", po::value(&key),
    "the correct answer, written to the trace's outcome (for `fit`)");
  add_agent_options(desc, fl);
  po::options_description proto{"protocol parameters"};
  add_param_options(proto, fl);
  desc.add(proto);
  po::positional_options_description pos;
  pos.add("prompt", 1);
  po::variables_map vm;
  std::string synopsis = "PROMPT --agent SPEC... [--agents FILE] [options]\n\n"
                         "Runs one consensus among real agents (MCP servers "
                         "over stdio or Streamable HTTP,\nOpenAI-compatible "
                         "models) and prints a live per-round view (who "
                         "answered, latency,\nconfidence) and the outcome. "
                         "Exit status: 0 with a winner, 3 when no agent\n"
                         "answered, 1 on errors, 2 on bad usage.\n\n";
  synopsis += agents_help();
  if (auto rc = parse("ask", xs, desc, pos, vm, synopsis.c_str()))
    return *rc;
  auto fail = [](const std::string& what, int rc) {
    std::cerr << "consensus-sim ask: " << connectors::terminal_safe(what, true)
              << '\n';
    return rc;
  };
  if (record_path.empty()
      && (vm.count("key") > 0 || !vm["run-id"].defaulted()
          || !vm["prompt-id"].defaulted()))
    return fail("--key, --run-id and --prompt-id go with --record FILE", 2);
  if (prompt_arg.empty() && prompt_file.empty())
    return fail("no prompt: give PROMPT, '-' (stdin) or --prompt-file FILE", 2);
  auto prompt = read_prompt(prompt_arg, prompt_file);
  if (!prompt)
    return fail(connectors::error_text(prompt.error()), 1);
  if (prompt->find_first_not_of(" \t\r\n") == std::string::npos)
    return fail("the prompt is empty", 2);
  auto mesh = resolve_mesh(fl);
  if (!mesh)
    return fail(connectors::error_text(mesh.error()), 1);
  auto& ps = mesh->ps;
  std::ostream& live = as_json ? std::cerr : std::cout;
  std::vector<std::string> ids;
  std::vector<connectors::agent_ptr> agents;
  std::shared_ptr<connectors::trace_writer> recorder;
  if (!record_path.empty()) {
    if (run_id.empty() || prompt_id.empty())
      return fail("--run-id and --prompt-id must not be empty", 2);
    connectors::trace_header header;
    header.ps = ps;
    for (auto& a : mesh->agents)
      header.participants.push_back(
        {connectors::id_of(a), connectors::describe(a)});
    auto w = connectors::trace_writer::open(record_path, header);
    if (!w)
      return fail(connectors::error_text(w.error()), 1);
    recorder = std::move(*w);
  }
  for (auto& a : mesh->agents) {
    ids.push_back(connectors::id_of(a));
    auto x = connectors::make_agent(a, ps.timeout_ms);
    if (recorder)
      x = connectors::record(std::move(x), {recorder, run_id, prompt_id},
                             connectors::describe(a));
    agents.push_back(std::move(x));
  }
  if (!quiet) {
    live << "asking " << agents.size()
         << (agents.size() == 1 ? " agent" : " agents") << ": policy "
         << ps.policy << ", rounds " << ps.rounds << ", k " << ps.k
         << ", alpha " << ps.alpha << ", beta_1 " << ps.beta_1 << ", beta_2 "
         << ps.beta_2 << ", timeout " << ps.timeout_ms << " ms\n";
    for (auto& a : mesh->agents)
      live << "  " << connectors::id_of(a) << ": " << connectors::describe(a)
           << '\n';
    live << std::flush;
  }
  live_view view{live, ids};
  connectors::run_options opts;
  opts.startup_timeout = std::chrono::milliseconds{mesh->startup_timeout_ms};
  std::mutex wrong_mtx;
  std::vector<std::string> wrong;
  opts.on_ready = [&](const std::string& id, const connectors::readiness& r) {
    if (r.misconfigured()) {
      std::lock_guard<std::mutex> guard{wrong_mtx};
      wrong.push_back("agent '" + id + "': " + connectors::error_text(r.err)
                      + "; " + mesh->fix_hint(id, r.setting));
    }
    if (!quiet)
      view.on_ready(id, r, ps.timeout_ms);
  };
  if (!quiet) {
    live << "starting " << agents.size() << " agent"
         << (agents.size() == 1 ? "" : "s") << " (start-up timeout "
         << mesh->startup_timeout_ms << " ms)\n"
         << std::flush;
    opts.on_answer = [&view](const result& r) { view.on_answer(r); };
    opts.on_round = [&view](const connectors::round_event& ev) {
      view.on_round(ev);
    };
  }
  auto t0 = std::chrono::steady_clock::now();
  auto st = connectors::run_agents(*prompt, std::move(agents), ps,
                                   std::move(opts));
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
  if (!st && !wrong.empty()) {
    std::sort(wrong.begin(), wrong.end());
    for (auto& w : wrong)
      std::cerr << "consensus-sim ask: " << connectors::terminal_safe(w, true)
                << '\n';
    std::cerr << "consensus-sim ask: stopped before round 0\n";
    return 1;
  }
  if (!st)
    return fail(connectors::error_text(st.error()), 1);
  if (recorder) {
    auto outcome = connectors::make_outcome(run_id, prompt_id, *st, key);
    outcome.seed = ps.seed;
    recorder->write(outcome);
    if (!recorder->good())
      return fail("cannot write the trace file '" + record_path + "'", 1);
  }
  auto answer = connectors::agreed_answer(*st);
  auto has_winner = !st->winner.empty();
  if (as_json) {
    auto out = connectors::state_to_json(*st);
    out["wall_ms"] = wall;
    json agents_json = json::array();
    for (auto& a : mesh->agents)
      agents_json.push_back(connectors::to_json(a));
    out["agents"] = std::move(agents_json);
    std::cout << out.dump(2, ' ', false, json::error_handler_t::replace)
              << std::endl;
  } else {
    auto i = st->index_of(st->winner);
    std::cout << "\n";
    if (has_winner) {
      std::cout << (st->finalized ? "FINAL" : "NOT FINAL") << ": winner "
                << connectors::terminal_safe(st->winner) << " (confidence "
                << fixed(i < st->confidence.size() ? st->confidence[i] : 0.0, 2)
                << ", score "
                << fixed(i < st->scores.size() ? st->scores[i] : 0.0, 2)
                << ", beta_2 " << st->beta_2 << ")\n";
    } else {
      std::cout << "NO ANSWER: no agent answered\n";
    }
    std::cout << "stopped: " << to_string(st->stop) << " after "
              << st->rounds_executed << " refinement round"
              << (st->rounds_executed == 1 ? "" : "s") << "; calls "
              << st->calls << ", failures " << st->failures << ", timeouts "
              << st->timeouts << "; wall time " << wall << " ms\n";
    if (has_winner)
      std::cout << "\n" << connectors::terminal_safe(answer, true) << "\n";
    std::cout << std::flush;
  }
  return has_winner ? 0 : 3;
}

} // namespace caf::consensus::cli
