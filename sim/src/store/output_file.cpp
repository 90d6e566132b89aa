// caf-consensus sim: result files written atomically.

#include "caf/consensus/sim/store/output_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <streambuf>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim {

namespace {

error io_error(const std::string& path, const std::string& what, int code) {
  return make_error(sweep_errc::store_failed, "cannot " + what + " '" + path
                                                + "': " + std::strerror(code));
}

/// A stream buffer over a file descriptor that remembers the first failed
/// write's errno.
class fd_buf : public std::streambuf {
public:
  explicit fd_buf(int fd) : fd_(fd), buf_(64 * 1024) {
    setp(buf_.data(), buf_.data() + buf_.size());
  }

  int last_errno() const {
    return errno_;
  }

  /// Writes out the buffer; returns false on an error.
  bool drain() {
    auto* p = pbase();
    while (p < pptr()) {
      auto n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
      if (n < 0) {
        if (errno == EINTR)
          continue;
        errno_ = errno;
        setp(buf_.data(), buf_.data() + buf_.size());
        return false;
      }
      p += n;
    }
    setp(buf_.data(), buf_.data() + buf_.size());
    return errno_ == 0;
  }

protected:
  int_type overflow(int_type ch) override {
    if (!drain())
      return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }

  int sync() override {
    return drain() ? 0 : -1;
  }

private:
  int fd_;
  std::vector<char> buf_;
  int errno_ = 0;
};

} // namespace

struct output_file::impl {
  std::string path;
  std::string tmp;
  int fd = -1;
  std::unique_ptr<fd_buf> buf;
  std::unique_ptr<std::ostream> out;

  ~impl() {
    if (fd >= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
    }
  }
};

bool same_file(const std::string& a, const std::string& b) {
  struct stat x;
  struct stat y;
  if (::stat(a.c_str(), &x) != 0 || ::stat(b.c_str(), &y) != 0)
    return false;
  return x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

expected<output_file>
output_file::open(const std::string& path,
                  const std::vector<std::string>& inputs) {
  if (path.empty())
    return make_error(sweep_errc::store_failed, "an output file needs a name");
  for (auto& in : inputs)
    if (same_file(path, in))
      return make_error(sweep_errc::store_failed,
                        "refusing to write '" + path + "': it is the input '"
                          + in + "' (choose another output file)");
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return make_error(sweep_errc::store_failed,
                        "cannot write '" + path + "': it is a folder");
    if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode)
        || S_ISBLK(st.st_mode))
      return make_error(sweep_errc::store_failed,
                        "cannot write '" + path
                          + "': it is not a regular file (a FIFO, socket or "
                            "device)");
  }
  auto slash = path.rfind('/');
  auto dir = slash == std::string::npos ? std::string{}
                                        : path.substr(0, slash + 1);
  auto name = slash == std::string::npos ? path : path.substr(slash + 1);
  auto x = std::make_unique<impl>();
  x->path = path;
  x->tmp = dir + "." + name + ".tmp-XXXXXX";
  x->fd = ::mkstemp(x->tmp.data());
  if (x->fd < 0)
    return io_error(path, "write", errno);
  ::fchmod(
    x->fd, 0666 & ~[] {
      auto m = ::umask(0);
      ::umask(m);
      return m;
    }());
  x->buf = std::make_unique<fd_buf>(x->fd);
  x->out = std::make_unique<std::ostream>(x->buf.get());
  return output_file{std::move(x)};
}

output_file::output_file(std::unique_ptr<impl> ptr) : impl_(std::move(ptr)) {
  // nop
}

output_file::output_file(output_file&&) noexcept = default;

output_file& output_file::operator=(output_file&&) noexcept = default;

output_file::~output_file() = default;

std::ostream& output_file::stream() {
  return *impl_->out;
}

const std::string& output_file::path() const {
  return impl_->path;
}

error output_file::commit() {
  auto& x = *impl_;
  if (x.fd < 0)
    return make_error(sweep_errc::store_failed,
                      "'" + x.path + "' was committed already");
  x.out->flush();
  auto fail = [&](int code) {
    ::close(x.fd);
    x.fd = -1;
    ::unlink(x.tmp.c_str());
    return io_error(x.path, "write", code);
  };
  if (!x.buf->drain() || !*x.out)
    return fail(x.buf->last_errno() != 0 ? x.buf->last_errno() : EIO);
  if (::fsync(x.fd) != 0)
    return fail(errno);
  if (::close(x.fd) != 0) {
    x.fd = -1;
    auto code = errno;
    ::unlink(x.tmp.c_str());
    return io_error(x.path, "write", code);
  }
  x.fd = -1;
  if (::rename(x.tmp.c_str(), x.path.c_str()) != 0) {
    auto code = errno;
    ::unlink(x.tmp.c_str());
    return io_error(x.path, "replace", code);
  }
  return error{};
}

error write_file(const std::string& path, const std::string& bytes,
                 const std::vector<std::string>& inputs) {
  auto f = output_file::open(path, inputs);
  if (!f)
    return std::move(f.error());
  f->stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return f->commit();
}

} // namespace caf::consensus::sim
