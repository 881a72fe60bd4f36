package io.chainseal.anchor.internal;

import io.chainseal.anchor.BatchRecord;
import io.chainseal.anchor.JournalEntry;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.SignedCheckpoint;
import java.util.List;
import java.util.Objects;

/**
 * A batch between its creation and its confirmation, as the leader holds it: the journal's record,
 * its members in leaf order, its tree and the operator's signed checkpoint. Immutable: a transition
 * makes a new one ({@link #with(BatchRecord)}). Not API.
 */
public record SealedBatch(BatchRecord record, List<JournalEntry> members, MerkleTree tree, SignedCheckpoint checkpoint) {
  public SealedBatch {
    Objects.requireNonNull(record, "record == null");
    Objects.requireNonNull(tree, "tree == null");
    Objects.requireNonNull(checkpoint, "checkpoint == null");
    members = List.copyOf(members);
  }

  public long sequence() {
    return record.sequence();
  }

  public SealedBatch with(BatchRecord newRecord) {
    return new SealedBatch(newRecord, members, tree, checkpoint);
  }
}
