package io.chainseal.wallet;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A payment as last seen: its order, who pays, its status, and its transaction.
 *
 * @param order what is paid
 * @param from the paying account
 * @param status where it is
 * @param transaction the mined transaction, or the latest one broadcast; null before any
 * @param blockNumber the block that includes it, once mined
 */
public record Payment(PaymentOrder order, EvmAddress from, PaymentStatus status, @Nullable Hash32 transaction,
    @Nullable Long blockNumber) {
  public Payment {
    Objects.requireNonNull(order, "order == null");
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(status, "status == null");
  }

  public String paymentId() {
    return order.paymentId();
  }
}
