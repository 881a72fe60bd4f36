package io.chainseal.anchor.internal;

import io.chainseal.anchor.AnchorJournal;
import io.chainseal.anchor.BatchRecord;
import java.util.HashSet;
import java.util.Set;

/**
 * A follower's part: hands out the sealed and anchored proofs of the messages this instance accepted,
 * as the leader (another process) batches and confirms them, reading the shared journal. Not
 * thread-safe: the leadership thread owns it. Not API.
 */
public final class FollowerFeed {
  private final AnchorJournal journal;
  private final ProofSink sink;
  private final ProofAssembler assembler;
  /** Batches up to here are confirmed and their proofs handed out. */
  private long through;
  private final Set<Long> sealed = new HashSet<>();

  public FollowerFeed(AnchorJournal journal, ProofSink sink, ProofAssembler assembler) {
    this.journal = journal;
    this.sink = sink;
    this.assembler = assembler;
  }

  /** Reads what the leader did since the last look. */
  public void poll() {
    for (BatchRecord record : journal.batchesAfter(through)) {
      boolean confirmed = record.state() == BatchRecord.State.CONFIRMED;
      if (!confirmed && sealed.contains(record.sequence())) {
        continue;
      }
      SealedBatch batch = assembler.sealed(journal, record);
      for (int i = 0; i < batch.members().size(); i++) {
        var key = batch.members().get(i).key();
        if (!sink.isTracked(key)) {
          continue;
        }
        sink.sealed(key, ProofAssembler.proof(batch, i, null));
        if (confirmed) {
          sink.anchored(key, ProofAssembler.proof(batch, i, record.anchor()));
        }
      }
      sealed.add(record.sequence());
      if (confirmed && record.sequence() == through + 1) {
        through = record.sequence();
        sealed.remove(record.sequence());
      }
    }
  }
}
