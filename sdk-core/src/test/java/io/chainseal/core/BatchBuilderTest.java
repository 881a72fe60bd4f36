package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parallel batch builder against the single-threaded code: the same roots, proofs and
 * commitments, whatever the batch size and however it is sliced.
 */
class BatchBuilderTest {
  private static final int MAX = 1 << 16;

  /** Random leaf hashes, and the reference root of every prefix of them (from the accumulator). */
  private static final class Leaves {
    final byte[] packed = new byte[MAX * Hash32.LENGTH];
    final Hash32[] rootOfFirst = new Hash32[MAX + 1];

    Leaves(long seed) {
      new Random(seed).nextBytes(packed);
      MerkleAccumulator accumulator = new MerkleAccumulator();
      for (int n = 1; n <= MAX; n++) {
        accumulator.append(Hash32.of(packed, (n - 1) * Hash32.LENGTH));
        rootOfFirst[n] = accumulator.root();
      }
    }

    byte[] first(int n) {
      return Arrays.copyOf(packed, n * Hash32.LENGTH);
    }
  }

  @Test
  void rootsEqualTheSingleThreadedOnesForEverySizeUpTo4096WhenEveryLevelIsSliced() {
    Leaves leaves = new Leaves(1);
    // Slices of a single node: the parallel path runs at every level of every size.
    try (BatchBuilder builder = new BatchBuilder(3, 1, 1)) {
      for (int n = 1; n <= 4_096; n++) {
        assertEquals(leaves.rootOfFirst[n], builder.tree(leaves.first(n)).root(), "size " + n);
      }
    }
  }

  @Test
  void rootsEqualTheSingleThreadedOnesOnRandomSizesInEveryPowerOfTwoRangeUpTo2To16() {
    Leaves leaves = new Leaves(2);
    Random random = new Random(3);
    try (BatchBuilder sliced = new BatchBuilder(2, 1, 1); BatchBuilder defaults = BatchBuilder.withThreads(2)) {
      for (int k = 12; k < 16; k++) {
        for (int i = 0; i < 12; i++) {
          int n = (1 << k) + random.nextInt(1 << k);
          assertEquals(leaves.rootOfFirst[n], sliced.tree(leaves.first(n)).root(), "size " + n);
          assertEquals(leaves.rootOfFirst[n], defaults.tree(leaves.first(n)).root(), "size " + n);
        }
      }
      for (int n : new int[] {MAX - 1, MAX}) {
        assertEquals(leaves.rootOfFirst[n], sliced.tree(leaves.first(n)).root(), "size " + n);
        assertEquals(leaves.rootOfFirst[n], defaults.tree(leaves.first(n)).root(), "size " + n);
      }
    }
  }

  @Test
  void proofsOfAParallelTreeEqualThoseOfTheSingleThreadedTree() {
    Leaves leaves = new Leaves(4);
    Random random = new Random(5);
    try (BatchBuilder builder = new BatchBuilder(4, 1, 1)) {
      for (int n : new int[] {1, 2, 3, 1_000, 4_097, 40_000}) {
        MerkleTree parallel = builder.tree(leaves.first(n));
        MerkleTree single = MerkleTree.ofPackedLeafHashes(leaves.first(n));
        for (int i = 0; i < 20; i++) {
          long index = random.nextInt(n);
          assertEquals(single.inclusionProof(index), parallel.inclusionProof(index));
          long from = 1 + random.nextInt(n);
          assertEquals(single.consistencyProof(from), parallel.consistencyProof(from));
          assertEquals(single.rootAt(from), parallel.rootAt(from));
        }
      }
    }
  }

  @Test
  void commitmentsEqualTheCommittersInOrder() {
    List<MessageEnvelope> envelopes = new ArrayList<>();
    List<Salt> salts = new ArrayList<>();
    for (int i = 0; i < 3_001; i++) {
      envelopes.add(Fixtures.message("m-" + i, "message number " + i));
      salts.add(Fixtures.salt(i));
    }
    Committer committer = new Committer();
    byte[] expected = new byte[envelopes.size() * Hash32.LENGTH];
    for (int i = 0; i < envelopes.size(); i++) {
      committer.commitInto(envelopes.get(i), salts.get(i), expected, i * Hash32.LENGTH);
    }
    try (BatchBuilder builder = new BatchBuilder(3, 1, 1); BatchBuilder one = BatchBuilder.withThreads(1)) {
      assertArrayEquals(expected, builder.commit(envelopes, salts));
      assertArrayEquals(expected, one.commit(envelopes, salts));
      assertEquals(MerkleTree.ofPackedLeafHashes(expected).root(), builder.commitAndBuild(envelopes, salts).root());
    }
  }

  @Test
  void refusesWhatItCannotBuild() {
    try (BatchBuilder builder = BatchBuilder.withThreads(2)) {
      assertThrows(IllegalArgumentException.class, () -> builder.commit(List.of(Fixtures.message("a", "a")), List.of()));
      assertThrows(IllegalArgumentException.class, () -> builder.commitAndBuild(List.of(), List.of()));
      assertThrows(IllegalArgumentException.class, () -> builder.tree(new byte[33]));
      assertThrows(IllegalArgumentException.class, () -> builder.tree(new byte[0]));
    }
    assertThrows(IllegalArgumentException.class, () -> BatchBuilder.withThreads(0));
  }

  @Test
  void aClosedBuilderStillBuildsOnTheCallingThread() {
    Leaves leaves = new Leaves(6);
    BatchBuilder closed = new BatchBuilder(3, 1, 1);
    closed.close();
    assertEquals(leaves.rootOfFirst[5_000], closed.tree(leaves.first(5_000)).root());
  }
}
