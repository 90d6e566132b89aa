#include "caf/consensus/connectors/stdio_transport.hpp"

#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

std::string trim_tail(std::string x) {
  while (!x.empty() && (x.back() == '\n' || x.back() == '\r'))
    x.pop_back();
  return x;
}

} // namespace

stdio_transport::stdio_transport(std::vector<std::string> argv,
                                 std::map<std::string, std::string> env,
                                 io_limits limits)
  : argv_(std::move(argv)), env_(std::move(env)), limits_(limits) {
  // nop
}

stdio_transport::~stdio_transport() {
  close(clock_type::now() + std::chrono::milliseconds{500});
}

std::string stdio_transport::describe() const {
  // Program and script names only: the whole command line is in the
  // agent's description and too long for one-line errors.
  auto base = [](const std::string& x) {
    auto slash = x.rfind('/');
    return slash == std::string::npos ? x : x.substr(slash + 1);
  };
  std::string out = argv_.empty() ? std::string{} : base(argv_[0]);
  if (argv_.size() > 1)
    out += " " + base(argv_[1]);
  if (argv_.size() > 2)
    out += " ...";
  return "stdio server '" + out + "'";
}

std::string stdio_transport::with_diagnostics(std::string what) {
  if (!proc_)
    return "the " + describe() + ": " + what;
  proc_->drain_stderr();
  // Give a dying process a moment so that we can report how it ended.
  proc_->wait_until(clock_type::now() + std::chrono::milliseconds{100});
  std::string out = "the " + describe();
  if (!proc_->running())
    out += " " + proc_->exit_description();
  out += ": " + what;
  auto tail = trim_tail(proc_->stderr_tail());
  if (!tail.empty())
    out += "; its stderr ends with: " + json_rpc::snippet(tail, 300);
  return out;
}

error stdio_transport::open(time_point) {
  auto p = process::spawn(argv_, env_, limits_.stderr_tail_bytes);
  if (!p)
    return std::move(p.error());
  proc_.emplace(std::move(*p));
  partial_.clear();
  lines_.clear();
  eof_ = false;
  broken_ = false;
  return {};
}

error stdio_transport::send(const json& msg, time_point deadline) {
  if (!alive())
    return make_error(errc::execute_failed,
                      with_diagnostics("the connection is closed"));
  auto line = msg.dump(-1, ' ', false, json::error_handler_t::replace);
  line += '\n';
  if (auto err = proc_->write_all(line, deadline)) {
    if (is_timeout(err))
      return make_timeout("timed out writing to the " + describe()
                          + " (it does not read its stdin)");
    broken_ = true;
    return make_error(
      errc::execute_failed,
      with_diagnostics("cannot write to it: " + error_text(err)));
  }
  return {};
}

expected<json> stdio_transport::receive(time_point deadline) {
  for (;;) {
    if (!lines_.empty()) {
      auto line = std::move(lines_.front());
      lines_.pop_front();
      auto x = json_rpc::parse_json(line);
      if (!x)
        return make_error(errc::malformed_input, error_text(x.error())
                                                   + " (on stdout of the "
                                                   + describe() + ")");
      return x;
    }
    if (!proc_ || broken_)
      return make_error(errc::execute_failed,
                        with_diagnostics("the connection is closed"));
    if (eof_) {
      broken_ = true;
      return make_error(errc::execute_failed,
                        with_diagnostics("it closed its stdout"));
    }
    auto chunk = proc_->read_some(deadline);
    if (!chunk) {
      if (is_timeout(chunk.error()))
        return std::move(chunk.error());
      broken_ = true;
      return make_error(errc::execute_failed,
                        with_diagnostics(error_text(chunk.error())));
    }
    if (chunk->empty()) {
      eof_ = true;
      continue;
    }
    // Split into lines; a trailing part waits for its newline.
    size_t pos = 0;
    for (;;) {
      auto nl = chunk->find('\n', pos);
      if (nl == std::string::npos) {
        partial_.append(*chunk, pos, std::string::npos);
        break;
      }
      partial_.append(*chunk, pos, nl - pos);
      pos = nl + 1;
      auto line = std::move(partial_);
      partial_.clear();
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      if (line.find_first_not_of(" \t") != std::string::npos)
        lines_.push_back(std::move(line));
    }
    auto oversized = partial_.size() > limits_.max_message_bytes;
    for (auto& line : lines_)
      oversized = oversized || line.size() > limits_.max_message_bytes;
    if (oversized) {
      broken_ = true;
      lines_.clear();
      partial_.clear();
      if (proc_)
        proc_->terminate(std::chrono::milliseconds{100});
      return make_error(errc::malformed_input,
                        "the " + describe() + " sent a message larger than "
                          + std::to_string(limits_.max_message_bytes)
                          + " bytes; connection closed");
    }
  }
}

bool stdio_transport::alive() const {
  return proc_.has_value() && !broken_ && !eof_;
}

void stdio_transport::close(time_point deadline) {
  if (!proc_)
    return;
  // MCP shutdown over stdio: close the server's stdin, wait, then SIGTERM,
  // then SIGKILL.
  auto grace = std::chrono::milliseconds{
    std::max<int64_t>(remaining_ms(deadline) / 2, 50)};
  proc_->terminate(grace);
  proc_.reset();
  broken_ = true;
}

} // namespace caf::consensus::connectors
