package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.SigningKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link AnchorJournal} must honour. Each implementation's test extends this
 * class and says how to open a journal on a given folder (the same folder reopens the same journal).
 */
abstract class AnchorJournalContract {
  @TempDir Path dir;

  /** Opens the journal stored in {@code folder}, creating it if needed. */
  protected abstract AnchorJournal open(Path folder);

  static Hash32 hash(int i) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) i;
    bytes[1] = (byte) (i >> 8);
    bytes[31] = 1;
    return Hash32.of(bytes);
  }

  static JournalEntry entry(int i) {
    return new JournalEntry(new MessageKey("c" + (i % 3), "m" + i), hash(i), null, Instant.ofEpochMilli(1_000L + i));
  }

  static BatchRecord created(long sequence, int size, Hash32 previous) {
    return new BatchRecord(sequence, hash(1000 + (int) sequence), size, previous, BatchRecord.State.CREATED,
        Instant.ofEpochMilli(5_000), null, null, null);
  }

  @Test
  void appendStoresNewEntriesAndReportsExistingOnes() {
    try (AnchorJournal journal = open(dir)) {
      assertEquals(List.of(Optional.empty(), Optional.empty()), journal.append(List.of(entry(1), entry(2))));
      JournalEntry sameKeyOtherCommitment = new JournalEntry(entry(1).key(), hash(99), null, Instant.EPOCH);
      assertEquals(List.of(Optional.of(hash(1)), Optional.empty(), Optional.of(hash(2))),
          journal.append(List.of(sameKeyOtherCommitment, entry(3), entry(2))));
      assertEquals(3, journal.messageCount());
    }
  }

  @Test
  void keepsSignaturesAndAcceptanceOrder() {
    SigningKey key = SigningKey.ed25519(new byte[32]);
    MessageSignature signature = key.sign(hash(7));
    JournalEntry signed = new JournalEntry(new MessageKey("c", "signed"), hash(7), signature, Instant.ofEpochMilli(7));
    try (AnchorJournal journal = open(dir)) {
      journal.append(List.of(entry(5), signed, entry(4)));
      List<JournalEntry> unbatched = journal.unbatched(10);
      assertEquals(List.of(entry(5).key(), signed.key(), entry(4).key()), unbatched.stream().map(JournalEntry::key).toList());
      assertEquals(signature, unbatched.get(1).signature());
      assertEquals(2, journal.unbatched(2).size());
    }
  }

  @Test
  void batchLifecycleIsRecordedInOrder() {
    try (AnchorJournal journal = open(dir)) {
      List<JournalEntry> entries = List.of(entry(1), entry(2), entry(3));
      journal.append(entries);
      Hash32 zero = Hash32.of(new byte[32]);
      journal.createBatch(created(1, 2, zero), List.of(entry(2).key(), entry(1).key()));
      assertEquals(List.of(entry(2), entry(1)), journal.members(1));
      assertEquals(List.of(entry(3)), journal.unbatched(10));
      assertEquals(1, journal.message(entry(1).key()).orElseThrow().leafIndex());
      assertEquals(-1, journal.message(entry(3).key()).orElseThrow().batchSequence());

      BatchRecord.SentTransaction tx = new BatchRecord.SentTransaction(41, hash(500), new byte[] {1, 2, 3});
      journal.recordTransaction(1, tx);
      BatchRecord sent = journal.batch(1).orElseThrow();
      assertEquals(BatchRecord.State.SENT, sent.state());
      assertArrayEquals(new byte[] {1, 2, 3}, sent.sent().orElseThrow().raw());
      assertEquals(41, journal.lastNonce().orElseThrow());

      AnchorReference anchor = new AnchorReference(31337, EvmAddress.of(new byte[20]), hash(500), 12, 3, hash(600));
      journal.recordAnchored(1, anchor);
      assertEquals(anchor, journal.batch(1).orElseThrow().anchor());
      assertEquals(List.of(1L), journal.unconfirmedBatches().stream().map(BatchRecord::sequence).toList());
      journal.recordConfirmed(1);
      assertEquals(BatchRecord.State.CONFIRMED, journal.batch(1).orElseThrow().state());
      assertTrue(journal.unconfirmedBatches().isEmpty());
      assertEquals(1, journal.lastBatch().orElseThrow().sequence());
      assertThrows(IllegalStateException.class, () -> journal.recordConfirmed(1), "confirmed twice");
    }
  }

  @Test
  void replacementsAreAllKeptAndAReorgSendsTheBatchBack() {
    try (AnchorJournal journal = open(dir)) {
      journal.append(List.of(entry(1)));
      journal.createBatch(created(1, 1, Hash32.of(new byte[32])), List.of(entry(1).key()));
      journal.recordTransaction(1, new BatchRecord.SentTransaction(5, hash(501), new byte[] {1}));
      journal.recordTransaction(1, new BatchRecord.SentTransaction(5, hash(502), new byte[] {2}));
      assertEquals(List.of(hash(501), hash(502)),
          journal.transactions(1).stream().map(BatchRecord.SentTransaction::hash).toList());
      assertEquals(hash(502), journal.batch(1).orElseThrow().sent().orElseThrow().hash(), "the replacement is current");
      journal.recordAnchored(1, new AnchorReference(31337, EvmAddress.of(new byte[20]), hash(502), 9, 0, hash(900)));
      assertEquals(hash(900), journal.batch(1).orElseThrow().anchor().blockHash());
      journal.recordConfirmed(1);
      journal.recordReorged(1);
      BatchRecord reorged = journal.batch(1).orElseThrow();
      assertEquals(BatchRecord.State.SENT, reorged.state());
      assertTrue(reorged.anchored().isEmpty(), "anchor cleared");
      assertEquals(hash(502), reorged.sent().orElseThrow().hash(), "its transaction kept for re-broadcast");
      assertEquals(List.of(1L), journal.unconfirmedBatches().stream().map(BatchRecord::sequence).toList());
      assertThrows(IllegalStateException.class, () -> journal.recordReorged(1), "not anchored any more");
    }
  }

  @Test
  void batchCreationIsAllOrNothing() {
    try (AnchorJournal journal = open(dir)) {
      journal.append(List.of(entry(1), entry(2), entry(3)));
      Hash32 zero = Hash32.of(new byte[32]);
      journal.createBatch(created(1, 1, zero), List.of(entry(1).key()));
      assertThrows(IllegalStateException.class,
          () -> journal.createBatch(created(2, 2, zero), List.of(entry(2).key(), entry(1).key())), "entry 1 is batched");
      assertThrows(IllegalStateException.class, () -> journal.createBatch(created(1, 1, zero), List.of(entry(3).key())),
          "sequence 1 exists");
      assertTrue(journal.batch(2).isEmpty());
      assertEquals(2, journal.unbatched(10).size(), "entry 2 was not half-assigned");
    }
  }

  @Test
  void everythingSurvivesReopening() {
    List<JournalEntry> entries = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      entries.add(entry(i));
    }
    try (AnchorJournal journal = open(dir)) {
      journal.append(entries);
      journal.createBatch(created(1, 100, Hash32.of(new byte[32])), entries.subList(0, 100).stream().map(JournalEntry::key).toList());
      journal.recordTransaction(1, new BatchRecord.SentTransaction(0, hash(7), new byte[] {9}));
    }
    try (AnchorJournal journal = open(dir)) {
      assertEquals(500, journal.messageCount());
      assertEquals(400, journal.unbatched(1_000).size());
      assertEquals(BatchRecord.State.SENT, journal.unconfirmedBatches().get(0).state());
      assertEquals(entries.subList(0, 100), journal.members(1));
    }
  }
}
