package io.chainseal.anchor;

import io.chainseal.core.AnchorReference;
import java.util.Objects;

/**
 * One anchor found on chain, with where it is: the evidence behind an {@code EQUIVOCATION} or
 * {@code BROKEN_HISTORY} verdict (two of them under one sequence number prove that the publisher
 * anchored two histories), and anyone can look both up.
 *
 * @param event the decoded {@code Anchored} event
 * @param location the transaction, block and log that hold it
 */
public record AnchorEvidence(AnchoredEvent event, AnchorReference location) {
  public AnchorEvidence {
    Objects.requireNonNull(event, "event == null");
    Objects.requireNonNull(location, "location == null");
  }

  @Override
  public String toString() {
    return "batch " + event.sequence() + " root " + event.root() + " (" + event.treeSize() + " messages, previous root "
        + event.previousRoot() + ") in transaction " + location.transactionHash().hex0x() + " block " + location.blockNumber();
  }
}
