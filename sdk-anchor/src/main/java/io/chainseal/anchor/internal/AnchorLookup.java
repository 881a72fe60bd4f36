package io.chainseal.anchor.internal;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.AnchoredEvent;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainLog;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds one publisher's anchors by batch sequence number in one anchor contract: {@code eth_getLogs}
 * filtered by the event, the publisher and the sequence numbers (topics 0, 1 and 3), over block
 * ranges of at most {@code maxRange} blocks — halved when a node refuses a range, as public endpoints
 * do above their limits — from the contract's first block to the head.
 *
 * <p>What it finds at or below the finalized block is kept (per sequence number, least recently used
 * first out), so later lookups query only the unfinalized tail; the tail's answer is reused while the
 * head block (by hash) stays the same. Thread-safe. Not API.
 */
public final class AnchorLookup {
  /** An anchor found on chain: the decoded event and its log. */
  public record Found(AnchoredEvent event, ChainLog log) {}

  private record Key(EvmAddress contract, EvmAddress publisher, long sequence) {}

  /** Anchors found in blocks {@code fromBlock..through}, all final, as read at {@code readAt}. */
  private record Scanned(long through, List<Found> found, Instant readAt) {}

  private record Tail(Hash32 head, long from, List<Found> found) {}

  private final ChainClient chain;
  private final long maxRange;
  private final Duration recheck;
  private final Clock clock;
  private final Map<Key, Scanned> finalPart;
  private final Map<Key, Tail> tails;

  /**
   * @param recheck how long a finalized range, once read, is trusted before it is read again: an
   *     endpoint behind a load balancer may answer from a lagging node, and such an answer must not
   *     hide an anchor for good
   */
  public AnchorLookup(ChainClient chain, long maxRange, int capacity, Duration recheck, Clock clock) {
    this.chain = chain;
    this.maxRange = maxRange;
    this.recheck = recheck;
    this.clock = clock;
    this.finalPart = lru(capacity);
    this.tails = lru(capacity);
  }

  /** Drops what was read for these sequence numbers: the caller found the answer inconsistent. */
  public synchronized void forget(EvmAddress contract, EvmAddress publisher, Set<Long> sequences) {
    for (long sequence : sequences) {
      Key key = new Key(contract, publisher, sequence);
      finalPart.remove(key);
      tails.remove(key);
    }
  }

  private static <K, V> Map<K, V> lru(int size) {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > size;
      }
    };
  }

  /**
   * The anchors of {@code publisher} in {@code contract} with each of {@code sequences}, in blocks
   * {@code fromBlock..head}, oldest first.
   *
   * @param finalized the finalized block number: what is found at or below it is kept
   * @throws ChainException if the node cannot answer even a small range
   */
  public synchronized Map<Long, List<Found>> find(EvmAddress contract, long fromBlock, EvmAddress publisher,
      Set<Long> sequences, long finalized, long head, Hash32 headHash) {
    Instant now = clock.instant();
    Map<Long, List<Found>> result = new TreeMap<>();
    Map<Long, Long> scanFrom = new HashMap<>();
    Set<Long> toScan = new TreeSet<>();
    long stableThrough = Math.min(finalized, head);
    long start = Long.MAX_VALUE;
    for (long sequence : sequences) {
      Key key = new Key(contract, publisher, sequence);
      List<Found> found = new ArrayList<>();
      Scanned scanned = finalPart.get(key);
      if (scanned != null && now.isAfter(scanned.readAt().plus(recheck))) {
        finalPart.remove(key);
        tails.remove(key);
        scanned = null;
      }
      long from = fromBlock;
      if (scanned != null) {
        found.addAll(scanned.found());
        from = scanned.through() + 1;
      }
      Tail tail = tails.get(key);
      if (tail != null && tail.head().equals(headHash) && tail.from() == from) {
        found.addAll(tail.found());
      } else if (from <= head) {
        toScan.add(sequence);
        scanFrom.put(sequence, from);
        start = Math.min(start, from);
      }
      result.put(sequence, found);
    }
    if (toScan.isEmpty()) {
      return result;
    }
    List<ChainLog> logs = scan(contract, publisher, toScan, start, head);
    Map<Long, List<Found>> newlyFinal = new HashMap<>();
    Map<Long, List<Found>> newTail = new HashMap<>();
    for (ChainLog log : logs) {
      if (!log.address().equals(contract)) {
        continue; // an endpoint that ignores the filter: only this contract's logs count
      }
      Optional<AnchoredEvent> decoded = AnchorContract.decodeAny(log);
      if (decoded.isEmpty() || !decoded.get().publisher().equals(publisher) || !toScan.contains(decoded.get().sequence())) {
        continue;
      }
      long sequence = decoded.get().sequence();
      if (log.blockNumber() < scanFrom.get(sequence) || log.blockNumber() > head) {
        continue;
      }
      Found found = new Found(decoded.get(), log);
      result.get(sequence).add(found);
      (log.blockNumber() <= stableThrough ? newlyFinal : newTail).computeIfAbsent(sequence, s -> new ArrayList<>()).add(found);
    }
    for (long sequence : toScan) {
      Key key = new Key(contract, publisher, sequence);
      long from = scanFrom.get(sequence);
      List<Found> kept = new ArrayList<>();
      Scanned scanned = finalPart.get(key);
      if (scanned != null) {
        kept.addAll(scanned.found());
      }
      kept.addAll(newlyFinal.getOrDefault(sequence, List.of()));
      long through = Math.max(from - 1, stableThrough);
      finalPart.put(key, new Scanned(through, List.copyOf(kept), scanned != null ? scanned.readAt() : now));
      tails.put(key, new Tail(headHash, through + 1, List.copyOf(newTail.getOrDefault(sequence, List.of()))));
    }
    return result;
  }

  private List<ChainLog> scan(EvmAddress contract, EvmAddress publisher, Set<Long> sequences, long from, long to) {
    Set<Hash32> sequenceTopics = new TreeSet<>();
    for (long sequence : sequences) {
      sequenceTopics.add(LogScanner.word(sequence));
    }
    List<Set<Hash32>> topics = List.of(Set.of(AnchorContract.ANCHORED_TOPIC), Set.of(LogScanner.addressWord(publisher)),
        Set.of(), Set.copyOf(sequenceTopics));
    return LogScanner.scan(chain, contract, topics, from, to, maxRange);
  }

}
