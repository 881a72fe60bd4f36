package io.chainseal.core;

import io.chainseal.core.internal.Hex;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable 32-byte value: a SHA-256 digest, a Merkle node, a commitment, a transaction hash.
 * Bytes are copied in and out. Text form: 64 lowercase hex digits.
 */
public final class Hash32 implements Comparable<Hash32> {
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Hash32(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Copies {@code bytes}, which must be exactly 32 long.
   *
   * @throws IllegalArgumentException if the length is not 32
   */
  public static Hash32 of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("expected 32 bytes, got " + bytes.length);
    }
    return new Hash32(bytes.clone());
  }

  /** Copies 32 bytes of {@code source} from {@code offset}. */
  public static Hash32 of(byte[] source, int offset) {
    Objects.checkFromIndexSize(offset, LENGTH, source.length);
    return new Hash32(Arrays.copyOfRange(source, offset, offset + LENGTH));
  }

  /**
   * Parses 64 hex digits, with or without a {@code 0x} prefix, in either case.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code hex}
   */
  public static Hash32 fromHex(String hex) {
    Objects.requireNonNull(hex, "hex == null");
    String digits = Hex.strip0x(hex);
    if (digits.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("expected 64 hex digits, got " + digits.length());
    }
    byte[] decoded = Hex.decodeOrNull(digits);
    if (decoded == null) {
      throw new IllegalArgumentException("not hex: " + abbreviate(hex));
    }
    return new Hash32(decoded);
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Copies the 32 bytes into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, LENGTH);
  }

  /** 64 lowercase hex digits, no prefix. */
  public String hex() {
    return Hex.encode(bytes);
  }

  /** {@code 0x} followed by 64 lowercase hex digits, as Ethereum tools print hashes. */
  public String hex0x() {
    return "0x" + hex();
  }

  /** Whether these bytes equal {@code other}'s 32 bytes at {@code offset}, without copying. */
  boolean equalsAt(byte[] other, int offset) {
    return Arrays.equals(bytes, 0, LENGTH, other, offset, offset + LENGTH);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Hash32 other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Hash32 other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? "'" + text + "'" : "'" + text.substring(0, 77) + "...'";
  }
}
