package io.chainseal.governance;

import io.chainseal.chain.EcdsaSignature;
import io.chainseal.core.Hash32;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Vote} with the voter's EIP-712 signature — signed by Chainseal ({@link Vote#sign}) or by any
 * wallet from {@link Vote#typedDataJson()}.
 *
 * @param vote what was voted
 * @param signature the voter's signature over {@link Vote#digest()} (65 bytes r ‖ s ‖ v, low s)
 */
public record SignedVote(Vote vote, EcdsaSignature signature) {
  public SignedVote {
    Objects.requireNonNull(vote, "vote == null");
    Objects.requireNonNull(signature, "signature == null");
  }

  /**
   * Checks the vote against the proposal it is counted for: its chain, proposal and group, and that the
   * signature recovers to the vote's voter (a tampered vote recovers to someone else).
   *
   * @return empty if the vote stands, else why it does not
   */
  public Optional<VoteRejection> check(long chainId, Hash32 proposal, String group) {
    Optional<VoteRejection> binding = binding(chainId, proposal, group);
    if (binding.isPresent()) {
      return binding;
    }
    Optional<Hash32> digest = digest();
    return digest.isPresent() ? signatureCheck(digest.get()) : Optional.of(VoteRejection.BAD_SIGNATURE);
  }

  /** The vote's chain, proposal and group against the proposal's. */
  Optional<VoteRejection> binding(long chainId, Hash32 proposal, String group) {
    if (vote.chainId() != chainId) {
      return Optional.of(VoteRejection.WRONG_CHAIN);
    }
    if (!vote.proposal().equals(proposal)) {
      return Optional.of(VoteRejection.WRONG_PROPOSAL);
    }
    if (!vote.group().equals(group)) {
      return Optional.of(VoteRejection.WRONG_GROUP);
    }
    return Optional.empty();
  }

  /** The vote's EIP-712 digest, or empty if it cannot be encoded (no wallet could have signed it). */
  Optional<Hash32> digest() {
    try {
      return Optional.of(vote.digest());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether the signature over {@code digest} recovers to the voter. */
  Optional<VoteRejection> signatureCheck(Hash32 digest) {
    return signature.recover(digest).filter(vote.voter()::equals).isPresent() ? Optional.empty() : Optional.of(VoteRejection.BAD_SIGNATURE);
  }
}
