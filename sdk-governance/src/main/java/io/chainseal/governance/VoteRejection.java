package io.chainseal.governance;

/** Why a signed vote is not counted. Each rejected vote carries one, so a transcript can show it. */
public enum VoteRejection {
  /** The signature does not recover to the vote's voter (forged, tampered, or malformed). */
  BAD_SIGNATURE,
  /** The vote is signed for another chain than the proposal's. */
  WRONG_CHAIN,
  /** The vote is for another proposal. */
  WRONG_PROPOSAL,
  /** The vote is for another group. */
  WRONG_GROUP,
  /** The vote names a choice the proposal does not have, or a shape its voting type does not take. */
  UNKNOWN_CHOICE,
  /** Cast before the proposal's start. */
  EARLY,
  /** Cast after the proposal's end. */
  LATE,
  /** The voter had no weight at the snapshot. */
  ZERO_WEIGHT,
  /** A later valid vote of the same voter (before the end) replaced it. */
  SUPERSEDED
}
