package io.chainseal.core;

import io.chainseal.core.internal.NodeHasher;
import io.chainseal.core.internal.TreeLevels;
import java.util.List;
import java.util.Objects;

/**
 * An immutable Merkle tree exactly as RFC 9162 §2.1 defines it (SHA-256; leaf = H(0x00 ‖ data),
 * node = H(0x01 ‖ left ‖ right); split at the largest power of two below n; an odd node is carried
 * up, never duplicated), over one batch of leaves. It keeps every complete subtree, so roots and
 * proofs for the whole tree or any prefix of it cost O(log n) hashes.
 *
 * <p>Memory: about 64 bytes per leaf. Up to {@value TreeLevels#MAX_LEAVES} leaves; for larger
 * streams where only the root is needed, use {@link MerkleAccumulator}. Thread-safe: the tree never
 * changes, and proof generation is serialized internally.
 */
public final class MerkleTree {
  private final TreeLevels levels;
  private final Hash32 root;

  private MerkleTree(TreeLevels levels) {
    this.levels = levels;
    this.root = levels.root(levels.size());
  }

  /** A tree over levels already built (by {@link BatchBuilder}); they must not change afterwards. */
  static MerkleTree ofLevels(TreeLevels levels) {
    requireSize((int) levels.size());
    return new MerkleTree(levels);
  }

  /**
   * Builds a tree whose leaves are already hashed: each element is a leaf hash, such as a message
   * commitment ({@link MessageEnvelope#commit}), which is a leaf hash by construction.
   *
   * @throws IllegalArgumentException if {@code leafHashes} is empty or too large
   */
  public static MerkleTree ofLeafHashes(List<Hash32> leafHashes) {
    Objects.requireNonNull(leafHashes, "leafHashes == null");
    requireSize(leafHashes.size());
    byte[] packed = new byte[leafHashes.size() * Hash32.LENGTH];
    for (int i = 0; i < leafHashes.size(); i++) {
      leafHashes.get(i).copyTo(packed, i * Hash32.LENGTH);
    }
    return new MerkleTree(TreeLevels.bulk(packed, leafHashes.size()));
  }

  /**
   * Builds a tree over leaf hashes packed 32 bytes each in {@code packedLeafHashes} (the fast path
   * for large batches; the array is copied).
   */
  public static MerkleTree ofPackedLeafHashes(byte[] packedLeafHashes) {
    Objects.requireNonNull(packedLeafHashes, "packedLeafHashes == null");
    if (packedLeafHashes.length % Hash32.LENGTH != 0) {
      throw new IllegalArgumentException("length " + packedLeafHashes.length + " is not a multiple of 32");
    }
    int count = packedLeafHashes.length / Hash32.LENGTH;
    requireSize(count);
    return new MerkleTree(TreeLevels.bulk(packedLeafHashes.clone(), count));
  }

  /** Builds a tree over raw leaf data, hashing each as H(0x00 ‖ data). */
  public static MerkleTree ofLeafData(List<byte[]> leaves) {
    Objects.requireNonNull(leaves, "leaves == null");
    requireSize(leaves.size());
    NodeHasher hasher = new NodeHasher();
    byte[] packed = new byte[leaves.size() * Hash32.LENGTH];
    for (int i = 0; i < leaves.size(); i++) {
      byte[] leaf = Objects.requireNonNull(leaves.get(i), "leaf == null");
      hasher.leaf(leaf, 0, leaf.length, packed, i * Hash32.LENGTH);
    }
    return new MerkleTree(TreeLevels.bulk(packed, leaves.size()));
  }

  /** H(0x00 ‖ data): the RFC 9162 hash of one leaf. */
  public static Hash32 leafHash(byte[] data) {
    return Hash32.of(new NodeHasher().leaf(Objects.requireNonNull(data, "data == null")));
  }

  private static void requireSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a tree needs at least one leaf");
    }
    if (size > TreeLevels.MAX_LEAVES) {
      throw new IllegalArgumentException("at most " + TreeLevels.MAX_LEAVES + " leaves, got " + size);
    }
  }

  public long size() {
    return levels.size();
  }

  public Hash32 root() {
    return root;
  }

  /** The hash of leaf {@code index}. */
  public Hash32 leafHash(long index) {
    Objects.checkIndex(index, size());
    return Hash32.of(levels.leaf(index));
  }

  /** The inclusion proof of leaf {@code index} in this tree. */
  public InclusionProof inclusionProof(long index) {
    Objects.checkIndex(index, size());
    synchronized (levels) {
      return new InclusionProof(index, size(), levels.inclusionPath(index, size()));
    }
  }

  /** The proof that this tree extends the tree of its first {@code fromSize} leaves. */
  public ConsistencyProof consistencyProof(long fromSize) {
    if (fromSize < 1 || fromSize > size()) {
      throw new IllegalArgumentException("fromSize must be in [1, " + size() + "], got " + fromSize);
    }
    synchronized (levels) {
      return new ConsistencyProof(fromSize, size(), levels.consistencyPath(fromSize, size()));
    }
  }

  /** The root of the tree of this tree's first {@code treeSize} leaves. */
  public Hash32 rootAt(long treeSize) {
    if (treeSize < 1 || treeSize > size()) {
      throw new IllegalArgumentException("treeSize must be in [1, " + size() + "], got " + treeSize);
    }
    synchronized (levels) {
      return levels.root(treeSize);
    }
  }

  @Override
  public String toString() {
    return "MerkleTree[size=" + size() + ", root=" + root + "]";
  }
}
