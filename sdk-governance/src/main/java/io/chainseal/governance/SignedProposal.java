package io.chainseal.governance;

import io.chainseal.chain.EcdsaSignature;
import java.util.Objects;

/**
 * A {@link Proposal} with its author's EIP-712 signature — by Chainseal ({@link Proposal#sign}) or any
 * wallet from {@link Proposal#typedDataJson()}.
 *
 * @param proposal what was proposed
 * @param signature the author's signature over {@link Proposal#id()}
 */
public record SignedProposal(Proposal proposal, EcdsaSignature signature) {
  public SignedProposal {
    Objects.requireNonNull(proposal, "proposal == null");
    Objects.requireNonNull(signature, "signature == null");
  }

  /** Whether the signature recovers to the proposal's author (a tampered proposal recovers to someone else). */
  public boolean isAuthentic() {
    try {
      return signature.recover(proposal.id()).filter(proposal.author()::equals).isPresent();
    } catch (IllegalArgumentException e) {
      return false; // typed data a wallet could not encode either
    }
  }
}
