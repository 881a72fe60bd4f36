package io.chainseal.testkit;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The receipt of a transaction mined on a {@link LocalChain}, in the SDK's own types.
 *
 * @param transactionHash the transaction's hash
 * @param blockNumber the block it was mined in
 * @param blockHash that block's hash
 * @param succeeded false if it reverted (status 0)
 * @param gasUsed the gas it used
 * @param contractAddress the contract it created, if it was a deployment
 */
public record LocalReceipt(Hash32 transactionHash, long blockNumber, Hash32 blockHash, boolean succeeded, BigInteger gasUsed,
    @Nullable EvmAddress contractAddress) {
  public LocalReceipt {
    Objects.requireNonNull(transactionHash, "transactionHash == null");
    Objects.requireNonNull(blockHash, "blockHash == null");
    Objects.requireNonNull(gasUsed, "gasUsed == null");
  }

  /** The created contract's address, if this receipt is of a deployment. */
  public Optional<EvmAddress> createdContract() {
    return Optional.ofNullable(contractAddress);
  }
}
