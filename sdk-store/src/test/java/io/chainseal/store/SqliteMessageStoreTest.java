package io.chainseal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.ErasureReceipt;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageRef;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.Salt;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.StoreEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encryption at rest and erasure that reaches every copy, shown on the database files byte by byte. */
class SqliteMessageStoreTest {
  private static final int MESSAGES = 10_000;
  private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

  @TempDir
  Path dir;

  private static SaltedEnvelope message(int i) {
    String conversation = "room-" + (i / 40 % 5); // each sender writes in every room
    String sender = "user-" + (i % 40) + "@chat.example.org";
    return new SaltedEnvelope(MessageEnvelope.builder().conversationId(conversation).messageId("m-" + i).senderId(sender)
        .timestamp(Instant.ofEpochSecond(1_800_000_000L + i)).text("plaintext marker " + i + " from " + sender + ": kiwi-" + (i * 7919))
        .build(), Salt.random());
  }

  /** Every file of the store (database, write-ahead log, shared memory) as one byte array. */
  private byte[] files() throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      List<byte[]> parts = new ArrayList<>();
      for (Path file : all.filter(p -> p.getFileName().toString().startsWith("store.db")).toList()) {
        parts.add(Files.readAllBytes(file));
      }
      int size = parts.stream().mapToInt(p -> p.length).sum();
      byte[] out = new byte[size];
      int at = 0;
      for (byte[] part : parts) {
        System.arraycopy(part, 0, out, at, part.length);
        at += part.length;
      }
      return out;
    }
  }

  @Test
  void erasingASenderLeavesNothingReadableOfThemInTheFilesAndEveryOtherMessageIntact() throws Exception {
    SigningKey operator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    KeystoreKeyProvider keys = KeystoreKeyProvider.open(dir.resolve("kek.p12"), PASSWORD);
    Path db = dir.resolve("store.db");
    List<SaltedEnvelope> written = new ArrayList<>();
    String erasedSender = "user-7@chat.example.org";
    List<byte[]> erasedWrappedKeys = new ArrayList<>();
    List<byte[]> erasedCiphertexts = new ArrayList<>();
    try (SqliteMessageStore store = SqliteMessageStore.open(db, keys, operator)) {
      for (int i = 0; i < MESSAGES; i++) {
        SaltedEnvelope message = message(i);
        store.put(message);
        written.add(message);
      }
      store.put(written.get(3)); // the same message again: nothing changes
      assertThrows(IllegalStateException.class, () -> store.put(new SaltedEnvelope(written.get(3).envelope(), Salt.random())),
          "another message under a stored id is refused");

      byte[] before = files();
      for (int i : new int[] {0, 7, 4_999, 9_999}) {
        assertFalse(Bytes.contains(before, written.get(i).envelope().text().orElseThrow().getBytes(StandardCharsets.UTF_8)), "plaintext of " + i);
        assertFalse(Bytes.contains(before, written.get(i).salt().bytes()), "salt of " + i);
      }
    }
    // What an attacker with the file would go for: the sender's wrapped data keys and ciphertexts
    // (read with the store closed: an open store keeps the file to itself).
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT wrapped FROM data_keys WHERE sender_id = '" + erasedSender + "'")) {
        while (rs.next()) {
          erasedWrappedKeys.add(rs.getBytes(1));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT sealed FROM messages WHERE sender_id = '" + erasedSender + "'")) {
        while (rs.next()) {
          erasedCiphertexts.add(rs.getBytes(1));
        }
      }
    }
    try (SqliteMessageStore store = SqliteMessageStore.open(db, keys, operator)) {
      assertEquals(5, erasedWrappedKeys.size(), "one data key per conversation the sender wrote in");
      assertEquals(MESSAGES / 40, erasedCiphertexts.size());

      ErasureReceipt receipt = store.eraseSender(erasedSender);
      assertEquals(MESSAGES / 40, receipt.erased().size());
      assertTrue(receipt.verify(operator.id()), "the receipt is the operator's");
      ErasureReceipt shortened = new ErasureReceipt(receipt.scope(), receipt.subject(), receipt.erased().subList(1, receipt.erased().size()),
          receipt.erasedAt(), receipt.signature());
      assertFalse(shortened.verify(operator.id()), "a receipt changed after signing does not verify");
      assertEquals(0, store.eraseSender(erasedSender).erased().size(), "erasing again erases nothing more");

      byte[] after = files();
      for (byte[] wrapped : erasedWrappedKeys) {
        assertFalse(Bytes.contains(after, wrapped), "a wrapped data key of the erased sender is still in the files");
      }
      for (byte[] sealed : erasedCiphertexts) {
        assertFalse(Bytes.contains(after, java.util.Arrays.copyOfRange(sealed, 0, 32)), "a ciphertext of the erased sender is still in the files");
      }
    }

    // A fresh process: the erased stay erased, every other message decrypts as written.
    try (SqliteMessageStore store = SqliteMessageStore.open(db, KeystoreKeyProvider.open(dir.resolve("kek.p12"), PASSWORD), operator)) {
      int erased = 0;
      for (int i = 0; i < MESSAGES; i++) {
        SaltedEnvelope original = written.get(i);
        StoreEntry entry = store.get(new MessageRef(original.envelope().conversationId(), original.envelope().messageId())).orElseThrow();
        assertEquals(original.envelope().commit(original.salt()), entry.commitment());
        if (original.envelope().senderId().equals(erasedSender)) {
          assertTrue(entry.erased());
          assertTrue(entry.message().isEmpty());
          erased++;
        } else {
          assertEquals(original, entry.message().orElseThrow());
        }
      }
      assertEquals(MESSAGES / 40, erased);
      assertEquals(MESSAGES / 5, store.conversation("room-3").size(), "erased messages keep their place");
      store.put(written.get(7)); // a replay of an erased message: nothing changes, it stays erased
      assertTrue(store.get(new MessageRef("room-0", "m-7")).orElseThrow().erased());
      assertEquals(2, store.receipts().size(), "each receipt was kept with its erasure (the second erased nothing)");
      assertTrue(store.receipts().get(0).verify(operator.id()));
      assertEquals(MESSAGES / 40, store.receipts().get(0).erased().size());
    }
  }

  @Test
  void erasesOneMessageOrAWholeConversation() throws Exception {
    SigningKey operator = SigningKey.generate(SignatureScheme.SECP256K1_EIP191, new SecureRandom());
    try (SqliteMessageStore store = SqliteMessageStore.open(dir.resolve("store.db"),
        KeystoreKeyProvider.open(dir.resolve("kek.p12"), PASSWORD), operator)) {
      Map<MessageRef, SaltedEnvelope> written = new HashMap<>();
      for (int i = 0; i < 50; i++) {
        SaltedEnvelope message = message(i);
        store.put(message);
        written.put(new MessageRef(message.envelope().conversationId(), message.envelope().messageId()), message);
      }
      MessageRef one = new MessageRef("room-0", "m-1");
      ErasureReceipt single = store.erase(one);
      assertEquals(List.of(new ErasureReceipt.Erased(one, written.get(one).envelope().commit(written.get(one).salt()))), single.erased());
      assertTrue(store.get(one).orElseThrow().erased());
      assertFalse(Bytes.contains(files(), written.get(one).envelope().text().orElseThrow().getBytes(StandardCharsets.UTF_8)));
      MessageRef sameSender = new MessageRef("room-1", "m-41"); // user-1 again: still readable
      assertEquals(written.get(sameSender), store.get(sameSender).orElseThrow().message().orElseThrow());
      MessageRef sameRoom = new MessageRef("room-0", "m-2");
      assertEquals(written.get(sameRoom), store.get(sameRoom).orElseThrow().message().orElseThrow());

      ErasureReceipt room = store.eraseConversation("room-1");
      assertEquals(10, room.erased().size());
      assertTrue(room.verify(operator.id()));
      assertTrue(store.conversation("room-1").stream().allMatch(ref -> store.get(ref).orElseThrow().erased()));
      assertEquals(1, store.conversation("room-0").stream().filter(ref -> store.get(ref).orElseThrow().erased()).count());
    }
  }

  @Test
  void aWrongPasswordOrAForeignKeystoreCannotReadTheStore() throws Exception {
    SigningKey operator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    Path db = dir.resolve("store.db");
    try (SqliteMessageStore store = SqliteMessageStore.open(db, KeystoreKeyProvider.open(dir.resolve("kek.p12"), PASSWORD), operator)) {
      store.put(message(1));
    }
    io.chainseal.core.KeyProvider.KeyProviderException wrong = assertThrows(io.chainseal.core.KeyProvider.KeyProviderException.class,
        () -> KeystoreKeyProvider.open(dir.resolve("kek.p12"), "guess".toCharArray()));
    assertFalse(wrong.getMessage().contains("guess"), "the message never holds the password");
    try (SqliteMessageStore store = SqliteMessageStore.open(db, KeystoreKeyProvider.open(dir.resolve("other.p12"), PASSWORD), operator)) {
      assertThrows(io.chainseal.core.KeyProvider.KeyProviderException.class, () -> store.get(new MessageRef("room-0", "m-1")));
    }
  }

  @Test
  void aBatchThatFailsStoresNothingAndLosesNoKey() throws Exception {
    SigningKey operator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    Path db = dir.resolve("store.db");
    SaltedEnvelope first = message(1);
    SaltedEnvelope newcomer = new SaltedEnvelope(MessageEnvelope.builder().conversationId("room-9").messageId("n-1")
        .senderId("newcomer@chat.example.org").timestamp(Instant.ofEpochSecond(1_800_000_000L)).text("hello").build(), Salt.random());
    try (SqliteMessageStore store = SqliteMessageStore.open(db, KeystoreKeyProvider.open(dir.resolve("kek.p12"), PASSWORD), operator)) {
      store.put(first);
      // The newcomer's data key is made inside this batch, which then fails on a conflicting id.
      SaltedEnvelope conflicting = new SaltedEnvelope(first.envelope(), Salt.random());
      assertThrows(IllegalStateException.class, () -> store.putAll(List.of(newcomer, conflicting)));
      assertTrue(store.get(new MessageRef("room-9", "n-1")).isEmpty(), "all or nothing");
      store.putAll(List.of(newcomer));
    }
    try (SqliteMessageStore store = SqliteMessageStore.open(db, KeystoreKeyProvider.open(dir.resolve("kek.p12"), PASSWORD), operator)) {
      assertEquals(newcomer, store.get(new MessageRef("room-9", "n-1")).orElseThrow().message().orElseThrow(),
          "readable after a restart: encrypted under the key that was stored");
    }
  }

  @Test
  void oneInstanceOwnsTheFileAndCiphertextsAreBoundToTheirMessage() throws Exception {
    SigningKey operator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    Path db = dir.resolve("store.db");
    KeystoreKeyProvider keys = KeystoreKeyProvider.open(dir.resolve("kek.p12"), PASSWORD);
    // Ids that a separator-joined cache key or associated data would confuse.
    SaltedEnvelope first = new SaltedEnvelope(MessageEnvelope.builder().conversationId("a").messageId("b\0m").senderId("b\0c")
        .timestamp(Instant.ofEpochSecond(1_800_000_000L)).text("first").build(), Salt.random());
    SaltedEnvelope second = new SaltedEnvelope(MessageEnvelope.builder().conversationId("a\0b").messageId("m").senderId("c")
        .timestamp(Instant.ofEpochSecond(1_800_000_001L)).text("second").build(), Salt.random());
    try (SqliteMessageStore store = SqliteMessageStore.open(db, keys, operator)) {
      store.putAll(List.of(first, second));
      StoreException busy = assertThrows(StoreException.class, () -> SqliteMessageStore.open(db, keys, operator),
          "a second instance on the same file is refused");
      assertTrue(busy.getMessage().contains("another instance"), busy.getMessage());
    }
    try (SqliteMessageStore store = SqliteMessageStore.open(db, keys, operator)) {
      assertEquals(first, store.get(new MessageRef("a", "b\0m")).orElseThrow().message().orElseThrow());
      assertEquals(second, store.get(new MessageRef("a\0b", "m")).orElseThrow().message().orElseThrow());
    }
    // Someone with the file swaps two ciphertexts of one data key: neither decrypts as the other.
    SaltedEnvelope third = message(0);
    SaltedEnvelope fourth = message(40 * 5); // same room, same sender: same data key
    try (SqliteMessageStore store = SqliteMessageStore.open(db, keys, operator)) {
      store.putAll(List.of(third, fourth));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE messages SET sealed = (SELECT sealed FROM messages WHERE message_id = 'm-200') WHERE message_id = 'm-0'");
    }
    try (SqliteMessageStore store = SqliteMessageStore.open(db, keys, operator)) {
      StoreException swapped = assertThrows(StoreException.class, () -> store.get(new MessageRef("room-0", "m-0")));
      assertTrue(swapped.getMessage().contains("tampered"), swapped.getMessage());
      assertEquals(fourth, store.get(new MessageRef("room-0", "m-200")).orElseThrow().message().orElseThrow());
    }
  }
}
