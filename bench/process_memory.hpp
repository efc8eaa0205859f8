// The process's resident memory, read from /proc/self/status (Linux), and its CPU time.
#pragma once

namespace acfts {

/// Resident memory in KiB; -1 where the kernel did not report a field.
struct process_memory {
  /// All resident pages now (VmRSS).
  long rss_kib = -1;
  /// The process's own memory (RssAnon): heap, stacks, CAF and LevelDB caches.
  long anon_kib = -1;
  /// Mapped files (RssFile): mostly LevelDB's mmapped tables, page cache that grows with the data
  /// and that the kernel can reclaim.
  long file_kib = -1;
  /// The highest VmRSS since the process started or since reset_peak_memory() (VmHWM).
  long peak_kib = -1;
};

process_memory read_process_memory();

/// Starts a new peak (writes 5 to /proc/self/clear_refs); false where the kernel refuses.
bool reset_peak_memory();

/// CPU seconds (user and system, every thread) this process has used so far.
double process_cpu_seconds();

} // namespace acfts
