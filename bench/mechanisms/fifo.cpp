// FIFOs: two named pipes in the work folder, each process opens them by name.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "fd_channel.hpp"
#include "ipclab/check.hpp"
#include "mechanisms.hpp"
#include "process.hpp"
#include "scratch.hpp"

namespace ipclab::bench {
namespace {

/// open(2) that survives EINTR; a FIFO open blocks until the other end opens.
unique_fd open_fifo(const std::string& path, int flags) {
  int fd;
  while ((fd = ::open(path.c_str(), flags | O_CLOEXEC)) < 0)
    if (!retry_after(errno)) throw_errno(errno, "open(" + path + ")");
  return unique_fd(fd);
}

class fifo_channel : public fd_channel {
public:
  fifo_channel() : fd_channel(framing::stream) {
    static int serial = 0;
    std::string base = scratch_path() + "/fifo" + std::to_string(++serial);
    a_to_b_ = base + ".ab";
    b_to_a_ = base + ".ba";
    check_unix(::mkfifo(a_to_b_.c_str(), 0600), "mkfifo(" + a_to_b_ + ")");
    created_ = 1;
    check_unix(::mkfifo(b_to_a_.c_str(), 0600), "mkfifo(" + b_to_a_ + ")");
    created_ = 2;
  }
  ~fifo_channel() override {
    if (created_ >= 1) ::unlink(a_to_b_.c_str());
    if (created_ >= 2) ::unlink(b_to_a_.c_str());
  }

  void become(side s) override {
    // Both sides open a->b first, then b->a: each open pairs with the
    // other side's, so neither blocks forever.
    if (s == side::a) {
      auto out = open_fifo(a_to_b_, O_WRONLY);
      auto in = open_fifo(b_to_a_, O_RDONLY);
      use({std::move(in), std::move(out)});
    } else {
      auto in = open_fifo(a_to_b_, O_RDONLY);
      auto out = open_fifo(b_to_a_, O_WRONLY);
      use({std::move(in), std::move(out)});
    }
  }

private:
  std::string a_to_b_, b_to_a_;
  int created_ = 0;
};

}  // namespace

std::unique_ptr<channel> make_fifo_channel(std::size_t) { return std::make_unique<fifo_channel>(); }

}  // namespace ipclab::bench
