// LevelDB's C API. Debian ships no pkg-config file for libleveldb-dev,
// so the header is included by its installed path and linked by name.
#include <leveldb/c.h>
