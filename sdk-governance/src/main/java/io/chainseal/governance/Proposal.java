package io.chainseal.governance;

import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * What a count needs to know of a proposal: where it lives (chain, group, id), its choices and voting
 * type, when voting ends, the snapshot block whose weights count, and the quorum.
 *
 * @param chainId the chain whose tokens weigh (and whose id votes are signed for)
 * @param id the proposal's id
 * @param group the group (conversation) deciding
 * @param choices how many choices (0-based in votes), at least 2
 * @param type how ballots are counted
 * @param end votes with a later timestamp are late
 * @param snapshotBlock the block whose weights count
 * @param quorum the least total weight of counted votes for the result to stand
 */
public record Proposal(long chainId, Hash32 id, String group, int choices, VotingType type, Instant end, long snapshotBlock,
    BigInteger quorum) {
  public Proposal {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(group, "group == null");
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(end, "end == null");
    Objects.requireNonNull(quorum, "quorum == null");
    if (chainId <= 0 || choices < 2 || snapshotBlock < 0 || quorum.signum() < 0) {
      throw new IllegalArgumentException("a proposal has a positive chain id, at least 2 choices, a snapshot block and a quorum of 0 or more");
    }
  }
}
