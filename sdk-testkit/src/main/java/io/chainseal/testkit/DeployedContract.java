package io.chainseal.testkit;

import java.math.BigInteger;
import java.util.Objects;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A contract deployed by {@link LocalChain#deploy}: where it lives and the receipt of its creation.
 *
 * @param address EIP-55 checksummed contract address
 * @param receipt the creation transaction's receipt
 */
public record DeployedContract(String address, TransactionReceipt receipt) {
  public DeployedContract {
    Objects.requireNonNull(address, "address == null");
    Objects.requireNonNull(receipt, "receipt == null");
  }

  public String transactionHash() {
    return receipt.getTransactionHash();
  }

  public BigInteger gasUsed() {
    return receipt.getGasUsed();
  }

  public long blockNumber() {
    return receipt.getBlockNumber().longValueExact();
  }
}
