package io.chainseal.anchor;

import io.chainseal.chain.JournalException;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.testkit.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The journal contracts on a real PostgreSQL server started for this class, fencing between two holders, and an anchorer on it. */
@io.chainseal.testkit.WithLocalChain
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

  /** Ends the server process of every connection holding Chainseal's leadership lock, as a network cut would. */
  static int cutLeadershipConnections() throws SQLException {
    return cutLeadershipConnections(postgres);
  }

  static int cutLeadershipConnections(LocalPostgres server) throws SQLException {
    try (Connection admin = DriverManager.getConnection(server.jdbcUrl()); Statement statement = admin.createStatement();
        java.sql.ResultSet rs = statement.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND granted AND pid <> pg_backend_pid()")) {
      int cut = 0;
      while (rs.next()) {
        cut++;
      }
      return cut;
    }
  }

  @Test
  void aFormerLeaderWhoseLockDroppedCanWriteNothing() throws Exception {
    String url = schemaUrl("fencing");
    try (PostgresAnchorJournal zombie = PostgresAnchorJournal.open(url); PostgresAnchorJournal successor = PostgresAnchorJournal.open(url)) {
      zombie.append(java.util.List.of(entry(1), entry(2)));
      assertTrue(zombie.tryLead());
      assertTrue(!successor.tryLead(), "the lock is held");
      zombie.createBatch(created(1, 1, io.chainseal.core.Hash32.of(new byte[32])), java.util.List.of(entry(1).key()));
      assertEquals(1, cutLeadershipConnections());
      assertTrue(successor.tryLead(), "the lock was released with its connection");
      // The zombie has not looked at its lock: it still believes it leads, and writes.
      io.chainseal.chain.LeaseLostException refused = assertThrows(io.chainseal.chain.LeaseLostException.class,
          () -> zombie.recordSent(1));
      assertTrue(refused.getMessage().contains("another anchorer leads"), refused.getMessage());
      assertThrows(io.chainseal.chain.LeaseLostException.class, () -> zombie.createBatch(created(2, 1,
          io.chainseal.core.Hash32.of(new byte[32])), java.util.List.of(entry(2).key())));
      assertTrue(!zombie.stillLeads());
      successor.recordSent(1);
      assertEquals(BatchRecord.State.SENT, successor.batch(1).orElseThrow().state());
    }
  }

  @Test
  void aBrokenConnectionIsReplacedAndTheCallRepeated() throws Exception {
    try (PostgresAnchorJournal journal = PostgresAnchorJournal.open(schemaUrl("reconnect"))) {
      journal.append(java.util.List.of(entry(1)));
      try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement()) {
        statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'postgres'"
            + " AND pid <> pg_backend_pid()");
      }
      journal.append(java.util.List.of(entry(2)));
      assertEquals(2, journal.messageCount());
    }
  }

  @Test
  void anAnchorerRunsOnThePostgresJournal(io.chainseal.testkit.LocalChain local) throws Exception {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
      java.util.List<java.util.concurrent.CompletableFuture<io.chainseal.core.MessageProof>> proofs = new java.util.ArrayList<>();
      try (AnchorJournal journal = open(dir.resolve("anchorer"));
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(TestKeys.of(local.account(1)))
              .journal(journal).batchPolicy(new BatchPolicy(250, java.time.Duration.ofMillis(50))).confirmations(1).build()) {
        for (int i = 0; i < 1_000; i++) {
          proofs.add(anchorer.submit(new MessageKey("pg", "m" + i), hash(i), null).proof());
        }
        java.util.concurrent.CompletableFuture.allOf(proofs.toArray(java.util.concurrent.CompletableFuture[]::new))
            .get(60, java.util.concurrent.TimeUnit.SECONDS);
        org.junit.jupiter.api.Assertions.assertEquals(1_000, journal.messageCount());
        org.junit.jupiter.api.Assertions.assertEquals(proofs.get(999).join(), anchorer.proof(new MessageKey("pg", "m999")).orElseThrow());
      }
    }
  }

  @Test
  void unreachableDatabaseIsAJournalExceptionWithoutThePassword() {
    JournalException e = assertThrows(JournalException.class,
        () -> PostgresAnchorJournal.builder("jdbc:postgresql://127.0.0.1:9/none?user=x&password=s3cret")
            .connectTimeout(java.time.Duration.ofSeconds(2)).open());
    assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
  }

  /** The transaction side of the PostgreSQL journal. */
  @org.junit.jupiter.api.Nested
  class AsTransactionJournal extends io.chainseal.chain.TransactionJournalContract {
    private final java.util.List<PostgresAnchorJournal> opened = new java.util.ArrayList<>();

    @Override
    protected io.chainseal.chain.TransactionJournal journal() {
      PostgresAnchorJournal journal = PostgresAnchorJournal.open(schemaUrl("tx" + Long.toHexString(System.nanoTime())));
      journal.tryLead();
      opened.add(journal);
      return journal;
    }

    @org.junit.jupiter.api.AfterEach
    void closeJournals() {
      opened.forEach(PostgresAnchorJournal::close);
    }
  }
}
