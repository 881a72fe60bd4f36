package io.chainseal.wallet;

import io.chainseal.core.EvmAddress;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A payment order as a {@link WalletJournal} keeps it: recorded before anything is signed, so its id
 * is taken for ever, and readable back after any restart.
 *
 * @param order what to pay
 * @param from the paying account
 * @param recordedAt when it was first recorded
 */
public record StoredPayment(PaymentOrder order, EvmAddress from, Instant recordedAt) {
  public StoredPayment {
    Objects.requireNonNull(order, "order == null");
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(recordedAt, "recordedAt == null");
  }

  public String paymentId() {
    return order.paymentId();
  }

  /** The amount in the token's smallest unit. */
  public BigInteger baseUnits() {
    return order.baseUnits();
  }

  /** Whether {@code other} orders the same payment (same recipient, token and amount). */
  public boolean sameOrder(PaymentOrder other) {
    return order.fingerprint().equals(other.fingerprint());
  }
}
