package io.chainseal.wallet;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What {@link Payments#send} returns: the payment's id, its status now, and a future that completes
 * when it is final (or fails with {@link PaymentFailedException} when it is given up).
 */
public final class PaymentHandle {
  private final String paymentId;
  private final Supplier<Payment> status;
  private final CompletableFuture<Payment> done;

  PaymentHandle(String paymentId, Supplier<Payment> status, CompletableFuture<Payment> done) {
    this.paymentId = Objects.requireNonNull(paymentId, "paymentId == null");
    this.status = status;
    this.done = done;
  }

  public String paymentId() {
    return paymentId;
  }

  /** The payment as its journal holds it now. */
  public Payment payment() {
    return status.get();
  }

  /** Completes with the payment once it is final; fails with a {@link PaymentFailedException} if it is given up. */
  public CompletableFuture<Payment> whenFinal() {
    return done.copy();
  }

  @Override
  public String toString() {
    return "PaymentHandle[" + paymentId + "]";
  }
}
