import CMalloc

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
