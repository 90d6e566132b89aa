// The Python quick start of hanzo-consensus, in C++:
//
//     from hanzo_consensus import run, Result
//
//     async def execute(agent_id: str, prompt: str) -> Result:
//         response = await call_llm(agent_id, prompt)
//         return Result(id=agent_id, output=response, ok=True, ms=100)
//
//     state = await run(
//         prompt="What is the best approach?",
//         participants=["claude", "gpt-4", "gemini"],
//         execute=execute,
//     )
//     print(f"Winner: {state.winner}")
//     print(f"Finalized: {state.finalized}")
//     print(f"Synthesis: {state.synthesis}")

#include <iostream>
#include <string>

#include "caf/consensus/all.hpp"

using namespace caf::consensus;

// Stands in for a model call: replace with your own (see docs/agents.md).
std::string call_llm(const std::string& agent_id, const request& req) {
  if (req.round == 0)
    return agent_id == "gemini"
             ? "use retries with exponential backoff and jitter"
             : "use retries with exponential backoff";
  // Refinement: adopt the wording the peers use.
  return req.peers.empty() ? req.own_text : req.peers.front().text;
}

Result execute(const std::string& agent_id, const request& req) {
  auto response = call_llm(agent_id, req);
  return make_ok(agent_id, response,
                 /*ms=*/100); // Result(id, output, ok=True, ms=100)
}

int main() {
  auto st = run("What is the best approach?", {"claude", "gpt-4", "gemini"},
                execute);
  if (!st) {
    std::cerr << "error: " << render(st.error()) << '\n';
    return 1;
  }
  std::cout << "Winner: " << st->winner << '\n'
            << "Finalized: " << (st->finalized ? "True" : "False") << '\n'
            << "Synthesis: " << st->synthesis << '\n';
}
