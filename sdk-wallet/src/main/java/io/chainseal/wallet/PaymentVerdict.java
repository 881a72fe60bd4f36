package io.chainseal.wallet;

import java.util.Objects;

/**
 * What a {@link PaymentVerifier} concluded about a {@link PaymentReceipt}.
 *
 * @param status VERIFIED only when the chain backs every claim with enough confirmations
 * @param problem what is wrong (NONE when verified)
 * @param message one line a person can read
 * @param confirmations how deep the transaction is (0 if not mined or unknown)
 */
public record PaymentVerdict(Status status, Problem problem, String message, long confirmations) {
  /** The outcome. */
  public enum Status {
    /** The chain backs the receipt, with at least the required confirmations. */
    VERIFIED,
    /** Not (yet) backed: unknown or unmined transaction, or too few confirmations. Ask again later. */
    PENDING,
    /** The chain contradicts the receipt: never accept it. */
    REJECTED,
    /** The chain could not be asked (or a bug); nothing was concluded. */
    UNAVAILABLE
  }

  /** What a verdict other than VERIFIED found. */
  public enum Problem {
    NONE,
    /** The receipt names another chain, or the transaction is signed for another chain. */
    WRONG_CHAIN,
    /** The node does not know the transaction. */
    NOT_FOUND,
    /** Known, not mined yet. */
    NOT_MINED,
    /** The transaction reverted: nothing moved. */
    REVERTED,
    /** The transaction was sent by another account than the receipt says. */
    WRONG_SENDER,
    /** The value went to another account than the receipt says, or the receipt is for someone else. */
    WRONG_RECIPIENT,
    /** The transaction moved another token (or ETH instead of a token, or the reverse). */
    WRONG_TOKEN,
    /** The transaction moved another amount. */
    WRONG_AMOUNT,
    /** Mined, with fewer confirmations than required. */
    TOO_FEW_CONFIRMATIONS,
    /** The node could not be asked, answered for another chain, or answered garbage. */
    CHAIN_UNAVAILABLE,
    /** A bug in Chainseal, not a problem of the receipt. */
    INTERNAL_ERROR
  }

  public PaymentVerdict {
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(problem, "problem == null");
    Objects.requireNonNull(message, "message == null");
  }

  public boolean isVerified() {
    return status == Status.VERIFIED;
  }
}
