package io.chainseal.wallet;

import java.util.Objects;

/**
 * A payment was refused before anything was broadcast, or a payment id is unknown. {@link #reason()}
 * says why; the message names the problem (the field, the amounts), never key material.
 */
public final class PaymentException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a payment was refused. */
  public enum Reason {
    /** The payment id is empty, too long, or has characters outside {@code [A-Za-z0-9._:/@-]}. */
    INVALID_ID,
    /** The amount is zero, negative, or has more decimal places than the token has. */
    INVALID_AMOUNT,
    /** An expiry is not in the future (of the chain's clock). */
    INVALID_EXPIRY,
    /** An address is malformed or fails its EIP-55 checksum. */
    INVALID_ADDRESS,
    /** No ERC-20 token answers at the address (no contract, or no {@code decimals()}). */
    UNKNOWN_TOKEN,
    /** The sender holds less of the token than the amount. */
    INSUFFICIENT_BALANCE,
    /** The sender holds too little ETH for the amount (when paying ETH) plus the gas at the current fee. */
    INSUFFICIENT_FUNDS_FOR_GAS,
    /** The transfer would revert (the token refuses it), per {@code eth_estimateGas}. */
    WOULD_REVERT,
    /** The payment id was used before for another order (recipient, token or amount). */
    ID_REUSED,
    /** No payment has this id. */
    UNKNOWN_PAYMENT,
    /** A signed payment request is not the expected requester's (another signer, or a forged signature). */
    REQUEST_NOT_TRUSTED,
    /** A signed payment request expired. */
    REQUEST_EXPIRED,
    /** A signed payment request was paid before. */
    REQUEST_ALREADY_PAID,
    /** A request or receipt is for another chain than the payer's. */
    WRONG_CHAIN,
    /** The chain could not be asked (the node is unreachable or answered garbage); nothing was recorded. */
    CHAIN_UNAVAILABLE
  }

  private final Reason reason;

  public PaymentException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public PaymentException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public Reason reason() {
    return reason;
  }
}
