package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.JournalException;
import io.chainseal.chain.LeaseLostException;
import io.chainseal.core.EvmAddress;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.LocalPostgres;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two instances of a host sharing one wallet journal in a real PostgreSQL server: one leads and pays;
 * the other cannot start sending until it stops; the successor resumes and pays nothing twice; a
 * former leader whose lock was cut can record nothing more.
 */
@WithLocalChain(blockTimeMillis = 200)
@Tag("slow")
class PostgresPaymentsTest {
  private static LocalPostgres postgres;
  private static ChainClient chain;
  private static HdWallet wallet;

  @BeforeAll
  static void start(LocalChain local) throws Exception {
    postgres = LocalPostgres.start();
    chain = ChainClient.http(local.rpcUrl());
    wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
  }

  @AfterAll
  static void stop() {
    wallet.close();
    chain.close();
    postgres.close();
  }

  private static String schema(String name) throws Exception {
    try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + name);
    }
    return postgres.jdbcUrl() + "&currentSchema=" + name;
  }

  private static EvmAddress fresh() {
    byte[] bytes = new byte[20];
    new SecureRandom().nextBytes(bytes);
    return EvmAddress.of(bytes);
  }

  private static Payments payments(WalletJournal journal, WalletKey key) {
    return Payments.builder().chain(chain).signer(key).journal(journal).confirmations(1).build();
  }

  @Test
  void oneInstanceLeadsAndItsSuccessorResumesWithoutPayingTwice() throws Exception {
    String url = schema("wallet_handover");
    EvmAddress bob = fresh();
    PaymentOrder order = PaymentOrder.of("shared/1", bob, Token.ETH, new BigDecimal("0.4"));
    try (WalletKey key = wallet.account(1); PostgresWalletJournal second = PostgresWalletJournal.open(url)) {
      String transaction;
      try (PostgresWalletJournal first = PostgresWalletJournal.open(url); Payments leader = payments(first, key)) {
        JournalException refused = assertThrows(JournalException.class, () -> payments(second, key));
        assertTrue(refused.getMessage().contains("another instance leads"), refused.getMessage());
        transaction = leader.send(order).whenFinal().get(60, TimeUnit.SECONDS).transaction().hex0x();
      }
      try (Payments successor = payments(second, key)) {
        Payment stored = successor.payment("shared/1").orElseThrow();
        assertEquals(PaymentStatus.FINAL, stored.status());
        Payment again = successor.send(order).whenFinal().get(30, TimeUnit.SECONDS);
        assertEquals(transaction, again.transaction().hex0x(), "the same payment, not a new one");
      }
    }
    assertEquals(new BigInteger("400000000000000000"), chain.balance(bob), "paid exactly once");
  }

  @Test
  void aLeaderWhoseLockWasCutRecordsNothingMoreAndTheSuccessorPaysOnce() throws Exception {
    String url = schema("wallet_zombie");
    EvmAddress bob = fresh();
    try (WalletKey key = wallet.account(2); PostgresWalletJournal zombieJournal = PostgresWalletJournal.open(url);
        PostgresWalletJournal successorJournal = PostgresWalletJournal.open(url); Payments zombie = payments(zombieJournal, key)) {
      try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement();
          ResultSet cut = statement.executeQuery("SELECT pg_terminate_backend(pid, 30000) FROM pg_locks WHERE locktype = 'advisory'"
              + " AND granted AND pid <> pg_backend_pid()")) {
        int cuts = 0;
        while (cut.next()) {
          cuts++;
        }
        assertEquals(1, cuts, "the leader's lock connection was cut");
      }
      try (Payments successor = payments(successorJournal, key)) {
        PaymentOrder order = PaymentOrder.of("after-cut", bob, Token.ETH, new BigDecimal("0.3"));
        assertThrows(LeaseLostException.class, () -> zombie.send(order), "the former leader records nothing");
        successor.send(order).whenFinal().get(60, TimeUnit.SECONDS);
      }
    }
    assertEquals(new BigInteger("300000000000000000"), chain.balance(bob), "paid exactly once");
  }
}
