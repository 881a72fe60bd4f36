package io.chainseal.core;

import io.chainseal.core.internal.Hex;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The 32 random bytes that blind a message's commitment. The host app keeps the salt next to the
 * message; without it the commitment reveals nothing, not even for a short message like "yes"
 * (no dictionary attack). Forgetting the salt and the content erases the message: its proof still
 * shows that <em>a</em> message existed at that position and time, and nothing more.
 *
 * <p>Treat a salt like the message itself: {@link #toString()} prints nothing of it; read it with
 * {@link #bytes()} or {@link #toHex()} to store it.
 */
public final class Salt {
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Salt(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A fresh salt from a shared {@link SecureRandom}. */
  public static Salt random() {
    return random(Randomness.SECURE);
  }

  /** A fresh salt from {@code random}. */
  public static Salt random(SecureRandom random) {
    byte[] bytes = new byte[LENGTH];
    random.nextBytes(bytes);
    return new Salt(bytes);
  }

  /** Copies a stored salt of exactly 32 bytes. */
  public static Salt of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a salt is 32 bytes, got " + bytes.length);
    }
    return new Salt(bytes.clone());
  }

  /** Parses a stored salt: 64 hex digits. */
  public static Salt fromHex(String hex) {
    Objects.requireNonNull(hex, "hex == null");
    byte[] decoded = Hex.decodeOrNull(Hex.strip0x(hex));
    if (decoded == null || decoded.length != LENGTH) {
      throw new IllegalArgumentException("a salt is 64 hex digits");
    }
    return new Salt(decoded);
  }

  /** A copy of the salt's bytes, to store with the message. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The salt as 64 lowercase hex digits, to store with the message. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, LENGTH);
  }

  /** Feeds the salt to {@code digest} without copying it anywhere else. */
  void updateDigest(java.security.MessageDigest digest) {
    digest.update(bytes, 0, LENGTH);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Salt other && java.security.MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Salt[redacted]";
  }

  /** Holder so the SecureRandom is created on first use. */
  private static final class Randomness {
    static final SecureRandom SECURE = new SecureRandom();
  }
}
