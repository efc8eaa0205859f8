#include "nodes/detail/tls_error_queue.hpp"

#include <atomic>

#include <dlfcn.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace {

std::atomic<unsigned long> discarded{0};

template <class Fn>
Fn next_definition(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

/// Empties this thread's error queue before a TLS call, as SSL_get_error(3) requires.
void clear_error_queue() {
  if (ERR_peek_error() != 0) {
    discarded.fetch_add(1, std::memory_order_relaxed);
    ERR_clear_error();
  }
}

} // namespace

extern "C" {

int SSL_read(SSL* ssl, void* buf, int num) {
  static auto real = next_definition<int (*)(SSL*, void*, int)>("SSL_read");
  clear_error_queue();
  return real(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  static auto real = next_definition<int (*)(SSL*, const void*, int)>("SSL_write");
  clear_error_queue();
  return real(ssl, buf, num);
}

int SSL_connect(SSL* ssl) {
  static auto real = next_definition<int (*)(SSL*)>("SSL_connect");
  clear_error_queue();
  return real(ssl);
}

int SSL_accept(SSL* ssl) {
  static auto real = next_definition<int (*)(SSL*)>("SSL_accept");
  clear_error_queue();
  return real(ssl);
}

} // extern "C"

namespace acfts {

void guard_tls_error_queue() {
  // Nothing to do: a call links this file, and with it the definitions above.
}

unsigned long tls_stale_errors_discarded() {
  return discarded.load(std::memory_order_relaxed);
}

} // namespace acfts
