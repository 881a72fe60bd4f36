package io.chainseal.anchor;

import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link Anchorer#submit} hands back at once: the message's key and commitment, and a future
 * that completes with its {@link MessageProof} when the batch holding it is anchored with the required
 * confirmations. Submitting the same key again returns the same instance while it is pending.
 */
public final class PendingProof {
  private final MessageKey key;
  private final Hash32 commitment;
  final CompletableFuture<MessageProof> proof = new CompletableFuture<>();
  final CompletableFuture<MessageProof> sealed = new CompletableFuture<>();
  /** Completes when the message is durably journaled (or fails if it could not be). */
  final CompletableFuture<Void> durable = new CompletableFuture<>();

  PendingProof(MessageKey key, Hash32 commitment) {
    this.key = key;
    this.commitment = commitment;
  }

  public MessageKey key() {
    return key;
  }

  public Hash32 commitment() {
    return commitment;
  }

  /**
   * Completes with the proof once anchored and confirmed. It completes exceptionally only if the
   * anchorer is closed first; the message stays in the journal and a restarted anchorer finishes it.
   * The returned future is a view: completing it does not affect the anchorer.
   */
  public CompletableFuture<MessageProof> proof() {
    return proof.copy();
  }

  /**
   * Completes as soon as the message's batch closes, with a proof that carries the operator's signed
   * checkpoint but no anchor yet: it verifies as {@code SEALED} within a batch delay of submit, and is
   * superseded by {@link #proof()} once the chain confirms.
   */
  public CompletableFuture<MessageProof> sealed() {
    return sealed.copy();
  }

  public boolean isAnchored() {
    return proof.isDone() && !proof.isCompletedExceptionally();
  }

  @Override
  public String toString() {
    return "PendingProof[" + key + ", " + (isAnchored() ? "anchored" : "pending") + "]";
  }
}
