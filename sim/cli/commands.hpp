// consensus-sim: the subcommands. Each takes the arguments after its name
// and returns the process exit status.

#pragma once

#include <string>
#include <vector>

namespace caf::consensus::cli {

using args = std::vector<std::string>;

int conform(const args& xs);
int replay(const args& xs);
int validate(const args& xs);
int run(const args& xs);
int export_runs(const args& xs);
int summarize(const args& xs);
int worker(const args& xs);
int report(const args& xs);
int advice(const args& xs);
int tune(const args& xs);
int calibrate(const args& xs);
int fit(const args& xs);
int record(const args& xs);
int snow(const args& xs);

int ask(const args& xs);
int mcp_serve(const args& xs);

} // namespace caf::consensus::cli
