// The signature-bound limit of this machine: how many payments (or validator requests) per second
// its cores could sustain if Ed25519 were the only work. Benchmarks report their speed as a share
// of this limit, measured in the same run, because these machines are shared and noisy.
#pragma once

#include <cstddef>
#include <string>

namespace acfts {

/// Time of one Ed25519 sign and one verify (libsodium, one core), in microseconds.
struct crypto_costs {
  double sign_us = 0;
  double verify_us = 0;
};

/// Times signing and verifying a 77-byte message (a certificate share) for about `millis` each;
/// the fastest of several rounds.
crypto_costs measure_crypto(int millis = 300);

/// Sign and verify costs of the owner-key schemes a spending policy may name, timed like
/// measure_crypto: over "acfts.tx.v1" || tx_hash, as owners sign.
struct scheme_costs {
  crypto_costs secp256k1;
  crypto_costs p256;
};
scheme_costs measure_owner_schemes(int millis = 200);

/// The signatures one unit of work needs.
struct signature_work {
  size_t signs = 0;
  size_t verifies = 0;
};

/// One payment with N = 3f+1 validators: the owner's witness and N shares are signed; each
/// validator checks the witness and 2f foreign signatures of the parent's certificate (its own
/// share it finds in its store), and the wallets check the 2f+1 shares of the new certificate.
signature_work payment_work(size_t f);

/// What no sharing of validator signatures can remove from one payment: the owner's signature
/// and each of the N validators' check of it.
signature_work per_payment_work(size_t f);

/// One sign request at a validator whose parent certificates it did not sign itself: the
/// witness and the parent's 2f+1 shares are verified, one share is signed.
signature_work foreign_parent_request_work(size_t f);

/// The same with pooled shares, per request: the witness, and a share of what batches share —
/// the parents' 2f+1 roots once per `parent_batch` requests and one root signed per `batch`.
/// (Fractions of signatures: `signs` and `verifies` are per 1,000 requests.)
signature_work pooled_request_work_per_1000(size_t f, double parent_batch, double batch);

/// Units of `work` per second on `cores` cores: cores / (signs·s + verifies·v).
double signature_limit(const crypto_costs& c, const signature_work& work, unsigned cores);

/// "AMD EPYC 7B13, 2 cores" from /proc/cpuinfo and the hardware concurrency.
std::string cpu_model();
unsigned core_count();

} // namespace acfts
