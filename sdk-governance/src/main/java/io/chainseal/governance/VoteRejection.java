package io.chainseal.governance;

/**
 * Why a signed vote is not counted. Each rejected vote carries one, so a transcript can show it; its
 * {@link #code()} is what the transcript's leaves hold, fixed whatever the order of declaration.
 */
public enum VoteRejection {
  /** The signature does not recover to the vote's voter (forged, tampered, or malformed). */
  BAD_SIGNATURE(1),
  /** The vote is signed for another chain than the proposal's. */
  WRONG_CHAIN(2),
  /** The vote is for another proposal. */
  WRONG_PROPOSAL(3),
  /** The vote is for another group. */
  WRONG_GROUP(4),
  /** The vote names a choice the proposal does not have, or a shape its voting type does not take. */
  UNKNOWN_CHOICE(5),
  /** Cast before the proposal's start. */
  EARLY(9),
  /** Cast after the proposal's end. */
  LATE(6),
  /** The voter had no weight at the snapshot. */
  ZERO_WEIGHT(7),
  /** A later valid vote of the same voter (before the end) replaced it. */
  SUPERSEDED(8);

  private final int code;

  VoteRejection(int code) {
    this.code = code;
  }

  /** The reason's code in a transcript leaf (1–9; 0 means counted). */
  public int code() {
    return code;
  }
}
