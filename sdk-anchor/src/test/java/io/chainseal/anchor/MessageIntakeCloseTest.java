package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.Hash32;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Closing the intake while writes are queued, with several journal writers: each queued write is
 * either journaled (and its submitter told so) or failed as CLOSED (and not journaled) — never
 * journaled and reported closed, which a writer failing the queue it did not drain allowed.
 */
class MessageIntakeCloseTest {
  @RepeatedTest(5)
  void aQueuedWriteIsJournaledOrFailedClosedNeverBoth() throws Exception {
    Set<MessageKey> journaled = ConcurrentHashMap.newKeySet();
    AnchorJournal journal = slowJournalOfFourWriters(journaled);
    MessageIntake intake = new MessageIntake(journal, 1_000_000, Runnable::run, Clock.systemUTC(), "close-test-journal",
        (count, oldest) -> { }, key -> Optional.empty(), (what, error) -> { }, key -> "queued");
    List<PendingProof> pending = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      pending.add(intake.enqueue(new MessageKey("c", "m" + i), hash(i), null));
    }
    intake.close();

    int written = 0;
    int closed = 0;
    for (PendingProof p : pending) {
      try {
        p.durable.get(30, TimeUnit.SECONDS);
        assertTrue(journaled.contains(p.key()), p.key() + " reported durable but not journaled");
        written++;
      } catch (java.util.concurrent.ExecutionException e) {
        SubmitRejectedException rejected = (SubmitRejectedException) e.getCause();
        assertEquals(SubmitRejectedException.Reason.CLOSED, rejected.reason());
        assertFalse(journaled.contains(p.key()), p.key() + " journaled but reported closed");
        closed++;
      }
    }
    assertEquals(pending.size(), written + closed);
    assertTrue(written > 0 && closed > 0, "both outcomes occur: " + written + " written, " + closed + " closed");
    assertEquals(written, journaled.size());
  }

  /** A journal whose appends last until the writer is interrupted, with four writers. */
  private static AnchorJournal slowJournalOfFourWriters(Set<MessageKey> journaled) {
    return (AnchorJournal) Proxy.newProxyInstance(AnchorJournal.class.getClassLoader(), new Class<?>[] {AnchorJournal.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "concurrentAppends" -> 4;
          case "toString" -> "slow journal";
          case "append" -> {
            @SuppressWarnings("unchecked")
            List<JournalEntry> entries = (List<JournalEntry>) args[0];
            // Held until close() interrupts the writer, then written all the same (a write in progress
            // finishes): the writers hold a group each while everything else stays queued.
            try {
              new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            List<Optional<Hash32>> outcomes = new ArrayList<>();
            for (JournalEntry entry : entries) {
              journaled.add(entry.key());
              outcomes.add(Optional.empty());
            }
            yield outcomes;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static Hash32 hash(int i) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) i;
    bytes[1] = (byte) (i >>> 8);
    bytes[31] = 7;
    return Hash32.of(bytes);
  }

}
