package io.chainseal.anchor;

import java.time.Duration;
import java.util.Objects;

/**
 * When a batch closes: as soon as it holds {@code maxSize} messages, or {@code maxDelay} after its
 * oldest message was accepted, whichever comes first.
 *
 * @param maxSize most messages per batch (one anchoring transaction each)
 * @param maxDelay longest a message waits for its batch to close
 */
public record BatchPolicy(int maxSize, Duration maxDelay) {
  /** 10,000 messages or 1 second. */
  public static final BatchPolicy DEFAULT = new BatchPolicy(10_000, Duration.ofSeconds(1));

  public BatchPolicy {
    Objects.requireNonNull(maxDelay, "maxDelay == null");
    if (maxSize < 1 || maxSize > 1 << 24) {
      throw new IllegalArgumentException("maxSize must be in [1, 16777216], got " + maxSize);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must not be negative");
    }
  }
}
