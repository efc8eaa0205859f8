#include "protocol/policy_rules.hpp"

#include <algorithm>

#include "messages/error.hpp"

namespace acfts {

namespace {

void collect(const policy& p, std::vector<const policy*>& out) {
  if (p.type == policy::kind::key)
    out.push_back(&p);
  for (const auto& c : p.children)
    collect(c, out);
}

/// A condition's verdict on the spending transaction (no signature involved).
bool condition_holds(const policy& p, const spend_context& ctx) {
  switch (p.type) {
    case policy::kind::max_out: {
      amount leaving = 0;
      for (const auto& out : ctx.tx->outputs)
        if (out.owner != ctx.owner) {
          auto sum = checked_add(leaving, out.value);
          if (!sum)
            return false;
          leaving = *sum;
        }
      return leaving <= p.limit;
    }
    case policy::kind::only_to:
      return std::all_of(ctx.tx->outputs.begin(), ctx.tx->outputs.end(), [&](const output& o) {
        return o.owner == ctx.owner
               || std::binary_search(p.payees.begin(), p.payees.end(), o.owner);
      });
    case policy::kind::after:
      return ctx.now == any_time || ctx.now >= p.time;
    case policy::kind::before:
      return ctx.now == any_time || ctx.now < p.time;
    default:
      return false;
  }
}

bool is_condition(const policy& p) {
  return p.type != policy::kind::key && p.type != policy::kind::threshold;
}

/// Evaluates `p` with the signatures of `signed_leaves` taken as valid. `leaf` numbers key
/// leaves as they are met. Fills `weight` for a threshold.
bool presence(const policy& p, const std::vector<bool>& signed_leaves, const spend_context& ctx,
              size_t& leaf, uint32_t* weight = nullptr) {
  switch (p.type) {
    case policy::kind::key:
      return signed_leaves[leaf++];
    case policy::kind::threshold: {
      uint32_t got = 0;
      for (size_t i = 0; i < p.children.size(); ++i)
        if (presence(p.children[i], signed_leaves, ctx, leaf))
          got += p.weights[i];
      if (weight != nullptr)
        *weight = got;
      return got >= p.k;
    }
    default:
      return condition_holds(p, ctx);
  }
}

std::vector<bool> signed_leaves(const policy_witness& w, size_t keys) {
  std::vector<bool> out(keys, false);
  for (const auto& s : w.sigs)
    if (s.leaf < keys)
      out[s.leaf] = true;
  return out;
}

/// The evaluation with signatures checked, lazily.
class signature_pass {
public:
  signature_pass(const policy_witness& w, const spend_context& ctx, check_budget& budget)
    : w_(w), ctx_(ctx), budget_(budget), leaves_(key_leaves(w.spend_policy)),
      present_(signed_leaves(w, leaves_.size())) {}

  caf::expected<bool> eval(const policy& p) {
    if (p.type == policy::kind::key)
      return check_leaf(p);
    if (p.type != policy::kind::threshold)
      return condition_holds(p, ctx_);
    // Conditions cost nothing: count them first; then children in order, skipping any that
    // cannot be satisfied whatever its signatures, until the weight is reached.
    uint32_t got = 0;
    for (size_t i = 0; i < p.children.size() && got < p.k; ++i)
      if (is_condition(p.children[i]) && condition_holds(p.children[i], ctx_))
        got += p.weights[i];
    for (size_t i = 0; i < p.children.size() && got < p.k; ++i) {
      const auto& c = p.children[i];
      if (is_condition(c) || !possible(c))
        continue;
      auto ok = eval(c);
      if (!ok)
        return ok;
      if (*ok)
        got += p.weights[i];
    }
    return got >= p.k;
  }

private:
  size_t index_of(const policy& leaf) const {
    return static_cast<size_t>(std::find(leaves_.begin(), leaves_.end(), &leaf) - leaves_.begin());
  }

  /// Whether `p` is satisfied if its presented signatures verify.
  bool possible(const policy& p) const {
    if (p.type == policy::kind::key)
      return present_[index_of(p)];
    if (p.type != policy::kind::threshold)
      return condition_holds(p, ctx_);
    uint32_t got = 0;
    for (size_t i = 0; i < p.children.size(); ++i)
      if (possible(p.children[i]))
        got += p.weights[i];
    return got >= p.k;
  }

  caf::expected<bool> check_leaf(const policy& p) {
    auto leaf = index_of(p);
    if (!present_[leaf])
      return false;
    if (budget_.left == 0)
      return make_error(ec::policy_over_limit, "more than "
                                                 + std::to_string(limits::max_signature_checks)
                                                 + " signature checks in one request");
    --budget_.left;
    ++budget_.used;
    const auto* sig = &w_.sigs.front();
    for (const auto& s : w_.sigs)
      if (s.leaf == leaf)
        sig = &s;
    auto key = key_of(p);
    if (!verify_tx_signature(key, ctx_.tx_hash, sig->sig))
      return make_error(ec::invalid_witness, "bad signature of leaf " + std::to_string(leaf) + " ("
                                               + name_of(key.scheme) + ") for owner "
                                               + ctx_.owner.short_hex());
    return true;
  }

