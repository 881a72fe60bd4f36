package io.chainseal.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The complete subtrees of an append-only RFC 9162 tree, level by level: level h holds, in one flat
 * array, the hash of every complete aligned subtree of 2^h leaves. Any subtree hash of any earlier
 * tree size is computed from these in O(log n) hashes, which is all that roots and proofs need.
 *
 * <p>Holds at most {@link #MAX_LEAVES} leaves (flat arrays are indexed by int). Not thread-safe.
 * Not API.
 */
public final class TreeLevels {
  public static final int MAX_LEAVES = Integer.MAX_VALUE / NodeHasher.HASH;
  private static final int HASH = NodeHasher.HASH;

  private final NodeHasher hasher = new NodeHasher();
  private byte[][] levels = new byte[1][];
  private int[] counts = new int[1];
  /**
   * Hashes of subtrees that are not stored in a level (those on the tree's ragged right edge), once
   * computed: every inclusion proof of a leaf left of them needs them, and recomputing them costs
   * O(log n) hashes per proof. Cleared when a leaf is appended; bounded.
   */
  private final Map<Long, byte[]> computed = new HashMap<>();

  public TreeLevels() {
    levels[0] = new byte[16 * HASH];
  }

  /**
   * As {@link #bulk(byte[], int)}, with each level's nodes hashed in {@code slices} contiguous slices
   * at once: slice 0 on the calling thread, the others on {@code pool}. A level of fewer than
   * {@code minNodesPerSlice} nodes per slice is hashed on the calling thread alone (handing it out
   * would cost more than it saves). The levels are identical to the single-threaded ones: every node
   * is the same function of the same two children, only computed elsewhere.
   *
   * @throws java.util.concurrent.RejectedExecutionException if {@code pool} refuses a slice
   */
  public static TreeLevels bulk(byte[] leafHashes, int leafCount, Executor pool, int slices, int minNodesPerSlice) {
    if (slices < 1 || minNodesPerSlice < 1) {
      throw new IllegalArgumentException("slices and minNodesPerSlice must be positive");
    }
    if (slices == 1) {
      return bulk(leafHashes, leafCount);
    }
    TreeLevels tree = start(leafHashes, leafCount);
    for (int h = 1; h < tree.levels.length; h++) {
      int count = tree.counts[h - 1] / 2;
      byte[] level = new byte[Math.max(1, count) * HASH];
      byte[] previous = tree.levels[h - 1];
      int used = Math.min(slices, Math.max(1, count / minNodesPerSlice));
      if (used == 1) {
        hashNodes(tree.hasher, previous, level, 0, count);
      } else {
        int per = (count + used - 1) / used;
        List<CompletableFuture<Void>> others = new ArrayList<>(used - 1);
        for (int slice = 1; slice < used; slice++) {
          int from = slice * per;
          int to = Math.min(count, from + per);
          others.add(CompletableFuture.runAsync(() -> hashNodes(new NodeHasher(), previous, level, from, to), pool));
        }
        hashNodes(tree.hasher, previous, level, 0, Math.min(count, per));
        CompletableFuture.allOf(others.toArray(new CompletableFuture<?>[0])).join();
      }
      tree.levels[h] = level;
      tree.counts[h] = count;
    }
    return tree;
  }

  private static void hashNodes(NodeHasher hasher, byte[] previous, byte[] level, int from, int to) {
    for (int j = from; j < to; j++) {
      hasher.node(previous, 2 * j * HASH, previous, (2 * j + 1) * HASH, level, j * HASH);
    }
  }

  private static TreeLevels start(byte[] leafHashes, int leafCount) {
    if (leafCount < 0 || leafCount > MAX_LEAVES || leafHashes.length < leafCount * HASH) {
      throw new IllegalArgumentException("bad leaf count " + leafCount);
    }
    TreeLevels tree = new TreeLevels();
    int height = 64 - Long.numberOfLeadingZeros(Math.max(1, leafCount));
    tree.levels = new byte[height][];
    tree.counts = new int[height];
    tree.levels[0] = leafHashes;
    tree.counts[0] = leafCount;
    return tree;
  }

  /** Builds all levels at once from {@code leafCount} leaf hashes packed in {@code leafHashes}. */
  public static TreeLevels bulk(byte[] leafHashes, int leafCount) {
    TreeLevels tree = start(leafHashes, leafCount);
    for (int h = 1; h < tree.levels.length; h++) {
      int count = tree.counts[h - 1] / 2;
      byte[] level = new byte[Math.max(1, count) * HASH];
      hashNodes(tree.hasher, tree.levels[h - 1], level, 0, count);
      tree.levels[h] = level;
      tree.counts[h] = count;
    }
    return tree;
  }

  public long size() {
    return counts[0];
  }

  /** Appends one leaf hash (32 bytes at {@code offset}). */
  public void append(byte[] leafHash, int offset) {
    if (counts[0] >= MAX_LEAVES) {
      throw new IllegalStateException("tree is full at " + MAX_LEAVES + " leaves");
    }
    put(0, leafHash, offset);
    computed.clear();
    int h = 0;
    while ((counts[h] & 1) == 0) {
      int j = counts[h] - 2;
      if (h + 1 == levels.length) {
        levels = Arrays.copyOf(levels, h + 2);
        counts = Arrays.copyOf(counts, h + 2);
        levels[h + 1] = new byte[8 * HASH];
      }
      ensureRoom(h + 1);
      hasher.node(levels[h], j * HASH, levels[h], (j + 1) * HASH, levels[h + 1], counts[h + 1] * HASH);
      counts[h + 1]++;
      h++;
    }
  }

  private void put(int h, byte[] hash, int offset) {
    ensureRoom(h);
    System.arraycopy(hash, offset, levels[h], counts[h] * HASH, HASH);
    counts[h]++;
  }

  private void ensureRoom(int h) {
    if (levels[h].length < (counts[h] + 1) * HASH) {
      long grown = Math.min((long) MAX_LEAVES * HASH, Math.max(levels[h].length * 2L, (counts[h] + 1L) * HASH));
      levels[h] = Arrays.copyOf(levels[h], (int) grown);
    }
  }

  /** Copies leaf {@code index}'s hash. */
  public byte[] leaf(long index) {
    return Arrays.copyOfRange(levels[0], (int) index * HASH, (int) index * HASH + HASH);
  }

  /** MTH(D[lo:hi]) for 0 ≤ lo < hi ≤ size, per RFC 9162 §2.1.1. */
  public byte[] subtreeHash(long lo, long hi) {
    long n = hi - lo;
    if (n <= 0 || hi > size()) {
      throw new IllegalArgumentException("bad range [" + lo + ", " + hi + ") of " + size());
    }
    if (Long.bitCount(n) == 1 && lo % n == 0) {
      int h = Long.numberOfTrailingZeros(n);
      int j = (int) (lo >>> h);
      return Arrays.copyOfRange(levels[h], j * HASH, j * HASH + HASH);
    }
    long key = lo << 32 | hi;
    byte[] known = computed.get(key);
    if (known == null) {
      long k = largestPowerOfTwoBelow(n);
      known = hasher.node(subtreeHash(lo, lo + k), subtreeHash(lo + k, hi));
      if (computed.size() >= 4096) {
        computed.clear();
      }
      computed.put(key, known);
    }
    return known.clone();
  }

  /** The root of the tree's first {@code treeSize} leaves (1 ≤ treeSize ≤ size). */
  public byte[] root(long treeSize) {
    return subtreeHash(0, treeSize);
  }

  /** RFC 9162 §2.1.3.1 PATH(index, D[0:treeSize]), from the leaf upwards. */
  public List<byte[]> inclusionPath(long index, long treeSize) {
    if (index < 0 || index >= treeSize || treeSize > size()) {
      throw new IllegalArgumentException("index " + index + " not in a tree of size " + treeSize);
    }
    List<byte[]> path = new ArrayList<>();
    inclusionPath(index, 0, treeSize, path);
    return path;
  }

  private void inclusionPath(long m, long lo, long hi, List<byte[]> path) {
    long n = hi - lo;
    if (n == 1) {
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m < lo + k) {
      inclusionPath(m, lo, lo + k, path);
      path.add(subtreeHash(lo + k, hi));
    } else {
      inclusionPath(m, lo + k, hi, path);
      path.add(subtreeHash(lo, lo + k));
    }
  }

  /** RFC 9162 §2.1.4.1 PROOF(fromSize, D[0:toSize]), for 1 ≤ fromSize ≤ toSize ≤ size. */
  public List<byte[]> consistencyPath(long fromSize, long toSize) {
    if (fromSize < 1 || fromSize > toSize || toSize > size()) {
      throw new IllegalArgumentException("no consistency proof from " + fromSize + " to " + toSize);
    }
    List<byte[]> path = new ArrayList<>();
    subproof(fromSize, 0, toSize, true, path);
    return path;
  }

  private void subproof(long m, long lo, long hi, boolean completeSubtree, List<byte[]> path) {
    long n = hi - lo;
    if (m == n) {
      if (!completeSubtree) {
        path.add(subtreeHash(lo, hi));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, lo, lo + k, completeSubtree, path);
      path.add(subtreeHash(lo + k, hi));
    } else {
      subproof(m - k, lo + k, hi, false, path);
      path.add(subtreeHash(lo, lo + k));
    }
  }

  /** The largest power of two strictly less than {@code n} (n ≥ 2). */
  public static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }
}
