// caf-consensus sim: result files written atomically (a temporary file in the
// same folder, synced and renamed into place).

#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

namespace caf::consensus::sim {

/// An output file written atomically. The text goes to a new temporary file
/// `.NAME.tmp-XXXXXX` in the target's folder; `commit` flushes it, syncs it
/// to disk and renames it over the target. A process killed at any moment
/// leaves either the old complete file or the new complete one, never a
/// truncated file (at most a stray temporary file). The rename replaces a
/// symlink at the target instead of writing through it. Destroying an
/// uncommitted file removes the temporary file and leaves the target alone.
class output_file {
public:
  /// Creates the temporary file for `path`. Fails, naming the file, when
  /// `path` is a folder or a FIFO, when its folder does not exist or cannot
  /// be written, or when `path` is the same file (device and inode) as one of
  /// `inputs`: an output never replaces the data it is made from.
  static expected<output_file>
  open(const std::string& path, const std::vector<std::string>& inputs = {});

  output_file(output_file&&) noexcept;
  output_file& operator=(output_file&&) noexcept;
  ~output_file();

  /// The stream to write the file's text to.
  std::ostream& stream();

  /// The target path.
  const std::string& path() const;

  /// Writes out, syncs and renames the file into place. A failed write (e.g.
  /// a full disk) is an error naming the file and the reason (`no space left
  /// on device`); the target is then unchanged and the temporary file gone.
  error commit();

private:
  struct impl;
  explicit output_file(std::unique_ptr<impl> ptr);
  std::unique_ptr<impl> impl_;
};

/// Writes `bytes` to `path` through an `output_file` (atomically; never onto
/// one of `inputs`).
error write_file(const std::string& path, const std::string& bytes,
                 const std::vector<std::string>& inputs = {});

/// Returns whether `a` and `b` name the same existing file (device and
/// inode; false when either does not exist).
bool same_file(const std::string& a, const std::string& b);

} // namespace caf::consensus::sim
