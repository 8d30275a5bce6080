// LevelDB maps up to 1 000 table files into memory (its POSIX environment's read-only mmap
// limit, which the library offers no setting for). Every page a read touches then counts in the
// node's resident memory, which grew with the ledger to several hundred MiB (issue 12's memory
// target is 300 MiB per node). This environment reads table files with pread(2) instead: blocks
// go through LevelDB's own block cache (a bounded heap, `LevelDB.cacheBytes`) and the kernel's
// page cache, which is not the node's memory. Everything else is the default environment's.

#include "CLevelDBEnv.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <utility>

#include <leveldb/env.h>
#include <leveldb/slice.h>
#include <leveldb/status.h>

// The C API's handle of an environment, as leveldb/db/c.cc defines it (unchanged since the C
// API was written): the C API creates only the default environment, so this file builds the
// handle of another one. `is_default` keeps leveldb_env_destroy from deleting it.
struct leveldb_env_t {
    leveldb::Env *rep;
    bool is_default;
};

namespace {

leveldb::Status fileError(const std::string &name, int error) {
    return error == ENOENT ? leveldb::Status::NotFound(name, std::strerror(error))
                           : leveldb::Status::IOError(name, std::strerror(error));
}

/// A table file read with pread(2); safe for concurrent reads, as LevelDB requires.
class PreadFile final : public leveldb::RandomAccessFile {
  public:
    PreadFile(std::string name, int descriptor) : name_(std::move(name)), descriptor_(descriptor) {}
    ~PreadFile() override { ::close(descriptor_); }

    leveldb::Status Read(uint64_t offset, size_t count, leveldb::Slice *result, char *scratch) const override {
        size_t done = 0;
        while (done < count) {
            ssize_t read = ::pread(descriptor_, scratch + done, count - done, static_cast<off_t>(offset + done));
            if (read < 0 && errno == EINTR) continue;
            if (read < 0) {
                *result = leveldb::Slice(scratch, 0);
                return fileError(name_, errno);
            }
            if (read == 0) break;  // end of file: a short result, which the reader checks
            done += static_cast<size_t>(read);
        }
        *result = leveldb::Slice(scratch, done);
        return leveldb::Status::OK();
    }

  private:
    const std::string name_;
    const int descriptor_;
};

class PreadEnv final : public leveldb::EnvWrapper {
  public:
    PreadEnv() : leveldb::EnvWrapper(leveldb::Env::Default()) {}

    leveldb::Status NewRandomAccessFile(const std::string &name, leveldb::RandomAccessFile **result) override {
        int descriptor = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
        if (descriptor < 0) {
            *result = nullptr;
            return fileError(name, errno);
        }
        *result = new PreadFile(name, descriptor);
        return leveldb::Status::OK();
    }
};

}  // namespace

extern "C" leveldb_env_t *govchain_leveldb_pread_env(void) {
    // Leaked on purpose: databases may still be open while static destructors run at exit.
    static leveldb_env_t *const handle = [] {
        // The layout check: the C API's own default handle, read through the struct above, must
        // hold Env::Default(). If a library version ever changed the layout, the default
        // environment is used instead (tables mapped again, which LevelDBTests reports).
        leveldb_env_t *probe = leveldb_create_default_env();
        if (probe->rep != leveldb::Env::Default() || !probe->is_default) return probe;
        leveldb_env_destroy(probe);
        return new leveldb_env_t{new PreadEnv(), true};
    }();
    return handle;
}
