#include "caf/consensus/connectors/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "caf/consensus/error.hpp"

extern char** environ;

namespace caf::consensus::connectors {

namespace {

std::string errno_text(int code) {
  return std::strerror(code);
}

/// Blocks SIGPIPE in the calling thread while it writes to a pipe and eats a
/// SIGPIPE that the write raised, so that a dead child never kills us.
class sigpipe_guard {
public:
  sigpipe_guard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }

  ~sigpipe_guard() {
    if (raised_ && !was_pending_) {
      timespec zero{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &zero) == -1 && errno == EINTR) {
        // retry
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

  void raised() {
    raised_ = true;
  }

private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
  bool raised_ = false;
};

void set_nonblocking(int fd) {
  auto flags = fcntl(fd, F_GETFL, 0);
  if (flags >= 0)
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void close_fd(int& fd) {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

/// Reads what `fd` holds without waiting and passes each chunk to `sink`.
/// Returns false at end of file or on an error other than "no data now".
template <class Sink>
bool read_available(int fd, Sink&& sink) {
  char buf[65536];
  for (;;) {
    auto n = ::read(fd, buf, sizeof(buf));
    if (n > 0) {
      sink(std::string_view{buf, static_cast<size_t>(n)});
      continue;
    }
    if (n == 0)
      return false;
    if (errno == EINTR)
      continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

/// Appends `data` to `buf` as far as `buf` stays within `cap` bytes.
void append_capped(std::string& buf, std::string_view data, size_t cap) {
  if (buf.size() < cap)
    buf.append(data.substr(0, cap - buf.size()));
}

/// Owns the file actions and attributes of one posix_spawn call.
struct spawn_setup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;

  spawn_setup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }

  ~spawn_setup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

} // namespace

// -- constructors
// ------------------------------------------------------------------

expected<process> process::spawn(const std::vector<std::string>& argv,
                                 const std::map<std::string, std::string>& env,
                                 size_t stderr_tail_bytes) {
  if (argv.empty() || argv[0].empty())
    return make_error(errc::invalid_params, "no program to start");
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  auto fail = [&](const std::string& what, int code) -> error {
    for (auto* p : {in, out, err}) {
      close_fd(p[0]);
      close_fd(p[1]);
    }
    return make_error(errc::execute_failed, what + ": " + errno_text(code));
  };
  // O_CLOEXEC: other children never inherit these pipes (dup2 below clears
  // the flag on the child's 0, 1 and 2).
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0
      || pipe2(err, O_CLOEXEC) != 0)
    return fail("cannot create pipes", errno);
  spawn_setup setup;
  posix_spawn_file_actions_adddup2(&setup.actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&setup.actions, err[1], 2);
  // Own process group (so that ending it also ends its children), default
  // signal handling and an empty signal mask in the child.
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setsigmask(&setup.attr, &none);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP
                                          | POSIX_SPAWN_SETSIGMASK
                                          | POSIX_SPAWN_SETSIGDEF);
  // Environment: ours, with `env` replacing or adding entries.
  std::vector<std::string> env_strings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry{*e};
    auto eq = entry.find('=');
    if (eq != std::string::npos && env.count(entry.substr(0, eq)) > 0)
      continue;
    env_strings.push_back(std::move(entry));
  }
  for (auto& [key, value] : env)
    env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& x : env_strings)
    envp.push_back(x.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& x : args)
    argp.push_back(x.data());
  argp.push_back(nullptr);
  pid_t pid = -1;
  auto rc = posix_spawnp(&pid, argp[0], &setup.actions, &setup.attr,
                         argp.data(), envp.data());
  if (rc != 0)
    return fail("cannot start '" + argv[0] + "'", rc);
  close_fd(in[0]);
  close_fd(out[1]);
  close_fd(err[1]);
  process p;
  p.pid_ = pid;
  p.in_ = in[1];
  p.out_ = out[0];
  p.err_ = err[0];
  p.err_tail_max_ = stderr_tail_bytes;
  set_nonblocking(p.in_);
  set_nonblocking(p.out_);
  set_nonblocking(p.err_);
  return p;
}

process::process(process&& other) noexcept {
  *this = std::move(other);
}

process& process::operator=(process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0)
      terminate();
    reset();
    pid_ = other.pid_;
    in_ = other.in_;
    out_ = other.out_;
    err_ = other.err_;
    status_ = other.status_;
    err_tail_ = std::move(other.err_tail_);
    err_tail_max_ = other.err_tail_max_;
    other.pid_ = -1;
    other.in_ = other.out_ = other.err_ = -1;
    other.status_.reset();
  }
  return *this;
}

