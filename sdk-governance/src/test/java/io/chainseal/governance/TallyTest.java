package io.chainseal.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.governance.Tally.WeightedBallot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every voting type against results computed by hand (in the comments), ties and eliminations included. */
class TallyTest {
  private static WeightedBallot vote(Ballot ballot, long weight) {
    return new WeightedBallot(ballot, BigInteger.valueOf(weight));
  }

  private static void assertTotals(List<String> expected, TallyResult result) {
    assertEquals(expected.size(), result.totals().size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(0, new BigDecimal(expected.get(i)).compareTo(result.totals().get(i)),
          "choice " + i + ": expected " + expected.get(i) + ", got " + result.totals().get(i));
    }
  }

  @Test
  void singleChoiceSumsWeights() {
    // A: 10 + 5 = 15, B: 7, C: 0; 22 voted, quorum 20 reached; A wins.
    TallyResult result = Tally.count(VotingType.SINGLE_CHOICE, 3,
        List.of(vote(Ballot.single(0), 10), vote(Ballot.single(1), 7), vote(Ballot.single(0), 5)), BigInteger.valueOf(20));
    assertTotals(List.of("15", "7", "0"), result);
    assertEquals(List.of(0), result.winners());
    assertEquals(BigInteger.valueOf(22), result.votingWeight());
    assertTrue(result.decided());
  }

  @Test
  void singleChoiceTieAndMissedQuorum() {
    // A: 4, B: 4: a tie; 8 voted against a quorum of 10: not reached.
    TallyResult result = Tally.count(VotingType.SINGLE_CHOICE, 2, List.of(vote(Ballot.single(0), 4), vote(Ballot.single(1), 4)),
        BigInteger.TEN);
    assertEquals(List.of(0, 1), result.winners());
    assertTrue(result.tied());
    assertFalse(result.quorumReached());
    assertFalse(result.decided());
  }

  @Test
  void approvalGivesEachApprovedChoiceTheWholeWeight() {
    // v1 (3) approves A and B, v2 (5) approves B, v3 (4) approves A and C: A 7, B 8, C 4; B wins.
    TallyResult result = Tally.count(VotingType.APPROVAL, 3, List.of(vote(Ballot.approval(Set.of(0, 1)), 3),
        vote(Ballot.approval(Set.of(1)), 5), vote(Ballot.approval(Set.of(0, 2)), 4)), BigInteger.ONE);
    assertTotals(List.of("7", "8", "4"), result);
    assertEquals(List.of(1), result.winners());
    assertEquals(BigInteger.valueOf(12), result.votingWeight(), "each voter's weight counts once towards the quorum");
  }

  @Test
  void weightedSplitsTheWeightByShares() {
    // v1 (90) gives A:B 2:1 -> A 60, B 30; v2 (30) all to B -> B 30; v3 (20) A:B:C 1:1:2 -> 5, 5, 10.
    // A 65, B 65, C 10: a tie between A and B.
    TallyResult result = Tally.count(VotingType.WEIGHTED, 3, List.of(vote(Ballot.weighted(Map.of(0, 2L, 1, 1L)), 90),
        vote(Ballot.weighted(Map.of(1, 1L)), 30), vote(Ballot.weighted(Map.of(0, 1L, 1, 1L, 2, 2L)), 20)), BigInteger.ONE);
    assertTotals(List.of("65", "65", "10"), result);
    assertEquals(List.of(0, 1), result.winners());
  }

  @Test
  void quadraticCountsTheSquareRootOfEachWeight() {
    // A whale with 100 for A counts sqrt(100) = 10; nine voters with 4 each for B count 9 * sqrt(4) = 18; B wins.
    // One voter with 16 split A:B 1:3 counts sqrt(16) = 4 -> A 1, B 3: A 11, B 21.
    List<WeightedBallot> ballots = new java.util.ArrayList<>(List.of(vote(Ballot.weighted(Map.of(0, 1L)), 100),
        vote(Ballot.weighted(Map.of(0, 1L, 1, 3L)), 16)));
    for (int i = 0; i < 9; i++) {
      ballots.add(vote(Ballot.weighted(Map.of(1, 1L)), 4));
    }
    TallyResult result = Tally.count(VotingType.QUADRATIC, 2, ballots, BigInteger.ONE);
    assertTotals(List.of("11", "21"), result);
    assertEquals(List.of(1), result.winners());
    assertEquals(BigInteger.valueOf(152), result.votingWeight(), "the quorum is measured in plain weight");
    // The same ballots counted as weighted: A 100 + 4 = 104, B 36 + 12 = 48; A wins.
    assertEquals(List.of(0), Tally.count(VotingType.WEIGHTED, 2, ballots, BigInteger.ONE).winners());
  }

  @Test
  void rankedChoiceEliminatesTheWeakestUntilAMajority() {
    // Weights: 8 [A, B, C], 7 [B, C, A], 6 [C, B, A], 2 [D, C] = 23.
    // Round 1: A 8, B 7, C 6, D 2; nobody > 11.5; D eliminated (its 2 go to C).
    // Round 2: A 8, B 7, C 8; nobody > 11.5; B eliminated (least; its 7 go to C).
    // Round 3: A 8, C 15 > 11.5: C wins.
    TallyResult result = Tally.count(VotingType.RANKED_CHOICE, 4, List.of(vote(Ballot.ranked(List.of(0, 1, 2)), 8),
        vote(Ballot.ranked(List.of(1, 2, 0)), 7), vote(Ballot.ranked(List.of(2, 1, 0)), 6), vote(Ballot.ranked(List.of(3, 2)), 2)),
        BigInteger.ONE);
    assertEquals(List.of(2), result.winners());
    assertEquals(List.of(3, 1), result.eliminated());
    assertEquals(3, result.rounds().size());
    assertTotals(List.of("8", "0", "15", "0"), result);
  }

