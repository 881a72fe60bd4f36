package io.chainseal.anchor;

import io.chainseal.core.Hash32;
import io.chainseal.core.MessageSignature;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One accepted message as the journal keeps it: its key, commitment, optional signature and the
 * time it was accepted. Never its content or salt.
 *
 * @param key conversation and message id
 * @param commitment the message's commitment (its leaf hash)
 * @param signature the sender's signature over the commitment, if any
 * @param acceptedAt when {@link Anchorer#submit} accepted it
 */
public record JournalEntry(MessageKey key, Hash32 commitment, @Nullable MessageSignature signature, Instant acceptedAt) {
  public JournalEntry {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(commitment, "commitment == null");
    Objects.requireNonNull(acceptedAt, "acceptedAt == null");
  }

  public Optional<MessageSignature> signatureIfAny() {
    return Optional.ofNullable(signature);
  }
}
