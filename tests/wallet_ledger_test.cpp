// The wallet's ledger (protocol/wallet_ledger) without actors or storage: what is spendable,
// what a pending payment holds back, what spending and failing do, and balances that never wrap.
#define CAF_SUITE wallet_ledger
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "messages/error.hpp"
#include "protocol/wallet_ledger.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

const address alice = test::filled<address>(0xa1);
const address bob = test::filled<address>(0xb0);

utxo coin(uint8_t tx, uint32_t index, const address& owner, amount value) {
  return utxo{output_ref{test::filled<hash32>(tx), index}, owner, value};
}

/// The amount, by value (so that a check never holds on to a temporary).
amount ok(const caf::expected<amount>& x) {
  CAF_REQUIRE(x);
  return *x;
}

std::vector<output_ref> refs(const std::vector<utxo>& outs) {
  std::vector<output_ref> out;
  for (const auto& u : outs)
    out.push_back(u.ref);
  return out;
}

} // namespace

CAF_TEST(spendable_outputs_are_an_owners_unreserved_ones) {
  wallet_ledger l;
  l.add({coin(1, 0, alice, 5), coin(1, 1, alice, 7), coin(2, 0, bob, 9)});
  CAF_CHECK_EQUAL(l.spendable(alice).size(), 2u);
  l.reserve({coin(1, 0, alice, 5)});
  CAF_CHECK(refs(l.spendable(alice)) == refs({coin(1, 1, alice, 7)}));
  CAF_CHECK_EQUAL(l.spendable(bob).size(), 1u);
}

CAF_TEST(reserved_outputs_still_count_in_the_balance) {
  wallet_ledger l;
  l.add({coin(1, 0, alice, 5), coin(1, 1, alice, 7)});
  l.reserve({coin(1, 0, alice, 5)});
  CAF_CHECK_EQUAL(ok(l.balance(alice)), 12u);
  CAF_CHECK_EQUAL(ok(l.total()), 12u);
}

CAF_TEST(released_outputs_are_spendable_again) {
  wallet_ledger l;
  l.add({coin(1, 0, alice, 5)});
  l.reserve({coin(1, 0, alice, 5)});
  CAF_CHECK(l.spendable(alice).empty());
  l.release({coin(1, 0, alice, 5)});
  CAF_CHECK_EQUAL(l.spendable(alice).size(), 1u);
}

CAF_TEST(spent_outputs_leave_the_ledger_with_their_reservation) {
  wallet_ledger l;
  l.add({coin(1, 0, alice, 5), coin(1, 1, alice, 7)});
  l.reserve({coin(1, 0, alice, 5)});
  l.remove({coin(1, 0, alice, 5)});
  CAF_CHECK(!l.find(coin(1, 0, alice, 5).ref));
  CAF_CHECK_EQUAL(ok(l.balance(alice)), 7u);
  // Received again (a repeated delivery) it is spendable, not still reserved.
  l.add({coin(1, 0, alice, 5)});
  CAF_CHECK_EQUAL(l.spendable(alice).size(), 2u);
}

CAF_TEST(find_names_the_owner_and_value_of_a_held_output) {
  wallet_ledger l;
  l.add({coin(3, 2, bob, 11)});
  auto u = l.find(coin(3, 2, bob, 11).ref);
  CAF_REQUIRE(u);
  CAF_CHECK(u->owner == bob);
  CAF_CHECK_EQUAL(u->value, 11u);
  CAF_CHECK(!l.find(coin(3, 3, bob, 11).ref));
}

CAF_TEST(balances_that_would_overflow_are_an_error_not_a_wrap) {
  wallet_ledger l;
  l.add({coin(1, 0, alice, UINT64_MAX), coin(1, 1, alice, 1)});
  auto b = l.balance(alice);
  CAF_REQUIRE(!b);
  CAF_CHECK_EQUAL(code_of(b.error()), ec::amount_overflow);
  CAF_CHECK(!l.total());
  wallet_ledger m;
  m.add({coin(1, 0, alice, UINT64_MAX), coin(2, 0, bob, 1)});
  CAF_CHECK(m.balance(alice) && m.balance(bob));
  CAF_CHECK_EQUAL(code_of(m.total().error()), ec::amount_overflow);
}

CAF_TEST(an_address_without_outputs_has_nothing_to_spend) {
  wallet_ledger l;
  l.add_address(alice);
  CAF_CHECK(l.spendable(alice).empty());
  CAF_CHECK_EQUAL(ok(l.balance(alice)), 0u);
  CAF_CHECK(l.spendable(bob).empty());
}
