package io.chainseal.anchor;

import io.chainseal.core.EvmAddress;
import java.util.Objects;

/**
 * Whose anchors a journal holds: one publisher, on one chain, in one contract. A journal records it on
 * first use and refuses to serve another — a journal copied to another operator's deployment, or a
 * publisher key switched under it, would otherwise sign batch numbers that publisher already used.
 *
 * @param publisher the operator's address
 * @param chainId the chain its anchors are on
 * @param contract the anchor contract
 */
public record JournalIdentity(EvmAddress publisher, long chainId, EvmAddress contract) {
  public JournalIdentity {
    Objects.requireNonNull(publisher, "publisher == null");
    Objects.requireNonNull(contract, "contract == null");
    if (chainId < 1) {
      throw new IllegalArgumentException("chainId must be at least 1, got " + chainId);
    }
  }

  @Override
  public String toString() {
    return "publisher " + publisher + " on chain " + chainId + " in contract " + contract;
  }
}
