package io.chainseal.governance.internal;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.internal.NodeHasher;
import io.chainseal.governance.WeightStrategy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link WeightStrategy#fixed}: its id names the SHA-256 of the sorted list, so changing a weight changes the id. */
public final class FixedWeights implements WeightStrategy {
  private final Map<EvmAddress, BigInteger> weights;
  private final String id;

  public FixedWeights(Map<EvmAddress, BigInteger> weights) {
    this.weights = Map.copyOf(weights);
    StringBuilder canonical = new StringBuilder();
    this.weights.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(EvmAddress::lowercase))).forEach(e -> {
      if (e.getValue().signum() < 0 || e.getValue().bitLength() > 256) {
        throw new IllegalArgumentException("weights are uint256 values, got " + e.getValue() + " for " + e.getKey());
      }
      canonical.append(e.getKey().lowercase()).append('=').append(e.getValue()).append('\n');
    });
    this.id = "fixed:" + Hash32.of(NodeHasher.newSha256().digest(canonical.toString().getBytes(StandardCharsets.UTF_8))).hex();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Map<EvmAddress, BigInteger> weights(Collection<EvmAddress> voters, long snapshotBlock) {
    Map<EvmAddress, BigInteger> out = new LinkedHashMap<>();
    for (EvmAddress voter : voters) {
      out.put(voter, weights.getOrDefault(voter, BigInteger.ZERO));
    }
    return out;
  }

  @Override
  public String toString() {
    return "WeightStrategy[" + id + ", " + weights.size() + " members]";
  }
}
