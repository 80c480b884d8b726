// glibc's allocator controls (mallopt, malloc_trim), which Swift's Glibc module does not expose.
// Used by the agent to give large transient buffers back to the system (Sources/StageApp/Support/MemoryReturn.swift).
#include <malloc.h>
