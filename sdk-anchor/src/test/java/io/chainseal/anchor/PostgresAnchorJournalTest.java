package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.JournalException;
import io.chainseal.chain.LeaseLostException;
import io.chainseal.chain.TransactionJournal;
import io.chainseal.chain.TransactionJournalContract;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.LocalPostgres;
import io.chainseal.testkit.WithLocalChain;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The journal contracts on a real PostgreSQL server started for this class, fencing between two holders, and an anchorer on it. */
@WithLocalChain
@Tag("slow")
class PostgresAnchorJournalTest extends AnchorJournalContract {
  private static LocalPostgres postgres;

  @BeforeAll
  static void startServer() {
    postgres = LocalPostgres.start();
  }

  @AfterAll
  static void stopServer() {
    postgres.close();
  }

  static String schemaUrl(String schema) {
    try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return postgres.jdbcUrl() + "&currentSchema=" + schema;
  }

  /** One schema per folder, so reopening the same folder reopens the same journal. */
  @Override
  protected AnchorJournal open(Path folder) {
    String schema = "j" + Integer.toHexString(folder.toAbsolutePath().toString().hashCode()).replace('-', 'x');
    return PostgresAnchorJournal.open(schemaUrl(schema));
  }

  /**
   * Ends the server process of every connection holding Chainseal's leadership lock, as a network cut
   * would, and waits (up to 30 s each) until it has exited: only then are its locks released.
   */
  static int cutLeadershipConnections() throws SQLException {
    return cutLeadershipConnections(postgres);
  }

  static int cutLeadershipConnections(LocalPostgres server) throws SQLException {
    try (Connection admin = DriverManager.getConnection(server.jdbcUrl()); Statement statement = admin.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_terminate_backend(pid, 30000) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND granted AND pid <> pg_backend_pid()")) {
      int cut = 0;
      while (rs.next()) {
        cut++;
      }
      return cut;
    }
  }

