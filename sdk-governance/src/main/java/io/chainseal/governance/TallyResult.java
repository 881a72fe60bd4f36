package io.chainseal.governance;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The outcome of a count.
 *
 * @param totals per choice, what it received (for ranked choice, in the final round)
 * @param winners the choices with the highest total (one, or several in a tie); empty if nothing was counted
 * @param votingWeight the total weight of the counted ballots (what the quorum is measured against)
 * @param quorumReached whether {@code votingWeight} reached the quorum
 * @param rounds for ranked choice, each round's totals (the last is {@code totals}); empty otherwise
 * @param eliminated for ranked choice, the choices eliminated, in order
 */
public record TallyResult(List<BigDecimal> totals, List<Integer> winners, BigInteger votingWeight, boolean quorumReached,
    List<List<BigDecimal>> rounds, List<Integer> eliminated) {
  public TallyResult {
    totals = List.copyOf(totals);
    winners = List.copyOf(winners);
    rounds = rounds.stream().map(List::copyOf).toList();
    eliminated = List.copyOf(eliminated);
  }

  /** Whether the count decided one choice with the quorum reached. */
  public boolean decided() {
    return quorumReached && winners.size() == 1;
  }

  /** Whether the highest total is shared. */
  public boolean tied() {
    return winners.size() > 1;
  }
}