process::~process() {
  if (pid_ > 0)
    terminate();
  reset();
}

void process::reset() noexcept {
  close_fd(in_);
  close_fd(out_);
  close_fd(err_);
}

// -- observers
// ---------------------------------------------------------------------

bool process::running() {
  if (pid_ <= 0 || status_)
    return false;
  // WNOWAIT: leave the zombie in place until terminate() reaps it, so that
  // its pid (our process group id) cannot be reused before we are done.
  siginfo_t info;
  std::memset(&info, 0, sizeof(info));
  auto rc = waitid(P_PID, static_cast<id_t>(pid_), &info,
                   WEXITED | WNOHANG | WNOWAIT);
  if (rc == 0 && info.si_pid == pid_) {
    if (info.si_code == CLD_EXITED)
      status_ = info.si_status;
    else
      status_ = -info.si_status; // negative: killed by that signal
    return false;
  }
  if (rc < 0 && errno == ECHILD) {
    status_ = 0;
    return false;
  }
  return true;
}

std::optional<int> process::exit_code() {
  if (running() || !status_ || *status_ < 0)
    return std::nullopt;
  return status_;
}

std::optional<int> process::exit_signal() {
  if (running() || !status_ || *status_ >= 0)
    return std::nullopt;
  return -*status_;
}

std::string process::exit_description() {
  if (running())
    return "still running";
  if (!status_)
    return "not started";
  auto st = *status_;
  if (st >= 0)
    return "exited with status " + std::to_string(st);
  auto sig = -st;
  auto* name = strsignal(sig);
  return "killed by signal " + std::to_string(sig)
         + (name != nullptr ? " (" + std::string{name} + ")" : "");
}

// -- I/O
// ------------------------------------------------------------------------

