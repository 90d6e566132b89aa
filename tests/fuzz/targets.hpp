// caf-consensus: fuzz targets. Each takes arbitrary bytes and must never
// crash, hang or leak; violated invariants abort. The libFuzzer drivers
// (fuzz_*.cpp, built with -DCAF_CONSENSUS_FUZZ=ON and clang) and the
// regression test (tests/fuzz_regression_test.cpp, every build) call them.

#pragma once

#include <cstddef>
#include <cstdint>

namespace caf::consensus::fuzz {

/// Scenario files: parse, validate, resolve the first and last sweep cell.
int scenario(const uint8_t* data, size_t size);

/// Conformance/replay files: parse and, when small, replay inline.
int conformance(const uint8_t* data, size_t size);

/// The tokenizer on arbitrary bytes (invalid UTF-8 included), and the
/// policies' interned-id tokenizer against it.
int tokenizer(const uint8_t* data, size_t size);

/// MCP JSON-RPC message handling: the client's message parser, the server's
/// dispatcher (`consensus-sim mcp-serve`), and the SSE stream parser fed in
/// two chunks.
int mcp_jsonrpc(const uint8_t* data, size_t size);

/// The OpenAI-compatible chat-completion response parser.
int openai_response(const uint8_t* data, size_t size);

/// Trace files (docs/traces.md): the strict reader, then for a trace it
/// accepts: the replay index, the fit, the fitted and the replay scenario
/// texts.
int trace(const uint8_t* data, size_t size);

} // namespace caf::consensus::fuzz
