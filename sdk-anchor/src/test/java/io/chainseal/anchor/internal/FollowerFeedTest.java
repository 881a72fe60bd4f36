package io.chainseal.anchor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.BatchRecord;
import io.chainseal.anchor.JournalEntry;
import io.chainseal.anchor.JournalIdentity;
import io.chainseal.anchor.MessageKey;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a follower reads from the shared journal: only what is new, and only what someone here waits for. */
class FollowerFeedTest {
  private static final SigningKey OPERATOR = SigningKey.secp256k1(Hash32.fromHex("0b".repeat(32)).bytes());
  private static final EvmAddress CONTRACT = EvmAddress.fromHex("0x" + "22".repeat(20));
  private static final long CHAIN_ID = 31337;

  @TempDir Path dir;
  private SqliteAnchorJournal journal;
  private final RecordingSink sink = new RecordingSink();
  private final ProofAssembler assembler = new ProofAssembler(CHAIN_ID, CONTRACT, OPERATOR);
  private Hash32 previousRoot = Hash32.of(new byte[32]);
  private int nextMessage;

  @BeforeEach
  void leadAJournalWithHistory() {
    journal = SqliteAnchorJournal.open(dir.resolve("journal.db"));
    journal.bind(new JournalIdentity(OPERATOR.id().address(), CHAIN_ID, CONTRACT));
    assertTrue(journal.tryLead());
    for (long sequence = 1; sequence <= 30; sequence++) {
      confirm(batch(sequence, 3));
    }
  }

  @AfterEach
  void closeJournal() {
    journal.close();
  }

  @Test
  void theFirstLookBuildsNothingFromHistory() {
    FollowerFeed feed = new FollowerFeed(journal, sink, assembler);
    feed.poll();
    feed.poll();
    assertEquals(0, feed.batchesBuilt(), "30 confirmed batches before this instance started: none rebuilt");
    assertTrue(sink.sealed.isEmpty() && sink.anchored.isEmpty());
  }

  @Test
  void batchesWithMessagesWaitedForHereAreHandedOutOnceSealedAndOnceConfirmed() {
    FollowerFeed feed = new FollowerFeed(journal, sink, assembler);
    feed.poll();
    long ours = batch(31, 2);
    MessageKey waitedFor = journal.members(ours).get(1).key();
    sink.tracked.add(waitedFor);
    long notOurs = batch(32, 4);
    feed.poll();
    assertTrue(sink.sealed.containsKey(waitedFor), "sealed proof handed out");
    assertFalse(sink.anchored.containsKey(waitedFor), "not confirmed yet");
    feed.poll();
    assertEquals(1, feed.batchesBuilt(), "a sealed batch is not built again on every look, one nobody waits for never");

    confirm(notOurs);
    confirm(ours);
    feed.poll();
    MessageProof proof = sink.anchored.get(waitedFor);
    assertTrue(proof != null && proof.anchor().isPresent(), "anchored proof handed out");
    assertEquals(2, feed.batchesBuilt());
    feed.poll();
    assertEquals(2, feed.batchesBuilt(), "nothing new: nothing built");
  }

  @Test
  void aMessageInABatchBehindTheLastConfirmedOneIsHandedOutWhenItsBatchIsConfirmed() {
    // Batch 5's anchor was removed by a reorganization while later batches stayed confirmed.
    journal.recordReorged(5);
    FollowerFeed feed = new FollowerFeed(journal, sink, assembler);
    MessageKey waitedFor = journal.members(5).get(0).key();
    sink.tracked.add(waitedFor); // e.g. submitted again here
    feed.poll();
    assertFalse(sink.anchored.containsKey(waitedFor), "its batch is not confirmed");
    journal.recordAnchored(5, anchor(5));
    journal.recordConfirmed(5);
    feed.poll();
    assertTrue(sink.anchored.containsKey(waitedFor), "read though older than the last confirmed batch");
    assertEquals(2, feed.batchesBuilt(), "only the batch that concerns it: once sealed, once confirmed");
  }

  @Test
  void aFeedThatLooksLateStillFindsTheBatchesConfirmedMeanwhile() {
    FollowerFeed feed = new FollowerFeed(journal, sink, assembler); // built with the anchorer, before any poll
    long ours = batch(31, 3);
    MessageKey waitedFor = journal.members(ours).get(2).key();
    sink.tracked.add(waitedFor);
    confirm(ours);
    confirm(batch(32, 3));
    feed.poll(); // its first look, after the leader confirmed both
    assertTrue(sink.anchored.containsKey(waitedFor));
  }

  private long batch(long sequence, int size) {
    List<JournalEntry> entries = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int n = nextMessage++;
      byte[] bytes = new byte[32];
      bytes[0] = (byte) n;
      bytes[1] = (byte) (n >> 8);
      bytes[31] = 7;
      entries.add(new JournalEntry(new MessageKey("room", "m" + n), Hash32.of(bytes), null, Instant.EPOCH));
    }
    journal.append(entries);
    Hash32 root = ProofAssembler.tree(entries).root();
    journal.createBatch(new BatchRecord(sequence, root, size, previousRoot, BatchRecord.State.CREATED, journal.now(), null),
        entries.stream().map(JournalEntry::key).toList());
    previousRoot = root;
    journal.recordSent(sequence);
    return sequence;
  }

  private void confirm(long sequence) {
    journal.recordAnchored(sequence, anchor(sequence));
    journal.recordConfirmed(sequence);
  }

  private static AnchorReference anchor(long sequence) {
    byte[] tx = new byte[32];
    tx[0] = (byte) sequence;
    tx[31] = 9;
    return new AnchorReference(CHAIN_ID, CONTRACT, Hash32.of(tx), 100 + sequence, 0, Hash32.of(tx));
  }

  /** The anchorer's table of pending messages, reduced to what it was handed. */
  private static final class RecordingSink implements ProofSink {
    final Set<MessageKey> tracked = new HashSet<>();
    final Map<MessageKey, MessageProof> sealed = new HashMap<>();
    final Map<MessageKey, MessageProof> anchored = new HashMap<>();

    @Override
    public void track(JournalEntry entry) {
      tracked.add(entry.key());
    }

    @Override
    public void batched(SealedBatch batch) {
      batch.members().forEach(member -> tracked.add(member.key()));
      sealed(batch);
    }

    @Override
    public void sealed(SealedBatch batch) {
      for (int i = 0; i < batch.members().size(); i++) {
        if (tracked.contains(batch.members().get(i).key())) {
          sealed.put(batch.members().get(i).key(), ProofAssembler.proof(batch, i, null));
        }
      }
    }

    @Override
    public void anchored(List<Delivery> deliveries) {
      for (Delivery delivery : deliveries) {
        anchored.put(delivery.key(), delivery.proof());
        tracked.remove(delivery.key());
      }
    }

    @Override
    public void anchored(SealedBatch batch, AnchorReference anchor) {
      for (int i = 0; i < batch.members().size(); i++) {
        MessageKey key = batch.members().get(i).key();
        if (tracked.remove(key)) {
          anchored.put(key, ProofAssembler.proof(batch, i, anchor));
        }
      }
    }

    @Override
    public boolean isTracked(MessageKey key) {
      return tracked.contains(key);
    }
  }
}