  const policy_witness& w_;
  const spend_context& ctx_;
  check_budget& budget_;
  std::vector<const policy*> leaves_;
  std::vector<bool> present_;
};

/// "<condition>: <why it fails>" for every condition of `p` that does not hold.
void collect_failures(const policy& p, const spend_context& ctx, std::vector<std::string>& out) {
  if (p.type == policy::kind::threshold) {
    for (const auto& c : p.children)
      collect_failures(c, ctx, out);
    return;
  }
  if (p.type == policy::kind::key || condition_holds(p, ctx))
    return;
  std::string why;
  switch (p.type) {
    case policy::kind::max_out: {
      uint64_t leaving = 0;
      for (const auto& o : ctx.tx->outputs)
        if (o.owner != ctx.owner)
          leaving = o.value.units() > UINT64_MAX - leaving ? UINT64_MAX : leaving + o.value.units();
      why = "max_out(" + to_string(p.limit) + "): " + std::to_string(leaving) + " would leave";
      break;
    }
    case policy::kind::only_to:
      for (const auto& o : ctx.tx->outputs)
        if (o.owner != ctx.owner
            && !std::binary_search(p.payees.begin(), p.payees.end(), o.owner)) {
          why = "only_to: payee " + o.owner.short_hex() + " is not allowed";
          break;
        }
      break;
    case policy::kind::after:
      why = "after(" + std::to_string(p.time) + "): the validator's clock says "
            + std::to_string(ctx.now);
      break;
    case policy::kind::before:
      why = "before(" + std::to_string(p.time) + "): the validator's clock says "
            + std::to_string(ctx.now);
      break;
    default:
      return;
  }
  out.push_back(std::move(why));
}

} // namespace

std::vector<const policy*> key_leaves(const policy& p) {
  std::vector<const policy*> out;
  collect(p, out);
  return out;
}

const policy* key_leaf(const policy& p, size_t leaf) {
  auto leaves = key_leaves(p);
  return leaf < leaves.size() ? leaves[leaf] : nullptr;
}

scheme_key key_of(const policy& leaf) {
  return scheme_key{scheme_numbered(leaf.scheme).value_or(key_scheme::ed25519), leaf.key};
}

policy_report report_policy(const policy_witness& w, const spend_context& ctx) {
  policy_report r;
  auto present = signed_leaves(w, key_leaves(w.spend_policy).size());
  size_t leaf = 0;
  const auto& root = w.spend_policy;
  if (root.type == policy::kind::threshold) {
    r.satisfied = presence(root, present, ctx, leaf, &r.weight);
    r.needed = root.k;
  } else {
    r.satisfied = presence(root, present, ctx, leaf);
    r.weight = r.satisfied ? 1 : 0;
    r.needed = 1;
  }
  return r;
}

caf::error check_policy_presence(const policy_witness& w, const spend_context& ctx) {
  auto r = report_policy(w, ctx);
  if (r.satisfied)
    return caf::none;
  std::vector<std::string> conditions;
  collect_failures(w.spend_policy, ctx, conditions);
  std::string failed;
  for (const auto& c : conditions)
    failed += (failed.empty() ? " (failed: " : "; ") + c;
  if (!failed.empty())
    failed += ")";
  return make_error(ec::policy_not_satisfied,
                    "owner " + ctx.owner.short_hex() + ": weight " + std::to_string(r.weight)
                      + " of " + std::to_string(r.needed) + ", missing "
                      + std::to_string(r.needed - std::min(r.weight, r.needed)) + failed);
}

caf::error lint_policy(const policy& p, uint64_t now) {
  auto bad = [](const std::string& why) {
    return make_error(ec::invalid_config, "the policy " + why);
  };
  switch (p.type) {
    case policy::kind::max_out:
      if (p.limit.units() < 1)
        return bad("has max_out(0): no coin could ever leave the address");
      return caf::none;
    case policy::kind::before:
      if (p.time <= now)
        return bad("has before(" + std::to_string(p.time)
                   + "), already past: that branch can "
                     "never be used (its coins could be locked for good)");
      return caf::none;
    case policy::kind::threshold: {
      std::vector<scheme_key> keys;
      uint32_t reachable = 0;
      for (size_t i = 0; i < p.children.size(); ++i) {
        const auto& c = p.children[i];
        if (c.type == policy::kind::key) {
          auto k = key_of(c);
          if (std::find(keys.begin(), keys.end(), k) != keys.end())
            return bad("names " + k.text()
                       + " twice under one threshold: one signature would "
                         "count twice");
          keys.push_back(k);
        }
        if (auto err = lint_policy(c, now))
          return err;
        reachable += p.weights[i];
      }
      if (reachable < p.k)
        return bad("can never be satisfied: a threshold of " + std::to_string(p.k)
                   + " exceeds the weight " + std::to_string(reachable) + " under it");
      return caf::none;
    }
    default:
      return caf::none;
  }
}

caf::error check_policy_signatures(const policy_witness& w, const spend_context& ctx,
                                   check_budget& budget) {
  signature_pass pass{w, ctx, budget};
  auto ok = pass.eval(w.spend_policy);
  if (!ok)
    return std::move(ok.error());
  if (!*ok)
    return check_policy_presence(w, ctx); // names the weight missing
  return caf::none;
}

} // namespace acfts
