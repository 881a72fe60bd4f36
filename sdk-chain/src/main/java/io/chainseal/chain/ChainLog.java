package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.util.List;
import java.util.Objects;

/**
 * One event log.
 *
 * @param address the emitting contract
 * @param topics indexed topics, the event signature first
 * @param data the non-indexed data (copied on the way in and out)
 * @param logIndex index of the log in its block
 * @param blockNumber the block holding it
 * @param transactionHash the transaction that emitted it
 * @param blockHash the block's hash
 */
public record ChainLog(EvmAddress address, List<Hash32> topics, byte[] data, long logIndex, long blockNumber,
    Hash32 transactionHash, Hash32 blockHash) {
  public ChainLog {
    Objects.requireNonNull(address, "address == null");
    Objects.requireNonNull(transactionHash, "transactionHash == null");
    Objects.requireNonNull(blockHash, "blockHash == null");
    topics = List.copyOf(topics);
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }
}
