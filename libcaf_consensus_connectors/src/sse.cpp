#include "caf/consensus/connectors/sse.hpp"

namespace caf::consensus::connectors {

std::vector<sse_event> sse_parser::feed(std::string_view chunk) {
  std::vector<sse_event> out;
  for (auto c : chunk) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n')
        continue; // CRLF: the CR ended the line already
    }
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      line(line_, out);
      line_.clear();
      continue;
    }
    line_ += c;
  }
  return out;
}

void sse_parser::line(std::string_view x, std::vector<sse_event>& out) {
  if (x.empty()) {
    if (has_data_) {
      sse_event ev;
      ev.type = type_.empty() ? "message" : type_;
      ev.data = std::move(data_);
      ev.id = last_id_;
      out.push_back(std::move(ev));
    }
    data_.clear();
    has_data_ = false;
    type_.clear();
    return;
  }
  if (x[0] == ':')
    return; // comment
  std::string_view field = x;
  std::string_view value;
  if (auto colon = x.find(':'); colon != std::string_view::npos) {
    field = x.substr(0, colon);
    value = x.substr(colon + 1);
    if (!value.empty() && value[0] == ' ')
      value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_)
      data_ += '\n';
    data_.append(value.data(), value.size());
    has_data_ = true;
  } else if (field == "event") {
    type_ = std::string{value};
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos)
      last_id_ = std::string{value};
  }
  // `retry` and unknown fields are ignored.
}

} // namespace caf::consensus::connectors
