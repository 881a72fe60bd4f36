package io.chainseal.core.internal;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 §2.1.1 hashing with one reusable SHA-256 instance: leaf = H(0x00 ‖ data), node =
 * H(0x01 ‖ left ‖ right). Not thread-safe: one per thread or per operation. Not API.
 */
public final class NodeHasher {
  public static final int HASH = 32;
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private final MessageDigest sha256 = newSha256();
  private final byte[] nodeInput = new byte[1 + 2 * HASH];

  public NodeHasher() {
    nodeInput[0] = NODE_PREFIX;
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /** Writes H(0x00 ‖ data[offset, offset+length)) to {@code out} at {@code outOffset}. */
  public void leaf(byte[] data, int offset, int length, byte[] out, int outOffset) {
    sha256.update(LEAF_PREFIX);
    sha256.update(data, offset, length);
    finish(out, outOffset);
  }

  /** Returns H(0x00 ‖ data). */
  public byte[] leaf(byte[] data) {
    byte[] out = new byte[HASH];
    leaf(data, 0, data.length, out, 0);
    return out;
  }

  /** Writes H(0x01 ‖ left ‖ right) to {@code out} at {@code outOffset}; {@code out} may alias an input. */
  public void node(byte[] left, int leftOffset, byte[] right, int rightOffset, byte[] out, int outOffset) {
    System.arraycopy(left, leftOffset, nodeInput, 1, HASH);
    System.arraycopy(right, rightOffset, nodeInput, 1 + HASH, HASH);
    sha256.update(nodeInput, 0, nodeInput.length);
    finish(out, outOffset);
  }

  /** Returns H(0x01 ‖ left ‖ right). */
  public byte[] node(byte[] left, byte[] right) {
    byte[] out = new byte[HASH];
    node(left, 0, right, 0, out, 0);
    return out;
  }

  private void finish(byte[] out, int outOffset) {
    try {
      sha256.digest(out, outOffset, HASH);
    } catch (DigestException e) {
      throw new IllegalArgumentException("no room for a digest at " + outOffset, e);
    }
  }
}
