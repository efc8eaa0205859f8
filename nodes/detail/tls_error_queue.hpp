// A repair of CAF 0.17's OpenSSL module under OpenSSL 3. The module reads every TLS call's result
// with SSL_get_error but never empties the thread's error queue first, which OpenSSL requires
// (SSL_get_error(3)). OpenSSL 3 queues an error for a peer that closes without a TLS shutdown, a
// failed handshake or a plaintext client; the module's one I/O thread then sees that stale error
// on its next call for any other connection, reads it as that connection's failure and closes it.
// A refused stranger, or a redundant connection CAF closes itself, dropped every healthy link of
// the process. This file defines SSL_read, SSL_write, SSL_connect and SSL_accept in the program:
// they interpose the libssl functions the module calls, empty the queue, then call libssl's.
#pragma once

namespace acfts {

/// Makes sure the interposing definitions are linked into the program (they live in a static
/// library, which links only what is referenced). Cheap; call before any TLS link starts.
void guard_tls_error_queue();

/// TLS calls whose stale queued errors were discarded (tests).
unsigned long tls_stale_errors_discarded();

} // namespace acfts
