package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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

  /** Equal when every component is, the data compared by content. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ChainLog other && address.equals(other.address) && topics.equals(other.topics)
        && Arrays.equals(data, other.data) && logIndex == other.logIndex && blockNumber == other.blockNumber
        && transactionHash.equals(other.transactionHash) && blockHash.equals(other.blockHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, topics, Arrays.hashCode(data), logIndex, blockNumber, transactionHash, blockHash);
  }

  @Override
  public String toString() {
    return "ChainLog[" + address + " " + topics + " data " + data.length + " bytes, block " + blockNumber + " ("
        + blockHash + "), log " + logIndex + ", transaction " + transactionHash + "]";
  }
}
