#include "caf/consensus/connectors/http.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>

#include <curl/curl.h>

#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

std::string lower(std::string x) {
  for (auto& c : x)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return x;
}

std::string trim(std::string_view x) {
  auto b = x.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos)
    return {};
  auto e = x.find_last_not_of(" \t\r\n");
  return std::string{x.substr(b, e - b + 1)};
}

void global_init() {
  static std::once_flag flag;
  std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// State of one transfer, shared with libcurl's callbacks.
struct transfer {
  const http_request* req = nullptr;
  http_response resp;
  CURL* handle = nullptr;
  size_t received = 0;
  size_t header_bytes = 0;
  bool oversized = false;
  bool status_known = false;
};

constexpr size_t max_header_bytes = 64 * 1024;

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  auto len = size * n;
  t->header_bytes += len;
  if (t->header_bytes > max_header_bytes) {
    t->oversized = true;
    return 0;
  }
  std::string_view line{data, len};
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after a 100 Continue or a redirect): start over.
    t->resp.headers.clear();
    return len;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos)
    return len;
  t->resp.headers.emplace_back(lower(trim(line.substr(0, colon))),
                               trim(line.substr(colon + 1)));
  return len;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  auto len = size * n;
  t->received += len;
  if (t->received > t->req->max_body_bytes) {
    t->oversized = true;
    return 0;
  }
  if (!t->status_known) {
    curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &t->resp.status);
    t->status_known = true;
  }
  if (t->req->on_data) {
    if (!t->req->on_data(t->resp, std::string_view{data, len})) {
      t->resp.stopped = true;
      return 0;
    }
    return len;
  }
  t->resp.body.append(data, len);
  return len;
}

} // namespace

// -- http_response
// ---------------------------------------------------------------

std::string http_response::header(std::string_view name) const {
  auto key = lower(std::string{name});
  for (auto& [k, v] : headers)
    if (k == key)
      return v;
  return {};
}

std::string http_response::media_type() const {
  auto x = header("content-type");
  auto semi = x.find(';');
  if (semi != std::string::npos)
    x.resize(semi);
  return lower(trim(x));
}

// -- http_session
// ----------------------------------------------------------------

struct http_session::impl {
  CURL* handle = nullptr;
  char errbuf[CURL_ERROR_SIZE];
};

http_session::http_session() : impl_(std::make_unique<impl>()) {
  global_init();
  impl_->handle = curl_easy_init();
}

http_session::~http_session() {
  if (impl_->handle != nullptr)
    curl_easy_cleanup(impl_->handle);
}

expected<http_response> http_session::perform(const http_request& req) {
  auto what = req.method + " " + req.url;
  if (impl_->handle == nullptr)
    return make_error(errc::execute_failed,
                      what + ": cannot initialize libcurl");
  auto left = remaining_ms(req.deadline);
  if (left <= 0)
    return make_timeout(what + ": no time left for the request");
  auto* h = impl_->handle;
  curl_easy_reset(h);
  transfer t;
  t.req = &req;
  t.handle = h;
  impl_->errbuf[0] = '\0';
  curl_slist* headers = nullptr;
  for (auto& [k, v] : req.headers)
    headers = curl_slist_append(headers, (k + ": " + v).c_str());
  // No "Expect: 100-continue" round trip for larger bodies.
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(left));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, impl_->errbuf);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  if (req.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(req.body.size()));
  } else if (req.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    if (!req.body.empty()) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(req.body.size()));
    }
  }
  auto rc = curl_easy_perform(h);
  curl_slist_free_all(headers);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &t.resp.status);
  if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && t.resp.stopped))
    return std::move(t.resp);
  if (t.oversized)
    return make_error(errc::malformed_input,
                      what + ": the reply is larger than "
                        + std::to_string(t.header_bytes > max_header_bytes
                                           ? max_header_bytes
                                           : req.max_body_bytes)
                        + " bytes; transfer aborted");
  std::string detail = impl_->errbuf[0] != '\0' ? impl_->errbuf
                                                : curl_easy_strerror(rc);
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return make_timeout(what + ": timed out (" + detail + ")");
  return make_error(errc::execute_failed, what + ": " + detail);
}

// -- utility
// ----------------------------------------------------------------------

int64_t parse_retry_after(const std::string& value) {
  auto x = trim(value);
  if (x.empty())
    return -1;
  auto digits = [](const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
  };
  if (digits(x)) {
    auto first = x.find_first_not_of('0');
    if (first == std::string::npos)
      return 0;
    if (x.size() - first > 9)
      return retry_after_unusable;
    return std::stoll(x) * 1000;
  }
  if (x[0] == '-' && digits(x.substr(1)))
    return retry_after_unusable;
  auto when = curl_getdate(x.c_str(), nullptr);
  if (when < 0)
    return -1;
  auto now = std::time(nullptr);
  return when > now ? static_cast<int64_t>(when - now) * 1000 : 0;
}

bool is_http_url(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    return false;
  auto scheme = lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https")
    return false;
  auto rest = url.substr(scheme_end + 3);
  return !rest.empty() && rest[0] != '/' && rest[0] != '?'
         && rest.find_first_of(" \t\r\n") == std::string::npos;
}

} // namespace caf::consensus::connectors
