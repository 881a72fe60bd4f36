package io.chainseal.chain;

import io.chainseal.core.Hash32;
import java.util.Objects;

/**
 * Where an intent's transaction was mined.
 *
 * @param hash the mined transaction
 * @param blockNumber the block that includes it
 * @param blockHash that block's hash: if the block at that height changes, the transaction was reorganized away
 */
public record MinedTransaction(Hash32 hash, long blockNumber, Hash32 blockHash) {
  public MinedTransaction {
    Objects.requireNonNull(hash, "hash == null");
    Objects.requireNonNull(blockHash, "blockHash == null");
  }

  public static MinedTransaction of(ChainReceipt receipt) {
    return new MinedTransaction(receipt.transactionHash(), receipt.blockNumber(), receipt.blockHash());
  }
}
