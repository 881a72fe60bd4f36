package io.chainseal.governance;

/** Something a voter should know about their weight, for the UI to show beside the ballot. */
public enum WeightWarning {
  /** The voter holds more now than at the snapshot block: tokens acquired since do not count. */
  ACQUIRED_AFTER_SNAPSHOT,
  /** The voter holds ERC20Votes tokens but delegated them to nobody (not even themselves): they weigh nothing. */
  NOT_DELEGATED
}
