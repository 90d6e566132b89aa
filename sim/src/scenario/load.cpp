// caf-consensus sim: loading a scenario: reading the file, YAML syntax
// errors, the one-document rule, and the hash of the text.

#include "caf/consensus/sim/scenario/scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/scenario/internal/failure.hpp"
#include "caf/consensus/sim/scenario/internal/parser.hpp"
#include "caf/consensus/sim/scenario/internal/schema.hpp"
#include "caf/consensus/sim/scenario/internal/value.hpp"
#include "caf/consensus/text/utf8.hpp"

namespace caf::consensus::sim {

using namespace scenario_internal;

namespace {

/// Records where each YAML document starts (and ignores everything else).
/// Thrown by `document_counter` when the first document is too large.
struct too_large {
  YAML::Mark mark;
  std::string what;
};

/// Streams the events of a file's documents (it stops after the second
/// document starts) and counts the nodes of the first one: a file whose
/// tree would take more memory than its limits allow is refused before
/// yaml-cpp builds the tree (about 500 bytes per node).
class document_counter : public YAML::EventHandler {
public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override {
    starts.push_back(mark);
  }
  void OnDocumentEnd() override {
    // nop
  }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    node(mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    node(mark);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    node(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&,
                       YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
    lists_.push_back(0);
  }
  void OnSequenceEnd() override {
    if (!lists_.empty())
      lists_.pop_back();
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    node(mark);
    lists_.push_back(-1); // a map: its entries are not counted as elements
  }
  void OnMapEnd() override {
    if (!lists_.empty())
      lists_.pop_back();
  }

private:
  void node(const YAML::Mark& mark) {
    if (starts.size() != 1)
      return;
    if (++nodes_ > max_nodes)
      throw too_large{mark, "more than " + std::to_string(max_nodes)
                              + " values in the file"};
    if (!lists_.empty() && lists_.back() >= 0
        && static_cast<uint64_t>(++lists_.back()) > max_list_elements)
      throw too_large{mark, "a list of more than "
                              + std::to_string(max_list_elements)
                              + " elements"};
  }

  uint64_t nodes_ = 0;
  std::vector<int64_t> lists_;
};

/// Returns the FNV-1a 64 hash of `text` as 16 hex digits.
std::string fnv1a(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (auto c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx",
                static_cast<unsigned long long>(h));
  return buf;
}

/// Returns the error of problems `xs` (their lines, then one for those not
/// shown) and gives them to `out` (unless null).
error problems_error(const std::string& origin, scenario_problems xs,
                     scenario_problems* out) {
  std::string msg;
  for (auto& x : xs.shown) {
    if (!msg.empty())
      msg += '\n';
    msg += x;
  }
  if (auto more = xs.total - xs.shown.size(); more > 0)
    msg += '\n' + origin + ": ... and " + std::to_string(more) + " more "
           + (more == 1 ? "problem" : "problems");
  if (out)
    *out = std::move(xs);
  return make_error(errc::malformed_input, std::move(msg));
}

/// Returns the error of a problem reported alone (a file that cannot be read
/// or parsed as YAML at all).
error single(const std::string& origin, std::string msg,
             scenario_problems* out) {
  return problems_error(origin, scenario_problems{{std::move(msg)}, 1}, out);
}

} // namespace

expected<scenario> load_scenario(const std::string& path, size_t max_bytes,
                                 scenario_problems* problems) {
  // Opened without blocking, so that a FIFO is refused instead of waited on.
  auto fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return single(path, path + ": cannot open: " + std::strerror(errno),
                  problems);
  struct stat st;
  if (::fstat(fd, &st) != 0 || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)
      || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
    ::close(fd);
    return single(path,
                  path
                    + ": cannot read: not a regular file (a FIFO, "
                      "socket or device)",
                  problems);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  auto f = ::fdopen(fd, "rb");
  if (!f) {
    ::close(fd);
    return single(path, path + ": cannot open: " + std::strerror(errno),
                  problems);
  }
  std::string text;
  char buf[65536];
  for (;;) {
    auto n = std::fread(buf, 1, sizeof(buf), f);
    text.append(buf, n);
    if (text.size() > max_bytes) {
      std::fclose(f);
      auto mib = std::to_string(max_bytes / (1024 * 1024));
      return single(
        path,
        path + ": cannot read: larger than " + mib
          + " MiB (the limit for scenario files; ask for "
            "more with --max-scenario-mib, at most "
          + std::to_string(max_scenario_file_bytes_limit / (1024 * 1024)) + ")",
        problems);
    }
    if (n < sizeof(buf))
      break;
  }
  auto err = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (err != 0)
    return single(path, path + ": cannot read: " + std::strerror(err),
                  problems);
  return parse_scenario(text, path, problems);
}

namespace {

/// Returns an error naming line, key and byte offset of the first NUL byte
/// or ill-formed UTF-8 sequence in `text` (YAML is Unicode text; such bytes
/// would otherwise pass as parts of names and prompts and fail later, when
/// they reach JSON).
std::optional<std::string> check_text(const std::string& text,
                                      const std::string& origin) {
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t n = c == 0 ? 0 : text::utf8_sequence_length(text, i);
    if (n == 0) {
      // The key of the line, when it has one: the text before the first ':'.
      auto end = text.find('\n', line_start);
      auto row = text.substr(line_start, end == std::string::npos
                                           ? std::string::npos
                                           : end - line_start);
      std::string key;
      auto colon = row.find(':');
      if (colon != std::string::npos && colon < i - line_start) {
        key = row.substr(0, colon);
        auto first = key.find_first_not_of(" -\t");
        key = first == std::string::npos ? std::string{} : key.substr(first);
        if (key.find_first_of("\"'") != std::string::npos)
          key.clear();
      }
      char hex[8];
      std::snprintf(hex, sizeof(hex), "0x%02x", c);
      auto what = c == 0 ? std::string{"a NUL byte"}
                         : "ill-formed UTF-8 (byte " + std::string{hex} + ")";
      return where(origin, static_cast<int>(line))
             + (key.empty() ? std::string{} : ": key '" + key + "'") + ": "
             + what + " at byte offset " + std::to_string(i) + " (column "
             + std::to_string(i - line_start + 1)
             + "); scenario files must be UTF-8 text";
    }
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += n;
  }
  return std::nullopt;
}

} // namespace

expected<scenario> parse_scenario(const std::string& text,
                                  const std::string& origin,
                                  scenario_problems* problems) {
  if (auto bad = check_text(text, origin))
    return single(origin, *bad, problems);
  auto syntax = [&](const YAML::Exception& e) {
    auto line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    // yaml-cpp may quote raw input bytes: keep the message printable.
    std::string msg;
    for (auto c : e.msg)
      msg += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
    if (auto deep = dynamic_cast<const YAML::DeepRecursion*>(&e))
      msg = "nested too deeply (" + std::to_string(deep->depth()) + " levels)";
    return single(origin, where(origin, line) + ": YAML syntax error: " + msg,
                  problems);
  };
  // Count the documents first (up to two). yaml-cpp 0.7 loops forever on
  // some malformed input (e.g. a leading ','): it keeps returning empty
  // documents without consuming anything, so LoadAll never ends. Two
  // documents starting at the same position mean it is stuck there.
  document_counter counter;
  YAML::Node root;
  try {
    std::istringstream in{text};
    YAML::Parser p{in};
    try {
      while (counter.starts.size() < 2 && p.HandleNextDocument(counter)) {
        // nop
      }
    } catch (const too_large& x) {
      return single(origin,
                    where(origin, x.mark.line + 1) + ": too large: " + x.what
                      + " (a scenario file's limit; see "
                        "docs/scenarios.md)",
                    problems);
    }
    auto& xs = counter.starts;
    if (xs.size() == 2 && xs[0].pos == xs[1].pos) {
      auto pos = static_cast<size_t>(std::max(xs[0].pos, 0));
      auto c = pos < text.size() ? static_cast<unsigned char>(text[pos]) : 0;
      std::string what = "unexpected character";
      if (c > 0x20 && c < 0x7F)
        what += std::string{" '"} + static_cast<char>(c) + "'";
      return single(
        origin, where(origin, xs[0].line + 1) + ": YAML syntax error: " + what,
        problems);
    }
    if (xs.size() == 2)
      return single(origin,
                    where(origin, xs[1].line + 1)
                      + ": a second YAML document starts here (a "
                        "scenario file holds one)",
                    problems);
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return syntax(e);
  } catch (const std::exception& e) {
    return single(origin, origin + ": cannot parse: " + e.what(), problems);
  }
  if (!root.IsDefined() || root.IsNull())
    return single(origin,
                  origin
                    + ": empty scenario (expected a map with at "
                      "least 'ground_truth' and 'agents')",
                  problems);
  if (!root.IsMap())
    return single(origin,
                  where(origin, line_of(root, 1))
                    + ": expected a map of scenario keys at the top level, got "
                    + describe(from_node(root, "", 0)),
                  problems);
  try {
    parser p{origin};
    auto s = p.run(root);
    auto& found = p.problems();
    if (!found.empty()) {
      scenario_problems xs;
      for (auto& x : found.kept())
        xs.shown.push_back(to_message(origin, x));
      xs.total = found.total();
      return problems_error(origin, std::move(xs), problems);
    }
    s.hash = fnv1a(text);
    return s;
  } catch (const failure& x) {
    return single(origin, to_message(origin, x), problems);
  } catch (const YAML::Exception& e) {
    return syntax(e);
  } catch (const std::exception& e) {
    return single(origin, origin + ": cannot parse: " + e.what(), problems);
  }
}

} // namespace caf::consensus::sim
