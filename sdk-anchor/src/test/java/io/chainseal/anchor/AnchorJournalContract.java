package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.JournalException;
import io.chainseal.chain.LeaseLostException;
import io.chainseal.chain.TransactionIntent;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link AnchorJournal} must honour. Each implementation's test extends this
 * class and says how to open a journal on a given folder (the same folder reopens the same journal).
 * Its transaction side is checked by {@code TransactionJournalContract} too.
 */
abstract class AnchorJournalContract {
  @TempDir Path dir;

  static final JournalIdentity IDENTITY = new JournalIdentity(EvmAddress.fromHex("0x" + "11".repeat(20)), 31337,
      EvmAddress.fromHex("0x" + "22".repeat(20)));

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
        Instant.ofEpochMilli(5_000), null);
  }

  private static List<MessageKey> keys(List<JournalEntry> entries) {
    return entries.stream().map(JournalEntry::key).toList();
  }

  private static final Hash32 ZERO = Hash32.of(new byte[32]);

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
  void aKeyTwiceInOneGroupIsStoredOnceAndTheSecondFindsTheFirst() {
    try (AnchorJournal journal = open(dir)) {
      JournalEntry again = new JournalEntry(entry(5).key(), hash(55), null, Instant.EPOCH);
      assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.of(hash(5))),
          journal.append(List.of(entry(5), entry(6), again)));
      assertEquals(2, journal.messageCount());
      assertEquals(hash(5), journal.message(entry(5).key()).orElseThrow().entry().commitment());
    }
  }

  @Test
  void aLargeGroupKeepsItsOrder() {
    try (AnchorJournal journal = open(dir)) {
      List<JournalEntry> group = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        group.add(entry(10_000 + i));
      }
      assertTrue(journal.append(group).stream().allMatch(Optional::isEmpty));
      assertEquals(keys(group), journal.unbatched(5_000).stream().map(JournalEntry::key).toList(), "in the group's order");
    }
  }

  @Test
  void keepsSignaturesAndAcceptanceOrderStampedWithTheJournalsClock() {
    SigningKey key = SigningKey.ed25519(new byte[32]);
    MessageSignature signature = key.sign(hash(7));
    JournalEntry signed = new JournalEntry(new MessageKey("c", "signed"), hash(7), signature, Instant.ofEpochMilli(7));
    try (AnchorJournal journal = open(dir)) {
      Instant before = journal.now();
      journal.append(List.of(entry(5), signed, entry(4)));
      List<JournalEntry> unbatched = journal.unbatched(10);
      assertEquals(List.of(entry(5).key(), signed.key(), entry(4).key()), keys(unbatched));
      assertEquals(signature, unbatched.get(1).signature());
      assertEquals(2, journal.unbatched(2).size());
      Instant stamped = unbatched.get(0).acceptedAt();
      assertTrue(!stamped.isBefore(before.minusMillis(1)) && !stamped.isAfter(journal.now()),
          "accepted at the journal's time " + stamped + ", not the caller's " + entry(5).acceptedAt());
      assertTrue(Duration.between(journal.now(), Instant.now()).abs().toMinutes() < 5, "the journal's clock is a real clock");
    }
  }

  @Test
  void onlyTheLeaderWritesBatchesAndTransactions() {
    try (AnchorJournal journal = open(dir)) {
      journal.append(List.of(entry(1)));
      assertThrows(LeaseLostException.class, () -> journal.createBatch(created(1, 1, ZERO), keys(List.of(entry(1)))));
      assertThrows(LeaseLostException.class, () -> journal.recordIntent(TransactionIntent.create("anchor/1", IDENTITY.publisher(),
          IDENTITY.contract(), new byte[] {1}, BigInteger.ZERO, Instant.now(), 1)));
      assertTrue(journal.tryLead());
      long epoch = journal.leaderEpoch();
      assertTrue(epoch > 0);
      assertTrue(journal.tryLead(), "idempotent while leading");
      assertEquals(epoch, journal.leaderEpoch());
      assertTrue(journal.stillLeads());
      journal.createBatch(created(1, 1, ZERO), keys(List.of(entry(1))));
      journal.stepDown();
      assertEquals(-1, journal.leaderEpoch());
      assertThrows(LeaseLostException.class, () -> journal.recordSent(1));
      assertTrue(journal.tryLead());
      assertTrue(journal.leaderEpoch() > epoch, "a new lead, a new epoch");
      journal.recordSent(1);
    }
  }

  @Test
  void batchLifecycleIsRecordedAndEveryStepIsIdempotent() {
    try (AnchorJournal journal = open(dir)) {
      assertTrue(journal.tryLead());
      journal.append(List.of(entry(1), entry(2), entry(3)));
      journal.createBatch(created(1, 2, ZERO), List.of(entry(2).key(), entry(1).key()));
      journal.createBatch(created(1, 2, ZERO), List.of(entry(2).key(), entry(1).key())); // repeated after a lost connection
      assertEquals(List.of(entry(2).key(), entry(1).key()), keys(journal.members(1)));
      assertEquals(List.of(entry(3).key()), keys(journal.unbatched(10)));
      assertEquals(1, journal.message(entry(1).key()).orElseThrow().leafIndex());
      assertEquals(-1, journal.message(entry(3).key()).orElseThrow().batchSequence());

      journal.recordSent(1);
      journal.recordSent(1);
      assertEquals(BatchRecord.State.SENT, journal.batch(1).orElseThrow().state());
      AnchorReference anchor = new AnchorReference(31337, IDENTITY.contract(), hash(500), 12, 3, hash(600));
      journal.recordAnchored(1, anchor);
      journal.recordAnchored(1, anchor);
      assertEquals(anchor, journal.batch(1).orElseThrow().anchor());
      assertEquals(List.of(1L), journal.unconfirmedBatches().stream().map(BatchRecord::sequence).toList());
      assertTrue(journal.lastConfirmedBatch().isEmpty());
      journal.recordConfirmed(1);
      journal.recordConfirmed(1);
      assertEquals(BatchRecord.State.CONFIRMED, journal.batch(1).orElseThrow().state());
      assertEquals(anchor, journal.lastConfirmedBatch().orElseThrow().anchor());
      assertTrue(journal.unconfirmedBatches().isEmpty());
      assertEquals(1, journal.lastBatch().orElseThrow().sequence());
      assertThrows(IllegalStateException.class, () -> journal.recordConfirmed(2), "no batch 2");

      journal.recordReorged(1);
      BatchRecord reorged = journal.batch(1).orElseThrow();
      assertEquals(BatchRecord.State.SENT, reorged.state());
      assertTrue(reorged.anchored().isEmpty(), "anchor cleared");
      assertEquals(List.of(1L), journal.unconfirmedBatches().stream().map(BatchRecord::sequence).toList());
      assertThrows(IllegalStateException.class, () -> journal.recordConfirmed(1), "not anchored any more");

      journal.recordAnchored(1, anchor);
      journal.recordConfirmed(1);
      journal.recordAnchored(1, anchor);
      assertEquals(BatchRecord.State.CONFIRMED, journal.batch(1).orElseThrow().state(), "the same anchor again: still confirmed");
      AnchorReference elsewhere = new AnchorReference(31337, IDENTITY.contract(), hash(500), 14, 0, hash(601));
      journal.recordAnchored(1, elsewhere);
      assertEquals(BatchRecord.State.ANCHORED, journal.batch(1).orElseThrow().state(), "mined again in another block");
      assertEquals(elsewhere, journal.batch(1).orElseThrow().anchor());
    }
  }

  @Test
  void forgetRemovesTheIdsAndSignatureOfConfirmedMessagesOnly() {
    SigningKey key = SigningKey.ed25519(new byte[32]);
    JournalEntry signed = new JournalEntry(new MessageKey("private-room", "secret-id"), hash(7), key.sign(hash(7)), Instant.EPOCH);
    try (AnchorJournal journal = open(dir)) {
      assertTrue(journal.tryLead());
      journal.append(List.of(entry(1), signed, entry(3)));
      journal.createBatch(created(1, 2, ZERO), List.of(entry(1).key(), signed.key()));
      journal.recordSent(1);
      journal.recordAnchored(1, new AnchorReference(31337, IDENTITY.contract(), hash(500), 12, 3, hash(600)));
      assertEquals(List.of(signed.key()), journal.forget(Map.of(signed.key(), hash(7))), "its batch is not confirmed yet");
      assertTrue(journal.message(signed.key()).isPresent(), "nothing forgotten before confirmation");
      journal.recordConfirmed(1);

      assertEquals(List.of(), journal.forget(Map.of(signed.key(), hash(7), entry(3).key(), hash(99), new MessageKey("c", "never"), hash(1))),
          "confirmed: forgotten; a key stored with another commitment or not at all is no business of forget");
      assertTrue(journal.message(signed.key()).isEmpty(), "the ids no longer find it");
      List<JournalEntry> members = journal.members(1);
      assertEquals(List.of(entry(1).key(), MessageKey.forgotten(hash(7))), keys(members));
      assertTrue(members.get(1).key().isForgotten());
      assertEquals(hash(7), members.get(1).commitment(), "the commitment stays in its batch");
      assertEquals(null, members.get(1).signature(), "the signature (which names the sender's key) is gone");
      assertEquals(List.of(entry(1).key(), entry(1).commitment()), List.of(members.get(0).key(), members.get(0).commitment()),
          "the other member is untouched");
      assertEquals(List.of(), journal.forget(Map.of(signed.key(), hash(7))), "idempotent");
      // The same message submitted again after it was forgotten is a new row, and can be forgotten again.
      journal.append(List.of(signed));
      journal.createBatch(created(2, 1, hash(1001)), List.of(signed.key()));
      journal.recordSent(2);
      journal.recordAnchored(2, new AnchorReference(31337, IDENTITY.contract(), hash(501), 13, 0, hash(601)));
      journal.recordConfirmed(2);
      assertEquals(List.of(), journal.forget(Map.of(signed.key(), hash(7))));
      assertEquals(List.of(MessageKey.forgotten(hash(7))), keys(journal.members(2)));
      assertTrue(journal.message(signed.key()).isEmpty());
      assertTrue(journal.message(entry(3).key()).isPresent());
      assertEquals(4, journal.messageCount());
    }
  }

  @Test
  void batchCreationIsAllOrNothing() {
    try (AnchorJournal journal = open(dir)) {
      assertTrue(journal.tryLead());
      journal.append(List.of(entry(1), entry(2), entry(3)));
      journal.createBatch(created(1, 1, ZERO), List.of(entry(1).key()));
      assertThrows(IllegalStateException.class,
          () -> journal.createBatch(created(2, 2, ZERO), List.of(entry(2).key(), entry(1).key())), "entry 1 is batched");
      BatchRecord otherRoot = new BatchRecord(1, hash(4242), 1, ZERO, BatchRecord.State.CREATED, Instant.EPOCH, null);
      assertThrows(IllegalStateException.class, () -> journal.createBatch(otherRoot, List.of(entry(3).key())),
          "sequence 1 exists with another root");
      assertTrue(journal.batch(2).isEmpty());
      assertEquals(2, journal.unbatched(10).size(), "entry 2 was not half-assigned");
    }
  }

  @Test
  void aJournalServesOnePublisherChainAndContract() {
    try (AnchorJournal journal = open(dir)) {
      journal.bind(IDENTITY);
      journal.bind(IDENTITY);
    }
    try (AnchorJournal journal = open(dir)) {
      journal.bind(IDENTITY);
      JournalException other = assertThrows(JournalException.class, () -> journal.bind(new JournalIdentity(
          EvmAddress.fromHex("0x" + "33".repeat(20)), IDENTITY.chainId(), IDENTITY.contract())));
      assertFalse(other.retryable());
      assertTrue(other.getMessage().contains(IDENTITY.publisher().toString()), other.getMessage());
      assertThrows(JournalException.class, () -> journal.bind(new JournalIdentity(IDENTITY.publisher(), 1, IDENTITY.contract())));
      assertThrows(JournalException.class, () -> journal.bind(new JournalIdentity(IDENTITY.publisher(), IDENTITY.chainId(),
          EvmAddress.fromHex("0x" + "44".repeat(20)))));
    }
  }

  @Test
  void everythingSurvivesReopening() {
    List<JournalEntry> entries = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      entries.add(entry(i));
    }
    try (AnchorJournal journal = open(dir)) {
      assertTrue(journal.tryLead());
      journal.append(entries);
      journal.createBatch(created(1, 100, ZERO), keys(entries.subList(0, 100)));
      journal.recordIntent(TransactionIntent.create("anchor/1", IDENTITY.publisher(), IDENTITY.contract(), new byte[] {9},
          BigInteger.ZERO, Instant.ofEpochMilli(9_000), 3));
      journal.recordSent(1);
    }
    try (AnchorJournal journal = open(dir)) {
      assertEquals(500, journal.messageCount());
      assertEquals(400, journal.unbatched(1_000).size());
      assertEquals(BatchRecord.State.SENT, journal.unconfirmedBatches().get(0).state());
      assertEquals(keys(entries.subList(0, 100)), keys(journal.members(1)));
      assertEquals(3, journal.intent("anchor/1").orElseThrow().createdAtBlock());
    }
  }
}
