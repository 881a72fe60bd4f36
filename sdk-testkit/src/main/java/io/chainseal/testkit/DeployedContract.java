package io.chainseal.testkit;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A contract deployed by {@link LocalChain#deploy}: where it lives and the receipt of its creation.
 *
 * @param address the contract's address
 * @param receipt the creation transaction's receipt
 */
public record DeployedContract(EvmAddress address, LocalReceipt receipt) {
  public DeployedContract {
    Objects.requireNonNull(address, "address == null");
    Objects.requireNonNull(receipt, "receipt == null");
  }

  /** The creation transaction's hash. */
  public Hash32 transactionHash() {
    return receipt.transactionHash();
  }

  /** The gas the creation used. */
  public BigInteger gasUsed() {
    return receipt.gasUsed();
  }

  /** The block the contract was created in (where a log scan for it may start). */
  public long blockNumber() {
    return receipt.blockNumber();
  }
}
