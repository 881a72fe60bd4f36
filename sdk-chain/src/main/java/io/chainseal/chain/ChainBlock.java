package io.chainseal.chain;

import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A block header, as much of it as Chainseal needs.
 *
 * @param number block number
 * @param hash block hash
 * @param timestamp block time
 * @param baseFeePerGas EIP-1559 base fee in wei (0 before London)
 */
public record ChainBlock(long number, Hash32 hash, Instant timestamp, BigInteger baseFeePerGas) {
  public ChainBlock {
    Objects.requireNonNull(hash, "hash == null");
    Objects.requireNonNull(timestamp, "timestamp == null");
    Objects.requireNonNull(baseFeePerGas, "baseFeePerGas == null");
  }
}
