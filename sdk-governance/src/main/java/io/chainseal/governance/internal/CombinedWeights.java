package io.chainseal.governance.internal;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.internal.NodeHasher;
import io.chainseal.governance.WeightStrategy;
import io.chainseal.governance.WeightWarning;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link WeightStrategy#sum} and {@link WeightStrategy#onlyMembers}. */
public final class CombinedWeights {
  private CombinedWeights() {}

  public static WeightStrategy sum(List<WeightStrategy> strategies) {
    List<WeightStrategy> parts = List.copyOf(strategies);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a sum of no strategies");
    }
    String id = "sum(" + parts.stream().map(WeightStrategy::id).collect(Collectors.joining(",")) + ")";
    return new WeightStrategy() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Map<EvmAddress, BigInteger> weights(Collection<EvmAddress> voters, long snapshotBlock) {
        Map<EvmAddress, BigInteger> out = new LinkedHashMap<>();
        voters.forEach(voter -> out.put(voter, BigInteger.ZERO));
        for (WeightStrategy part : parts) {
          part.weights(voters, snapshotBlock).forEach((voter, weight) -> out.computeIfPresent(voter, (v, sum) -> sum.add(weight)));
        }
        return out;
      }

      @Override
      public Map<EvmAddress, Set<WeightWarning>> warnings(Collection<EvmAddress> voters, long snapshotBlock) {
        Map<EvmAddress, Set<WeightWarning>> out = new LinkedHashMap<>();
        for (WeightStrategy part : parts) {
          part.warnings(voters, snapshotBlock).forEach((voter, warnings) ->
              out.merge(voter, warnings, (a, b) -> {
                Set<WeightWarning> both = EnumSet.copyOf(a);
                both.addAll(b);
                return Set.copyOf(both);
              }));
        }
        return out;
      }

      @Override
      public String toString() {
        return "WeightStrategy[" + id + "]";
      }
    };
  }

  public static WeightStrategy onlyMembers(WeightStrategy inner, Set<EvmAddress> members) {
    Objects.requireNonNull(inner, "inner == null");
    Set<EvmAddress> copy = Set.copyOf(members);
    String list = copy.stream().map(EvmAddress::lowercase).sorted().collect(Collectors.joining("\n"));
    String id = "members:" + Hash32.of(NodeHasher.newSha256().digest(list.getBytes(StandardCharsets.UTF_8))).hex() + "*" + inner.id();
    return new WeightStrategy() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Map<EvmAddress, BigInteger> weights(Collection<EvmAddress> voters, long snapshotBlock) {
        List<EvmAddress> eligible = voters.stream().filter(copy::contains).toList();
        Map<EvmAddress, BigInteger> weighed = eligible.isEmpty() ? Map.of() : inner.weights(eligible, snapshotBlock);
        Map<EvmAddress, BigInteger> out = new LinkedHashMap<>();
        voters.forEach(voter -> out.put(voter, weighed.getOrDefault(voter, BigInteger.ZERO)));
        return out;
      }

      @Override
      public Map<EvmAddress, Set<WeightWarning>> warnings(Collection<EvmAddress> voters, long snapshotBlock) {
        List<EvmAddress> eligible = voters.stream().filter(copy::contains).toList();
        return eligible.isEmpty() ? Map.of() : inner.warnings(eligible, snapshotBlock);
      }

      @Override
      public String toString() {
        return "WeightStrategy[" + id + ", " + copy.size() + " members]";
      }
    };
  }
}
