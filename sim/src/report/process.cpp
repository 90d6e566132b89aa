#include "caf/consensus/sim/report/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "caf/consensus/error.hpp"

extern char** environ;

namespace caf::consensus::sim {

namespace {

using clock_type = std::chrono::steady_clock;

/// Closes a file descriptor once.
struct fd_guard {
  int fd = -1;
  fd_guard() = default;
  explicit fd_guard(int x) : fd(x) {
  }
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  ~fd_guard() {
    reset();
  }
  void reset() {
    if (fd >= 0)
      ::close(fd);
    fd = -1;
  }
};

bool set_nonblocking(int fd) {
  auto flags = fcntl(fd, F_GETFL);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

/// Reads what is available from `fd` into `buf` (up to `cap` bytes kept).
/// Returns false on end of file or a hard error.
bool drain(int fd, std::string& buf, size_t cap) {
  char tmp[65536];
  for (;;) {
    auto n = ::read(fd, tmp, sizeof(tmp));
    if (n > 0) {
      auto keep = buf.size() < cap
                    ? std::min(cap - buf.size(), static_cast<size_t>(n))
                    : size_t{0};
      buf.append(tmp, keep);
      continue;
    }
    if (n == 0)
      return false;
    if (errno == EINTR)
      continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

bool executable(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)
         && ::access(path.c_str(), X_OK) == 0;
}

} // namespace

std::string find_program(const std::string& program) {
  if (program.empty())
    return {};
  if (program.find('/') != std::string::npos)
    return executable(program) ? program : std::string{};
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
    if (executable(candidate))
      return candidate;
    if (end == std::string::npos)
      return {};
    pos = end + 1;
  }
}

expected<process_result> run_process(const std::vector<std::string>& argv,
                                     const process_options& opts) {
  if (argv.empty() || argv[0].empty())
    return make_error(errc::malformed_input, "run_process: empty command");
  auto exe = find_program(argv[0]);
  if (exe.empty())
    return make_error(errc::malformed_input,
                      "program '" + argv[0] + "' not found in PATH");
  // Standard input is one end of a socket pair, so that writing to a child
  // that stopped reading fails with EPIPE (MSG_NOSIGNAL) instead of raising
  // SIGPIPE in this process.
  int in_pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0)
    return make_error(errc::execute_failed,
                      std::string{"socketpair: "} + std::strerror(errno));
  fd_guard in_parent{in_pair[0]};
  fd_guard in_child{in_pair[1]};
  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    return make_error(errc::execute_failed,
                      std::string{"pipe: "} + std::strerror(errno));
  fd_guard out_parent{out_pipe[0]};
  fd_guard out_child{out_pipe[1]};
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0)
    return make_error(errc::execute_failed,
                      std::string{"pipe: "} + std::strerror(errno));
  fd_guard err_parent{err_pipe[0]};
  fd_guard err_child{err_pipe[1]};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_child.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_child.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_child.fd, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK
                                    | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> cargv;
  cargv.reserve(argv.size() + 1);
  for (auto& x : argv)
    cargv.push_back(const_cast<char*>(x.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = 0;
  auto rc = posix_spawn(&pid, exe.c_str(), &actions, &attr, cargv.data(),
                        environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0)
    return make_error(errc::execute_failed,
                      "cannot start '" + exe + "': " + std::strerror(rc));
  in_child.reset();
  out_child.reset();
  err_child.reset();
  set_nonblocking(in_parent.fd);
  set_nonblocking(out_parent.fd);
  set_nonblocking(err_parent.fd);
  process_result res;
  size_t written = 0;
  if (opts.input.empty())
    in_parent.reset();
  auto deadline
    = clock_type::now()
      + std::chrono::milliseconds{std::max<int64_t>(0, opts.timeout_ms)};
  bool out_open = true;
  bool err_open = true;
  bool exited = false;
  for (;;) {
    // Has the child exited? Look without reaping it, so that its process
    // group id stays reserved until the group is killed below.
    siginfo_t info;
    std::memset(&info, 0, sizeof(info));
    if (::waitid(P_PID, static_cast<id_t>(pid), &info,
                 WEXITED | WNOHANG | WNOWAIT)
          == 0
        && info.si_pid == pid) {
      exited = true;
      break;
    }
    if (clock_type::now() >= deadline) {
      res.timed_out = true;
      break;
    }
    pollfd fds[3];
    nfds_t n = 0;
    if (out_open)
      fds[n++] = pollfd{out_parent.fd, POLLIN, 0};
    if (err_open)
      fds[n++] = pollfd{err_parent.fd, POLLIN, 0};
    if (in_parent.fd >= 0)
      fds[n++] = pollfd{in_parent.fd, POLLOUT, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - clock_type::now())
                  .count();
    // Short polls: the child's exit is noticed within 20 ms even when a
    // grandchild keeps its pipes open.
    ::poll(fds, n,
           static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(left, 20))));
    if (out_open)
      out_open = drain(out_parent.fd, res.out, opts.max_output);
    if (err_open)
      err_open = drain(err_parent.fd, res.err, opts.max_output);
    if (in_parent.fd >= 0) {
      while (written < opts.input.size()) {
        auto k = ::send(in_parent.fd, opts.input.data() + written,
                        opts.input.size() - written, MSG_NOSIGNAL);
        if (k > 0) {
          written += static_cast<size_t>(k);
          continue;
        }
        if (k < 0 && errno == EINTR)
          continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
          break;
        written = opts.input.size(); // EPIPE: the child stopped reading
      }
      if (written >= opts.input.size())
        in_parent.reset();
    }
  }
  // End the whole group (the child itself when it timed out, otherwise
  // anything it left behind), then reap the child.
  ::kill(-pid, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  // Collect the rest of the output; stop after a short grace period in case
  // a process outside the group still holds a pipe.
  auto grace = clock_type::now() + std::chrono::milliseconds{2000};
  while ((out_open || err_open) && clock_type::now() < grace) {
    pollfd fds[2];
    nfds_t n = 0;
    if (out_open)
      fds[n++] = pollfd{out_parent.fd, POLLIN, 0};
    if (err_open)
      fds[n++] = pollfd{err_parent.fd, POLLIN, 0};
    ::poll(fds, n, 20);
    if (out_open)
      out_open = drain(out_parent.fd, res.out, opts.max_output);
    if (err_open)
      err_open = drain(err_parent.fd, res.err, opts.max_output);
  }
  if (exited && WIFEXITED(wstatus)) {
    res.status = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    res.status = -1;
    res.signal = WTERMSIG(wstatus);
  }
  return res;
}

} // namespace caf::consensus::sim
