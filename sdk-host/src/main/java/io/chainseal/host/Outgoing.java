package io.chainseal.host;

import io.chainseal.anchor.PendingProof;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageRef;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.Salt;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Chainseal#onOutgoing} hands back for a message on its way out: what to attach to it for
 * its recipients (the commitment, the salt, the sender's signature) and its pending proof. The salt is
 * as private as the message (with it, anyone can test guesses of the content against the commitment):
 * send it only inside the conversation, and never log it.
 *
 * @param ref the message's ids
 * @param commitment its salted commitment: the leaf anchored on chain
 * @param salt its salt
 * @param signature the sender's signature over the commitment, if the sender signed
 * @param pending the proof to come (also delivered to {@link Chainseal#onProofReady} listeners)
 */
public record Outgoing(MessageRef ref, Hash32 commitment, Salt salt, @Nullable MessageSignature signature, PendingProof pending) {
  public Outgoing {
    Objects.requireNonNull(ref, "ref == null");
    Objects.requireNonNull(commitment, "commitment == null");
    Objects.requireNonNull(salt, "salt == null");
    Objects.requireNonNull(pending, "pending == null");
  }

  /** The sender's signature, if any. */
  public Optional<MessageSignature> signatureIfAny() {
    return Optional.ofNullable(signature);
  }

  /** Ids and commitment only: never the salt. */
  @Override
  public String toString() {
    return "Outgoing[" + ref.conversationId() + "/" + ref.messageId() + ", " + commitment.hex().substring(0, 16) + "…"
        + (signature != null ? ", signed" : "") + "]";
  }
}