  @Test
  void rankedChoiceBreaksAnEliminationTieByTheFirstRoundThenTheHigherIndex() {
    // Weights: 5 [A], 4 [B, A], 4 [C, B], 3 [D, C] = 16.
    // Round 1: A 5, B 4, C 4, D 3: D eliminated -> C 7.
    // Round 2: A 5, B 4, C 7: B eliminated -> A 9.
    // Round 3: A 9 > 8 of 16: A wins.
    TallyResult first = Tally.count(VotingType.RANKED_CHOICE, 4, List.of(vote(Ballot.ranked(List.of(0)), 5),
        vote(Ballot.ranked(List.of(1, 0)), 4), vote(Ballot.ranked(List.of(2, 1)), 4), vote(Ballot.ranked(List.of(3, 2)), 3)), BigInteger.ONE);
    assertEquals(List.of(3, 1), first.eliminated());
    assertEquals(List.of(0), first.winners());
    // Weights: 3 [A], 3 [B], 3 [C, A] = 9: round 1 A, B, C all 3, equal in the first round too: the higher index (C) goes;
    // round 2: A 6 > 4.5 wins.
    TallyResult tie = Tally.count(VotingType.RANKED_CHOICE, 3, List.of(vote(Ballot.ranked(List.of(0)), 3), vote(Ballot.ranked(List.of(1)), 3),
        vote(Ballot.ranked(List.of(2, 0)), 3)), BigInteger.ONE);
    assertEquals(List.of(2), tie.eliminated());
    assertEquals(List.of(0), tie.winners());
  }

  @Test
  void rankedChoiceEndsInATieWhenExhaustedBallotsLeaveTwoEqual() {
    // Weights: 4 [A], 4 [B], 1 [C]: round 1 nobody > 4.5; C eliminated, its ballot exhausted;
    // round 2: A 4, B 4 of 8 counting: a tie.
    TallyResult result = Tally.count(VotingType.RANKED_CHOICE, 3, List.of(vote(Ballot.ranked(List.of(0)), 4),
        vote(Ballot.ranked(List.of(1)), 4), vote(Ballot.ranked(List.of(2)), 1)), BigInteger.ONE);
    assertEquals(List.of(2), result.eliminated());
    assertEquals(List.of(0, 1), result.winners());
    assertTrue(result.tied());
  }

  @Test
  void ballotsThatDoNotFitAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Tally.count(VotingType.SINGLE_CHOICE, 2,
        List.of(vote(Ballot.approval(Set.of(0, 1)), 1)), BigInteger.ONE), "two choices on a single-choice ballot");
    assertThrows(IllegalArgumentException.class, () -> Tally.count(VotingType.SINGLE_CHOICE, 2, List.of(vote(Ballot.single(2), 1)),
        BigInteger.ONE), "a choice out of range");
    assertThrows(IllegalArgumentException.class, () -> Tally.count(VotingType.RANKED_CHOICE, 2, List.of(vote(Ballot.single(0), 1)),
        BigInteger.ONE), "a ranked proposal needs rankings");
    assertThrows(IllegalArgumentException.class, () -> Ballot.ranked(List.of(0, 0)), "a choice ranked twice");
    assertThrows(IllegalArgumentException.class, () -> Ballot.weighted(Map.of(0, 0L)), "a zero share");
    assertThrows(IllegalArgumentException.class, () -> vote(Ballot.single(0), 0), "zero weight is not counted");
  }

  @Test
  void sharesNearTheLongLimitSplitTheWeightExactlyInsteadOfOverflowing() {
    long max = Long.MAX_VALUE;
    // [1, MAX, MAX] summed as longs wraps to -1 and would hand the rivals negative totals.
    TallyResult wrapped = Tally.count(VotingType.WEIGHTED, 3, List.of(vote(Ballot.weighted(Map.of(0, 1L, 1, max, 2, max)), 10),
        vote(Ballot.single(0), 4)), BigInteger.ZERO);
    assertTrue(wrapped.totals().stream().allMatch(total -> total.signum() >= 0), wrapped.totals().toString());
    assertEquals(0, new BigDecimal(5).compareTo(wrapped.totals().get(1).setScale(0, java.math.RoundingMode.HALF_EVEN)));
    assertEquals(0, BigDecimal.TEN.add(new BigDecimal(4)).compareTo(wrapped.totals().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
        .setScale(0, java.math.RoundingMode.HALF_EVEN)), "the voter's 10 is split, never multiplied");
    // [MAX, MAX, 2] wraps to 0: a division by zero before.
    TallyResult zero = Tally.count(VotingType.QUADRATIC, 3, List.of(vote(Ballot.weighted(Map.of(0, max, 1, max, 2, 2L)), 9)),
        BigInteger.ZERO);
    assertEquals(0, new BigDecimal(3).compareTo(zero.totals().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
        .setScale(0, java.math.RoundingMode.HALF_EVEN)), "sqrt(9) split three ways");
  }
}
