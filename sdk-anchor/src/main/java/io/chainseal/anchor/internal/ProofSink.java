package io.chainseal.anchor.internal;

import io.chainseal.anchor.JournalEntry;
import io.chainseal.anchor.MessageKey;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.MessageProof;
import java.util.List;
import java.util.Objects;

/**
 * Where the anchorer's stages deliver proofs: the anchorer's table of pending messages, which completes
 * the waiting callers' futures on the callback executor. Thread-safe. Not API.
 */
public interface ProofSink {
  /** A proof for one message. */
  record Delivery(MessageKey key, MessageProof proof) {
    public Delivery {
      Objects.requireNonNull(key, "key == null");
      Objects.requireNonNull(proof, "proof == null");
    }
  }

  /** Starts tracking a message this instance must now finish (recovered, or accepted by another instance). */
  void track(JournalEntry entry);

  /**
   * A batch this leader must finish: its members are tracked (those accepted by another instance, or
   * recovered, from now on) and may have their sealed proofs, as {@link #sealed}.
   */
  void batched(SealedBatch batch);

  /**
   * A batch closed: its members may now have their sealed proofs (checkpoint, no anchor). They are
   * built only for callers who asked for them ({@code PendingProof.sealed()}), when they ask.
   */
  void sealed(SealedBatch batch);

  /** Some messages' batches are anchored and confirmed: their proofs. They stop being tracked. */
  void anchored(List<Delivery> anchored);

  /**
   * {@code batch} is anchored at {@code anchor} and confirmed: the proofs of the members anyone here
   * waits for (built only for them). They stop being tracked.
   */
  void anchored(SealedBatch batch, AnchorReference anchor);

  /** Whether anyone in this process waits for the message. */
  boolean isTracked(MessageKey key);
}
