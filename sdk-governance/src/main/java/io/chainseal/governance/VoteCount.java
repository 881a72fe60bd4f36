package io.chainseal.governance;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts a proposal's signed votes by explicit rules, each rejected vote with its reason:
 * <ol>
 *   <li>a vote for another chain, proposal or group, or whose signature is not its voter's, is refused
 *       ({@link SignedVote#check});
 *   <li>a vote timestamped before the proposal's start is EARLY, after its end LATE;
 *   <li>a vote naming a choice the proposal lacks, or of a shape its voting type does not take, is UNKNOWN_CHOICE;
 *   <li>of one voter's remaining votes, the latest counts (equal timestamps: the one with the greater
 *       EIP-712 digest, then the greater signature, so the order votes arrived in never matters); the
 *       others are SUPERSEDED;
 *   <li>a voter with no weight at the snapshot block is ZERO_WEIGHT;
 *   <li>the rest are counted by the proposal's {@link VotingType}.
 * </ol>
 * Signatures are checked in parallel on the common fork-join pool (and the calling thread); weights
 * are asked once, for all remaining voters together.
 */
public final class VoteCount {
  private VoteCount() {}

  /** A vote that counted, with its voter's weight at the snapshot. */
  public record Counted(SignedVote vote, BigInteger weight) {
    public Counted {
      Objects.requireNonNull(vote, "vote == null");
      Objects.requireNonNull(weight, "weight == null");
    }
  }

  /** A vote that did not count, and why. */
  public record Rejected(SignedVote vote, VoteRejection reason) {
    public Rejected {
      Objects.requireNonNull(vote, "vote == null");
      Objects.requireNonNull(reason, "reason == null");
    }
  }

  /** The count: the tally, and every vote either counted or rejected. */
  public record Result(TallyResult tally, List<Counted> counted, List<Rejected> rejected) {
    public Result {
      counted = List.copyOf(counted);
      rejected = List.copyOf(rejected);
    }
  }

  /** A vote with its digest and what its own checks said (before the voter's other votes and weights are known). */
  private record Checked(SignedVote vote, Hash32 digest, Optional<VoteRejection> refused) {}

  /**
   * Counts {@code votes} for {@code proposal}, weighing voters with {@code weights} at the proposal's snapshot block.
   *
   * @throws IllegalArgumentException if {@code weights} is not the strategy the proposal names
   * @throws io.chainseal.chain.ChainException if the weights cannot be read from the chain
   */
  public static Result count(Proposal proposal, List<SignedVote> votes, WeightStrategy weights) {
    Objects.requireNonNull(proposal, "proposal == null");
    Objects.requireNonNull(votes, "votes == null");
    Objects.requireNonNull(weights, "weights == null");
    if (!weights.id().equals(proposal.weights())) {
      throw new IllegalArgumentException("the proposal is weighed by " + proposal.weights() + ", not by " + weights.id());
    }
    Hash32 id = proposal.id();
    byte[] domainSeparator = Vote.domainSeparator(proposal.chainId());
    List<Checked> checked = votes.parallelStream().map(vote -> check(proposal, id, domainSeparator, vote)).toList();
    List<Rejected> rejected = new ArrayList<>();
    Map<EvmAddress, Checked> latest = new LinkedHashMap<>();
    // Latest timestamp, then greater digest, then greater signature bytes: only identical votes tie,
    // and which of two identical votes counts changes nothing.
    Comparator<Checked> order = Comparator.comparing((Checked c) -> c.vote().vote().timestamp())
        .thenComparing(Checked::digest, Comparator.comparing(Hash32::hex))
        .thenComparing(c -> c.vote().signature().bytes(), java.util.Arrays::compareUnsigned);
    for (Checked vote : checked) {
      if (vote.refused().isPresent()) {
        rejected.add(new Rejected(vote.vote(), vote.refused().get()));
        continue;
      }
      Checked earlier = latest.get(vote.vote().vote().voter());
      if (earlier == null || order.compare(vote, earlier) > 0) {
        if (earlier != null) {
          rejected.add(new Rejected(earlier.vote(), VoteRejection.SUPERSEDED));
        }
        latest.put(vote.vote().vote().voter(), vote);
      } else {
        rejected.add(new Rejected(vote.vote(), VoteRejection.SUPERSEDED));
      }
    }
    Map<EvmAddress, BigInteger> weighed = latest.isEmpty() ? Map.of() : weights.weights(latest.keySet(), proposal.snapshotBlock());
    List<Counted> counted = new ArrayList<>();
    List<Tally.WeightedBallot> ballots = new ArrayList<>();
    for (Checked vote : latest.values()) {
      BigInteger weight = weighed.getOrDefault(vote.vote().vote().voter(), BigInteger.ZERO);
      if (weight.bitLength() > 256) {
        throw new IllegalStateException("the strategy " + weights.id() + " gave " + vote.vote().vote().voter() + " a weight above"
            + " 2^256 - 1: no token has that many");
      }
      if (weight.signum() <= 0) {
        rejected.add(new Rejected(vote.vote(), VoteRejection.ZERO_WEIGHT));
        continue;
      }
      counted.add(new Counted(vote.vote(), weight));
      ballots.add(new Tally.WeightedBallot(vote.vote().vote().ballot(proposal.type()), weight));
    }
    TallyResult tally = Tally.count(proposal.type(), proposal.choices().size(), ballots, proposal.quorum());
    return new Result(tally, counted, rejected);
  }

  private static Checked check(Proposal proposal, Hash32 id, byte[] domainSeparator, SignedVote vote) {
    Vote v = vote.vote();
    // Bound to this proposal's chain, proposal and group first: only then is its digest the one a count orders by.
    Optional<VoteRejection> refused = vote.binding(proposal.chainId(), id, proposal.group());
    Hash32 orderKey = Hash32.of(new byte[Hash32.LENGTH]);
    if (refused.isEmpty()) {
      orderKey = v.digest(domainSeparator);
      refused = vote.signatureCheck(orderKey);
    }
    if (refused.isEmpty() && v.timestamp().isBefore(proposal.start())) {
      refused = Optional.of(VoteRejection.EARLY);
    }
    if (refused.isEmpty() && v.timestamp().isAfter(proposal.end())) {
      refused = Optional.of(VoteRejection.LATE);
    }
    if (refused.isEmpty() && !fits(proposal, v)) {
      refused = Optional.of(VoteRejection.UNKNOWN_CHOICE);
    }
    return new Checked(vote, orderKey, refused);
  }

  private static boolean fits(Proposal proposal, Vote vote) {
    if (vote.choices().stream().anyMatch(choice -> choice >= proposal.choices().size())) {
      return false;
    }
    boolean shares = proposal.type() == VotingType.WEIGHTED || proposal.type() == VotingType.QUADRATIC;
    if (!shares && !vote.shares().isEmpty()) {
      return false;
    }
    try {
      vote.ballot(proposal.type());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
