// caf-consensus: umbrella header.

#pragma once

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/messages.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/actors/polling_scheduler.hpp"
#include "caf/consensus/choice.hpp"
#include "caf/consensus/consensus.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/fwd.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/policy/forwarding.hpp"
#include "caf/consensus/policy/hanzo.hpp"
#include "caf/consensus/policy/metastable.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/policy/sequential.hpp"
#include "caf/consensus/policy/snowball.hpp"
#include "caf/consensus/policy/vote.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/rng/python_random.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/round_summary.hpp"
#include "caf/consensus/sample_list.hpp"
#include "caf/consensus/shared_text.hpp"
#include "caf/consensus/state.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"
#include "caf/consensus/word_set.hpp"

/// @mainpage caf-consensus
///
/// Metastable consensus among agents on the C++ Actor Framework. Start with
/// `caf::consensus::consensus` (blocking) or `consensus::spawn` (actors),
/// `caf::consensus::params`, and the policies in `caf::consensus::policy`.
