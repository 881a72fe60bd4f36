package io.chainseal.core;

/** Which sender signatures a verifier demands (see {@link OfflineVerifier#withPolicy}). */
public enum SignaturePolicy {
  /** Unsigned messages verify (the result says {@link SenderBinding#UNSIGNED}); a present signature must be valid. */
  OPTIONAL,
  /** Every message must carry a valid signature, by any key ({@link SenderBinding#UNDECLARED_KEY} passes). */
  REQUIRE_SIGNED,
  /**
   * Every message must be signed by the key its envelope declares as {@code senderKey}
   * ({@link SenderBinding#SENDER_KEY}): the only policy under which a verdict says who wrote it.
   */
  REQUIRE_SENDER_KEY
}
