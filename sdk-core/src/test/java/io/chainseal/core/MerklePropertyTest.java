package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests over random trees, cross-checked with the naive RFC implementation: every proof
 * generated verifies and equals the reference; flipping any bit of any proof element, or changing the
 * index or a size, makes verification fail.
 */
class MerklePropertyTest {
  private static final long SEED = 9162;

  private static List<byte[]> randomLeafHashes(Random random, int n) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[random.nextInt(40)];
      random.nextBytes(data);
      leaves.add(NaiveMerkle.leafHash(data));
    }
    return leaves;
  }

  private static List<Hash32> wrap(List<byte[]> leaves) {
    List<Hash32> out = new ArrayList<>();
    leaves.forEach(l -> out.add(Hash32.of(l)));
    return out;
  }

  @Test
  void rootsAgreeAcrossTreeAccumulatorLogAndReference() {
    Random random = new Random(SEED);
    for (int n = 1; n <= 300; n++) {
      List<byte[]> leaves = randomLeafHashes(random, n);
      Hash32 expected = Hash32.of(NaiveMerkle.mth(leaves));
      assertEquals(expected, MerkleTree.ofLeafHashes(wrap(leaves)).root(), "tree " + n);
      MerkleAccumulator accumulator = new MerkleAccumulator();
      ConversationLog log = new ConversationLog("c");
      for (byte[] leaf : leaves) {
        accumulator.append(Hash32.of(leaf));
        log.append(Hash32.of(leaf));
      }
      assertEquals(expected, accumulator.root(), "accumulator " + n);
      assertEquals(expected, log.checkpoint().root(), "log " + n);
    }
  }

  @Test
  void everyInclusionProofVerifiesAndMatchesTheReference() {
    Random random = new Random(SEED + 1);
    for (int n = 1; n <= 70; n++) {
      List<byte[]> leaves = randomLeafHashes(random, n);
      MerkleTree tree = MerkleTree.ofLeafHashes(wrap(leaves));
      for (int i = 0; i < n; i++) {
        InclusionProof proof = tree.inclusionProof(i);
        assertTrue(NaiveMerkle.samePath(NaiveMerkle.path(i, leaves), proof.path()), "path " + i + "/" + n);
        ProofCheck check = MerkleVerifier.verifyInclusion(tree.leafHash(i), proof, tree.root());
        assertTrue(check.valid(), i + "/" + n + ": " + check.reason());
      }
    }
  }

  /**
   * A growing log answers proofs between appends, for its current size and earlier ones: the hashes
   * it shares between proofs (stored subtrees at the upper levels) must stay right as its levels grow.
   */
  @Test
  void proofsAskedWhileALogGrowsMatchTheReference() {
    Random random = new Random(SEED + 4);
    List<byte[]> leaves = randomLeafHashes(random, 300);
    ConversationLog log = new ConversationLog("growing");
    for (int n = 1; n <= leaves.size(); n++) {
      log.append(Hash32.of(leaves.get(n - 1)));
      for (int k = 0; k < 4; k++) {
        int size = 1 + random.nextInt(n);
        int i = random.nextInt(size);
        List<byte[]> prefix = leaves.subList(0, size);
        InclusionProof proof = log.inclusionProof(i, size);
        assertTrue(NaiveMerkle.samePath(NaiveMerkle.path(i, prefix), proof.path()), "path " + i + "/" + size + " at " + n);
        assertTrue(MerkleVerifier.verifyInclusion(Hash32.of(leaves.get(i)), proof, Hash32.of(NaiveMerkle.mth(prefix))).valid());
      }
    }
  }

  @Test
  void flippingAnyBitOrChangingIndexOrSizeBreaksInclusion() {
    Random random = new Random(SEED + 2);
    for (int n : new int[] {1, 2, 3, 5, 8, 13, 31, 64, 100}) {
      List<byte[]> leaves = randomLeafHashes(random, n);
      MerkleTree tree = MerkleTree.ofLeafHashes(wrap(leaves));
      for (int i = 0; i < n; i++) {
        InclusionProof proof = tree.inclusionProof(i);
        Hash32 leaf = tree.leafHash(i);
        for (int e = 0; e < proof.path().size(); e++) {
          for (int bit = 0; bit < 256; bit++) {
            List<Hash32> path = new ArrayList<>(proof.path());
            path.set(e, flip(path.get(e), bit));
            assertFalse(MerkleVerifier.verifyInclusion(leaf, i, n, path, tree.root()).valid(),
                "path[" + e + "] bit " + bit + " of " + i + "/" + n);
          }
        }
        for (int bit = 0; bit < 256; bit++) {
          assertFalse(MerkleVerifier.verifyInclusion(flip(leaf, bit), proof, tree.root()).valid());
          assertFalse(MerkleVerifier.verifyInclusion(leaf, proof, flip(tree.root(), bit)).valid());
        }
        for (long otherIndex : new long[] {i - 1, i + 1, i ^ 1, -1, n, Long.MAX_VALUE, Long.MIN_VALUE}) {
          if (otherIndex != i) {
            assertFalse(MerkleVerifier.verifyInclusion(leaf, otherIndex, n, proof.path(), tree.root()).valid(),
                "index " + otherIndex + " for leaf " + i + "/" + n);
          }
        }
        // A path alone cannot bind the tree size when another size gives the very same left/right
        // hashing sequence (leaf 0 of 3 and of 4 both hash [a, b] as H(H(l, a), b)): RFC 9162 trees
        // are like that, and the anchor contract records the size next to the root for this reason.
        // So: every size flip must fail exactly when its hashing shape differs.
        for (int bit = 0; bit < 64; bit++) {
          long otherSize = n ^ (1L << bit);
          boolean accepted = MerkleVerifier.verifyInclusion(leaf, i, otherSize, proof.path(), tree.root()).valid();
          boolean sameShape = java.util.Objects.equals(inclusionShape(i, otherSize, proof.path().size()),
              inclusionShape(i, n, proof.path().size()));
          assertEquals(sameShape, accepted, "size bit " + bit + " (" + otherSize + ") for leaf " + i + "/" + n);
        }
        for (int bit = 0; bit < 64; bit++) {
          long otherIndex = i ^ (1L << bit);
          assertFalse(MerkleVerifier.verifyInclusion(leaf, otherIndex, n, proof.path(), tree.root()).valid(),
              "index bit " + bit + " for leaf " + i + "/" + n);
        }
        if (!proof.path().isEmpty()) {
          assertFalse(MerkleVerifier.verifyInclusion(leaf, i, n, proof.path().subList(1, proof.path().size()), tree.root()).valid());
        }
        List<Hash32> longer = new ArrayList<>(proof.path());
        longer.add(tree.root());
        assertFalse(MerkleVerifier.verifyInclusion(leaf, i, n, longer, tree.root()).valid());
      }
    }
  }

  @Test
  void everyConsistencyProofVerifiesAndMatchesTheReference() {
    Random random = new Random(SEED + 3);
    for (int n = 1; n <= 40; n++) {
      List<byte[]> leaves = randomLeafHashes(random, n);
      MerkleTree tree = MerkleTree.ofLeafHashes(wrap(leaves));
      for (int m = 1; m <= n; m++) {
        ConsistencyProof proof = tree.consistencyProof(m);
        assertTrue(NaiveMerkle.samePath(NaiveMerkle.proof(m, leaves), proof.path()), m + "->" + n);
        ProofCheck check = MerkleVerifier.verifyConsistency(proof, tree.rootAt(m), tree.root());
        assertTrue(check.valid(), m + "->" + n + ": " + check.reason());
      }
    }
  }

  @Test
  void flippingAnyBitOrChangingASizeBreaksConsistency() {
    Random random = new Random(SEED + 4);
    for (int n : new int[] {2, 3, 7, 8, 9, 16, 33}) {
      List<byte[]> leaves = randomLeafHashes(random, n);
      MerkleTree tree = MerkleTree.ofLeafHashes(wrap(leaves));
      for (int m = 1; m < n; m++) {
        ConsistencyProof proof = tree.consistencyProof(m);
        Hash32 oldRoot = tree.rootAt(m);
        for (int e = 0; e < proof.path().size(); e++) {
          for (int bit = 0; bit < 256; bit++) {
            List<Hash32> path = new ArrayList<>(proof.path());
            path.set(e, flip(path.get(e), bit));
            assertFalse(MerkleVerifier.verifyConsistency(m, n, path, oldRoot, tree.root()).valid(),
                "path[" + e + "] bit " + bit + " of " + m + "->" + n);
          }
        }
        for (int bit = 0; bit < 256; bit += 7) {
          assertFalse(MerkleVerifier.verifyConsistency(proof, flip(oldRoot, bit), tree.root()).valid());
          assertFalse(MerkleVerifier.verifyConsistency(proof, oldRoot, flip(tree.root(), bit)).valid());
        }
        for (int bit = 0; bit < 64; bit++) {
          long otherFrom = m ^ (1L << bit);
          long otherTo = n ^ (1L << bit);
          int length = proof.path().size();
          assertEquals(java.util.Objects.equals(consistencyShape(otherFrom, n, length), consistencyShape(m, n, length)),
              MerkleVerifier.verifyConsistency(otherFrom, n, proof.path(), oldRoot, tree.root()).valid(),
              "from-size bit " + bit + " for " + m + "->" + n);
          assertEquals(java.util.Objects.equals(consistencyShape(m, otherTo, length), consistencyShape(m, n, length)),
              MerkleVerifier.verifyConsistency(m, otherTo, proof.path(), oldRoot, tree.root()).valid(),
              "to-size bit " + bit + " for " + m + "->" + n);
        }
      }
    }
  }

  @Test
  void hostileInputsGiveVerdictsNotExceptions() {
    Hash32 h = Hash32.of(new byte[32]);
    List<Hash32> withNull = new ArrayList<>();
    withNull.add(null);
    assertFalse(MerkleVerifier.verifyInclusion(h, 0, 2, withNull, h).valid());
    assertFalse(MerkleVerifier.verifyConsistency(1, 2, withNull, h, h).valid());
    assertFalse(MerkleVerifier.verifyInclusion(null, 0, 1, List.of(), h).valid());
    assertFalse(MerkleVerifier.verifyInclusion(h, 0, 1, null, h).valid());
    List<Hash32> huge = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      huge.add(h);
    }
    assertFalse(MerkleVerifier.verifyInclusion(h, 0, Long.MAX_VALUE, huge, h).valid());
    assertFalse(MerkleVerifier.verifyConsistency(1, Long.MAX_VALUE, huge, h, h).valid());
    assertFalse(MerkleVerifier.verifyConsistency(Long.MAX_VALUE, Long.MAX_VALUE, List.of(h), h, h).valid());
  }

  static Hash32 flip(Hash32 hash, int bit) {
    byte[] bytes = hash.bytes();
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    return Hash32.of(bytes);
  }

  /**
   * The left/right hashing sequence RFC 9162 §2.1.3.2 applies for (index, size) with a path of
   * {@code length} hashes, or null if it rejects that shape: an independent, hash-free model.
   */
  static String inclusionShape(long index, long size, int length) {
    if (index < 0 || size < 1 || index >= size) {
      return null;
    }
    StringBuilder shape = new StringBuilder();
    long fn = index;
    long sn = size - 1;
    for (int k = 0; k < length; k++) {
      if (sn == 0) {
        return null;
      }
      if ((fn & 1) == 1 || fn == sn) {
        shape.append('L');
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        shape.append('R');
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 ? shape.toString() : null;
  }

  /** The same model for consistency proofs (RFC 9162 §2.1.4.2), including how the seed is chosen. */
  static String consistencyShape(long from, long to, int length) {
    if (from < 1 || to < from) {
      return null;
    }
    if (from == to) {
      return length == 0 ? "equal" : null;
    }
    if (length == 0) {
      return null;
    }
    boolean seedIsOldRoot = Long.bitCount(from) == 1;
    StringBuilder shape = new StringBuilder(seedIsOldRoot ? "O" : "P");
    long fn = from - 1;
    long sn = to - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    for (int k = seedIsOldRoot ? 0 : 1; k < length; k++) {
      if (sn == 0) {
        return null;
      }
      if ((fn & 1) == 1 || fn == sn) {
        shape.append('B');
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        shape.append('R');
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 ? shape.toString() : null;
  }
}
