package io.chainseal.anchor.internal;

import io.chainseal.anchor.JournalEntry;
import io.chainseal.anchor.MessageKey;
import io.chainseal.core.MessageProof;

/**
 * Where the anchorer's stages deliver proofs: the anchorer's table of pending messages, which completes
 * each waiting caller's futures on the callback executor. Thread-safe. Not API.
 */
public interface ProofSink {
  /** Starts tracking a message this instance must now finish (recovered, or accepted by another instance). */
  void track(JournalEntry entry);

  /** The message's batch closed: its sealed proof (checkpoint, no anchor). */
  void sealed(MessageKey key, MessageProof proof);

  /** The message's batch is anchored and confirmed: its proof. The message stops being tracked. */
  void anchored(MessageKey key, MessageProof proof);

  /** Whether anyone in this process waits for the message. */
  boolean isTracked(MessageKey key);
}
