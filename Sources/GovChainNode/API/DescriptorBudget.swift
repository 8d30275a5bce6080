import Foundation
import GovChainCore
import GovChainStorage

/// File descriptors a node needs: LevelDB's table files, the peer links, a reserve (logs, the
/// lock file, LevelDB's log and manifest, listeners), and what is left for HTTP connections. A
/// node whose limit leaves too little refuses to start and says how to raise it, instead of
/// running until a burst of connections silences it (issue 13).
enum DescriptorBudget {
    /// Descriptors kept free of HTTP connections besides LevelDB's and the peers'.
    static let reserve = 64
    /// Fewest HTTP connections worth starting with.
    static let connectionsMin = 32

    /// The HTTP connection limit: `configured`, lowered to what `limit` descriptors leave.
    static func connectionLimit(configured: Int, descriptorLimit limit: Int, peers: Int) throws(GovChainError) -> Int {
        let fixed = Int(LevelDB.openFilesMax) + reserve + 4 * peers
        let left = limit - fixed
        guard left >= connectionsMin else {
            throw GovChainError(
                code: .descriptorLimitLow,
                message:
                    "This process may open \(limit) files, but the ledger, the peer links and a reserve need \(fixed) and HTTP clients at least \(connectionsMin) more. Raise the limit (e.g. `ulimit -n 4096`, or LimitNOFILE=4096 in the systemd unit)."
            )
        }
        return min(configured, left)
    }

    /// Raises this process's soft descriptor limit to its hard limit (as Go and systemd services
    /// commonly do) and returns the soft limit in force.
    static func raiseToHardLimit() -> Int {
        var limits = rlimit()
        guard getrlimit(RLIMIT_NOFILE_VALUE, &limits) == 0 else { return 1024 }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            raised.rlim_cur = limits.rlim_max
            if setrlimit(RLIMIT_NOFILE_VALUE, &raised) == 0 { limits = raised }
        }
        return limits.rlim_cur > rlim_t(Int32.max) ? Int(Int32.max) : Int(limits.rlim_cur)
    }

    #if os(Linux)
        private static let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let RLIMIT_NOFILE_VALUE = RLIMIT_NOFILE
    #endif
}
