package io.chainseal.governance.internal;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.core.EvmAddress;
import io.chainseal.governance.WeightStrategy;
import io.chainseal.governance.WeightWarning;
import java.math.BigInteger;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Token weights read by {@code eth_call}, thousands of voters per call and all calls in one JSON-RPC
 * batch ({@link AccountReads}): ERC-20 {@code balanceOf} at the snapshot block, or ERC20Votes
 * {@code getPastVotes}.
 */
public final class TokenWeights implements WeightStrategy {
  private enum Kind { BALANCE, VOTES }

  private final ChainClient chain;
  private final EvmAddress token;
  private final Kind kind;
  private final String id;

  private TokenWeights(ChainClient chain, EvmAddress token, Kind kind) {
    this.chain = Objects.requireNonNull(chain, "chain == null");
    this.token = Objects.requireNonNull(token, "token == null");
    this.kind = kind;
    // The chain is part of the id: the same token address on another chain is another strategy.
    this.id = (kind == Kind.BALANCE ? "erc20-balance:" : "erc20-votes:") + chain.chainId() + ":" + token.lowercase();
  }

  public static WeightStrategy balance(ChainClient chain, EvmAddress token) {
    return new TokenWeights(chain, token, Kind.BALANCE);
  }

  public static WeightStrategy votes(ChainClient chain, EvmAddress token) {
    return new TokenWeights(chain, token, Kind.VOTES);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Map<EvmAddress, BigInteger> weights(Collection<EvmAddress> voters, long snapshotBlock) {
    List<EvmAddress> list = List.copyOf(voters);
    List<BigInteger> answers;
    if (kind == Kind.BALANCE) {
      answers = AccountReads.read(chain, token, "balanceOf(address)", null, list, snapshotBlock);
    } else {
      // Checkpoints of a past block never change: ask the current state, which every node keeps.
      long now = chain.blockNumber();
      if (snapshotBlock >= now) {
        throw new ChainException(ChainException.Kind.REJECTED, "the snapshot block " + snapshotBlock
            + " is not mined yet (the chain is at " + now + "): ERC20Votes weighs only past blocks");
      }
      answers = AccountReads.read(chain, token, "getPastVotes(address,uint256)", BigInteger.valueOf(snapshotBlock), list, now);
    }
    Map<EvmAddress, BigInteger> out = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      out.put(list.get(i), answers.get(i));
    }
    return out;
  }

  @Override
  public Map<EvmAddress, Set<WeightWarning>> warnings(Collection<EvmAddress> voters, long snapshotBlock) {
    List<EvmAddress> list = List.copyOf(voters);
    long now = chain.blockNumber();
    Map<EvmAddress, BigInteger> then = weights(list, Math.min(snapshotBlock, now - 1));
    List<BigInteger> current = AccountReads.read(chain, token, kind == Kind.BALANCE ? "balanceOf(address)" : "getVotes(address)", null,
        list, now);
    List<BigInteger> balances = kind == Kind.VOTES ? AccountReads.read(chain, token, "balanceOf(address)", null, list, now) : List.of();
    List<BigInteger> delegates = kind == Kind.VOTES ? AccountReads.read(chain, token, "delegates(address)", null, list, now) : List.of();
    Map<EvmAddress, Set<WeightWarning>> out = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      EvmAddress voter = list.get(i);
      Set<WeightWarning> warnings = EnumSet.noneOf(WeightWarning.class);
      if (current.get(i).compareTo(then.get(voter)) > 0) {
        warnings.add(WeightWarning.ACQUIRED_AFTER_SNAPSHOT);
      }
      if (kind == Kind.VOTES && balances.get(i).signum() > 0 && delegates.get(i).signum() == 0) {
        warnings.add(WeightWarning.NOT_DELEGATED);
      }
      if (!warnings.isEmpty()) {
        out.put(voter, Set.copyOf(warnings));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "WeightStrategy[" + id() + "]";
  }
}
