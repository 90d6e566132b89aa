#include "caf/consensus/connectors/run_process.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>

#include "caf/consensus/connectors/process.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

bool is_executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)
         && ::access(path.c_str(), X_OK) == 0;
}

} // namespace

std::string find_program(const std::string& program) {
  if (program.empty())
    return {};
  if (program.find('/') != std::string::npos)
    return is_executable_file(program) ? program : std::string{};
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t pos = 0;
  for (;;) {
    auto end = dirs.find(':', pos);
    auto dir = dirs.substr(pos, end == std::string::npos ? std::string::npos
                                                         : end - pos);
    if (dir.empty())
      dir = ".";
    auto candidate = dir + "/" + program;
    if (is_executable_file(candidate))
      return candidate;
    if (end == std::string::npos)
      return {};
    pos = end + 1;
  }
}

expected<process_result> run_process(const std::vector<std::string>& argv,
                                     const process_options& opts) {
  using std::chrono::milliseconds;
  if (argv.empty() || argv[0].empty())
    return make_error(errc::malformed_input, "run_process: empty command");
  auto exe = find_program(argv[0]);
  if (exe.empty())
    return make_error(errc::malformed_input,
                      "program '" + argv[0] + "' not found in PATH");
  // Start the very file find_program found (its full path is argv[0]).
  auto args = argv;
  args[0] = exe;
  auto p = process::spawn(args, opts.env);
  if (!p)
    return std::move(p.error());
  process_result res;
  std::string_view input = opts.input;
  auto deadline = clock_type::now()
                  + milliseconds{std::max<int64_t>(0, opts.timeout_ms)};
  // Short steps: the exit is noticed within 20 ms even when a grandchild
  // keeps the pipes open.
  constexpr auto step = milliseconds{20};
  auto open = true;
  auto exited = false;
  for (;;) {
    // running() looks without reaping, so that the process group id stays
    // reserved until kill_and_reap() below.
    if (!p->running()) {
      exited = true;
      break;
    }
    if (clock_type::now() >= deadline) {
      res.timed_out = true;
      break;
    }
    auto wait = std::min(step, milliseconds{remaining_ms(deadline)});
    open = p->pump(input, res.out, res.err, opts.max_output, wait);
  }
  // End the whole group (the program itself when it timed out, otherwise
  // anything it left behind) and reap the program.
  p->close_stdin();
  p->kill_and_reap();
  // Collect the rest of the output; stop after a short grace period in case
  // a process outside the group still holds a pipe.
  auto grace = clock_type::now() + std::chrono::seconds{2};
  while (open && clock_type::now() < grace)
    open = p->pump(input, res.out, res.err, opts.max_output, step);
  if (auto code = p->exit_code(); exited && code)
    res.status = *code;
  else if (auto sig = p->exit_signal())
    res.signal = *sig;
  return res;
}

} // namespace caf::consensus::connectors
