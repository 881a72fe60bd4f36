package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.internal.LogScanner;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.FakeChain;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ChainsealAnchor as a {@link FakeChain} program, for the anchorer's fast tests: {@code anchor(root,
 * treeSize, sequence, previousRoot)} emits {@code Anchored(msg.sender, root, sequence, treeSize,
 * previousRoot)} and reverts on an empty batch or sequence 0, as the contract does.
 */
final class FakeAnchor {
  static final EvmAddress ADDRESS = EvmAddress.fromHex("0x" + "a7".repeat(20));
  static final AnchorContract CONTRACT = AnchorContract.at(ADDRESS, 0);

  private FakeAnchor() {}

  static List<FakeChain.LogSpec> execute(EvmAddress from, byte[] data) {
    Hash32 root = Hash32.of(Arrays.copyOfRange(data, 4, 36));
    byte[] treeSize = Arrays.copyOfRange(data, 36, 68);
    byte[] sequence = Arrays.copyOfRange(data, 68, 100);
    byte[] previous = Arrays.copyOfRange(data, 100, 132);
    if (new BigInteger(1, treeSize).signum() == 0) {
      throw new FakeChain.Revert("EmptyBatch()");
    }
    if (new BigInteger(1, sequence).signum() == 0) {
      throw new FakeChain.Revert("ZeroSequence()");
    }
    byte[] logData = new byte[64];
    System.arraycopy(treeSize, 0, logData, 0, 32);
    System.arraycopy(previous, 0, logData, 32, 32);
    return List.of(new FakeChain.LogSpec(List.of(AnchorContract.ANCHORED_TOPIC, LogScanner.addressWord(from), root,
        Hash32.of(sequence)), logData));
  }

  /** A fake chain with the anchor contract deployed. */
  static FakeChain chain() {
    return new FakeChain(31337).deploy(ADDRESS, FakeAnchor::execute);
  }

  /**
   * Counts the anchors on the fake chain like {@code OnChainAnchors} does on a real one: fails if a batch
   * number or a root is anchored twice, or a number is skipped; returns the messages anchored.
   */
  static long anchoredMessages(FakeChain chain) {
    Set<Long> sequences = new HashSet<>();
    Set<Hash32> roots = new HashSet<>();
    long messages = 0;
    for (ChainLog log : chain.allLogs(ADDRESS)) {
      AnchoredEvent event = AnchorContract.decodeAny(log).orElseThrow();
      assertTrue(sequences.add(event.sequence()), "batch " + event.sequence() + " anchored twice");
      assertTrue(roots.add(event.root()), "root " + event.root() + " anchored twice");
      messages += event.treeSize();
    }
    for (long s = 1; s <= sequences.size(); s++) {
      assertTrue(sequences.contains(s), "gap: batch " + s + " is not on chain");
    }
    return messages;
  }
}
