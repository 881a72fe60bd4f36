package io.chainseal.core;

/**
 * Whether a verified message's signature ties it to its sender. Every verdict on a message says which
 * case a host is looking at, so an unsigned message is never mistaken for a signed one.
 */
public enum SenderBinding {
  /** Signed by the key the envelope declares for its sender ({@code senderKey}): the sender vouches for it. */
  SENDER_KEY,
  /**
   * Signed, but the envelope declares no {@code senderKey}: the signature shows that whoever holds that
   * key signed the message, and nothing ties that key to the named sender.
   */
  UNDECLARED_KEY,
  /** Signed by another key than the one the envelope declares: the verdict is {@code BAD_SIGNATURE}. */
  WRONG_KEY,
  /** The proof carries no signature: nothing says who wrote the message beyond the operator's word. */
  UNSIGNED
}
