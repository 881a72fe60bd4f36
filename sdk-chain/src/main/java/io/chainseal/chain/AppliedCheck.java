package io.chainseal.chain;

import io.chainseal.core.Hash32;
import java.util.Optional;

/**
 * Looks on chain for an intent's effect, independent of which transaction produced it — e.g. the
 * anchor event of a batch number. The {@link TransactionSender} asks before it signs an intent at a
 * new nonce (first time, after a revert, after its nonce went elsewhere, after a reorganization), so
 * that an intent whose effect is already on chain is never sent twice: the one guarantee a nonce
 * cannot give once a new nonce is involved.
 */
@FunctionalInterface
public interface AppliedCheck {
  /** Nothing to look for: only the intent's own attempts count. */
  AppliedCheck NONE = (intent, chain) -> Optional.empty();

  /**
   * The mined, successful transaction that already applied {@code intent}, if any.
   *
   * @throws ChainException if the chain cannot be asked (the sender tries again later; it never signs blind)
   * @throws IllegalStateException if the chain holds a <em>conflicting</em> effect (e.g. another root under
   *     the same batch number): the sender marks the intent FAILED and reports it
   */
  Optional<Hash32> appliedBy(TransactionIntent intent, ChainClient chain);
}
