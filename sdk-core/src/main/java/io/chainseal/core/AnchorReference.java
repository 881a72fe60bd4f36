package io.chainseal.core;

import java.util.Objects;

/**
 * Where a batch root was anchored on an EVM chain: filled in by sdk-anchor, checked online by its
 * provenance verifier.
 *
 * @param chainId EIP-155 chain id
 * @param contract the anchor contract's address
 * @param transactionHash the anchoring transaction
 * @param blockNumber the block that includes it
 * @param logIndex the index of the anchor event in that block's logs
 */
public record AnchorReference(long chainId, EvmAddress contract, Hash32 transactionHash, long blockNumber, long logIndex) {
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
}
