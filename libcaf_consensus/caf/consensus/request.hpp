// caf-consensus: what a participant receives in one round.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

#include "caf/consensus/shared_text.hpp"

namespace caf::consensus {

/// A sampled peer as shown to a participant: its id, its latest response (as
/// it appears in the prompt) and its choice key, if known. The text shares
/// the peer's stored response (no copy).
struct peer_view {
  std::string id;
  shared_text text;
  std::string label;
};

/// @relates peer_view
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, peer_view& x) {
  return f(meta::type_name("caf::consensus::peer_view"), x.id, x.text, x.label);
}

/// The input of one `execute` call: the rendered prompt and the structured
/// context, so that real agents read `prompt` and synthetic agents need not
/// parse it. Texts are `shared_text`: a request shares the run's stored
/// strings instead of copying them, and copying a request is cheap.
struct request {
  /// Participant called.
  std::string participant;
  /// Position of the participant in the participant list.
  uint32_t index = 0;
  /// Round number (0 = initial proposal).
  int32_t round = 0;
  /// Rendered prompt text (round 0: the user prompt unchanged).
  shared_text prompt;
  /// The user prompt.
  shared_text query;
  /// Peers shown in this round's prompt, in sample order.
  std::vector<peer_view> peers;
  /// The participant's own latest response and label (empty in round 0).
  shared_text own_text;
  std::string own_label;
  /// The participant's current protocol preference (policy `snowball`: its
  /// Snowball preference as of the start of this round, empty before it has
  /// one; empty under the other policies). A synthetic agent that answers
  /// it (`follow-policy`) is a Snowball node answering a query.
  std::string preference;
};

/// @relates request
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, request& x) {
  return f(meta::type_name("caf::consensus::request"), x.participant, x.index,
           x.round, x.prompt, x.query, x.peers, x.own_text, x.own_label,
           x.preference);
}

/// Renders the refinement prompt of PROTOCOL.md: `Query: <prompt>`, ``,
/// `Peers:`, one `[<id>] <text cut to 1000 code points>` line per peer view,
/// then `\nRefine your response:`, joined with `\n`.
std::string render_prompt(const std::string& query,
                          const std::vector<peer_view>& peers);

/// Renders the same prompt into `out`, reusing `out`'s storage when no other
/// `shared_text` shares it (see `shared_text::rewrite`): a policy that keeps
/// its requests from round to round renders into the previous prompt's
/// buffer once the agent has let go of it.
void render_prompt(const std::string& query,
                   const std::vector<peer_view>& peers, shared_text& out);

/// Returns the first `n` Unicode code points of the UTF-8 string `x`.
std::string cut_code_points(const std::string& x, size_t n);

} // namespace caf::consensus
