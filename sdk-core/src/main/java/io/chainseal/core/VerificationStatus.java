package io.chainseal.core;

/**
 * The verdict on a message and its proof; IM clients show one badge per status. Only
 * {@link #VERIFIED} (online) and {@link #VERIFIED_OFFLINE} mean the proof holds.
 */
public enum VerificationStatus {
  /** Everything checks out, on chain too, with the required confirmations (sdk-anchor). */
  VERIFIED,
  /** The message, salt, proof and signature agree; the chain was not consulted (core). */
  VERIFIED_OFFLINE,
  /**
   * The message is in a batch its operator has signed a checkpoint for, and the anchor is not on chain
   * yet (but its deadline has not passed): the instant badge, upgraded to {@link #VERIFIED} later.
   */
  SEALED,
  /** The message or its salt does not match the proof's commitment: changed, or not this proof's message. */
  TAMPERED,
  /** The proof is malformed or internally inconsistent: its path does not lead to its root. */
  BAD_PROOF,
  /** The signature is missing where required, invalid, or by someone other than the named sender. */
  BAD_SIGNATURE,
  /** The anchor transaction exists but lacks the required confirmations yet (sdk-anchor). */
  PENDING,
  /** No anchor of this root at the given transaction, contract and chain (sdk-anchor). */
  NOT_ANCHORED,
  /** The anchor was on chain but a reorganization removed it (sdk-anchor). */
  REORGED,
  /** The root was anchored by a publisher outside the trusted set (sdk-anchor). */
  UNTRUSTED_PUBLISHER,
  /** The proof names another chain than the one the verifier is connected to (sdk-anchor). */
  WRONG_CHAIN,
  /** The chain could not be reached or answered garbage: no verdict yet, try again (sdk-anchor). */
  UNAVAILABLE,
  /** The operator signed or anchored two different batches under one sequence number: evidence against it. */
  EQUIVOCATION,
  /** The operator's signed checkpoint was not anchored within its deadline: evidence against it. */
  UNANCHORED_CHECKPOINT,
  /**
   * The publisher's anchors around this one do not link up: the previous batch number was never
   * anchored, so the publisher's history has a hole (sdk-anchor). Evidence against the operator.
   */
  BROKEN_HISTORY,
  /**
   * The verifier itself failed (a bug in Chainseal, logged with its stack trace): this says nothing
   * about the message or its proof. Report it; do not show it to users as a bad proof.
   */
  VERIFIER_ERROR;

  /** Whether this status means the proof holds. */
  public boolean isVerified() {
    return this == VERIFIED || this == VERIFIED_OFFLINE;
  }
}
