package io.chainseal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.ErasureReceipt;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageRef;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention policies erase what is older than each conversation keeps, by themselves, with receipts. */
class RetentionTest {
  @TempDir
  Path dir;

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static SaltedEnvelope message(String room, int i) {
    return new SaltedEnvelope(MessageEnvelope.builder().conversationId(room).messageId("m-" + i).senderId("user-" + (i % 3))
        .timestamp(Instant.ofEpochSecond(1_800_000_000L + i)).text("message " + i).build(), Salt.random());
  }

  @Test
  void erasesWhatIsOlderThanEachConversationKeepsAndNothingElse() throws Exception {
    MovableClock clock = new MovableClock();
    SigningKey operator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    try (SqliteMessageStore store = SqliteMessageStore.open(dir.resolve("store.db"),
        KeystoreKeyProvider.open(dir.resolve("kek.p12"), "pw".toCharArray()), operator, clock)) {
      for (int i = 0; i < 10; i++) {
        store.put(message("room-a", i));
        store.put(message("room-b", i));
        store.put(message("room-c", i));
      }
      clock.advance(Duration.ofDays(8));
      for (int i = 10; i < 15; i++) {
        store.put(message("room-a", i));
      }
      List<ErasureReceipt> heard = new CopyOnWriteArrayList<>();
      java.util.concurrent.CountDownLatch secondReceipt = new java.util.concurrent.CountDownLatch(2);
      Retention retention = Retention.of(store, Optional.of(Duration.ofDays(7)),
          Map.of("room-b", Optional.empty(), "room-c", Optional.of(Duration.ofDays(30))), clock, receipt -> {
            heard.add(receipt);
            secondReceipt.countDown();
          });

      List<ErasureReceipt> receipts = retention.runOnce();
      assertEquals(1, receipts.size(), "only room-a keeps messages for less than 8 days");
      assertEquals(10, receipts.get(0).erased().size());
      assertEquals(ErasureReceipt.Scope.RETENTION, receipts.get(0).scope());
      assertTrue(receipts.get(0).verify(operator.id()));
      assertEquals(receipts, heard);
      for (int i = 0; i < 15; i++) {
        assertEquals(i < 10, store.get(new MessageRef("room-a", "m-" + i)).orElseThrow().erased(), "room-a m-" + i);
      }
      assertTrue(store.conversation("room-b").stream().noneMatch(ref -> store.get(ref).orElseThrow().erased()), "room-b keeps forever");
      assertTrue(store.conversation("room-c").stream().noneMatch(ref -> store.get(ref).orElseThrow().erased()), "room-c keeps 30 days");
      assertEquals(List.of(), retention.runOnce(), "nothing more to erase now");

      // Scheduled: once room-c's 30 days have passed, the running policy erases it by itself.
      retention.start(Duration.ofMillis(20));
      try {
        clock.advance(Duration.ofDays(30));
        assertTrue(secondReceipt.await(30, TimeUnit.SECONDS), "the scheduled run erased room-c within 30 s");
      } finally {
        retention.close();
      }
      assertTrue(heard.size() >= 2, "the scheduled run erased room-c");
      assertTrue(store.conversation("room-c").stream().allMatch(ref -> store.get(ref).orElseThrow().erased()));
      assertTrue(store.conversation("room-b").stream().noneMatch(ref -> store.get(ref).orElseThrow().erased()));
    }
  }

  @Test
  void refusesRetentionTimesThatAreNotPositive() {
    SigningKey operator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    try (SqliteMessageStore store = SqliteMessageStore.open(dir.resolve("store.db"),
        KeystoreKeyProvider.open(dir.resolve("kek.p12"), "pw".toCharArray()), operator)) {
      assertThrows(IllegalArgumentException.class, () -> Retention.of(store, Optional.of(Duration.ZERO), Map.of(), Clock.systemUTC(),
          r -> { }));
      assertThrows(IllegalArgumentException.class, () -> Retention.of(store, Optional.empty(),
          Map.of("room", Optional.of(Duration.ofDays(-1))), Clock.systemUTC(), r -> { }));
    }
  }
}
