// caf-consensus: metastable consensus among agents on the C++ Actor Framework.
// Forward declarations of the public types.

#pragma once

#include <cstdint>

namespace caf::consensus {

// -- value types --------------------------------------------------------------

class sample_list;
class shared_text;
class vocabulary;
class word_set;
struct result;
struct peer_view;
struct request;
struct params;
struct state;
struct round_trace;
struct round_summary;
struct agreement_record;

enum class errc : uint8_t;
enum class policy_kind : uint8_t;
enum class stop_reason : uint8_t;

// -- protocol -----------------------------------------------------------------

class engine;
class consensus;

namespace policy {
class policy_base;
} // namespace policy

namespace text {
class similarity;
class token_similarity;
class jaccard_similarity;
} // namespace text

namespace rng {
class python_random;
class rng64;
} // namespace rng

} // namespace caf::consensus
