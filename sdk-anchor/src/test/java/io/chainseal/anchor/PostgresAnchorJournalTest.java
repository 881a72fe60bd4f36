package io.chainseal.anchor;

import io.chainseal.chain.JournalException;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.testkit.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The journal contract on a real PostgreSQL server started for this class, and an anchorer on it. */
@io.chainseal.testkit.WithLocalChain
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

  /** One schema per folder, so reopening the same folder reopens the same journal. */
  @Override
  protected AnchorJournal open(Path folder) {
    String schema = "j" + Integer.toHexString(folder.toAbsolutePath().toString().hashCode()).replace('-', 'x');
    try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return PostgresAnchorJournal.open(postgres.jdbcUrl() + "&currentSchema=" + schema);
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
        () -> PostgresAnchorJournal.open("jdbc:postgresql://127.0.0.1:9/none?user=x&password=s3cret&connectTimeout=2"));
    assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
  }
}
