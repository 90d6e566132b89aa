// caf-consensus benchmarks: turns Google Benchmark JSON output into the
// tables of docs/performance.md and checks the targets of issue 7.
//
//   consensus-bench-report FILE.json...
//
// Reads every file (the outputs of consensus-bench and consensus-bench-sweep,
// usually with repetitions), takes the median of each benchmark's
// repetitions, prints Markdown to stdout and exits with 0. Exit status 1 and
// a message on stderr for a file that cannot be read or is not Google
// Benchmark JSON. A benchmark that is missing or failed shows as "not
// measured" and its targets as "not measured", never as met.

#include <exception>
#include <iostream>
#include <string>

#include "report_reader.hpp"
#include "report_tables.hpp"

using caf::consensus::bench::print_report;
using caf::consensus::bench::reader;

int main(int argc, char** argv) {
  if (argc < 2 || std::string{argv[1]} == "--help"
      || std::string{argv[1]} == "-h") {
    std::cerr << "usage: consensus-bench-report FILE.json...\n"
                 "Reads Google Benchmark JSON output of consensus-bench and "
                 "consensus-bench-sweep\nand prints the tables and target "
                 "checks of docs/performance.md as Markdown.\n";
    return argc < 2 ? 2 : 0;
  }
  reader r;
  try {
    for (int i = 1; i < argc; ++i)
      r.read(argv[i]);
  } catch (const std::exception& e) {
    std::cerr << "consensus-bench-report: " << e.what() << '\n';
    return 1;
  }
  if (r.size() == 0) {
    std::cerr << "consensus-bench-report: no benchmark results in the given "
                 "files\n";
    return 1;
  }
  print_report(r);
  return 0;
}
