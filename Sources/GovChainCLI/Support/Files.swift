import Foundation
import GovChainCore

/// File helpers with errors a person understands.
enum Files {
    static func read(_ path: String, what: String) throws(GovChainError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GovChainError(code: .fileMissing, message: "The \(what) \(path) does not exist.")
        }
        guard !isDirectory.boolValue else {
            throw GovChainError(code: .fileIsDirectory, message: "The \(what) \(path) is a directory, not a file.")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GovChainError(
                code: .fileUnreadable, message: "The \(what) \(path) cannot be read (check its permissions).")
        }
        return data
    }

    /// SHA-256 of a document file.
    static func sha256(_ path: String) throws(GovChainError) -> Hash32 {
        Hash32.sha256(Array(try read(path, what: "document")))
    }

    static func signingKey(_ path: String) throws(GovChainError) -> SigningKey {
        try SigningKey(pem: String(decoding: try read(path, what: "key file"), as: UTF8.self))
    }

    /// Writes `contents` to a new file with `mode`; refuses to overwrite an existing one.
    static func create(_ path: String, _ contents: String, mode: mode_t) throws(GovChainError) {
        try create(path, bytes: Array(contents.utf8), mode: mode)
    }

    /// Writes `bytes` to a new file with `mode`; refuses to overwrite an existing one.
    static func create(_ path: String, bytes: [UInt8], mode: mode_t) throws(GovChainError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw GovChainError(
                    code: .fileExists,
                    message: "\(path) already exists; GovChain never overwrites an existing file. Choose another path.")
            }
            throw GovChainError(
                code: .fileWriteFailed, message: "Cannot create \(path): \(String(cString: strerror(errno))).")
        }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw GovChainError(
                code: .fileWriteFailed, message: "Cannot write \(path): \(String(cString: strerror(errno))).")
        }
    }

    /// A document given as a file path or as a 64-hex SHA-256.
    static func documentHash(fileOrHash: String) throws(GovChainError) -> Hash32 {
        if let hash = Hash32(hex: fileOrHash), !FileManager.default.fileExists(atPath: fileOrHash) { return hash }
        return try sha256(fileOrHash)
    }
}
