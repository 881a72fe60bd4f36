package io.chainseal.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message as a {@link MessageStore} holds it.
 *
 * @param ref its conversation and message id
 * @param commitment its salted commitment (kept after erasure)
 * @param message its envelope and salt, decrypted; empty once erased
 * @param proof its proof, if one was attached (reduced for erasure once erased)
 * @param erasedAt when it was erased, if it was
 */
public record StoreEntry(MessageRef ref, Hash32 commitment, Optional<SaltedEnvelope> message, Optional<MessageProof> proof,
    Optional<Instant> erasedAt) {
  public StoreEntry {
    Objects.requireNonNull(ref, "ref == null");
    Objects.requireNonNull(commitment, "commitment == null");
    Objects.requireNonNull(message, "message == null");
    Objects.requireNonNull(proof, "proof == null");
    Objects.requireNonNull(erasedAt, "erasedAt == null");
  }

  /** Whether the message was erased. */
  public boolean erased() {
    return erasedAt.isPresent();
  }

  /** Ids and state only: never the content. */
  @Override
  public String toString() {
    return "StoreEntry[" + ref + ", " + commitment.hex().substring(0, 16) + "…" + (erased() ? ", erased" : "")
        + (proof.isPresent() ? ", proven" : "") + "]";
  }
}
