package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import java.math.BigInteger;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to send: a call or a transfer that must take effect exactly once, named by the caller's
 * idempotency key. Build with {@link #builder(String, EvmAddress)}.
 */
public final class TransactionRequest {
  private final String id;
  private final EvmAddress to;
  private final byte[] data;
  private final BigInteger value;

  private TransactionRequest(Builder b) {
    this.id = b.id;
    this.to = b.to;
    this.data = b.data.clone();
    this.value = b.value;
  }

  /**
   * A request named {@code id} (1–200 characters, unique per sender for ever: submitting the same id
   * again returns the first request's handle) to {@code to}.
   */
  public static Builder builder(String id, EvmAddress to) {
    return new Builder(id, to);
  }

  public String id() {
    return id;
  }

  public EvmAddress to() {
    return to;
  }

  public byte[] data() {
    return data.clone();
  }

  public BigInteger value() {
    return value;
  }

  @Override
  public String toString() {
    return "TransactionRequest[" + id + ", to " + to + ", " + data.length + " bytes, " + value + " wei]";
  }

  /** Builds a {@link TransactionRequest}. */
  public static final class Builder {
    private final String id;
    private final EvmAddress to;
    private byte[] data = new byte[0];
    private BigInteger value = BigInteger.ZERO;

    private Builder(String id, EvmAddress to) {
      this.id = Objects.requireNonNull(id, "id == null");
      this.to = Objects.requireNonNull(to, "to == null");
      if (id.isEmpty() || id.length() > TransactionIntent.MAX_ID_LENGTH) {
        throw new IllegalArgumentException("id must be 1-" + TransactionIntent.MAX_ID_LENGTH + " characters");
      }
    }

    /** Call data; default none. */
    public Builder data(byte[] data) {
      this.data = Objects.requireNonNull(data, "data == null").clone();
      return this;
    }

    /** Wei sent along; default 0. */
    public Builder value(BigInteger value) {
      Objects.requireNonNull(value, "value == null");
      if (value.signum() < 0) {
        throw new IllegalArgumentException("value must not be negative, got " + value);
      }
      this.value = value;
      return this;
    }

    public TransactionRequest build() {
      return new TransactionRequest(this);
    }
  }

}
