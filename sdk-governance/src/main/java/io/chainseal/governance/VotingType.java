package io.chainseal.governance;

/**
 * How ballots become a result. Every rule is deterministic: the same ballots and weights give the same
 * result on every machine (weights are exact integers; fractions are computed with 34 significant
 * digits, rounding half to even).
 */
public enum VotingType {
  /** One choice per ballot; each choice gets the sum of its voters' weights. */
  SINGLE_CHOICE,
  /** Any set of choices; each approved choice gets the voter's whole weight. */
  APPROVAL,
  /** The voter splits the weight across choices in proportion to the shares given. */
  WEIGHTED,
  /** As WEIGHTED, but a voter's weight w counts as √w: many small holders outweigh one large one sooner. */
  QUADRATIC,
  /**
   * Instant runoff: each ballot ranks choices; rounds count each ballot for its highest-ranked choice
   * still in the race; a choice with more than half of the weight still counting wins; otherwise the
   * choice with the least weight is eliminated (ties: the one with less weight in the first round, then
   * the one with the higher index). Ballots whose choices are all eliminated stop counting.
   */
  RANKED_CHOICE
}
