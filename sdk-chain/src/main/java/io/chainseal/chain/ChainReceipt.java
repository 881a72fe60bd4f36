package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A mined transaction's receipt.
 *
 * @param transactionHash the transaction
 * @param blockNumber the block that includes it
 * @param blockHash that block's hash
 * @param success whether execution succeeded (status 1)
 * @param gasUsed gas used by this transaction
 * @param effectiveGasPrice wei paid per gas
 * @param from the sender
 * @param contractAddress the created contract, for a deployment
 * @param logs the event logs
 */
public record ChainReceipt(
    Hash32 transactionHash,
    long blockNumber,
    Hash32 blockHash,
    boolean success,
    BigInteger gasUsed,
    BigInteger effectiveGasPrice,
    EvmAddress from,
    @Nullable EvmAddress contractAddress,
    List<ChainLog> logs) {
  public ChainReceipt {
    Objects.requireNonNull(transactionHash, "transactionHash == null");
    Objects.requireNonNull(blockHash, "blockHash == null");
    Objects.requireNonNull(gasUsed, "gasUsed == null");
    Objects.requireNonNull(effectiveGasPrice, "effectiveGasPrice == null");
    Objects.requireNonNull(from, "from == null");
    logs = List.copyOf(logs);
  }

  public Optional<EvmAddress> createdContract() {
    return Optional.ofNullable(contractAddress);
  }
}
