package io.chainseal.benchmarks;

import io.chainseal.anchor.JournalEntry;
import io.chainseal.anchor.MessageKey;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageRef;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.store.KeystoreKeyProvider;
import io.chainseal.store.SqliteMessageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The message store benchmark: encrypted writes and reads of the SQLite message store beside the
 * plain SQLite anchor journal's, on the same messages in the same run. Both write in transactions of
 * 1,000 messages with {@code synchronous=FULL}; the store also encrypts each envelope and salt
 * (AES-256-GCM) and keeps the ciphertext, the journal keeps ids and the commitment only. Reads: the
 * store decrypts a message by its ids, the journal reads its entry. A documented harness, not JMH.
 *
 * <p>Run: {@code java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" io.chainseal.benchmarks.StoreBenchmark [messages] [rounds]}
 */
public final class StoreBenchmark {
  private static final int GROUP = 1_000;

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int reads = Math.min(count, 20_000);
    List<SaltedEnvelope> messages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      messages.add(new SaltedEnvelope(MessageEnvelope.builder().conversationId("room-" + (i % 10)).messageId("m-" + i)
          .senderId("user-" + (i % 100) + "@chat.example.org").timestamp(Instant.ofEpochSecond(1_800_000_000L + i))
          .text("a chat message of ordinary length, number " + i + ", with a few words more to make it realistic").build(), Salt.random()));
    }
    System.out.printf("Store benchmark: %,d messages (about %d bytes of text each), transactions of %,d, %,d random reads, %d rounds%n",
        count, messages.get(0).envelope().text().orElseThrow().length(), GROUP, reads, rounds);
    SigningKey operator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    Random random = new Random(1);
    double[] writeRatios = new double[rounds];
    double[] storeWriteRates = new double[rounds];
    for (int round = 1; round <= rounds; round++) {
      Path dir = TempFolders.create("chainseal-store-bench-");
      double storeWrites;
      double storeReads;
      try (SqliteMessageStore store = SqliteMessageStore.open(dir.resolve("store.db"),
          KeystoreKeyProvider.open(dir.resolve("kek.p12"), "bench".toCharArray()), operator)) {
        long start = System.nanoTime();
        for (int from = 0; from < count; from += GROUP) {
          store.putAll(messages.subList(from, Math.min(count, from + GROUP)));
        }
        storeWrites = count / ((System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        for (int i = 0; i < reads; i++) {
          SaltedEnvelope m = messages.get(random.nextInt(count));
          store.get(new MessageRef(m.envelope().conversationId(), m.envelope().messageId())).orElseThrow();
        }
        storeReads = reads / ((System.nanoTime() - start) / 1e9);
      }
      double journalWrites;
      double journalReads;
      try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("journal.db"))) {
        long start = System.nanoTime();
        for (int from = 0; from < count; from += GROUP) {
          List<JournalEntry> entries = new ArrayList<>(GROUP);
          for (SaltedEnvelope m : messages.subList(from, Math.min(count, from + GROUP))) {
            entries.add(new JournalEntry(new MessageKey(m.envelope().conversationId(), m.envelope().messageId()),
                m.envelope().commit(m.salt()), null, m.envelope().timestamp()));
          }
          journal.append(entries);
        }
        journalWrites = count / ((System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        for (int i = 0; i < reads; i++) {
          SaltedEnvelope m = messages.get(random.nextInt(count));
          journal.message(new MessageKey(m.envelope().conversationId(), m.envelope().messageId())).orElseThrow();
        }
        journalReads = reads / ((System.nanoTime() - start) / 1e9);
      }
      System.out.printf("round %d: writes: store (encrypted) %,.0f/s, journal (plain) %,.0f/s = %.2f; reads: store %,.0f/s, journal %,.0f/s"
          + " = %.2f%n", round, storeWrites, journalWrites, storeWrites / journalWrites, storeReads, journalReads, storeReads / journalReads);
      writeRatios[round - 1] = storeWrites / journalWrites;
      storeWriteRates[round - 1] = storeWrites;
    }
    java.util.Arrays.sort(writeRatios);
    java.util.Arrays.sort(storeWriteRates);
    Figures.report("store: encrypted writes (SQLite)", storeWriteRates[rounds / 2], "msg/s",
        String.format(java.util.Locale.ROOT, "median of %d rounds, min %,.0f, max %,.0f", rounds, storeWriteRates[0], storeWriteRates[rounds - 1]));
    Figures.report("store: encrypted writes / plain journal writes", writeRatios[rounds / 2], "x", "same run");
  }
}
