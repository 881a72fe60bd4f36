package io.chainseal.governance;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.core.EvmAddress;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.utils.Numeric;

/**
 * How much a voter's vote weighs: always measured at the proposal's snapshot block, so tokens moved
 * after the proposal opened cannot vote twice. Implementations must be deterministic for a given chain
 * state, and thread-safe.
 */
public interface WeightStrategy {
  /**
   * The weight of each of {@code voters} at {@code snapshotBlock} (zero for one who had none).
   *
   * @throws ChainException if the chain cannot be asked
   */
  Map<EvmAddress, BigInteger> weights(Collection<EvmAddress> voters, long snapshotBlock);

  /** A fixed list: members and their weights (others weigh nothing), for whitelists and one-member-one-vote groups. */
  static WeightStrategy fixed(Map<EvmAddress, BigInteger> weights) {
    Map<EvmAddress, BigInteger> copy = Map.copyOf(weights);
    copy.values().forEach(weight -> {
      if (weight.signum() < 0) {
        throw new IllegalArgumentException("weights are not negative, got " + weight);
      }
    });
    return (voters, snapshotBlock) -> {
      Map<EvmAddress, BigInteger> out = new LinkedHashMap<>();
      for (EvmAddress voter : voters) {
        out.put(voter, copy.getOrDefault(voter, BigInteger.ZERO));
      }
      return out;
    };
  }

  /**
   * ERC-20 {@code balanceOf} at the snapshot block ({@code eth_call} against that block's state; the
   * node must keep it — an archive node, or a block recent enough).
   */
  static WeightStrategy erc20Balance(ChainClient chain, EvmAddress token) {
    Objects.requireNonNull(chain, "chain == null");
    Objects.requireNonNull(token, "token == null");
    return (voters, snapshotBlock) -> {
      Map<EvmAddress, BigInteger> out = new HashMap<>();
      for (EvmAddress voter : voters) {
        byte[] answer = chain.call(token, Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("balanceOf",
            java.util.List.of(new Address(voter.lowercase())), java.util.List.of()))), snapshotBlock);
        if (answer.length != 32) {
          throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "balanceOf at block " + snapshotBlock + " of " + token
              + " answered " + answer.length + " bytes, not 32: is it an ERC-20 token?");
        }
        out.put(voter, new BigInteger(1, answer));
      }
      return out;
    };
  }
}
