#include "crypto/tls_certs.hpp"

#include "crypto/key_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "messages/error.hpp"

namespace acfts {

namespace {

struct free_key {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct free_cert {
  void operator()(X509* p) const { X509_free(p); }
};
struct free_req {
  void operator()(X509_REQ* p) const { X509_REQ_free(p); }
};
struct close_file {
  void operator()(FILE* f) const { std::fclose(f); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, free_key>;
using cert_ptr = std::unique_ptr<X509, free_cert>;
using req_ptr = std::unique_ptr<X509_REQ, free_req>;
using file_ptr = std::unique_ptr<FILE, close_file>;

caf::error bad(const std::string& what) {
  return make_error(ec::invalid_config, what);
}

/// A new file at `path` (never an existing one), with `mode`.
caf::expected<file_ptr> create(const std::string& path, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0)
    return bad(path + ": cannot create (" + std::string(std::strerror(errno)) + ")");
  file_ptr f{::fdopen(fd, "w")};
  if (!f) {
    ::close(fd);
    return bad(path + ": cannot open");
  }
  return f;
}

caf::expected<file_ptr> open_read(const std::string& path) {
  file_ptr f{std::fopen(path.c_str(), "r")};
  if (!f)
    return bad(path + ": cannot read");
  return f;
}

/// The PEM object of type `Ptr` that `read` (PEM_read_X509, ...) takes from the file at `path`;
/// `what` names it in the error.
template <class Ptr, class Read>
caf::expected<Ptr> read_pem(const std::string& path, Read read, const char* what) {
  auto f = open_read(path);
  if (!f)
    return f.error();
  Ptr x{read(f->get(), nullptr, nullptr, nullptr)};
  if (!x)
    return bad(path + ": not a PEM " + what);
  return x;
}

caf::error write_key(const std::string& path, EVP_PKEY* key) {
  auto f = create(path, 0600);
  if (!f)
    return f.error();
  if (PEM_write_PrivateKey(f->get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return bad(path + ": cannot write the key");
  return caf::none;
}

caf::error write_cert(const std::string& path, X509* cert) {
  auto f = create(path, 0644);
  if (!f)
    return f.error();
  if (PEM_write_X509(f->get(), cert) != 1)
    return bad(path + ": cannot write the certificate");
  return caf::none;
}

caf::error add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext)
    return bad("cannot make a certificate extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return caf::none;
}

/// A certificate for `key` named `common_name`, valid from an hour ago (clock skew), signed by
/// `issuer_key` (itself when `issuer` is null: a self-signed CA).
caf::expected<cert_ptr> make_cert(EVP_PKEY* key, X509_NAME* subject, X509* issuer,
                                  EVP_PKEY* issuer_key, bool is_ca) {
  cert_ptr cert{X509_new()};
  uint64_t serial = 0;
  if (!cert || RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof(serial)) != 1)
    return bad("cannot make a certificate");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial >> 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), tls_certificate_days * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_set_subject_name(cert.get(), subject);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : subject);
  auto* signer_cert = issuer ? issuer : cert.get();
  caf::error err;
  if (is_ca) {
    err = add_extension(cert.get(), signer_cert, NID_basic_constraints, "critical,CA:TRUE");
    if (!err)
      err = add_extension(cert.get(), signer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    err = add_extension(cert.get(), signer_cert, NID_basic_constraints, "critical,CA:FALSE");
    if (!err)
      err = add_extension(cert.get(), signer_cert, NID_key_usage,
                          "critical,digitalSignature,keyAgreement");
    if (!err)
      err = add_extension(cert.get(), signer_cert, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  if (err)
    return err;
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0)
    return bad("cannot sign the certificate");
  return cert;
}

caf::expected<X509_NAME*> name_of(const std::string& common_name) {
  X509_NAME* n = X509_NAME_new();
  if (!n
      || X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                    -1, 0)
           != 1) {
    X509_NAME_free(n);
    return bad("not a certificate name: " + common_name);
  }
  return n;
}

bool exists(const std::string& path) {
  return std::filesystem::exists(path);
}

} // namespace

caf::error make_tls_ca(const std::string& common_name, const std::string& key_file,
                       const std::string& cert_file) {
  for (const auto& f : {key_file, cert_file})
    if (exists(f))
      return bad(f + ": exists; refusing to overwrite");
  key_ptr key{EVP_EC_gen("P-256")};
  if (!key)
    return bad("cannot make a P-256 key");
  auto subject = name_of(common_name);
  if (!subject)
    return subject.error();
  auto cert = make_cert(key.get(), *subject, nullptr, key.get(), true);
  X509_NAME_free(*subject);
  if (!cert)
    return cert.error();
  if (auto err = write_key(key_file, key.get()))
    return err;
  return write_cert(cert_file, cert->get());
}

caf::error make_tls_request(const std::string& common_name, const std::string& key_file,
                            const std::string& csr_file) {
  for (const auto& f : {key_file, csr_file})
    if (exists(f))
      return bad(f + ": exists; refusing to overwrite");
  key_ptr key{EVP_EC_gen("P-256")};
  req_ptr req{X509_REQ_new()};
  if (!key || !req)
    return bad("cannot make a P-256 key");
  auto subject = name_of(common_name);
  if (!subject)
    return subject.error();
  X509_REQ_set_version(req.get(), 0);
  X509_REQ_set_subject_name(req.get(), *subject);
  X509_NAME_free(*subject);
  X509_REQ_set_pubkey(req.get(), key.get());
  if (X509_REQ_sign(req.get(), key.get(), EVP_sha256()) == 0)
    return bad("cannot sign the certificate request");
  if (auto err = write_key(key_file, key.get()))
    return err;
  auto f = create(csr_file, 0644);
  if (!f)
    return f.error();
  if (PEM_write_X509_REQ(f->get(), req.get()) != 1)
    return bad(csr_file + ": cannot write the request");
  return caf::none;
}

caf::error sign_tls_request(const std::string& csr_file, const std::string& ca_cert_file,
                            const std::string& ca_key_file, const std::string& cert_file) {
  if (exists(cert_file))
    return bad(cert_file + ": exists; refusing to overwrite");
  auto req = read_pem<req_ptr>(csr_file, PEM_read_X509_REQ, "certificate request");
  if (!req)
    return req.error();
  auto* req_key = X509_REQ_get0_pubkey(req->get());
  if (!req_key || X509_REQ_verify(req->get(), req_key) != 1)
    return bad(csr_file + ": the request's signature does not verify");
  auto ca = read_pem<cert_ptr>(ca_cert_file, PEM_read_X509, "certificate");
  if (!ca)
    return ca.error();
  if (auto err = check_owner_only(ca_key_file))
    return err;
  auto ca_key = read_pem<key_ptr>(ca_key_file, PEM_read_PrivateKey, "private key");
  if (!ca_key)
    return ca_key.error();
  if (X509_check_private_key(ca->get(), ca_key->get()) != 1)
    return bad(ca_key_file + ": not the key of " + ca_cert_file);
  auto cert =
    make_cert(req_key, X509_REQ_get_subject_name(req->get()), ca->get(), ca_key->get(), false);
  if (!cert)
    return cert.error();
  return write_cert(cert_file, cert->get());
}

caf::error issue_tls_certificate(const std::string& common_name, const std::string& ca_cert_file,
                                 const std::string& ca_key_file, const std::string& key_file,
                                 const std::string& cert_file) {
  auto csr = cert_file + ".csr";
  if (auto err = make_tls_request(common_name, key_file, csr))
    return err;
  auto err = sign_tls_request(csr, ca_cert_file, ca_key_file, cert_file);
  std::filesystem::remove(csr);
  return err;
}

std::string tls_subject(const std::string& pem_file) {
  X509_NAME* name = nullptr;
  auto cert = read_pem<cert_ptr>(pem_file, PEM_read_X509, "certificate");
  caf::expected<req_ptr> req{req_ptr{}};
  if (cert)
    name = X509_get_subject_name(cert->get());
  else if ((req = read_pem<req_ptr>(pem_file, PEM_read_X509_REQ, "certificate request")))
    name = X509_REQ_get_subject_name(req->get());
  if (!name)
    return {};
  char buf[256] = {0};
  if (X509_NAME_get_text_by_NID(name, NID_commonName, buf, sizeof(buf)) < 0)
    return {};
  return buf;
}

} // namespace acfts
