package io.chainseal.core;

import io.chainseal.core.internal.Hex;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A signature over a message's commitment and the signer it claims. Immutable; bytes copied in and
 * out. Check it with {@link SignatureVerifier}.
 */
public final class MessageSignature {
  private final SignerId signer;
  private final byte[] value;

  private MessageSignature(SignerId signer, byte[] value) {
    this.signer = signer;
    this.value = value;
  }

  /**
   * A signature by {@code signer}.
   *
   * @throws IllegalArgumentException if {@code value} has the wrong length for the signer's scheme
   */
  public static MessageSignature of(SignerId signer, byte[] value) {
    Objects.requireNonNull(signer, "signer == null");
    Objects.requireNonNull(value, "value == null");
    if (value.length != signer.scheme().signatureLength()) {
      throw new IllegalArgumentException(signer.scheme().id() + " signatures are " + signer.scheme().signatureLength()
          + " bytes, got " + value.length);
    }
    return new MessageSignature(signer, value.clone());
  }

  public SignerId signer() {
    return signer;
  }

  public SignatureScheme scheme() {
    return signer.scheme();
  }

  /** The signature bytes, copied. */
  public byte[] value() {
    return value.clone();
  }

  public String valueHex() {
    return Hex.encode(value);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MessageSignature other && other.signer.equals(signer) && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return 31 * signer.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "MessageSignature[" + signer + ", " + valueHex() + "]";
  }
}
