package io.chainseal.governance;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts weighted ballots by a {@link VotingType}'s rules (documented there) — pure arithmetic, so
 * anyone holding the ballots and weights recomputes the same result. Ballots must already be valid for
 * the proposal (choices in range, one per voter, non-zero weight); this class refuses ones that are not.
 */
public final class Tally {
  /** 34 significant digits, half to even: the same on every machine. */
  static final MathContext PRECISION = MathContext.DECIMAL128;

  private Tally() {}

  /** A ballot with the weight its voter had at the snapshot. */
  public record WeightedBallot(Ballot ballot, BigInteger weight) {
    public WeightedBallot {
      Objects.requireNonNull(ballot, "ballot == null");
      Objects.requireNonNull(weight, "weight == null");
      if (weight.signum() <= 0) {
        throw new IllegalArgumentException("a counted ballot has a positive weight, got " + weight);
      }
    }
  }

  /**
   * Counts {@code ballots} for a proposal of {@code choices} choices.
   *
   * @param quorum the least total weight of counted ballots for the result to stand
   * @throws IllegalArgumentException if a ballot does not fit the type or names a choice out of range
   */
  public static TallyResult count(VotingType type, int choices, List<WeightedBallot> ballots, BigInteger quorum) {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(ballots, "ballots == null");
    Objects.requireNonNull(quorum, "quorum == null");
    if (choices < 2) {
      throw new IllegalArgumentException("a proposal has at least 2 choices, got " + choices);
    }
    BigInteger votingWeight = BigInteger.ZERO;
    for (WeightedBallot ballot : ballots) {
      check(type, choices, ballot.ballot());
      votingWeight = votingWeight.add(ballot.weight());
    }
    boolean quorumReached = votingWeight.compareTo(quorum) >= 0;
    if (type == VotingType.RANKED_CHOICE) {
      return instantRunoff(choices, ballots, votingWeight, quorumReached);
    }
    List<BigDecimal> totals = new ArrayList<>(Collections.nCopies(choices, BigDecimal.ZERO));
    for (WeightedBallot weighted : ballots) {
      BigDecimal weight = type == VotingType.QUADRATIC ? new BigDecimal(weighted.weight()).sqrt(PRECISION) : new BigDecimal(weighted.weight());
      Map<Integer, Long> shares = weighted.ballot().shares();
      // Shares are each below 2^63 but their sum need not be: add them exactly.
      BigDecimal sum = new BigDecimal(shares.values().stream().map(BigInteger::valueOf).reduce(BigInteger.ZERO, BigInteger::add));
      for (Map.Entry<Integer, Long> share : shares.entrySet()) {
        BigDecimal part = switch (type) {
          case SINGLE_CHOICE, APPROVAL -> weight;
          case WEIGHTED, QUADRATIC -> weight.multiply(BigDecimal.valueOf(share.getValue())).divide(sum, PRECISION);
          case RANKED_CHOICE -> throw new AssertionError("counted above");
        };
        totals.set(share.getKey(), totals.get(share.getKey()).add(part, PRECISION));
      }
    }
    return new TallyResult(totals, leaders(totals), votingWeight, quorumReached, List.of(), List.of());
  }

  private static void check(VotingType type, int choices, Ballot ballot) {
    boolean ranked = type == VotingType.RANKED_CHOICE;
    if (ranked ? ballot.ranking().isEmpty() || !ballot.shares().isEmpty() : ballot.shares().isEmpty() || !ballot.ranking().isEmpty()) {
      throw new IllegalArgumentException("a " + type + " ballot " + (ranked ? "ranks choices" : "names choices with shares"));
    }
    if (type == VotingType.SINGLE_CHOICE && ballot.shares().size() != 1) {
      throw new IllegalArgumentException("a single-choice ballot names one choice, not " + ballot.shares().size());
    }
    for (int choice : ranked ? ballot.ranking() : ballot.shares().keySet()) {
      if (choice >= choices) {
        throw new IllegalArgumentException("choice " + choice + " is out of range: the proposal has " + choices);
      }
    }
  }

  private static List<Integer> leaders(List<BigDecimal> totals) {
    BigDecimal best = totals.stream().max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
    if (best.signum() == 0) {
      return List.of();
    }
    List<Integer> winners = new ArrayList<>();
    for (int i = 0; i < totals.size(); i++) {
      if (totals.get(i).compareTo(best) == 0) {
        winners.add(i);
      }
    }
    return winners;
  }

  private static TallyResult instantRunoff(int choices, List<WeightedBallot> ballots, BigInteger votingWeight, boolean quorumReached) {
    boolean[] out = new boolean[choices];
    List<Integer> eliminated = new ArrayList<>();
    List<List<BigDecimal>> rounds = new ArrayList<>();
    List<BigDecimal> firstRound = null;
    while (true) {
      List<BigDecimal> totals = new ArrayList<>(Collections.nCopies(choices, BigDecimal.ZERO));
      BigDecimal counting = BigDecimal.ZERO;
      for (WeightedBallot ballot : ballots) {
        for (int choice : ballot.ballot().ranking()) {
          if (!out[choice]) {
            totals.set(choice, totals.get(choice).add(new BigDecimal(ballot.weight())));
            counting = counting.add(new BigDecimal(ballot.weight()));
            break;
          }
        }
      }
      rounds.add(totals);
      if (firstRound == null) {
        firstRound = totals;
      }
      int remaining = 0;
      for (boolean gone : out) {
        remaining += gone ? 0 : 1;
      }
      List<Integer> leaders = leaders(totals);
      if (counting.signum() == 0) {
        return new TallyResult(totals, List.of(), votingWeight, quorumReached, rounds, eliminated);
      }
      if (leaders.size() == 1 && totals.get(leaders.get(0)).multiply(BigDecimal.valueOf(2)).compareTo(counting) > 0) {
        return new TallyResult(totals, leaders, votingWeight, quorumReached, rounds, eliminated);
      }
      if (remaining <= 2) {
        return new TallyResult(totals, leaders, votingWeight, quorumReached, rounds, eliminated); // two left and even: a tie
      }
      int loser = -1;
      for (int choice = 0; choice < choices; choice++) {
        if (out[choice]) {
          continue;
        }
        if (loser < 0) {
          loser = choice;
          continue;
        }
        int byNow = totals.get(choice).compareTo(totals.get(loser));
        int byFirst = firstRound.get(choice).compareTo(firstRound.get(loser));
        if (byNow < 0 || (byNow == 0 && byFirst <= 0)) {
          loser = choice; // fewer now; or as few now and no more in the first round (then the higher index)
        }
      }
      out[loser] = true;
      eliminated.add(loser);
    }
  }
}
