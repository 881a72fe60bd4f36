package io.chainseal.anchor.internal;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.AnchoredEvent;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainLog;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a publisher's {@code Anchored} events from one contract with {@code eth_getLogs} over bounded
 * block ranges, halving a range a node refuses. Only logs of that contract that decode strictly and
 * name that publisher count. Stateless. Not API.
 */
public final class LogScanner {
  /** An anchor found on chain: the decoded event and its log. */
  public record Found(AnchoredEvent event, ChainLog log) {}

  private static final int MAX_HALVINGS = 8;

  private LogScanner() {}

  /** The publisher's anchors in {@code contract}, in blocks {@code from..to}, with any of {@code sequences} (all if empty). */
  public static List<Found> anchors(ChainClient chain, EvmAddress contract, EvmAddress publisher, Set<Long> sequences,
      long from, long to, long maxRange) {
    Set<Hash32> sequenceTopics = new TreeSet<>();
    for (long sequence : sequences) {
      sequenceTopics.add(word(sequence));
    }
    List<Set<Hash32>> topics = List.of(Set.of(AnchorContract.ANCHORED_TOPIC), Set.of(addressWord(publisher)), Set.of(),
        Set.copyOf(sequenceTopics));
    List<Found> out = new ArrayList<>();
    for (ChainLog log : scan(chain, contract, topics, from, to, maxRange)) {
      if (!log.address().equals(contract)) {
        continue;
      }
      Optional<AnchoredEvent> event = AnchorContract.decodeAny(log);
      if (event.isPresent() && event.get().publisher().equals(publisher)
          && (sequences.isEmpty() || sequences.contains(event.get().sequence()))) {
        out.add(new Found(event.get(), log));
      }
    }
    return out;
  }

  /** Logs of {@code contract} matching {@code topics} in blocks {@code from..to}, queried in ranges of at most {@code maxRange}. */
  public static List<ChainLog> scan(ChainClient chain, EvmAddress contract, List<Set<Hash32>> topics, long from, long to,
      long maxRange) {
    List<ChainLog> out = new ArrayList<>();
    long range = maxRange;
    int halvings = 0;
    long start = Math.max(0, from);
    while (start <= to) {
      long end = Math.min(to, start + range - 1);
      try {
        out.addAll(chain.logs(contract, topics, start, end));
        start = end + 1;
      } catch (ChainException e) {
        if (end == start || halvings == MAX_HALVINGS) {
          throw e;
        }
        halvings++;
        range = Math.max(1, (end - start + 1) / 2); // the node may refuse a range this wide, or this many results
      }
    }
    return out;
  }

  /** A uint64 as a 32-byte ABI word. */
  public static Hash32 word(long value) {
    byte[] bytes = new byte[32];
    for (int i = 0; i < 8; i++) {
      bytes[31 - i] = (byte) (value >>> (8 * i));
    }
    return Hash32.of(bytes);
  }

  /** An address as a 32-byte ABI word. */
  public static Hash32 addressWord(EvmAddress address) {
    byte[] bytes = new byte[32];
    System.arraycopy(address.bytes(), 0, bytes, 12, 20);
    return Hash32.of(bytes);
  }
}
