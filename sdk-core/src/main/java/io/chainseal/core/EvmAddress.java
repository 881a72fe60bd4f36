package io.chainseal.core;

import io.chainseal.core.internal.Hex;
import io.chainseal.core.internal.Keccak;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable 20-byte EVM account or contract address. Text form: EIP-55 mixed-case checksum.
 */
public final class EvmAddress implements Comparable<EvmAddress> {
  public static final int LENGTH = 20;

  private final byte[] bytes;

  private EvmAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}, which must be exactly 20 long. */
  public static EvmAddress of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("expected 20 bytes, got " + bytes.length);
    }
    return new EvmAddress(bytes.clone());
  }

  /**
   * Parses {@code 0x} + 40 hex digits. All-lowercase and all-uppercase are accepted as is; mixed case
   * must carry a valid EIP-55 checksum, so a mistyped address is caught.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static EvmAddress fromHex(String text) {
    Objects.requireNonNull(text, "text == null");
    if (!text.startsWith("0x") && !text.startsWith("0X")) {
      throw new IllegalArgumentException("address must start with 0x: " + Hash32.abbreviate(text));
    }
    String digits = text.substring(2);
    if (digits.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("address must have 40 hex digits, got " + digits.length());
    }
    byte[] decoded = Hex.decodeOrNull(digits);
    if (decoded == null) {
      throw new IllegalArgumentException("address is not hex: " + Hash32.abbreviate(text));
    }
    EvmAddress address = new EvmAddress(decoded);
    boolean mixedCase = !digits.equals(digits.toLowerCase(java.util.Locale.ROOT))
        && !digits.equals(digits.toUpperCase(java.util.Locale.ROOT));
    if (mixedCase && !address.checksummed().substring(2).equals(digits)) {
      throw new IllegalArgumentException("address fails its EIP-55 checksum: " + text);
    }
    return address;
  }

  /** A copy of the 20 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** EIP-55 checksummed text, {@code 0x} + 40 mixed-case hex digits. */
  public String checksummed() {
    String lower = Hex.encode(bytes);
    byte[] hash = Keccak.keccak256(lower.getBytes(StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder(42).append("0x");
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0x0f;
      out.append(c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  /** {@code 0x} + 40 lowercase hex digits. */
  public String lowercase() {
    return "0x" + Hex.encode(bytes);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EvmAddress other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(EvmAddress other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return checksummed();
  }
}
