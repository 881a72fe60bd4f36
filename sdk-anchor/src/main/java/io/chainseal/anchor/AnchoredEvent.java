package io.chainseal.anchor;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.util.Objects;

/**
 * A decoded {@code Anchored} event of the anchor contract.
 *
 * @param contract the emitting contract
 * @param publisher who anchored
 * @param root the batch root
 * @param sequence the publisher's batch number, from 1
 * @param treeSize number of messages in the batch
 * @param previousRoot the root the publisher anchored with {@code sequence - 1} (zero for the first)
 * @param logIndex index of the log in its block
 */
public record AnchoredEvent(EvmAddress contract, EvmAddress publisher, Hash32 root, long sequence, long treeSize,
    Hash32 previousRoot, long logIndex) {
  public AnchoredEvent {
    Objects.requireNonNull(contract, "contract == null");
    Objects.requireNonNull(publisher, "publisher == null");
    Objects.requireNonNull(root, "root == null");
    Objects.requireNonNull(previousRoot, "previousRoot == null");
  }
}
