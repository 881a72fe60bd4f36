package io.chainseal.governance;

import io.chainseal.core.EvmAddress;
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
 *   <li>a vote timestamped after the proposal's end is LATE;
 *   <li>a vote naming a choice the proposal lacks, or of a shape its voting type does not take, is UNKNOWN_CHOICE;
 *   <li>of one voter's remaining votes, the latest counts (equal timestamps: the one with the greater
 *       EIP-712 digest, so the order votes arrived in never matters); the others are SUPERSEDED;
 *   <li>a voter with no weight at the snapshot block is ZERO_WEIGHT;
 *   <li>the rest are counted by the proposal's {@link VotingType}.
 * </ol>
 */
public final class VoteCount {
  private VoteCount() {}

  /** A vote that counted, with its voter's weight at the snapshot. */
  public record Counted(SignedVote vote, BigInteger weight) {}

  /** A vote that did not count, and why. */
  public record Rejected(SignedVote vote, VoteRejection reason) {}

  /** The count: the tally, and every vote either counted or rejected. */
  public record Result(TallyResult tally, List<Counted> counted, List<Rejected> rejected) {
    public Result {
      counted = List.copyOf(counted);
      rejected = List.copyOf(rejected);
    }
  }

  /** Counts {@code votes} for {@code proposal}, weighing voters with {@code weights} at the proposal's snapshot block. */
  public static Result count(Proposal proposal, List<SignedVote> votes, WeightStrategy weights) {
    Objects.requireNonNull(proposal, "proposal == null");
    Objects.requireNonNull(votes, "votes == null");
    Objects.requireNonNull(weights, "weights == null");
    List<Rejected> rejected = new ArrayList<>();
    Map<EvmAddress, SignedVote> latest = new LinkedHashMap<>();
    Comparator<SignedVote> order = Comparator.comparing((SignedVote v) -> v.vote().timestamp())
        .thenComparing(v -> v.vote().digest().hex());
    for (SignedVote vote : votes) {
      Optional<VoteRejection> refused = vote.check(proposal.chainId(), proposal.id(), proposal.group());
      if (refused.isEmpty() && vote.vote().timestamp().isAfter(proposal.end())) {
        refused = Optional.of(VoteRejection.LATE);
      }
      if (refused.isEmpty() && !fits(proposal, vote.vote())) {
        refused = Optional.of(VoteRejection.UNKNOWN_CHOICE);
      }
      if (refused.isPresent()) {
        rejected.add(new Rejected(vote, refused.get()));
        continue;
      }
      SignedVote earlier = latest.get(vote.vote().voter());
      if (earlier == null || order.compare(vote, earlier) > 0) {
        if (earlier != null) {
          rejected.add(new Rejected(earlier, VoteRejection.SUPERSEDED));
        }
        latest.put(vote.vote().voter(), vote);
      } else {
        rejected.add(new Rejected(vote, VoteRejection.SUPERSEDED));
      }
    }
    Map<EvmAddress, BigInteger> weighed = latest.isEmpty() ? Map.of() : weights.weights(latest.keySet(), proposal.snapshotBlock());
    List<Counted> counted = new ArrayList<>();
    List<Tally.WeightedBallot> ballots = new ArrayList<>();
    for (SignedVote vote : latest.values()) {
      BigInteger weight = weighed.getOrDefault(vote.vote().voter(), BigInteger.ZERO);
      if (weight.signum() <= 0) {
        rejected.add(new Rejected(vote, VoteRejection.ZERO_WEIGHT));
        continue;
      }
      counted.add(new Counted(vote, weight));
      ballots.add(new Tally.WeightedBallot(vote.vote().ballot(proposal.type()), weight));
    }
    TallyResult tally = Tally.count(proposal.type(), proposal.choices(), ballots, proposal.quorum());
    return new Result(tally, counted, rejected);
  }

  private static boolean fits(Proposal proposal, Vote vote) {
    if (vote.choices().stream().anyMatch(choice -> choice >= proposal.choices())) {
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
