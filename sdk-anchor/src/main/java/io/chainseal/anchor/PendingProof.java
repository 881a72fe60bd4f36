package io.chainseal.anchor;

import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
  /** Builds the sealed proof once the batch closed; set by the anchorer, read by {@link #sealed()}. */
  private volatile @Nullable Supplier<MessageProof> sealedSource;
  /** Whether anyone asked for the sealed proof: only then is it built (a batch may hold 100,000 messages). */
  private volatile boolean sealedWanted;
  /** Completes when the message is durably journaled (or fails if it could not be). */
  final CompletableFuture<Void> durable = new CompletableFuture<>();

  /**
   * Where a message is on its way to a proof, in words: asked only when a wait times out. One function
   * shared by every pending proof (not a closure per message: hundreds of thousands are tracked at once).
   */
  private final Function<MessageKey, String> progress;

  PendingProof(MessageKey key, Hash32 commitment, Function<MessageKey, String> progress) {
    this.key = key;
    this.commitment = commitment;
    this.progress = progress;
  }

  /**
   * Waits at most {@code timeout} for the proof. A timeout says where the message is: not yet in a
   * batch, in which batch, mined in which block with how many of how many confirmations, and whether
   * the chain has stopped making blocks (a local chain that mines only when a transaction arrives).
   *
   * @throws ProofTimeoutException if the proof is not ready in time, naming the message and its progress
   * @throws SubmitRejectedException if the anchorer closed before the proof was ready
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public MessageProof await(Duration timeout) throws ProofTimeoutException, InterruptedException {
    Objects.requireNonNull(timeout, "timeout == null");
    try {
      return proof.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      String where;
      try {
        where = progress.apply(key);
      } catch (RuntimeException failure) {
        where = "its progress could not be read (" + failure.getClass().getSimpleName() + ")";
      }
      throw new ProofTimeoutException("no proof of " + key + " within " + timeout + ": " + where);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SubmitRejectedException rejected) {
        throw rejected;
      }
      throw new SubmitRejectedException(SubmitRejectedException.Reason.CLOSED, "no proof of " + key + ": "
          + (cause == null ? "the anchorer stopped" : cause.toString()), cause);
    }
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
    sealedWanted = true;
    completeSealed(); // built here, on the caller's thread, if its batch has closed already
    return sealed.copy();
  }

  /**
   * The batch closed: {@code source} builds the sealed proof. Returns whether someone waits for it
   * (then the anchorer completes it on its callback executor with {@link #completeSealed()}).
   */
  boolean offerSealed(Supplier<MessageProof> source) {
    sealedSource = source;
    return sealedWanted;
  }

  void completeSealed() {
    Supplier<MessageProof> source = sealedSource;
    if (source != null && !sealed.isDone()) {
      sealed.complete(source.get());
    }
  }

  public boolean isAnchored() {
    return proof.isDone() && !proof.isCompletedExceptionally();
  }

  @Override
  public String toString() {
    return "PendingProof[" + key + ", " + (isAnchored() ? "anchored" : "pending") + "]";
  }
}
