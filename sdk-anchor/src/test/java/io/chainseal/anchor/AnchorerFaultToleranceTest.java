package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.JournalException;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.LocalPostgres;
import io.chainseal.testkit.WithLocalChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anchorer against the faults a real node or a real database can show: a zombie leader whose lock
 * connection was cut, a failover endpoint of another chain, a PostgreSQL restart mid-run, a second
 * process on the same SQLite file, a journal restored from an older backup, an anchor the contract
 * reverts. Each ends by counting the contract's events: every accepted message in exactly one anchor,
 * no batch number with two roots, no gap.
 */
@WithLocalChain
@Tag("slow")
class AnchorerFaultToleranceTest {
  private static Hash32 commitment(String id) {
    return Hash32.of(java.util.Arrays.copyOf(("c:" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8), 32));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  private static boolean allConfirmed(AnchorJournal journal, long messages) {
    return journal.messageCount() == messages && journal.unbatched(1).isEmpty() && journal.unconfirmedBatches().isEmpty();
  }

  private static String schema(LocalPostgres postgres, String name) throws Exception {
    try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA " + name);
    }
    return postgres.jdbcUrl() + "&currentSchema=" + name;
  }

  @Test
  void aZombieLeaderWhoseLockConnectionWasCutSignsNothing(LocalChain local) throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start(); ChainClient chain = ChainClient.http(local.rpcUrl())) {
      String url = schema(postgres, "zombie");
      SigningKey operator = TestKeys.of(local.account(1));
      AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
      List<String> zombieErrors = new CopyOnWriteArrayList<>();
      try (PostgresAnchorJournal zombieJournal = PostgresAnchorJournal.open(url);
          PostgresAnchorJournal successorJournal = PostgresAnchorJournal.open(url);
          // The zombie never looks at its lock again: only the journal's epoch can stop it.
          Anchorer zombie = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(zombieJournal)
              .batchPolicy(new BatchPolicy(20, Duration.ofMillis(30))).confirmations(1).leaseCheckInterval(Duration.ofHours(1))
              .closeTimeout(Duration.ZERO).listener(new AnchorListener() {
                @Override
                public void onError(String what, Throwable error) {
                  zombieErrors.add(error.getMessage());
                }
              }).build()) {
        assertTrue(zombie.leads());
        for (int i = 0; i < 100; i++) {
          zombie.submit(new MessageKey("z", "before-" + i), commitment("before-" + i), null);
        }
        await(() -> allConfirmed(zombieJournal, 100), "the zombie anchored its first messages");
        try (Anchorer successor = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator)
            .journal(successorJournal).batchPolicy(new BatchPolicy(20, Duration.ofMillis(30))).confirmations(1)
            .leaseCheckInterval(Duration.ofMillis(100)).build()) {
          assertFalse(successor.leads(), "the lock is held");
          assertEquals(1, PostgresAnchorJournalTest.cutLeadershipConnections(postgres));
          await(successor::leads, "the successor took over");
          // The zombie still believes it leads; it is given work, and must sign none of it.
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < 100; i++) {
            zombie.submit(new MessageKey("z", "after-" + i), commitment("after-" + i), null);
            successor.submit(new MessageKey("s", "m-" + i), commitment("s-" + i), null);
            ids.add("after-" + i);
          }
          await(() -> allConfirmed(successorJournal, 300), "everything anchored by the successor");
          await(() -> !zombie.leads(), "the zombie noticed at its first refused write");
          assertTrue(zombieErrors.stream().anyMatch(e -> e != null && (e.contains("another instance leads") || e.contains("another anchorer leads"))), zombieErrors.toString());
        }
      }
      OnChainAnchors anchors = OnChainAnchors.read(local, contract);
      assertEquals(300, anchors.messages(), "every accepted message in exactly one anchor");
    }
  }

  @Test
  void aFailoverEndpointOfAnotherChainIsNeverUsed(LocalChain local) throws Exception {
    try (LocalChain other = LocalChain.builder().chainId(4242).start();
        ChainClient direct = ChainClient.http(local.rpcUrl());
        ChainClient chain = ChainClient.builder(other.rpcUrl(), local.rpcUrl()).chainId(local.chainId()).build();
        SqliteAnchorJournal journal = SqliteAnchorJournal.open(Files.createTempDirectory("failover").resolve("j.db"))) {
      SigningKey operator = TestKeys.of(local.account(1));
      AnchorContract contract = AnchorContract.deploy(direct, TestKeys.of(local.account(0)), false);
      try (Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
          .batchPolicy(new BatchPolicy(50, Duration.ofMillis(20))).confirmations(1).build()) {
        List<CompletableFuture<MessageProof>> proofs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          proofs.add(anchorer.submit(new MessageKey("f", "m" + i), commitment("f" + i), null).proof());
        }
        CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      }
      assertEquals(200, OnChainAnchors.read(local, contract).messages());
      try (ChainClient otherClient = ChainClient.http(other.rpcUrl())) {
        assertEquals(0, otherClient.transactionCount(operator.id().address(), true), "nothing was sent to chain 4242");
      }
    }
  }

  @Test
  void aPostgresRestartMidRunLosesNothingAndNeedsNoProcessRestart(LocalChain local) throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start(); ChainClient chain = ChainClient.http(local.rpcUrl())) {
      String url = schema(postgres, "restart");
      SigningKey operator = TestKeys.of(local.account(1));
      AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
      List<String> accepted = Collections.synchronizedList(new ArrayList<>());
      int total = 3_000;
      try (PostgresAnchorJournal journal = PostgresAnchorJournal.builder(url).socketTimeout(Duration.ofSeconds(5)).open();
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
              .batchPolicy(new BatchPolicy(200, Duration.ofMillis(50))).confirmations(1)
              .leaseCheckInterval(Duration.ofMillis(200)).submitTimeout(Duration.ofSeconds(5)).build()) {
        ExecutorService submitters = Executors.newFixedThreadPool(2);
        int[] rejected = new int[1];
        for (int t = 0; t < 2; t++) {
          int thread = t;
          submitters.submit(() -> {
            for (int i = thread; i < total; i += 2) {
              String id = "m" + i;
              while (true) {
                try {
                  anchorer.submit(new MessageKey("r", id), commitment(id), null);
                  accepted.add(id);
                  break;
                } catch (SubmitRejectedException e) {
                  synchronized (rejected) {
                    rejected[0]++;
                  }
                  Thread.sleep(20); // the journal is away: submit again, submissions are idempotent
                }
              }
            }
            return null;
          });
        }
        await(() -> accepted.size() >= 1_000, "a third accepted");
        postgres.restart();
        submitters.shutdown();
        assertTrue(submitters.awaitTermination(3, TimeUnit.MINUTES));
        await(() -> allConfirmed(journal, total), "everything anchored after the restart");
        System.out.printf("postgres restart: %d accepted, %d submits refused while the database was away%n", accepted.size(),
            rejected[0]);
        for (int i = 0; i < total; i += 97) {
          assertTrue(anchorer.proof(new MessageKey("r", "m" + i)).isPresent(), "m" + i);
        }
      }
      assertEquals(total, accepted.size());
      assertEquals(total, OnChainAnchors.read(local, contract).messages(), "every accepted message in exactly one anchor");
    }
  }

  @Test
  void aSecondAnchorerOnTheSameSqliteFileIsRefused(LocalChain local, @TempDir Path dir) throws Exception {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      SigningKey operator = TestKeys.of(local.account(1));
      AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
      Path file = dir.resolve("one.db");
      try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
              .batchPolicy(new BatchPolicy(50, Duration.ofMillis(20))).confirmations(1).build()) {
        List<CompletableFuture<MessageProof>> proofs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          proofs.add(anchorer.submit(new MessageKey("one", "m" + i), commitment("one" + i), null).proof());
          if (i == 50) {
            JournalException refused = assertThrows(JournalException.class, () -> SqliteAnchorJournal.open(file));
            assertTrue(refused.getMessage().contains("in use by another anchorer"), refused.getMessage());
          }
        }
        CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      }
      assertEquals(100, OnChainAnchors.read(local, contract).messages());
    }
  }

  @Test
  void aJournalRestoredFromAnOlderBackupRefusesToAnchor(LocalChain local, @TempDir Path dir) throws Exception {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      SigningKey operator = TestKeys.of(local.account(1));
      AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
      Path file = dir.resolve("journal.db");
      Path backup = dir.resolve("backup.db");
      try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
              .batchPolicy(new BatchPolicy(30, Duration.ofMillis(20))).confirmations(1).build()) {
        for (int i = 0; i < 100; i++) {
          anchorer.submit(new MessageKey("b", "first-" + i), commitment("first-" + i), null);
        }
        await(() -> allConfirmed(journal, 100), "the first hundred anchored");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = raw.createStatement()) {
          statement.execute("VACUUM INTO '" + backup + "'"); // a consistent copy, as a nightly backup would be
        }
        // A few messages in an open batch at backup time would be re-batched by a restored journal: the danger.
        for (int i = 0; i < 100; i++) {
          anchorer.submit(new MessageKey("b", "second-" + i), commitment("second-" + i), null);
        }
        await(() -> allConfirmed(journal, 200), "the next hundred anchored");
      }
      OnChainAnchors before = OnChainAnchors.read(local, contract);
      Files.delete(file);
      Files.deleteIfExists(dir.resolve("journal.db-wal"));
      Files.deleteIfExists(dir.resolve("journal.db-shm"));
      Files.copy(backup, file);
      try (SqliteAnchorJournal restored = SqliteAnchorJournal.open(file);
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(restored)
              .batchPolicy(new BatchPolicy(30, Duration.ofMillis(20))).confirmations(1).closeTimeout(Duration.ZERO).build()) {
        assertTrue(anchorer.refusal().isPresent(), "it refuses to lead from a journal behind the chain");
        assertTrue(anchorer.refusal().get().contains("behind the chain"), anchorer.refusal().get());
        assertFalse(anchorer.leads());
        for (int i = 0; i < 40; i++) {
          anchorer.submit(new MessageKey("b", "late-" + i), commitment("late-" + i), null);
        }
        Thread.sleep(500); // give a wrongly leading anchorer time to sign: nothing must appear
        assertEquals(140, restored.messageCount(), "late messages are kept for the operator, not lost");
      }
      OnChainAnchors after = OnChainAnchors.read(local, contract);
      assertEquals(200, after.messages(), "every message accepted before in exactly one anchor, nothing re-anchored");
      assertEquals(before.batches(), after.batches());
    }
  }

  @Test
  void anAnchorTheContractRevertsIsSurfacedWithoutSpendingGas(LocalChain local, @TempDir Path dir) throws Exception {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      SigningKey operator = TestKeys.of(local.account(3));
      AnchorContract restricted = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), true); // operator not allowed
      List<String> errors = new CopyOnWriteArrayList<>();
      long nonceBefore = chain.transactionCount(operator.id().address(), false);
      try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("reverts.db"));
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(restricted).publisherKey(operator).journal(journal)
              .batchPolicy(new BatchPolicy(10, Duration.ofMillis(20))).confirmations(1).maxReverts(3)
              .closeTimeout(Duration.ZERO).listener(new AnchorListener() {
                @Override
                public void onError(String what, Throwable error) {
                  errors.add(error.getMessage());
                }
              }).build()) {
        anchorer.submit(new MessageKey("r", "m"), commitment("r"), null);
        await(() -> errors.stream().anyMatch(e -> e != null && e.contains("anchoring given up")), "surfaced");
        Thread.sleep(300);
        assertEquals(nonceBefore, chain.transactionCount(operator.id().address(), true), "no transaction was sent at all");
        assertEquals(1, journal.messageCount(), "the message is kept");
      }
      assertEquals(0, OnChainAnchors.read(local, restricted).messages());
    }
  }
}
