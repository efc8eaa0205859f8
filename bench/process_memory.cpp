#include "bench/process_memory.hpp"

#include <sys/resource.h>

#include <fstream>
#include <string>

namespace acfts {

process_memory read_process_memory() {
  process_memory m;
  std::ifstream in{"/proc/self/status"};
  std::string key;
  while (in >> key) {
    long* field = key == "VmRSS:"     ? &m.rss_kib
                  : key == "RssAnon:" ? &m.anon_kib
                  : key == "RssFile:" ? &m.file_kib
                  : key == "VmHWM:"   ? &m.peak_kib
                                      : nullptr;
    if (field != nullptr)
      in >> *field;
    in.ignore(1 << 10, '\n');
  }
  return m;
}

bool reset_peak_memory() {
  std::ofstream out{"/proc/self/clear_refs"};
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

double process_cpu_seconds() {
  rusage self{};
  ::getrusage(RUSAGE_SELF, &self);
  return static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec)
         + static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
}

} // namespace acfts