error process::write_all(std::string_view data, time_point deadline) {
  if (in_ < 0)
    return make_error(errc::execute_failed, "stdin of the process is closed");
  sigpipe_guard guard;
  size_t done = 0;
  while (done < data.size()) {
    auto n = ::write(in_, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EPIPE) {
      guard.raised();
      return make_error(errc::execute_failed,
                        "the process closed its stdin (it " + exit_description()
                          + ")");
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
      return make_error(errc::execute_failed,
                        "cannot write to the process: " + errno_text(errno));
    // The pipe is full: wait until it drains (reading stderr meanwhile so
    // that a child blocked on its stderr can go on).
    auto left = remaining_ms(deadline);
    if (left <= 0)
      return make_timeout("timed out writing to the process");
    pollfd fds[2] = {{in_, POLLOUT, 0}, {err_, POLLIN, 0}};
    auto nfds = err_ >= 0 ? 2 : 1;
    auto rc = ::poll(fds, static_cast<nfds_t>(nfds),
                     static_cast<int>(std::min<int64_t>(left, 1000)));
    if (rc < 0 && errno != EINTR)
      return make_error(errc::execute_failed,
                        "poll failed: " + errno_text(errno));
    if (nfds == 2 && (fds[1].revents & (POLLIN | POLLHUP)) != 0)
      drain_stderr();
  }
  return {};
}

void process::drain_stderr() {
  std::string none;
  read_stderr(none, 0);
}

void process::read_stderr(std::string& capture, size_t cap) {
  if (err_ < 0)
    return;
  auto open = read_available(err_, [&](std::string_view chunk) {
    append_capped(capture, chunk, cap);
    err_tail_.append(chunk);
    if (err_tail_.size() > err_tail_max_)
      err_tail_.erase(0, err_tail_.size() - err_tail_max_);
  });
  if (!open)
    close_fd(err_);
}

bool process::pump(std::string_view& input, std::string& out, std::string& err,
                   size_t max_output, std::chrono::milliseconds wait) {
  if (input.empty())
    close_stdin();
  pollfd fds[3];
  nfds_t n = 0;
  if (out_ >= 0)
    fds[n++] = pollfd{out_, POLLIN, 0};
  if (err_ >= 0)
    fds[n++] = pollfd{err_, POLLIN, 0};
  if (in_ >= 0)
    fds[n++] = pollfd{in_, POLLOUT, 0};
  ::poll(fds, n, static_cast<int>(std::max<int64_t>(0, wait.count())));
  if (out_ >= 0) {
    auto keep = [&](std::string_view chunk) {
      append_capped(out, chunk, max_output);
    };
    if (!read_available(out_, keep))
      close_fd(out_);
  }
  read_stderr(err, max_output);
  if (in_ >= 0) {
    sigpipe_guard guard;
    while (!input.empty()) {
      auto k = ::write(in_, input.data(), input.size());
      if (k > 0) {
        input.remove_prefix(static_cast<size_t>(k));
        continue;
      }
      if (k < 0 && errno == EINTR)
        continue;
      if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      if (k < 0 && errno == EPIPE)
        guard.raised();
      input = {}; // the process stopped reading its input
    }
    if (input.empty())
      close_stdin();
  }
  return out_ >= 0 || err_ >= 0;
}

expected<std::string> process::read_some(time_point deadline, size_t max) {
  if (out_ < 0)
    return std::string{};
  std::string buf;
  buf.resize(max);
  for (;;) {
    auto n = ::read(out_, buf.data(), max);
    if (n > 0) {
      buf.resize(static_cast<size_t>(n));
      return buf;
    }
    if (n == 0) {
      close_fd(out_);
      drain_stderr();
      return std::string{};
    }
    if (errno == EINTR)
      continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      return make_error(errc::execute_failed,
                        "cannot read from the process: " + errno_text(errno));
    auto left = remaining_ms(deadline);
    if (left <= 0)
      return make_timeout("timed out");
    pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
    auto nfds = err_ >= 0 ? 2 : 1;
    auto rc = ::poll(fds, static_cast<nfds_t>(nfds),
                     static_cast<int>(std::min<int64_t>(left, 1000)));
    if (rc < 0 && errno != EINTR)
      return make_error(errc::execute_failed,
                        "poll failed: " + errno_text(errno));
    if (nfds == 2 && (fds[1].revents & (POLLIN | POLLHUP)) != 0)
      drain_stderr();
  }
}

// -- ending
// ------------------------------------------------------------------------

void process::close_stdin() {
  close_fd(in_);
}

bool process::wait_until(time_point deadline) {
  for (;;) {
    drain_stderr();
    if (!running())
      return true;
    if (clock_type::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
}

void process::signal_group(int sig) {
  if (pid_ > 0)
    ::kill(-pid_, sig);
}

void process::terminate(std::chrono::milliseconds grace) {
  if (pid_ <= 0)
    return;
  close_stdin();
  if (!wait_until(clock_type::now() + grace)) {
    signal_group(SIGTERM);
    if (!wait_until(clock_type::now() + grace)) {
      signal_group(SIGKILL);
      wait_until(clock_type::now() + std::chrono::seconds{5});
    }
  }
  kill_and_reap();
  reset();
}

void process::kill_and_reap() {
  if (pid_ <= 0)
    return;
  // The leader may be a zombie already: its children that outlived it share
  // its process group; end them before reaping frees the id.
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    // retry
  }
  if (!status_)
    status_ = WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
  pid_ = -1;
}

} // namespace caf::consensus::connectors
