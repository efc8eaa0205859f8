// `acfts`: the one executable, with a subcommand per job.
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "config/cluster_file.hpp"
#include "config/keygen.hpp"
#include "config/policy_json.hpp"
#include "protocol/policy_text.hpp"
#include "crypto/key_file.hpp"
#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "nodes/address_command.hpp"
#include "nodes/audit_command.hpp"
#include "nodes/backup_command.hpp"
#include "nodes/bench_command.hpp"
#include "nodes/cli_help.hpp"
#include "nodes/client.hpp"
#include "nodes/delivery.hpp"
#include "nodes/command_suggest.hpp"
#include "nodes/committee_commands.hpp"
#include "nodes/demo.hpp"
#include "nodes/look_commands.hpp"
#include "nodes/node_runtime.hpp"
#include "nodes/number_option.hpp"
#include "nodes/proof_commands.hpp"
#include "nodes/status_command.hpp"
#include "nodes/tx_commands.hpp"
#include "nodes/validator_node.hpp"
#include "nodes/wallet_node.hpp"

#include "acfts_version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"acfts: payments without consensus, settled by a committee of validators"};
  app.name("acfts");
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       std::string{"acfts "} + ACFTS_VERSION + " (" + ACFTS_COMMIT + ")");
  bool verbose = false;

  acfts::demo_options demo;
  auto demo_cmd = app.add_subcommand(
    "demo", "Run the thesis setup in-process (4 validators, 2 wallets) through S1-S5");
  demo_cmd->add_option("--data", demo.data_dir, "Parent directory of the stores (default: temp)");
  demo_cmd->add_flag("--keep", demo.keep, "Keep the temporary stores afterwards");
  acfts::add_number(demo_cmd, "--trials", demo.trials, "Repetitions of each scenario", 1, 1000000);
  acfts::add_number(demo_cmd, "--seed", demo.seed, "Seed of S4's random choices");

  acfts::bench_options bench;
  auto bench_cmd = app.add_subcommand(
    "bench", "Measure scenario throughput (thesis S1-S5) against the machine's signature limit");
  bench_cmd->add_option("--scenario", bench.scenarios, "S1..S5, a list (S1,S5) or all");
  acfts::add_numbers(bench_cmd, "--trials", bench.trials, "Repetitions per row, e.g. 10,100,1000",
                     1, 10000000);
  bench_cmd->add_option("--mode", bench.mode, "sequential, concurrent or both")
    ->check(CLI::IsMember({"sequential", "concurrent", "both"}));
  acfts::add_number(bench_cmd, "--inflight", bench.inflight, "Payments in flight (concurrent mode)",
                    1, 4096);
  acfts::add_number(bench_cmd, "--validators", bench.validators, "N = 3f+1 (in-process committee)",
                    1, 1024);
  acfts::add_number(bench_cmd, "--workers", bench.workers, "CAF scheduler threads (default: cores)",
                    1, 256);
  bench_cmd->add_option("--config", bench.config, "Run against the running nodes of cluster.toml");
  bench_cmd
    ->add_option("--shares", bench.shares,
                 "pooled, single or both (each row in each mode, side by side)")
    ->check(CLI::IsMember({"single", "pooled", "both"}));
  bench_cmd->add_flag("--distributed", bench.distributed,
                      "Start validators and wallets as processes on loopback");
  bench_cmd
    ->add_option("--tls", bench.tls,
                 "off, on or both: the processes' links plaintext, mutual TLS, or each row over "
                 "both in one run (--distributed)")
    ->check(CLI::IsMember({"off", "on", "both"}));
  bench_cmd->add_option("--json", bench.json_file, "Write the machine and every row as JSON");
  acfts::add_number(bench_cmd, "--seed", bench.seed, "Seed of S4's random choices");
  bench_cmd->add_option("--data", bench.data_dir, "Parent directory of the temporary stores");
  bench_cmd->add_flag("--validator-only", bench.validator_only,
                      "One validator fed pre-signed requests (for 1..cores workers)");
  acfts::add_number(bench_cmd, "--requests", bench.requests, "Requests for --validator-only", 1,
                    10000000);
  bench_cmd
    ->add_option("--payer-policy", bench.payer_policy,
                 "2of3: run each row again with payers owned by 2-of-3 mixed-scheme policies")
    ->check(CLI::IsMember({"2of3"}));

  acfts::keygen_options kg;
  auto keygen_cmd = app.add_subcommand(
    "keygen",
    "Write DIR/cluster.toml and a private key file (mode 0600) per validator and address");
  keygen_cmd->add_option("--out", kg.out_dir, "Directory to create the cluster in")->required();
  acfts::add_number(keygen_cmd, "--validators", kg.validators, "N = 3f+1 validators", 1, 1024);
  acfts::add_number(keygen_cmd, "--wallets", kg.wallets, "Wallets", 0, 4096);
  acfts::add_number(keygen_cmd, "--addresses", kg.addresses, "Addresses per wallet", 1, 4096);
  acfts::add_number(keygen_cmd, "--base-port", kg.base_port, "First port (0: pick free ports)");
  keygen_cmd->add_option("--host", kg.host, "Host of every node");
  uint64_t genesis_units = kg.genesis.units();
  acfts::add_amount(keygen_cmd, "--genesis", genesis_units,
                    "Units created by the genesis, owned by a0");
  keygen_cmd->add_flag("--metrics", kg.metrics,
                       "Give every node a metrics_port (Prometheus, on 127.0.0.1)");
  keygen_cmd->add_flag("--tls", kg.tls,
                       "Mutual TLS between all nodes: a network CA in DIR/tls and a certificate "
                       "per validator and wallet");

  auto cert_cmd = app.add_subcommand("cert", "TLS certificates of a network that runs TLS");
  cert_cmd->require_subcommand(1);
  std::string cert_csr, cert_ca, cert_ca_key, cert_out;
  auto cert_sign_cmd = cert_cmd->add_subcommand(
    "sign", "Admit a node: sign its certificate request (from `wallet init`) with the network's "
            "CA");
  cert_sign_cmd->add_option("request", cert_csr, "The request (.csr)")->required();
  cert_sign_cmd->add_option("--ca-cert", cert_ca, "The network's CA certificate (tls/ca.crt)")
    ->required();
  cert_sign_cmd->add_option("--ca-key", cert_ca_key, "The CA's key (tls/ca.key)")->required();
  cert_sign_cmd->add_option("--out", cert_out, "The certificate to write (default: .csr → .crt)");

  std::string config, name;
  bool json = false;
  auto validator_cmd = app.add_subcommand("validator", "Run one validator node");
  // Not required here: `acfts validator seal` takes its own (checked when the node starts).
  validator_cmd->add_option("--config", config, "committee.toml or cluster.toml");
  validator_cmd->add_option("--name", name, "Validator name (v0, v1, ...)");
  validator_cmd->add_flag("--verbose,-v", verbose, "Log every notable event");
  std::string shares = "pooled";
  validator_cmd
    ->add_option("--shares", shares,
                 "pooled: one signature per batch (a Merkle root); single: one per transaction")
    ->check(CLI::IsMember({"single", "pooled"}));
  std::string fault_drill;
  validator_cmd->add_option(
    "--fault-drill", fault_drill,
    "A drill: while FILE exists every fsync of the store fails, as on a full or dying disk");
  std::vector<std::string> epoch_from;
  validator_cmd->add_option("--epoch-from", epoch_from,
                            "Lock files of 2f+1 sealed old validators: the first start of a "
                            "validator of the next committee begins from them");

  auto wallet_cmd = app.add_subcommand("wallet", "Run one wallet node");
  wallet_cmd->add_option("--config", config, "A wallet file, or cluster.toml");
  wallet_cmd->add_option("--name", name, "Wallet name (w0, ...; default: the file's only wallet)");
  wallet_cmd->add_flag("--verbose,-v", verbose, "Log every notable event");
  acfts::wallet_init_options init;
  auto wallet_init_cmd = wallet_cmd->add_subcommand(
    "init", "Make a new wallet that joins the network of a committee file: a fresh key, "
            "DIR/wallet.toml and an empty store");
  wallet_init_cmd->add_option("--committee", init.committee, "The network's committee.toml")
    ->required();
  wallet_init_cmd->add_option("--out", init.out_dir, "The wallet's directory")->required();
  wallet_init_cmd->add_option("--name", init.name, "The wallet's name (default: DIR's name)");
  wallet_init_cmd->add_option("--host", init.host,
                              "Where other wallets reach it (default "
                              "127.0.0.1)");
  acfts::add_number(wallet_init_cmd, "--port", init.port, "Its public port (default: a free one)");
  acfts::add_number(wallet_init_cmd, "--control-port", init.control_port,
                    "Its control port on 127.0.0.1 (default: a free one)");
  acfts::add_number(wallet_init_cmd, "--metrics-port", init.metrics_port,
                    "Serve Prometheus metrics on 127.0.0.1:PORT");
  wallet_init_cmd->add_option("--scheme", init.scheme, "The first address's key scheme")
    ->check(CLI::IsMember({"ed25519", "secp256k1", "p256"}));
  wallet_init_cmd->add_flag("--json", json, "One JSON object: wallet_file, name, address, node");
  acfts::backup_options backup;
  auto wallet_backup_cmd = wallet_cmd->add_subcommand(
    "backup", "Back up a running wallet: its store (certificates are the money), wallet and "
              "committee files and keys, in one file encrypted with a passphrase");
  wallet_backup_cmd->add_option("--config", backup.config, "A wallet file, or cluster.toml")
    ->required();
  wallet_backup_cmd->add_option("--wallet", backup.wallet,
                                "The wallet (default: the file's only wallet)");
  wallet_backup_cmd->add_option("--out", backup.out, "The backup file to write (new, mode 0600)")
    ->required();
  wallet_backup_cmd->add_option("--passphrase-file", backup.passphrase_file,
                                "Read the passphrase from this file's first line (default: ask "
                                "on the terminal)");
  std::string restore_file, restore_out, restore_passphrase;
  auto wallet_restore_cmd = wallet_cmd->add_subcommand(
    "restore", "Restore a backup into a new directory: DIR/wallet.toml, its keys and store");
  wallet_restore_cmd->add_option("file", restore_file, "The backup file")->required();
  wallet_restore_cmd->add_option("--out", restore_out, "The new directory")->required();
  wallet_restore_cmd->add_option("--passphrase-file", restore_passphrase,
                                 "Read the passphrase from this file's first line (default: ask "
                                 "on the terminal)");

  acfts::pay_options pay;
  auto pay_cmd =
    app.add_subcommand("pay", "Ask a running wallet node to pay, and wait until final");
  pay_cmd->add_option("--config", pay.config, "A wallet file, or cluster.toml")->required();
  pay_cmd->add_option("--wallet", pay.wallet,
                      "Paying wallet (w0, ...; default: the file's only wallet)");
  pay_cmd->add_option("--from", pay.from, "Paying address (a0, ...; default: the wallet's first)");
  pay_cmd
    ->add_option("--to", pay.to,
                 "Payee: an address name, 64 hex digits, or a payment URI (acfts:...)")
    ->required();
  acfts::add_amount(pay_cmd, "--amount", pay.amount, "Units to pay (default: the payment URI's)");
  pay_cmd->add_option("--timeout", pay.timeout_seconds, "Seconds to wait before reporting pending");
  acfts::add_number(pay_cmd, "--count", pay.count,
                    "Pay N times in a row; print payments/s and latency", 1, 10000000);
  pay_cmd->add_flag("--json", pay.json, "One JSON object: {\"tx\", \"status\", \"amount\"}");

  std::string wallet_name;
  std::string receive_address;
  uint64_t receive_amount = 0;
  bool receive_qr = false;
  auto receive_cmd = app.add_subcommand(
    "receive", "Print a payment URI (acfts:ADDRESS?node=HOST:PORT&amount=N) for a wallet");
  receive_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  receive_cmd->add_option("--wallet", wallet_name,
                          "The receiving wallet (w0, ...; default: the file's only wallet)");
  receive_cmd->add_option("--address", receive_address, "Which address (default: the first)");
  acfts::add_amount(receive_cmd, "--amount", receive_amount, "Units to ask for");
  receive_cmd->add_flag("--qr", receive_qr, "Also draw the URI as a QR code");
  receive_cmd->add_flag("--json", json, "One JSON object: uri, address, name, node, amount");
  auto balance_cmd = app.add_subcommand("balance", "Print a running wallet node's balances");
  balance_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  balance_cmd->add_option("--wallet", wallet_name,
                          "Wallet (w0, ...; default: the file's only wallet)");
  balance_cmd->add_flag("--json", json, "One JSON object; its `total` is the wallet's total");

  uint64_t history_limit = 20;
  auto history_cmd =
    app.add_subcommand("history", "Payments a running wallet node sent and received, newest first");
  history_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  history_cmd->add_option("--wallet", wallet_name,
                          "Wallet (w0, ...; default: the file's only wallet)");
  acfts::add_number(history_cmd, "--limit", history_limit,
                    "At most this many (0: all; default 20)");
  history_cmd->add_flag("--json", json,
                        "One JSON object: payments [{tx, direction, counterparty, amount, state, "
                        "seen}]");

  auto tx_cmd = app.add_subcommand("tx", "Transactions of a running wallet node");
  tx_cmd->require_subcommand(1);
  std::string tx_hash_hex;
  auto tx_status_cmd =
    tx_cmd->add_subcommand("status", "Final, pending, failed or unknown, as the wallet knows it");
  tx_status_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  tx_status_cmd->add_option("--wallet", wallet_name,
                            "Wallet (w0, ...; default: the file's only wallet)");
  tx_status_cmd->add_option("hash", tx_hash_hex, "Transaction hash (64 hex digits)")->required();
  tx_status_cmd->add_flag("--json", json, "One JSON object");

  acfts::tx_create_options tx_create;
  auto tx_create_cmd = tx_cmd->add_subcommand(
    "create", "Plan a payment on a running wallet node, reserve its inputs, sign with the keys "
              "the wallet holds, and write it to a transaction file for co-signers");
  tx_create_cmd->add_option("--config", tx_create.config, "A wallet file, or cluster.toml")
    ->required();
  tx_create_cmd->add_option("--wallet", tx_create.wallet,
                            "Paying wallet (w0, ...; default: the file's only wallet)");
  tx_create_cmd->add_option("--from", tx_create.from, "Paying address (a name)")->required();
  tx_create_cmd->add_option("--to", tx_create.to, "Payee address: a name or 64 hex digits")
    ->required();
  acfts::add_amount(tx_create_cmd, "--amount", tx_create.amount, "Units to pay")->required();
  tx_create_cmd->add_option("--out", tx_create.out, "The transaction file to write (new)")
    ->required();

  std::string tx_file, tx_key_file;
  auto tx_sign_cmd = tx_cmd->add_subcommand(
    "sign", "Offline: show what a transaction file pays and to whom, then add one key's signature");
  tx_sign_cmd->add_option("file", tx_file, "The transaction file")->required();
  tx_sign_cmd->add_option("--key", tx_key_file, "A key file (any scheme)")->required();

  auto tx_show_cmd = tx_cmd->add_subcommand(
    "show", "Offline: inputs, outputs, amounts, which keys signed, what each policy still needs");
  tx_show_cmd->add_option("file", tx_file, "The transaction file")->required();
  tx_show_cmd->add_flag("--json", json, "One JSON object");

  double tx_timeout = 30;
  auto tx_submit_cmd = tx_cmd->add_subcommand(
    "submit", "Have any running wallet node submit a signed transaction file and follow it to "
              "finality");
  tx_submit_cmd->add_option("file", tx_file, "The transaction file")->required();
  tx_submit_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  tx_submit_cmd->add_option("--wallet", wallet_name,
                            "Submitting wallet (w0, ...; default: the file's only wallet)");
  tx_submit_cmd->add_option("--timeout", tx_timeout, "Seconds to wait before reporting pending");

  std::string tx_out;
  auto tx_export_cmd = tx_cmd->add_subcommand(
    "export", "Write a certified transaction the wallet holds to a file, for a payee that no "
              "node of the payer can reach");
  auto export_hash =
    tx_export_cmd->add_option("hash", tx_hash_hex, "Transaction hash (64 hex digits)");
  bool export_all = false;
  tx_export_cmd
    ->add_flag("--all", export_all,
               "Every certified transaction that created a coin the wallet holds; --out is then a "
               "new directory")
    ->excludes(export_hash);
  tx_export_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  tx_export_cmd->add_option("--wallet", wallet_name, "The wallet that holds it");
  tx_export_cmd->add_option("--out", tx_out, "The file (or, with --all, directory) to write (new)")
    ->required();
  auto tx_import_cmd = tx_cmd->add_subcommand(
    "import", "Hand a file of `tx export` to a running wallet, which verifies it first");
  tx_import_cmd->add_option("file", tx_file, "The file `tx export` wrote")->required();
  tx_import_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  tx_import_cmd->add_option("--wallet", wallet_name, "The payee's wallet");

  auto tx_undelivered_cmd = tx_cmd->add_subcommand(
    "undelivered", "Final payments whose payee's wallet has not acknowledged them: route, tries, "
                   "last error (exit 3 when there is any)");
  tx_undelivered_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  tx_undelivered_cmd->add_option("--wallet", wallet_name,
                                 "Wallet (w0, ...; default: the file's only wallet)");
  tx_undelivered_cmd->add_flag("--json", json,
                               "One JSON object: undelivered [{tx, payee, endpoint, tries, "
                               "last_error, refused}]");
  std::string resend_to;
  auto tx_resend_cmd = tx_cmd->add_subcommand(
    "resend", "Offer an undelivered payment to its payee again now; with --to, at the node of a "
              "payment URI from now on");
  tx_resend_cmd->add_option("hash", tx_hash_hex, "Transaction hash (64 hex digits)")->required();
  tx_resend_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  tx_resend_cmd->add_option("--wallet", wallet_name,
                            "The paying wallet (default: the file's only wallet)");
  tx_resend_cmd->add_option("--to", resend_to,
                            "A payment URI of the payee (acfts:ADDRESS?node=HOST:PORT): its "
                            "wallet's node");
  tx_resend_cmd->add_flag("--json", json, "One JSON object: tx, delivery, undelivered");

  auto tx_abandon_cmd = tx_cmd->add_subcommand(
    "abandon", "Let a wallet free the inputs it reserved for a transaction file (only if no "
               "signed copy was ever submitted)");
  tx_abandon_cmd->add_option("target", tx_file, "The transaction file, or its hash")->required();
  tx_abandon_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  tx_abandon_cmd->add_option("--wallet", wallet_name, "The wallet that created it");

  std::string status_node;
  auto status_cmd = app.add_subcommand(
    "status", "A running node's state from its metrics port: requests, faults, payments, ...");
  status_cmd->add_option("--config", config, "A wallet, committee or cluster file")->required();
  status_cmd->add_option("--node", status_node, "A validator or wallet (v0, w1, ...)")->required();
  status_cmd->add_flag("--json", json, "One JSON object (every metric under \"metrics\")");

  auto audit_cmd = app.add_subcommand(
    "audit", "Check every store of a stopped cluster: no double spend, supply whole, ...");
  audit_cmd->add_option("--config", config, "cluster.toml (every store of the network)")
    ->required();
  audit_cmd->add_flag("--json", json, "One JSON object");
  std::string audit_proofs;
  audit_cmd->add_option("--proofs", audit_proofs,
                        "Write one equivocation proof per double-sign found into DIR");
  std::vector<std::string> skip;
  audit_cmd->add_option("--skip", skip,
                        "Leave out these validators' stores (known damaged: counted as faulty)");

  auto key_cmd = app.add_subcommand("key", "Owner keys of any scheme");
  key_cmd->require_subcommand(1);
  auto key_new_cmd = key_cmd->add_subcommand(
    "new", "Write a new secret key file (mode 0600) and print its public key as scheme:hex");
  std::string key_scheme_name = "ed25519", key_out;
  key_new_cmd->add_option("--scheme", key_scheme_name, "ed25519, secp256k1 or p256")
    ->check(CLI::IsMember({"ed25519", "secp256k1", "p256"}));
  key_new_cmd->add_option("--out", key_out, "The key file to create (never overwritten)")
    ->required();
  std::string key_file_shown;
  auto key_show_cmd = key_cmd->add_subcommand(
    "show", "A key file's scheme, public key and single-key address (never its secret)");
  key_show_cmd->add_option("file", key_file_shown, "The key file")->required();
  key_show_cmd->add_flag("--json", json, "One JSON object: file, scheme, public_key, address");

  auto address_cmd = app.add_subcommand("address", "Addresses of a wallet");
  address_cmd->require_subcommand(1);
  auto address_list_cmd = address_cmd->add_subcommand(
    "list", "Every address of a wallet: name, address, scheme and key or policy, and while its "
            "node runs, balance and spendable");
  address_list_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  address_list_cmd->add_option("--wallet", wallet_name,
                               "The wallet (default: the file's only wallet)");
  address_list_cmd->add_flag("--json", json,
                             "One JSON object: wallet, running, addresses [{name, address, "
                             "scheme, key, balance, spendable}]");
  auto network_cmd = app.add_subcommand(
    "network", "The network of a file: committee id, f, validators with endpoints and whether "
               "each is reachable now, the genesis");
  network_cmd->add_option("--config", config, "A wallet, committee or cluster file")->required();
  network_cmd->add_flag("--json", json, "One JSON object");
  auto address_new_cmd = address_cmd->add_subcommand(
    "new", "Add an address to a wallet, running or stopped: a fresh key, or one owned by a "
           "spending policy; prints the address");
  acfts::address_new_options address_new;
  address_new_cmd->add_option("--config", address_new.config, "The wallet file, or cluster.toml")
    ->required();
  address_new_cmd->add_option("--wallet", address_new.wallet,
                              "The wallet (default: the file's only wallet)");
  address_new_cmd->add_option("--name", address_new.name,
                              "The new address's name (default: a1, a2, ...)");
  auto policy_opt = address_new_cmd->add_option(
    "--policy", address_new.policy, "e.g. 'thresh(2, ed25519:HEX, secp256k1:HEX, p256:HEX)'");
  address_new_cmd
    ->add_option(
      "--policy-file", address_new.policy_file,
      "The policy as JSON, e.g. {\"thresh\": 2, \"of\": [{\"key\": \"ed25519:HEX\"}, ...]}")
    ->excludes(policy_opt);
  address_new_cmd->add_option("--key-file", address_new.key_files,
                              "A key file of one of the policy's keys that this wallet holds "
                              "(repeatable)");
  address_new_cmd
    ->add_option("--scheme", address_new.scheme,
                 "Without a policy: the new key's scheme (ed25519, secp256k1, p256)")
    ->check(CLI::IsMember({"ed25519", "secp256k1", "p256"}));
  address_new_cmd->add_flag("--json", address_new.json,
                            "One JSON object: address, name, wallet, active (the running wallet "
                            "uses it now)");

  auto proof_cmd = app.add_subcommand(
    "proof", "Equivocation proofs: a validator's signatures on two spends of one coin");
  proof_cmd->require_subcommand(1);
  std::string proof_file, proof_out;
  auto proof_verify_cmd = proof_cmd->add_subcommand(
    "verify", "Check a proof with only the committee file: exit 0 and whom it convicts, or 1");
  proof_verify_cmd->add_option("file", proof_file, "The proof (.equivocation)")->required();
  proof_verify_cmd->add_option("--config", config, "A committee, wallet or cluster file")
    ->required();
  proof_verify_cmd->add_flag("--json", json,
                             "One JSON object: validator, inputs, first_tx, second_tx, bytes, "
                             "verify_us");
  auto proof_list_cmd = proof_cmd->add_subcommand(
    "list", "The proofs a running wallet made (each double-sign it saw, once), and with --out "
            "each as a file to publish");
  proof_list_cmd->add_option("--config", config, "A wallet file, or cluster.toml")->required();
  proof_list_cmd->add_option("--wallet", wallet_name, "The wallet (default: the file's only one)");
  proof_list_cmd->add_option("--out", proof_out, "A new directory to write each proof to");
  proof_list_cmd->add_flag("--json", json, "One JSON object: proofs [{validator, inputs, ...}]");

  auto run_change_command = acfts::add_committee_commands(app, *validator_cmd);

  std::vector<std::string> help_words;
  auto help_cmd = app.add_subcommand(
    "help", "The help of a command, as `acfts COMMAND --help` prints it: acfts help tx export");
  help_cmd->add_option("command", help_words, "The command's words (none: every command)");
  std::string completion_shell;
  auto completion_cmd = app.add_subcommand(
    "completion", "Print a shell completion script: source <(acfts completion bash)");
  completion_cmd->add_option("shell", completion_shell, "The shell")
    ->required()
    ->check(CLI::IsMember({"bash"}));

  if (auto unknown = acfts::unknown_subcommand(app, argc, argv)) {
    std::cerr << "acfts: " << *unknown << std::endl;
    return 2;
  }
  CLI11_PARSE(app, argc, argv);
  kg.genesis = acfts::amount{genesis_units};
  acfts::set_json_errors(json || pay.json || address_new.json);
  if (*proof_verify_cmd)
    return acfts::run_proof_verify(proof_file, config, json);
  if (*proof_list_cmd)
    return acfts::run_proof_list(config, wallet_name, proof_out, json);
  if (auto rc = run_change_command())
    return *rc;
  if (*help_cmd)
    return acfts::run_help(app, help_words);
  if (*completion_cmd) {
    std::cout << acfts::bash_completion(app, "acfts");
    return 0;
  }
  if (*demo_cmd)
    return acfts::run_demo(demo);
  if (*bench_cmd)
    return acfts::run_bench(bench);
  if (*keygen_cmd) {
    auto file = acfts::keygen(kg);
    if (!file) {
      std::cerr << "acfts: " << acfts::describe(file.error()) << std::endl;
      return 1;
    }
    std::cout << *file << std::endl;
    return 0;
  }
  if (*validator_cmd && (config.empty() || name.empty())) {
    std::cerr << "acfts: validator: --config and --name are required (or: acfts validator seal)"
              << std::endl;
    return 2;
  }
  if (*validator_cmd && !epoch_from.empty())
    if (int rc = acfts::start_epoch(config, name, epoch_from))
      return rc;
  if (*validator_cmd)
    return acfts::run_validator_node(config, name, verbose, *acfts::share_mode_named(shares),
                                     fault_drill);
  if (*cert_sign_cmd)
    return acfts::run_cert_sign(cert_csr, cert_ca, cert_ca_key, cert_out);
  if (*wallet_init_cmd)
    return acfts::run_wallet_init(init, json);
  if (*wallet_backup_cmd)
    return acfts::run_wallet_backup(backup);
  if (*wallet_restore_cmd)
    return acfts::run_wallet_restore(restore_file, restore_out, restore_passphrase);
  if (*wallet_cmd) {
    if (config.empty()) {
      std::cerr << "acfts: wallet: --config is required (or: acfts wallet init)" << std::endl;
      return 2;
    }
    return acfts::run_wallet_node(config, name, verbose);
  }
  if (*pay_cmd)
    return acfts::run_pay(pay);
  if (*history_cmd)
    return acfts::run_history(config, wallet_name, history_limit, json);
  if (*receive_cmd)
    return acfts::run_receive(config, wallet_name, receive_address, receive_amount, receive_qr,
                              json);
  if (*balance_cmd)
    return acfts::run_balance(config, wallet_name, json);
  if (*tx_status_cmd)
    return acfts::run_tx_status(config, wallet_name, tx_hash_hex, json);
  if (*tx_create_cmd)
    return acfts::run_tx_create(tx_create);
  if (*tx_sign_cmd)
    return acfts::run_tx_sign(tx_file, tx_key_file);
  if (*tx_show_cmd)
    return acfts::run_tx_show(tx_file, json);
  if (*tx_submit_cmd)
    return acfts::run_tx_submit(tx_file, config, wallet_name, tx_timeout);
  if (*tx_export_cmd && export_all)
    return acfts::run_tx_export_all(config, wallet_name, tx_out);
  if (*tx_export_cmd && tx_hash_hex.empty()) {
    std::cerr << "acfts: tx export: give a transaction hash, or --all" << std::endl;
    return 2;
  }
  if (*tx_export_cmd)
    return acfts::run_tx_export(tx_hash_hex, config, wallet_name, tx_out);
  if (*tx_import_cmd)
    return acfts::run_tx_import(tx_file, config, wallet_name);
  if (*tx_undelivered_cmd)
    return acfts::run_tx_undelivered(config, wallet_name, json);
  if (*tx_resend_cmd)
    return acfts::run_tx_resend(config, wallet_name, tx_hash_hex, resend_to, json);
  if (*tx_abandon_cmd)
    return acfts::run_tx_abandon(tx_file, config, wallet_name);
  if (*status_cmd)
    return acfts::run_status(config, status_node, json);
  if (*audit_cmd)
    return acfts::run_audit(config, json, skip, audit_proofs);
  if (*address_new_cmd)
    return acfts::run_address_new(address_new);
  if (*address_list_cmd)
    return acfts::run_address_list(config, wallet_name, json);
  if (*network_cmd)
    return acfts::run_network(config, json);
  if (*key_show_cmd)
    return acfts::run_key_show(key_file_shown, json);
  if (*key_new_cmd) {
    auto key = acfts::owner_key::generate(*acfts::scheme_named(key_scheme_name));
    if (auto err = acfts::write_owner_key_file(key_out, key)) {
      std::cerr << "acfts: " << acfts::describe(err) << std::endl;
      return 1;
    }
    std::cout << key.public_key().text() << std::endl;
    return 0;
  }
  return 2;
}
