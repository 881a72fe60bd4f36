package io.chainseal.governance;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.core.EvmAddress;
import io.chainseal.governance.internal.CombinedWeights;
import io.chainseal.governance.internal.FixedWeights;
import io.chainseal.governance.internal.TokenWeights;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How much a voter's vote weighs: always measured at the proposal's snapshot block, so tokens moved
 * after the proposal opened cannot vote twice. Implementations must be deterministic for a given chain
 * state, and thread-safe; those that ask the chain fetch many voters' weights in few round trips.
 *
 * <p>A proposal names its strategy by {@link #id()}, and a count refuses a strategy of another id: a
 * proposal signed as "weighed by token X" is never counted by token Y's balances.
 */
public interface WeightStrategy {
  /**
   * A stable description of this strategy — which kind, which chain and token, which list — that a
   * proposal signs over, e.g. {@code erc20-balance:1:0x…}.
   */
  String id();

  /**
   * The weight of each of {@code voters} at {@code snapshotBlock} (zero for one who had none).
   *
   * @throws ChainException if the chain cannot be asked
   */
  Map<EvmAddress, BigInteger> weights(Collection<EvmAddress> voters, long snapshotBlock);

  /**
   * What each of {@code voters} should know about their weight (only voters with a warning appear).
   * The default has none.
   *
   * @throws ChainException if the chain cannot be asked
   */
  default Map<EvmAddress, Set<WeightWarning>> warnings(Collection<EvmAddress> voters, long snapshotBlock) {
    return Map.of();
  }

  /**
   * This strategy's weights for the group's members only (everyone else weighs nothing): group
   * membership × token weight. {@code members} are the members when the proposal opened, as the host
   * recorded them; they are part of the {@link #id()}.
   */
  default WeightStrategy onlyMembers(Set<EvmAddress> members) {
    return CombinedWeights.onlyMembers(this, members);
  }

  /** A fixed list: members and their weights (others weigh nothing), for whitelists and one-member-one-vote groups. */
  static WeightStrategy fixed(Map<EvmAddress, BigInteger> weights) {
    return new FixedWeights(weights);
  }

  /**
   * ERC-20 {@code balanceOf} at the snapshot block ({@code eth_call} against that block's state; the
   * node must keep it — an archive node, or a block recent enough), fetched in JSON-RPC batches.
   * Warns of {@link WeightWarning#ACQUIRED_AFTER_SNAPSHOT}. Its id names the chain, asked of
   * {@code chain} here.
   *
   * @throws ChainException if the chain cannot be asked its id
   */
  static WeightStrategy erc20Balance(ChainClient chain, EvmAddress token) {
    return TokenWeights.balance(chain, token);
  }

  /**
   * ERC20Votes (OpenZeppelin's {@code IVotes}) {@code getPastVotes(voter, snapshotBlock)}: the voting
   * power delegated to the voter at the snapshot block, fetched in JSON-RPC batches. The token must
   * count time in block numbers (OpenZeppelin's default clock), and the snapshot block must be mined.
   * Warns of {@link WeightWarning#NOT_DELEGATED} and {@link WeightWarning#ACQUIRED_AFTER_SNAPSHOT}.
   * Its id names the chain, asked of {@code chain} here.
   *
   * @throws ChainException if the chain cannot be asked its id
   */
  static WeightStrategy erc20Votes(ChainClient chain, EvmAddress token) {
    return TokenWeights.votes(chain, token);
  }

  /** The sum of several strategies' weights (tokens on two chains' bridges, say); warnings of all of them. */
  static WeightStrategy sum(List<WeightStrategy> strategies) {
    return CombinedWeights.sum(strategies);
  }
}
