package io.chainseal.wallet;

import java.util.Objects;

/** A payment was given up after it was recorded: nothing moved. Carries the payment as last seen. */
public final class PaymentFailedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Payment payment;

  public PaymentFailedException(Payment payment, String message) {
    super(message);
    this.payment = Objects.requireNonNull(payment, "payment == null");
  }

  public Payment payment() {
    return payment;
  }
}
