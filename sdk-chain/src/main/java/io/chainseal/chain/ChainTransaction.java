package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A transaction as a node reports it ({@code eth_getTransactionByHash}): what was sent, by whom, and
 * where it was mined (if it was).
 *
 * @param hash the transaction's hash
 * @param from the sender
 * @param to the recipient, or null for a contract creation
 * @param value wei sent along
 * @param input call data
 * @param nonce the sender's nonce
 * @param chainId the chain id the signature binds, or null for a legacy transaction without one
 * @param blockNumber the block that includes it, or null while pending
 */
public record ChainTransaction(Hash32 hash, EvmAddress from, @Nullable EvmAddress to, BigInteger value, byte[] input, long nonce,
    @Nullable Long chainId, @Nullable Long blockNumber) {
  public ChainTransaction {
    Objects.requireNonNull(hash, "hash == null");
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(value, "value == null");
    input = Objects.requireNonNull(input, "input == null").clone();
  }

  @Override
  public byte[] input() {
    return input.clone();
  }

  /** The block that includes it, if mined. */
  public OptionalLong mined() {
    return blockNumber == null ? OptionalLong.empty() : OptionalLong.of(blockNumber);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ChainTransaction other && hash.equals(other.hash) && from.equals(other.from) && Objects.equals(to, other.to)
        && value.equals(other.value) && Arrays.equals(input, other.input) && nonce == other.nonce
        && Objects.equals(chainId, other.chainId) && Objects.equals(blockNumber, other.blockNumber);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "ChainTransaction[" + hash + ", from " + from + ", to " + to + ", " + value + " wei, " + input.length + " bytes"
        + (input.length > 0 ? " (" + HexFormat.of().formatHex(input, 0, Math.min(4, input.length)) + "…)" : "") + ", nonce " + nonce
        + ", chain " + chainId + ", block " + blockNumber + "]";
  }
}
