// Uses the installed library: a consensus run (caf::caf_consensus) and an
// agent spec parsed by the connectors (caf::consensus_connectors).

#include <iostream>
#include <string>

#include "caf/consensus/all.hpp"
#include "caf/consensus/connectors/all.hpp"

using namespace caf::consensus;

int main() {
  auto st = run("Which retry strategy?", {"a", "b", "c"},
                [](const std::string& id, const request&) {
                  return make_ok(id, "exponential backoff with jitter", 10);
                });
  if (!st) {
    std::cerr << "run failed: " << render(st.error()) << '\n';
    return 1;
  }
  auto spec
    = connectors::parse_agent_spec("x=openai:http://127.0.0.1:9/v1#gpt-4o");
  if (!spec) {
    std::cerr << "spec failed: " << render(spec.error()) << '\n';
    return 1;
  }
  std::cout << "winner " << st->winner << ", finalized "
            << (st->finalized ? "yes" : "no") << ", agent "
            << connectors::id_of(*spec) << '\n';
}
