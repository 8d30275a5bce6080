import CLevelDB
import CLevelDBEnv
import GovChainCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small, safe wrapper over LevelDB's C API.
///
/// Every C allocation is freed (options, iterators, batches, returned values, error strings),
/// and every failure goes through `withLevelDBError`, which turns LevelDB's error text into a
/// `GovChainError`. LevelDB is safe for concurrent use, so the handle is `Sendable`; ordering of
/// writes is the caller's business (the node writes from one actor).
package final class LevelDB: @unchecked Sendable {
    private let db: OpaquePointer
    private let readOptions: OpaquePointer
    private let syncWrite: OpaquePointer
    private let cache: OpaquePointer
    private let filter: OpaquePointer
    /// This process's `flock` on `<path>/GOVCHAIN.LOCK`, held while the database is open (-1:
    /// none, the open is about to fail).
    private let lockDescriptor: Int32
    package let path: String
    /// Set by the first failed write: a write that fails (a full disk) can leave a torn record
    /// in LevelDB's log, and every later write through the same handle is then lost on reopen
    /// ("checksum mismatch", found by Scripts/nemesis). So after one failure this handle writes
    /// nothing more; reopening (restarting the node) recovers the log up to the last good record.
    private let writeFailure = Mutex<String?>(nil)

    /// Block cache for hot table blocks: with table files read by pread(2), not mapped
    /// (`govchain_leveldb_pread_env`), this and the open tables' index and filter blocks are all
    /// the memory LevelDB's reads take; the kernel's page cache holds the rest of the files.
    package static let cacheBytes = 64 << 20
    /// Memtable size: fewer, larger level-0 files under a steady stream of blocks.
    package static let writeBufferBytes = 16 << 20
    /// Bloom filter bits per key: a lookup of an absent key (every new document hash) is answered
    /// from memory instead of reading a table block of every level.
    package static let bloomBitsPerKey: Int32 = 10
    /// Table files LevelDB keeps open (its default is 1 000, most of a common descriptor limit of
    /// 1 024): part of the node's descriptor budget (`DescriptorBudget` in GovChainNode).
    package static let openFilesMax: Int32 = 500

    /// Opens (and with `create`, creates) the database at `path`.
    package init(path: String, create: Bool) throws(GovChainError) {
        lockDescriptor = try Self.lock(path, create: create)
        let options = leveldb_options_create()!
        defer { leveldb_options_destroy(options) }
        let cache = leveldb_cache_create_lru(Self.cacheBytes)!
        let filter = leveldb_filterpolicy_create_bloom(Self.bloomBitsPerKey)!
        leveldb_options_set_create_if_missing(options, create ? 1 : 0)
        // No compression: most of the ledger is hashes, keys and signatures, which snappy cannot
        // shrink; compressing every block cost 3 % of the machine's CPU under load (perf) and
        // 13–22 % of a validator's CPU per anchor at 300 000 anchors (bench-ledger), for 11 % less
        // disk (docs/OPERATIONS.md). Tables written with snappy before stay readable.
        leveldb_options_set_compression(options, Int32(leveldb_no_compression))
        leveldb_options_set_paranoid_checks(options, 1)
        leveldb_options_set_cache(options, cache)
        leveldb_options_set_filter_policy(options, filter)
        leveldb_options_set_write_buffer_size(options, Self.writeBufferBytes)
        leveldb_options_set_max_open_files(options, Self.openFilesMax)
        // Table files are read, not mapped: mapped pages counted in the node's resident memory
        // and grew with the ledger (Sources/CLevelDBEnv/PreadEnv.cpp).
        leveldb_options_set_env(options, govchain_leveldb_pread_env())
        let opened: OpaquePointer?
        do {
            opened = try withLevelDBError("open \(path)") { error in leveldb_open(options, path, &error) }
        } catch {
            leveldb_cache_destroy(cache)
            leveldb_filterpolicy_destroy(filter)
            close(lockDescriptor)
            throw error
        }
        guard let opened else {
            leveldb_cache_destroy(cache)
            leveldb_filterpolicy_destroy(filter)
            close(lockDescriptor)
            throw GovChainError(code: .storageOpenFailed, message: "Cannot open the ledger database at \(path).")
        }
        db = opened
        self.cache = cache
        self.filter = filter
        // Every table block carries a CRC that LevelDB checks when paranoid checks are on; reads
        // of the same block from the cache need not pay for it again.
        readOptions = leveldb_readoptions_create()
        syncWrite = leveldb_writeoptions_create()
        leveldb_writeoptions_set_sync(syncWrite, 1)
        self.path = path
    }

    deinit {
        leveldb_close(db)
        leveldb_readoptions_destroy(readOptions)
        leveldb_writeoptions_destroy(syncWrite)
        leveldb_cache_destroy(cache)
        leveldb_filterpolicy_destroy(filter)
        close(lockDescriptor)
    }

    /// Takes an exclusive `flock` on `<path>/GOVCHAIN.LOCK` before LevelDB opens: a second
    /// process gets `EWOULDBLOCK`, a status, where LevelDB's C API would only give the text
    /// "IO error: lock …". (`flock` belongs to the open file, so unlike POSIX `fcntl` locks it is
    /// not dropped when some other descriptor of this process on the file is closed.)
    private static func lock(_ path: String, create: Bool) throws(GovChainError) -> Int32 {
        if create { mkdir(path, 0o700) }
        let descriptor = open(path + "/GOVCHAIN.LOCK", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        // No directory and no permission to create one: LevelDB's own error says so.
        if descriptor < 0, errno == ENOENT, !create { return -1 }
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw GovChainError(
                code: .storageOpenFailed, message: "Cannot open the ledger's lock file in \(path): \(reason).")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw GovChainError(
                    code: .storageOpenFailed,
                    message: "Cannot lock the ledger at \(path): \(String(cString: strerror(code))).")
            }
            throw GovChainError(
                code: .storageLocked,
                message: "The ledger at \(path) is in use by another process. Is this node already running?")
        }
        return descriptor
    }

    package func get(_ key: [UInt8]) throws(GovChainError) -> [UInt8]? {
        var length = 0
        let value = try withLevelDBError("read") { error in
            key.withUnsafeBufferPointer { k in
                k.withMemoryRebound(to: CChar.self) {
                    leveldb_get(db, readOptions, $0.baseAddress, k.count, &length, &error)
                }
            }
        }
        guard let value else { return nil }
        defer { leveldb_free(value) }
        return value.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Applies every operation of `batch` atomically; with `sync` (the default) it is on disk
    /// (fsync) before this returns, so a crash leaves the database before or after the batch.
    package func write(_ batch: WriteBatch, sync: Bool = true) throws(GovChainError) {
        if let earlier = writeFailure.withLock({ $0 }) {
            throw GovChainError(
                code: .storageError,
                message:
                    "The ledger database refuses writes after an earlier write failed (\(earlier)); fix the disk and restart the node."
            )
        }
        let handle = leveldb_writebatch_create()!
        defer { leveldb_writebatch_destroy(handle) }
        for operation in batch.operations {
            switch operation {
            case .put(let key, let value):
                key.withUnsafeBufferPointer { k in
                    value.withUnsafeBufferPointer { v in
                        k.withMemoryRebound(to: CChar.self) { kc in
                            v.withMemoryRebound(to: CChar.self) { vc in
                                leveldb_writebatch_put(handle, kc.baseAddress, k.count, vc.baseAddress, v.count)
                            }
                        }
                    }
                }
            case .delete(let key):
                key.withUnsafeBufferPointer { k in
                    k.withMemoryRebound(to: CChar.self) { leveldb_writebatch_delete(handle, $0.baseAddress, k.count) }
                }
            }
        }
        let options = sync ? syncWrite : leveldb_writeoptions_create()!
        defer { if !sync { leveldb_writeoptions_destroy(options) } }
        do {
            try withLevelDBError("write") { error in leveldb_write(db, options, handle, &error) }
        } catch {
            writeFailure.withLock { $0 = $0 ?? (error.cause ?? error.message) }
            throw error
        }
    }

    /// Key-value pairs whose key starts with `prefix`, in key order, from `start` (inclusive)
    /// when given, at most `limit` of them.
    package func scan(
        prefix: [UInt8], from start: [UInt8]? = nil, limit: Int
    ) throws(GovChainError) -> [(key: [UInt8], value: [UInt8])] {
        let iterator = leveldb_create_iterator(db, readOptions)!
        defer { leveldb_iter_destroy(iterator) }
        let seekKey = start ?? prefix
        seekKey.withUnsafeBufferPointer { k in
            k.withMemoryRebound(to: CChar.self) { leveldb_iter_seek(iterator, $0.baseAddress, k.count) }
        }
        var result: [(key: [UInt8], value: [UInt8])] = []
        while result.count < limit, leveldb_iter_valid(iterator) != 0 {
            let key = Self.bytes { leveldb_iter_key(iterator, &$0) }
            guard key.starts(with: prefix) else { break }
            result.append((key, Self.bytes { leveldb_iter_value(iterator, &$0) }))
            leveldb_iter_next(iterator)
        }
        try withLevelDBError("scan") { error in leveldb_iter_get_error(iterator, &error) }
        return result
    }

    private static func bytes(_ read: (inout Int) -> UnsafePointer<CChar>?) -> [UInt8] {
        var length = 0
        guard let pointer = read(&length) else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}

/// Operations to apply atomically with `LevelDB.write`.
package struct WriteBatch: Sendable {
    package enum Operation: Sendable {
        case put([UInt8], [UInt8])
        case delete([UInt8])
    }

    package private(set) var operations: [Operation] = []
    package init() {}
    package mutating func put(_ key: [UInt8], _ value: [UInt8]) { operations.append(.put(key, value)) }
    package mutating func delete(_ key: [UInt8]) { operations.append(.delete(key)) }
}

/// The one funnel for LevelDB's `char** errptr` convention: runs `body` with an error slot,
/// frees whatever LevelDB put there, and throws it as a `GovChainError` with LevelDB's own text.
@discardableResult
func withLevelDBError<T>(
    _ operation: String, _ body: (inout UnsafeMutablePointer<CChar>?) -> T
) throws(GovChainError) -> T {
    var error: UnsafeMutablePointer<CChar>? = nil
    let result = body(&error)
    if let error {
        let text = String(cString: error)
        leveldb_free(error)
        throw GovChainError(code: .storageError, message: "The ledger database failed to \(operation).", cause: text)
    }
    return result
}
