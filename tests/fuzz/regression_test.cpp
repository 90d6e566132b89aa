// Replays every fuzz corpus entry and every past finding through its fuzz
// target (tests/fuzz/targets.hpp) in the normal build: a crash, abort or
// sanitizer report fails the test. Findings live in
// tests/fuzz/regressions/<target>/ (see docs/reliability.md).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/targets.hpp"

namespace fs = std::filesystem;

namespace {

size_t replay(const std::string& target, int (*fn)(const uint8_t*, size_t)) {
  size_t n = 0;
  for (auto* sub : {"corpus", "regressions"}) {
    fs::path dir = fs::path{CAF_CONSENSUS_FUZZ_DIR} / sub / target;
    if (!fs::exists(dir))
      continue;
    for (auto& entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file())
        continue;
      std::ifstream in{entry.path(), std::ios::binary};
      std::ostringstream buf;
      buf << in.rdbuf();
      auto bytes = buf.str();
      SCOPED_TRACE(entry.path().string());
      EXPECT_EQ(
        fn(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0);
      ++n;
    }
  }
  return n;
}

} // namespace

TEST(fuzz_regression, scenario_corpus) {
  EXPECT_GT(replay("scenario", caf::consensus::fuzz::scenario), 50u);
}

TEST(fuzz_regression, conformance_corpus) {
  EXPECT_GE(replay("conformance", caf::consensus::fuzz::conformance), 30u);
}

TEST(fuzz_regression, tokenizer_corpus) {
  EXPECT_GE(replay("tokenizer", caf::consensus::fuzz::tokenizer), 7u);
}

TEST(fuzz_regression, mcp_jsonrpc_corpus) {
  EXPECT_GE(replay("mcp_jsonrpc", caf::consensus::fuzz::mcp_jsonrpc), 8u);
}

TEST(fuzz_regression, openai_response_corpus) {
  EXPECT_GE(replay("openai_response", caf::consensus::fuzz::openai_response),
            5u);
}

TEST(fuzz_regression, trace_corpus) {
  EXPECT_GE(replay("trace", caf::consensus::fuzz::trace), 6u);
}
