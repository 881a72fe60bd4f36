package io.chainseal.wallet;

import java.util.Objects;

/** A voucher was refused by a {@link ChannelReceiver} or a {@link ChannelPayer}. {@link #reason()} says why. */
public final class VoucherException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a voucher was refused. */
  public enum Reason {
    /** The voucher is for another channel. */
    WRONG_CHANNEL,
    /** The signature is not the channel sender's (forged, of another key, for another chain or contract, or high s). */
    BAD_SIGNATURE,
    /** The cumulative amount is above the channel's deposit: the contract would refuse it. */
    ABOVE_DEPOSIT,
    /** The cumulative amount is not above the highest accepted one: a replayed or stale voucher pays nothing. */
    NOT_INCREASING,
    /** The voucher pays less than what it was presented for. */
    UNDERPAID,
    /** An increment or amount is zero or negative. */
    INVALID_AMOUNT
  }

  private final Reason reason;

  public VoucherException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public Reason reason() {
    return reason;
  }
}
