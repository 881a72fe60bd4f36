package io.chainseal.core;

import io.chainseal.core.internal.NodeHasher;
import java.util.Arrays;
import java.util.Objects;

/**
 * Computes the RFC 9162 root of a stream of leaves in O(log n) memory: it keeps only the roots of
 * the complete subtrees that the current size decomposes into (a "compact range"). For batches too
 * large to hold, or when only the root is needed.
 *
 * <pre>{@code
 * MerkleAccumulator acc = new MerkleAccumulator();
 * for (Hash32 commitment : commitments) acc.append(commitment);
 * Hash32 root = acc.root();
 * }</pre>
 *
 * <p>Not thread-safe: use one per thread, or guard it.
 */
public final class MerkleAccumulator {
  private final NodeHasher hasher = new NodeHasher();

  /** An empty accumulator (size 0). */
  public MerkleAccumulator() {}
  /** Roots of the complete subtrees, largest (leftmost) first; one per set bit of {@link #size}. */
  private byte[] stack = new byte[64 * Hash32.LENGTH];
  private int depth;
  private long size;

  /** Appends one leaf hash (for example a commitment). */
  public void append(Hash32 leafHash) {
    Objects.requireNonNull(leafHash, "leafHash == null");
    leafHash.copyTo(stack, depth * Hash32.LENGTH);
    push();
  }

  /** Appends one leaf hash given as 32 bytes at {@code offset} of {@code packed}. */
  public void append(byte[] packed, int offset) {
    Objects.checkFromIndexSize(offset, Hash32.LENGTH, packed.length);
    System.arraycopy(packed, offset, stack, depth * Hash32.LENGTH, Hash32.LENGTH);
    push();
  }

  /** Appends raw leaf data, hashed as H(0x00 ‖ data). */
  public void appendData(byte[] data) {
    hasher.leaf(data, 0, data.length, stack, depth * Hash32.LENGTH);
    push();
  }

  private void push() {
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException("accumulator is full");
    }
    depth++;
    size++;
    // Each trailing 1-bit that becomes 0 merges two equal-height subtrees into one.
    for (long s = size; (s & 1) == 0; s >>>= 1) {
      int right = (depth - 1) * Hash32.LENGTH;
      int left = (depth - 2) * Hash32.LENGTH;
      hasher.node(stack, left, stack, right, stack, left);
      depth--;
    }
  }

  public long size() {
    return size;
  }

  /**
   * The root of all leaves appended so far.
   *
   * @throws IllegalStateException if nothing was appended
   */
  public Hash32 root() {
    if (size == 0) {
      throw new IllegalStateException("no leaves appended");
    }
    byte[] root = Arrays.copyOfRange(stack, (depth - 1) * Hash32.LENGTH, depth * Hash32.LENGTH);
    for (int i = depth - 2; i >= 0; i--) {
      hasher.node(stack, i * Hash32.LENGTH, root, 0, root, 0);
    }
    return Hash32.of(root);
  }
}
