package io.chainseal.anchor.internal;

import io.chainseal.anchor.AnchorJournal;
import io.chainseal.anchor.BatchRecord;
import io.chainseal.anchor.JournalEntry;
import io.chainseal.anchor.MessageKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A follower's part: hands out the sealed and anchored proofs of the messages this instance accepted,
 * as the leader (another process) batches and confirms them, reading the shared journal. Not
 * thread-safe: the leadership thread owns it. Not API.
 *
 * <p>It reads only what is new: the first look starts after the journal's last confirmed batch (no
 * message accepted here can be in an older one, except a resubmission of a message the journal
 * already held, which is looked up by its key), and a batch none of whose members anyone here waits
 * for is passed over without building its tree or signing its checkpoint.
 */
public final class FollowerFeed {
  private final AnchorJournal journal;
  private final ProofSink sink;
  private final ProofAssembler assembler;
  /** Batches up to here are confirmed and handed out; -1 before the first look. */
  private long through = -1;
  /** Batches above {@link #through} whose sealed proofs are handed out, awaiting confirmation. */
  private final Set<Long> sealed = new HashSet<>();
  /** Batches above {@link #through} that are confirmed and handed out (confirmed out of order). */
  private final Set<Long> done = new HashSet<>();
  private int batchesBuilt;

  public FollowerFeed(AnchorJournal journal, ProofSink sink, ProofAssembler assembler) {
    this.journal = journal;
    this.sink = sink;
    this.assembler = assembler;
  }

  /** Reads what the leader did since the last look. */
  public void poll() {
    if (through < 0) {
      through = journal.lastConfirmedBatch().map(BatchRecord::sequence).orElse(0L);
    }
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
    for (MessageKey key : List.copyOf(sink.journaledBefore())) {
      // A resubmission of a message journaled before: reads its row and batch, builds only once confirmed.
      assembler.anchoredProof(journal, key).ifPresent(proof -> sink.anchored(key, proof));
    }
  }

  /** How many batches this feed built proofs for (their trees and checkpoints); for tests. */
  int batchesBuilt() {
    return batchesBuilt;
  }

  private void handOut(SealedBatch batch, boolean confirmed, BatchRecord record) {
    batchesBuilt++;
    for (int i = 0; i < batch.members().size(); i++) {
      MessageKey key = batch.members().get(i).key();
      if (!sink.isTracked(key)) {
        continue;
      }
      sink.sealed(key, ProofAssembler.proof(batch, i, null));
      if (confirmed) {
        sink.anchored(key, ProofAssembler.proof(batch, i, record.anchor()));
      }
    }
  }

  private void advance() {
    while (done.remove(through + 1)) {
      through++;
    }
  }
}
