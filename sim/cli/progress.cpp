// consensus-sim: progress of long commands on stderr.

#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace caf::consensus::cli {

std::optional<progress_mode> parse_progress_mode(const std::string& x) {
  if (x == "auto")
    return progress_mode::automatic;
  if (x == "bar")
    return progress_mode::bar;
  if (x == "plain")
    return progress_mode::plain;
  if (x == "none")
    return progress_mode::none;
  return std::nullopt;
}

progress_reporter::progress_reporter(std::string command, progress_mode mode,
                                     bool quiet)
  : command_(std::move(command)), mode_(mode) {
  if (quiet)
    mode_ = progress_mode::none;
  else if (mode_ == progress_mode::automatic)
    mode_ = isatty(STDERR_FILENO) != 0 ? progress_mode::bar
                                       : progress_mode::plain;
  start_ = std::chrono::steady_clock::now();
  last_ = start_;
}

std::string progress_reporter::line(uint64_t done, uint64_t total,
                                    const std::string& what,
                                    std::chrono::steady_clock::time_point now) {
  auto secs = std::chrono::duration<double>(now - start_).count();
  auto rate = secs > 0 ? static_cast<double>(done - first_) / secs : 0.0;
  char buf[160];
  std::snprintf(buf, sizeof(buf), "runs %llu/%llu (%.0f%%), %.0f runs/s",
                static_cast<unsigned long long>(done),
                static_cast<unsigned long long>(total),
                total > 0 ? 100.0 * static_cast<double>(done)
                              / static_cast<double>(total)
                          : 100.0,
                rate);
  std::string out = what.empty() ? buf : what + ": " + buf;
  if (rate > 0 && done < total) {
    std::snprintf(buf, sizeof(buf), ", ETA %.0f s",
                  static_cast<double>(total - done) / rate);
    out += buf;
  }
  return out;
}

void progress_reporter::update(uint64_t done, uint64_t total,
                               const std::string& what) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (mode_ == progress_mode::none)
    return;
  if (!started_) {
    // Runs stored before a resume do not count towards the rate.
    first_ = done;
    started_ = true;
  }
  auto now = std::chrono::steady_clock::now();
  if (mode_ == progress_mode::bar) {
    if (done != total && now - last_ < std::chrono::milliseconds{200})
      return;
    last_ = now;
    std::fprintf(stderr, "\r  %-76s", line(done, total, what, now).c_str());
    drawn_ = true;
  } else {
    // Plain: a line every few seconds, never for the last run (the command
    // prints its result next).
    if (done == total || now - last_ < plain_interval)
      return;
    last_ = now;
    std::fprintf(stderr, "%s: %s\n", command_.c_str(),
                 line(done, total, what, now).c_str());
  }
  std::fflush(stderr);
}

void progress_reporter::message(const std::string& line) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (drawn_)
    std::fprintf(stderr, "\r%-78s\n", line.c_str());
  else
    std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

void progress_reporter::finish() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (drawn_)
    std::fprintf(stderr, "\n");
  drawn_ = false;
  std::fflush(stderr);
}

} // namespace caf::consensus::cli
