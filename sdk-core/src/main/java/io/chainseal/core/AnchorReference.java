package io.chainseal.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a batch root was anchored on an EVM chain: filled in by sdk-anchor, checked online by its
 * provenance verifier.
 *
 * @param chainId EIP-155 chain id
 * @param contract the anchor contract's address
 * @param transactionHash the anchoring transaction
 * @param blockNumber the block that includes it
 * @param logIndex the index of the anchor event in that block's logs
 * @param blockHash the hash of that block, if known: it lets a verifier tell a reorganized-away anchor
 *     ({@code REORGED}) from one that never existed ({@code NOT_ANCHORED})
 */
public record AnchorReference(long chainId, EvmAddress contract, Hash32 transactionHash, long blockNumber, long logIndex,
    @Nullable Hash32 blockHash) {
  public AnchorReference {
    Objects.requireNonNull(contract, "contract == null");
    Objects.requireNonNull(transactionHash, "transactionHash == null");
    if (chainId < 1) {
      throw new IllegalArgumentException("chainId must be at least 1, got " + chainId);
    }
    if (blockNumber < 0 || logIndex < 0) {
      throw new IllegalArgumentException("blockNumber and logIndex must not be negative");
    }
  }

  /** A reference without the block hash. */
  public AnchorReference(long chainId, EvmAddress contract, Hash32 transactionHash, long blockNumber, long logIndex) {
    this(chainId, contract, transactionHash, blockNumber, logIndex, null);
  }

  public Optional<Hash32> blockHashIfKnown() {
    return Optional.ofNullable(blockHash);
  }
}
