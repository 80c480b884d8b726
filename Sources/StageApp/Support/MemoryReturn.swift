import CMalloc
import StageModel

/// Gives memory the agent no longer uses back to the system. Measured in the soak (README, "Reliability"):
/// with 1,000 probes, glibc kept ~20 MB of freed heap an hour in (a `malloc_trim` from gdb returned it at
/// once), most of it from multi-megabyte transient buffers — state documents for `watch --attach`, scrapes —
/// which glibc's sliding mmap threshold had moved onto the heap after the first ones were freed.
enum MemoryReturn {
    /// Buffers over 256 KiB come from mmap and go straight back when freed (a fixed threshold also stops
    /// glibc from raising it after each large free).
    static func configure() {
        _ = mallopt(M_MMAP_THRESHOLD, 256 * 1024)
    }

    private static let pending = Locked(false)

    /// After a multi-megabyte response (a state document, a scrape): one trim a second later, when the
    /// response has been written and its buffers freed. At most one is pending, so at most one a second.
    static func soon() {
        guard pending.withLock({ p in defer { p = true }; return !p }) else { return }
        Task.detached(priority: .background) {
            try? await Task.sleep(for: .seconds(1))
            pending.withLock { $0 = false }
            _ = malloc_trim(0)
        }
    }

    /// Returns freed heap pages every `every`: a few milliseconds per call, in a long-running process only.
    static func trimmer(every: Swift.Duration = .seconds(30)) -> Task<Void, Never> {
        Task.detached(priority: .background) {
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                _ = malloc_trim(0)
            }
        }
    }
}