  @Test
  void appendsOnSeveralConnectionsAtOnceStoreEachKeyOnce() throws Exception {
    int threads = 4;
    int perThread = 2_000;
    try (PostgresAnchorJournal journal = PostgresAnchorJournal.builder(schemaUrl("concurrent_appends")).appendConnections(threads).open()) {
      assertEquals(threads, journal.concurrentAppends());
      // Every thread appends the same keys, in groups of 100, each thread in another order: concurrent
      // groups meet on the same rows, as the journal writers of several instances do.
      List<CompletableFuture<Integer>> newlyStored = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        newlyStored.add(CompletableFuture.supplyAsync(() -> {
          int added = 0;
          for (int from = 0; from < perThread; from += 100) {
            List<JournalEntry> group = new ArrayList<>();
            for (int i = from; i < from + 100; i++) {
              group.add(entry(thread % 2 == 0 ? i : perThread - 1 - i));
            }
            for (java.util.Optional<Hash32> outcome : journal.append(group)) {
              added += outcome.isEmpty() ? 1 : 0;
            }
          }
          return added;
        }));
      }
      int added = 0;
      for (CompletableFuture<Integer> stored : newlyStored) {
        added += stored.get(2, TimeUnit.MINUTES);
      }
      assertEquals(perThread, added, "each key is new to exactly one append");
      assertEquals(perThread, journal.messageCount());
      for (int i = 0; i < perThread; i += 97) {
        assertEquals(hash(i), journal.message(entry(i).key()).orElseThrow().entry().commitment());
      }
    }
  }

  @Test
  void appendConnectionsOutsideItsRangeAreRefused() {
    PostgresAnchorJournal.Builder builder = PostgresAnchorJournal.builder(postgres.jdbcUrl());
    assertThrows(IllegalArgumentException.class, () -> builder.appendConnections(0));
    assertThrows(IllegalArgumentException.class, () -> builder.appendConnections(65));
  }

  @Test
  void aFormerLeaderWhoseLockDroppedCanWriteNothing() throws Exception {
    String url = schemaUrl("fencing");
    try (PostgresAnchorJournal zombie = PostgresAnchorJournal.open(url); PostgresAnchorJournal successor = PostgresAnchorJournal.open(url)) {
      zombie.append(List.of(entry(1), entry(2)));
      assertTrue(zombie.tryLead());
      assertFalse(successor.tryLead(), "the lock is held");
      zombie.createBatch(created(1, 1, Hash32.of(new byte[32])), List.of(entry(1).key()));
      assertEquals(1, cutLeadershipConnections());
      assertTrue(successor.tryLead(), "the lock was released with its connection");
      // The zombie has not looked at its lock: it still believes it leads, and writes.
      LeaseLostException refused = assertThrows(LeaseLostException.class,
          () -> zombie.recordSent(1));
      assertTrue(refused.getMessage().contains("another instance leads"), refused.getMessage());
      assertThrows(LeaseLostException.class, () -> zombie.createBatch(created(2, 1,
          Hash32.of(new byte[32])), List.of(entry(2).key())));
      assertFalse(zombie.stillLeads());
      successor.recordSent(1);
      assertEquals(BatchRecord.State.SENT, successor.batch(1).orElseThrow().state());
    }
  }

  @Test
  void aFollowerAsksForTheLeadOnOneStandingConnection() throws Exception {
    String url = schemaUrl("standby");
    try (PostgresAnchorJournal leader = PostgresAnchorJournal.open(url); PostgresAnchorJournal follower = PostgresAnchorJournal.open(url)) {
      assertTrue(leader.tryLead());
      for (int i = 0; i < 50; i++) {
        assertFalse(follower.tryLead());
      }
      assertEquals(1, follower.lockConnectionsOpened(), "50 polls for the lead, one connection");
      try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement()) {
        statement.execute("SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE datname = 'postgres'"
            + " AND pid <> pg_backend_pid() AND pid NOT IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)");
      }
      assertFalse(follower.tryLead(), "a broken standing connection is replaced, and the lock is still held");
      assertEquals(2, follower.lockConnectionsOpened());
      leader.stepDown();
      assertTrue(follower.tryLead(), "the standing connection takes the lock");
      assertEquals(2, follower.lockConnectionsOpened());
      assertTrue(follower.stillLeads());
    }
  }

  @Test
  void aBrokenConnectionIsReplacedAndTheCallRepeated() throws Exception {
    try (PostgresAnchorJournal journal = PostgresAnchorJournal.open(schemaUrl("reconnect"))) {
      journal.append(List.of(entry(1)));
      try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement()) {
        statement.execute("SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE datname = 'postgres'"
            + " AND pid <> pg_backend_pid()");
      }
      journal.append(List.of(entry(2)));
      assertEquals(2, journal.messageCount());
    }
  }

  @Test
  void anAnchorerRunsOnThePostgresJournal(LocalChain local) throws Exception {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
      List<CompletableFuture<MessageProof>> proofs = new ArrayList<>();
      try (AnchorJournal journal = open(dir.resolve("anchorer"));
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(TestKeys.of(local.account(1)))
              .journal(journal).batchPolicy(new BatchPolicy(250, Duration.ofMillis(50))).confirmations(1).build()) {
        for (int i = 0; i < 1_000; i++) {
          proofs.add(anchorer.submit(new MessageKey("pg", "m" + i), hash(i), null).proof());
        }
        CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);
        assertEquals(1_000, journal.messageCount());
        assertEquals(proofs.get(999).join(), anchorer.proof(new MessageKey("pg", "m999")).orElseThrow());
      }
    }
  }

  @Test
  void unreachableDatabaseIsAJournalExceptionWithoutThePassword() {
    JournalException e = assertThrows(JournalException.class,
        () -> PostgresAnchorJournal.builder("jdbc:postgresql://127.0.0.1:9/none?user=x&password=s3cret")
            .connectTimeout(Duration.ofSeconds(2)).open());
    assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
  }

  /** The transaction side of the PostgreSQL journal. */
  @Nested
  class AsTransactionJournal extends TransactionJournalContract {
    private final List<PostgresAnchorJournal> opened = new ArrayList<>();

    @Override
    protected TransactionJournal journal() {
      PostgresAnchorJournal journal = PostgresAnchorJournal.open(schemaUrl("tx" + Long.toHexString(System.nanoTime())));
      journal.tryLead();
      opened.add(journal);
      return journal;
    }

    @AfterEach
    void closeJournals() {
      opened.forEach(PostgresAnchorJournal::close);
    }
  }
}
