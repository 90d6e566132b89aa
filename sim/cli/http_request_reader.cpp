// consensus-sim: incremental, bounded parsing of one HTTP/1.x request.

#include "cli/http_request_reader.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

namespace caf::consensus::cli {

namespace {

/// More header lines than any MCP client sends; the cap keeps the header
/// map small no matter how short the lines are.
constexpr size_t max_header_lines = 100;

bool is_http_token(const std::string& x) {
  if (x.empty())
    return false;
  for (unsigned char c : x)
    if (!std::isalnum(c)
        && std::string_view{"!#$%&'*+-.^_`|~"}.find(c)
             == std::string_view::npos)
      return false;
  return true;
}

std::string trim_ows(const std::string& x) {
  auto b = x.find_first_not_of(" \t");
  if (b == std::string::npos)
    return {};
  return x.substr(b, x.find_last_not_of(" \t") - b + 1);
}

bool ci_equal(const std::string& x, const std::string& y) {
  return x.size() == y.size()
         && std::equal(x.begin(), x.end(), y.begin(), [](char a, char b) {
              return std::tolower(static_cast<unsigned char>(a))
                     == std::tolower(static_cast<unsigned char>(b));
            });
}

} // namespace

http_request_reader::http_request_reader(size_t max_header_bytes,
                                         size_t max_body_bytes)
  : max_header_bytes_(max_header_bytes), max_body_bytes_(max_body_bytes) {
  // Nothing.
}

bool http_request_reader::take_continue() noexcept {
  return std::exchange(continue_pending_, false);
}

http_request_reader::state http_request_reader::fail(int status,
                                                     std::string text) {
  error_status_ = status;
  error_text_ = std::move(text);
  buf_.clear();
  return state_ = state::failed;
}

http_request_reader::state http_request_reader::feed(const char* data,
                                                     size_t n) {
  if (state_ != state::incomplete || n == 0)
    return state_;
  started_ = true;
  std::string_view in{data, n};
  if (!head_done_) {
    auto old = buf_.size();
    buf_.append(in);
    // Empty lines before the request line are allowed (RFC 9112, 2.2).
    if (old == 0) {
      auto first = buf_.find_first_not_of("\r\n");
      buf_.erase(0, first == std::string::npos ? buf_.size() : first);
      old = 0;
    }
    // The block ends with an empty line; lines end with LF or CRLF. The
    // terminator "\n\r\n" may straddle the previous chunk.
    size_t end = std::string::npos;
    size_t rest = 0;
    for (auto i = old >= 2 ? old - 2 : 0; i < buf_.size(); ++i) {
      if (buf_[i] != '\n')
        continue;
      auto j = i + 1;
      if (j < buf_.size() && buf_[j] == '\r')
        ++j;
      if (j < buf_.size() && buf_[j] == '\n') {
        end = i;
        rest = j + 1;
        break;
      }
    }
    if (end == std::string::npos || end > max_header_bytes_) {
      if (buf_.size() > max_header_bytes_)
        return fail(431, "request header block larger than "
                           + std::to_string(max_header_bytes_) + " bytes");
      return state_;
    }
    auto body_start = buf_.substr(rest);
    if (parse_head(end) != state::incomplete)
      return state_;
    head_done_ = true;
    buf_.clear();
    buf_.shrink_to_fit();
    in = {};
    if (!body_start.empty()) {
      // Keep the bytes that followed the header block.
      buf_ = std::move(body_start);
      in = buf_;
    }
  }
  auto want = body_length_ - req_.body.size();
  req_.body.append(in.substr(0, std::min(want, in.size())));
  buf_.clear();
  if (req_.body.size() == body_length_) {
    continue_pending_ = false;
    state_ = state::complete;
  }
  return state_;
}

http_request_reader::state http_request_reader::parse_head(size_t end) {
  std::vector<std::string> lines;
  for (size_t pos = 0; pos <= end;) {
    auto nl = buf_.find('\n', pos);
    if (nl == std::string::npos || nl > end)
      nl = end;
    auto line = buf_.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    lines.push_back(std::move(line));
    pos = nl + 1;
  }
  // The request line: METHOD SP request-target SP HTTP-version.
  auto& first = lines.front();
  auto sp1 = first.find(' ');
  auto sp2 = first.rfind(' ');
  if (sp1 == std::string::npos || sp1 == sp2)
    return fail(400, "malformed request line");
  req_.method = first.substr(0, sp1);
  req_.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  req_.version = first.substr(sp2 + 1);
  if (!is_http_token(req_.method) || req_.target.empty()
      || req_.target.front() != '/'
      || req_.target.find_first_of(" \t") != std::string::npos)
    return fail(400, "malformed request line");
  if (req_.version != "HTTP/1.1" && req_.version != "HTTP/1.0")
    return fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");
  req_.path = req_.target.substr(0, req_.target.find('?'));
  if (lines.size() - 1 > max_header_lines)
    return fail(431, "more than " + std::to_string(max_header_lines)
                       + " header lines");
  for (size_t i = 1; i < lines.size(); ++i) {
    auto& line = lines[i];
    // Obsolete line folding (a line starting with whitespace) is refused,
    // as RFC 9112 5.2 allows: it hides one header inside another.
    auto colon = line.find(':');
    if (line.empty() || line.front() == ' ' || line.front() == '\t'
        || colon == std::string::npos || !is_http_token(line.substr(0, colon)))
      return fail(400, "malformed header line");
    req_.headers.emplace(line.substr(0, colon),
                         trim_ows(line.substr(colon + 1)));
  }
  // Chunked bodies would need their own framing; MCP clients send
  // Content-Length, and refusing is what RFC 9112 6.3 allows.
  if (req_.has_header("Transfer-Encoding"))
    return fail(411, "Transfer-Encoding is not supported: send the body with "
                     "a Content-Length header");
  auto lengths = req_.headers.equal_range("Content-Length");
  std::string length_text;
  for (auto i = lengths.first; i != lengths.second; ++i) {
    // Differing lengths are a request smuggling attempt.
    if (!length_text.empty() && i->second != length_text)
      return fail(400, "conflicting Content-Length headers");
    length_text = i->second;
  }
  if (!length_text.empty()) {
    if (length_text.size() > 18
        || length_text.find_first_not_of("0123456789") != std::string::npos)
      return fail(400, "malformed Content-Length");
    auto length = static_cast<size_t>(std::stoull(length_text));
    if (length > max_body_bytes_)
      return fail(413, "request body larger than "
                         + std::to_string(max_body_bytes_) + " bytes");
    body_length_ = length;
  }
  continue_pending_ = body_length_ > 0
                      && ci_equal(req_.get_header_value("Expect"),
                                  "100-continue");
  return state_;
}

} // namespace caf::consensus::cli
