package io.chainseal.anchor.internal;

import io.chainseal.anchor.AnchorJournal;
import io.chainseal.anchor.BatchRecord;
import io.chainseal.anchor.JournalEntry;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A follower's part: hands out the sealed and anchored proofs of the messages this instance accepted,
 * as the leader (another process) batches and confirms them, reading the shared journal. Not
 * thread-safe: the leadership thread owns it. Not API.
 *
 * <p>It reads only what can concern it: from the first batch that was not confirmed when the anchorer
 * was built (a message accepted here later is in that batch or a newer one; a resubmission of one in
 * an older, confirmed batch is answered from the journal when it is submitted), and a batch none of
 * whose members anyone here waits for is passed over without building its tree or signing its
 * checkpoint.
 */
public final class FollowerFeed {
  private final AnchorJournal journal;
  private final ProofSink sink;
  private final ProofAssembler assembler;
  /** Batches up to here are confirmed and handed out (or concern nobody here). */
  private long through;
  /** Batches above {@link #through} whose sealed proofs are handed out, awaiting confirmation. */
  private final Set<Long> sealed = new HashSet<>();
  /** Batches above {@link #through} that are confirmed and handed out (confirmed out of order). */
  private final Set<Long> done = new HashSet<>();
  private int batchesBuilt;

  /** Reads where to start: before the journal's first unconfirmed batch (or after its last one). */
  public FollowerFeed(AnchorJournal journal, ProofSink sink, ProofAssembler assembler) {
    this.journal = journal;
    this.sink = sink;
    this.assembler = assembler;
    List<BatchRecord> unconfirmed = journal.unconfirmedBatches();
    this.through = !unconfirmed.isEmpty() ? unconfirmed.get(0).sequence() - 1
        : journal.lastBatch().map(BatchRecord::sequence).orElse(0L);
  }

  /** Reads what the leader did since the last look. */
  public void poll() {
    for (BatchRecord record : journal.batchesAfter(through)) {
      long sequence = record.sequence();
      boolean confirmed = record.state() == BatchRecord.State.CONFIRMED;
      if (done.contains(sequence) || (!confirmed && sealed.contains(sequence))) {
        advance();
        continue;
      }
      List<JournalEntry> members = journal.members(sequence);
      if (members.stream().anyMatch(member -> sink.isTracked(member.key()))) {
        handOut(assembler.sealed(record, members), confirmed, record);
      }
      (confirmed ? done : sealed).add(sequence);
      if (confirmed) {
        sealed.remove(sequence);
      }
      advance();
    }
  }

  /** How many batches this feed built proofs for (their trees and checkpoints); for tests. */
  int batchesBuilt() {
    return batchesBuilt;
  }

  private void handOut(SealedBatch batch, boolean confirmed, BatchRecord record) {
    batchesBuilt++;
    sink.sealed(batch);
    if (!confirmed) {
      return;
    }
    sink.anchored(batch, Objects.requireNonNull(record.anchor(), "a confirmed batch has an anchor"));
  }

  private void advance() {
    while (done.remove(through + 1)) {
      through++;
    }
  }
}
