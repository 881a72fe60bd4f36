package io.chainseal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.ErasureReceipt;
import io.chainseal.core.KeyProvider;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.StoreEntry;
import io.chainseal.testkit.LocalPostgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several instances on one PostgreSQL store (a real server from the testkit): shared keys, erasure that reaches every instance, restarts. */
@Tag("slow")
class PostgresMessageStoreTest {
  private static LocalPostgres postgres;

  @TempDir
  Path dir;

  private final SigningKey operator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());

  @BeforeAll
  static void startServer() {
    postgres = LocalPostgres.start();
  }

  @AfterAll
  static void stopServer() {
    postgres.close();
  }

  private static String schemaUrl(String schema) {
    try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return postgres.jdbcUrl() + "&currentSchema=" + schema;
  }

  private KeyProvider keys() {
    return KeystoreKeyProvider.open(dir.resolve("kek.p12"), "pw".toCharArray());
  }

  private static SaltedEnvelope message(String conversation, String id, String sender) {
    return new SaltedEnvelope(MessageEnvelope.builder().conversationId(conversation).messageId(id).senderId(sender)
        .timestamp(Instant.ofEpochSecond(1_800_000_000L)).text("said by " + sender + " as " + id).build(), Salt.random());
  }

  private static MessageRef ref(SaltedEnvelope message) {
    return new MessageRef(message.envelope().conversationId(), message.envelope().messageId());
  }

  @Test
  void twoInstancesReadEachOthersMessagesAndStoreOneMessageOnce() {
    String url = schemaUrl("shared_reads");
    KeyProvider keys = keys();
    try (PostgresMessageStore a = PostgresMessageStore.open(url, keys, operator);
        PostgresMessageStore b = PostgresMessageStore.open(url, keys, operator)) {
      SaltedEnvelope first = message("room-1", "m-1", "alice");
      a.put(first);
      b.put(first); // the same message from the other instance: stored once
      assertEquals(List.of(ref(first)), b.conversation("room-1"));
      assertEquals(first.envelope(), b.get(ref(first)).orElseThrow().message().orElseThrow().envelope(),
          "b decrypts under the data key a created");
      SaltedEnvelope second = message("room-1", "m-2", "alice");
      b.put(second);
      assertEquals(second.salt(), a.get(ref(second)).orElseThrow().message().orElseThrow().salt());
      assertThrows(IllegalStateException.class, () -> a.put(message("room-1", "m-2", "alice")),
          "another message under stored ids is refused");
    }
    try (PostgresMessageStore withPassword = PostgresMessageStore.open(url + "&password=hunter2", keys, operator)) {
      assertTrue(withPassword.toString().startsWith("PostgresMessageStore[") && !withPassword.toString().contains("hunter2"),
          withPassword.toString());
    }
  }

  @Test
  void anErasureOfASenderReachesWhatAnotherInstanceIsStoringMeanwhile() throws Exception {
    String url = schemaUrl("erasure_race");
    KeyProvider keys = keys();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (PostgresMessageStore a = PostgresMessageStore.open(url, keys, operator);
        PostgresMessageStore b = PostgresMessageStore.open(url, keys, operator)) {
      for (int i = 0; i < 50; i++) {
        a.put(message("room-" + (i % 3), "before-" + i, i % 2 == 0 ? "mallory" : "bob"));
      }
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch writing = new CountDownLatch(20);
      Future<List<SaltedEnvelope>> stored = writer.submit(() -> {
        List<SaltedEnvelope> done = new ArrayList<>();
        int afterwards = 0;
        for (int i = 0; !stop.get() || afterwards++ < 10; i++) { // ten more once the erasure returned
          SaltedEnvelope next = message("room-" + (i % 3), "during-" + i, "mallory");
          b.put(next);
          done.add(next);
          writing.countDown();
        }
        return done;
      });
      assertTrue(writing.await(1, TimeUnit.MINUTES), "b stores while a erases");
      ErasureReceipt receipt = a.eraseSender("mallory");
      stop.set(true);
      List<SaltedEnvelope> during = stored.get(1, TimeUnit.MINUTES);

      Set<MessageRef> erased = new HashSet<>();
      receipt.erased().forEach(e -> erased.add(e.ref()));
      assertEquals(25 + (int) during.stream().filter(m -> erased.contains(ref(m))).count(), erased.size());
      int erasedDuring = 0;
      int keptDuring = 0;
      for (SaltedEnvelope message : during) {
        StoreEntry entry = a.get(ref(message)).orElseThrow(); // never "stored but unreadable"
        if (erased.contains(ref(message))) {
          assertTrue(entry.erased() && entry.message().isEmpty(), "erased as the receipt says: " + ref(message));
          erasedDuring++;
        } else {
          assertEquals(message.envelope(), entry.message().orElseThrow().envelope(), "stored after the erasure, under a new key");
          keptDuring++;
        }
      }
      assertTrue(erasedDuring > 0 && keptDuring > 0, "the erasure fell between b's writes: " + erasedDuring + " erased, "
          + keptDuring + " after");
      assertTrue(receipt.verify(operator.id()));
      for (int i = 1; i < 50; i += 2) {
        assertTrue(b.get(new MessageRef("room-" + (i % 3), "before-" + i)).orElseThrow().message().isPresent(), "bob's messages stay");
      }
    } finally {
      writer.shutdownNow();
    }
  }

  @Test
  void aProofAttachedWhileAnotherInstanceErasesIsReducedExactlyWhenTheMessageIsErased() throws Exception {
    String url = schemaUrl("proof_race");
    KeyProvider keys = keys();
    SigningKey alice = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (PostgresMessageStore a = PostgresMessageStore.open(url, keys, operator);
        PostgresMessageStore b = PostgresMessageStore.open(url, keys, operator)) {
      List<SaltedEnvelope> messages = new ArrayList<>();
      List<MessageProof> proofs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        SaltedEnvelope message = message("room-" + i, "m", "alice");
        messages.add(message);
        Hash32 commitment = message.envelope().commit(message.salt());
        MerkleTree tree = MerkleTree.ofLeafHashes(List.of(commitment));
        proofs.add(MessageProof.builder().commitment(commitment).inclusion(tree.inclusionProof(0)).root(tree.root())
            .signature(alice.sign(commitment)).build());
      }
      a.putAll(messages);
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        int n = i;
        running.add(pool.submit(() -> a.putProof(ref(messages.get(n)), proofs.get(n))));
        running.add(pool.submit(() -> b.erase(ref(messages.get(n)))));
      }
      for (Future<?> done : running) {
        done.get(1, TimeUnit.MINUTES);
      }
      for (SaltedEnvelope message : messages) {
        StoreEntry entry = a.get(ref(message)).orElseThrow();
        assertTrue(entry.erased(), ref(message) + " erased");
        MessageProof kept = entry.proof().orElseThrow(() -> new AssertionError("the proof of " + ref(message) + " was lost"));
        assertTrue(kept.signature().isEmpty(), "the signature naming the sender's key is gone from " + ref(message));
      }
      assertEquals(200, a.receipts().stream().mapToInt(r -> r.erased().size()).sum(), "each message in exactly one receipt");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDatabaseRestartIsSurvivedAndAnErasureIsNeverRepeatedBlindly() {
    String url = schemaUrl("restart");
    KeyProvider keys = keys();
    try (PostgresMessageStore store = PostgresMessageStore.open(url, keys, operator)) {
      SaltedEnvelope before = message("room-1", "m-1", "alice");
      store.put(before);
      postgres.restart();
      SaltedEnvelope after = message("room-1", "m-2", "alice");
      store.put(after); // the broken connection is replaced and the put repeated
      assertEquals(before.envelope(), store.get(ref(before)).orElseThrow().message().orElseThrow().envelope());
      postgres.restart();
      StoreException unknown = assertThrows(StoreException.class, () -> store.erase(ref(before)),
          "an erasure on a connection that broke is not repeated");
      assertTrue(unknown.getMessage().contains("whether it happened is unknown"), unknown.getMessage());
      ErasureReceipt again = store.erase(ref(before)); // the caller repeats it: now on a new connection
      assertEquals(List.of(ref(before)), again.erased().stream().map(ErasureReceipt.Erased::ref).toList());
      assertTrue(store.get(ref(before)).orElseThrow().erased());
      assertEquals(after.envelope(), store.get(ref(after)).orElseThrow().message().orElseThrow().envelope());
      assertFalse(store.receipts().isEmpty());
    }
  }
}
