// LevelDB's environment for GovChain's ledger (PreadEnv.cpp), for Swift through the C API.
#ifndef GOVCHAIN_CLEVELDB_ENV_H
#define GOVCHAIN_CLEVELDB_ENV_H

#include <leveldb/c.h>

#ifdef __cplusplus
extern "C" {
#endif

/// LevelDB's default environment, except that table files are read with pread(2) instead of
/// being mapped into memory. One per process, never destroyed; pass it to
/// leveldb_options_set_env and never to leveldb_env_destroy.
leveldb_env_t *govchain_leveldb_pread_env(void);

#ifdef __cplusplus
}
#endif

#endif
