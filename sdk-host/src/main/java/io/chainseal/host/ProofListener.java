package io.chainseal.host;

import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;

/**
 * Told when a message sent through {@link Chainseal#onOutgoing} has its anchored, confirmed proof (the
 * proof is already in the message store): forward it to the recipients, or update the UI. Called on
 * the anchorer's callback executor; a listener that throws is logged and the others still run.
 */
@FunctionalInterface
public interface ProofListener {
  /** {@code proof} of message {@code ref} is ready. */
  void onProofReady(MessageRef ref, MessageProof proof);
}
