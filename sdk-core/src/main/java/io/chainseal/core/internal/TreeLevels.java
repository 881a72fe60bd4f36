package io.chainseal.core.internal;

import io.chainseal.core.Hash32;
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
  /** The lowest level whose stored subtrees are handed out as shared {@link Hash32}s: see {@link #shared}. */
  private static final int SHARED_FROM_LEVEL = 3;

  private final NodeHasher hasher = new NodeHasher();
  private byte[][] levels = new byte[1][];
  private int[] counts = new int[1];
  /**
   * Hashes of subtrees that are not stored in a level (those on the tree's ragged right edge), once
   * computed: every inclusion proof of a leaf left of them needs them, and recomputing them costs
   * O(log n) hashes per proof. Cleared when a leaf is appended; bounded.
   */
  private final Map<Long, Hash32> computed = new HashMap<>();
  /** Hashes handed out by {@link #shared}, by level; filled as proofs ask for them. */
  private Hash32[][] sharedLevels = new Hash32[0][];

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

  /**
   * MTH(D[lo:hi]) for 0 ≤ lo < hi ≤ size, per RFC 9162 §2.1.1, as an immutable hash: a stored subtree is copied out of its level once; a ragged
   * one is computed and cached. Paths are built from these directly, one copy per path element —
   * proof assembly for every message of a large batch is the anchorer's main source of garbage.
   */
  private Hash32 subtree(long lo, long hi) {
    long n = hi - lo;
    if (n <= 0 || hi > size()) {
      throw new IllegalArgumentException("bad range [" + lo + ", " + hi + ") of " + size());
    }
    if (Long.bitCount(n) == 1 && lo % n == 0) {
      int h = Long.numberOfTrailingZeros(n);
      int j = (int) (lo >>> h);
      return h < SHARED_FROM_LEVEL ? Hash32.of(levels[h], j * HASH) : shared(h, j);
    }
    long key = lo << 32 | hi;
    Hash32 known = computed.get(key);
    if (known == null) {
      long k = largestPowerOfTwoBelow(n);
      known = Hash32.of(hasher.node(subtree(lo, lo + k).bytes(), subtree(lo + k, hi).bytes()));
      if (computed.size() >= 4096) {
        computed.clear();
      }
      computed.put(key, known);
    }
    return known;
  }

  /**
   * Stored subtree (h, j) as one {@link Hash32} shared by every proof that needs it. A subtree at
   * level h is a sibling in the paths of 2^h leaves: without sharing, proofs for every leaf of a batch
   * copy n·log n hashes; with it, levels from {@link #SHARED_FROM_LEVEL} up cost one copy per node
   * (a quarter of a hash per leaf at most, kept as long as the tree). A stored node never changes once
   * hashed (the tree is append-only), so a shared copy never goes stale.
   */
  private Hash32 shared(int h, int j) {
    if (sharedLevels.length < levels.length) {
      sharedLevels = Arrays.copyOf(sharedLevels, levels.length);
    }
    Hash32[] level = sharedLevels[h];
    if (level == null || level.length <= j) {
      level = sharedLevels[h] = level == null ? new Hash32[counts[h]] : Arrays.copyOf(level, Math.max(counts[h], 2 * level.length));
    }
    Hash32 hash = level[j];
    if (hash == null) {
      hash = level[j] = Hash32.of(levels[h], j * HASH);
    }
    return hash;
  }

  /** The root of the tree's first {@code treeSize} leaves (1 ≤ treeSize ≤ size). */
  public Hash32 root(long treeSize) {
    return subtree(0, treeSize);
  }

  /** RFC 9162 §2.1.3.1 PATH(index, D[0:treeSize]), from the leaf upwards; immutable. */
  public List<Hash32> inclusionPath(long index, long treeSize) {
    if (index < 0 || index >= treeSize || treeSize > size()) {
      throw new IllegalArgumentException("index " + index + " not in a tree of size " + treeSize);
    }
    int length = 0;
    for (long lo = 0, hi = treeSize; hi - lo > 1; length++) {
      long k = largestPowerOfTwoBelow(hi - lo);
      if (index < lo + k) {
        hi = lo + k;
      } else {
        lo += k;
      }
    }
    // Walked from the root down, so the siblings come out top first: filled from the end.
    Hash32[] path = new Hash32[length];
    for (long lo = 0, hi = treeSize; hi - lo > 1; ) {
      long k = largestPowerOfTwoBelow(hi - lo);
      if (index < lo + k) {
        path[--length] = subtree(lo + k, hi);
        hi = lo + k;
      } else {
        path[--length] = subtree(lo, lo + k);
        lo += k;
      }
    }
    return List.of(path);
  }

  /** RFC 9162 §2.1.4.1 PROOF(fromSize, D[0:toSize]), for 1 ≤ fromSize ≤ toSize ≤ size. */
  public List<Hash32> consistencyPath(long fromSize, long toSize) {
    if (fromSize < 1 || fromSize > toSize || toSize > size()) {
      throw new IllegalArgumentException("no consistency proof from " + fromSize + " to " + toSize);
    }
    List<Hash32> path = new ArrayList<>();
    subproof(fromSize, 0, toSize, true, path);
    return path;
  }

  private void subproof(long m, long lo, long hi, boolean completeSubtree, List<Hash32> path) {
    long n = hi - lo;
    if (m == n) {
      if (!completeSubtree) {
        path.add(subtree(lo, hi));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, lo, lo + k, completeSubtree, path);
      path.add(subtree(lo + k, hi));
    } else {
      subproof(m - k, lo + k, hi, false, path);
      path.add(subtree(lo, lo + k));
    }
  }

  /** The largest power of two strictly less than {@code n} (n ≥ 2). */
  public static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }
}
