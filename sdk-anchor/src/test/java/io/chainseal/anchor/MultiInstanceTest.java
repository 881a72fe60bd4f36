package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.LocalPostgres;
import io.chainseal.testkit.WithLocalChain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two anchorer JVMs share one PostgreSQL journal (a real server) and one operator key. The leader is
 * killed with SIGKILL mid-run; the other takes over; the killed one is restarted and submits its
 * messages again. 20,000 messages are anchored with no duplicates and no gaps, and nothing is lost.
 */
@WithLocalChain
@Tag("slow")
class MultiInstanceTest {
  private static final class Instance {
    final Process process;
    final List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<String> role = new CompletableFuture<>();
    final CompletableFuture<String> done = new CompletableFuture<>();

    Instance(Process process, String name) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            if (line.startsWith("ACCEPTED ")) {
              accepted.add(line.substring(9));
            } else if (line.startsWith("ROLE ")) {
              role.complete(line.substring(5));
            } else if (line.startsWith("ALL-ANCHORED")) {
              done.complete(line);
            } else if (line.startsWith("FAILED") || line.contains("Exception")) {
              System.out.println(name + ": " + line);
            }
          }
        } catch (java.io.IOException e) {
          // the process was killed
        }
        done.complete("exited");
      });
      reader.setDaemon(true);
      reader.start();
    }
  }

  private static Instance launch(LocalChain local, AnchorContract contract, String jdbcUrl, SigningKey key, String prefix)
      throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, InstanceRunner.class.getName(), local.rpcUrl(), contract.address().checksummed(), jdbcUrl, prefix,
        "10000");
    builder.environment().put("CHAINSEAL_TEST_OPERATOR_KEY", HexFormat.of().formatHex(key.exportSecretBytes()));
    builder.redirectErrorStream(true);
    return new Instance(builder.start(), prefix + "@" + System.nanoTime() % 1000);
  }

  @Test
  void twoInstancesShareTheWorkAndKillingTheLeaderLosesNothing(LocalChain local) throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start(); ChainClient chain = ChainClient.http(local.rpcUrl())) {
      try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl()); Statement statement = admin.createStatement()) {
        statement.execute("CREATE SCHEMA multi");
      }
      String jdbcUrl = postgres.jdbcUrl() + "&currentSchema=multi";
      SigningKey operator = TestKeys.of(local.account(1));
      AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);

      Instance first = launch(local, contract, jdbcUrl, operator, "a");
      assertEquals("leader", first.role.get(60, TimeUnit.SECONDS));
      Instance second = launch(local, contract, jdbcUrl, operator, "b");
      assertEquals("follower", second.role.get(60, TimeUnit.SECONDS));

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (first.accepted.size() < 3_000 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      first.process.destroyForcibly(); // SIGKILL the leader mid-run
      assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
      List<String> acceptedBeforeKill = new ArrayList<>(first.accepted);
      assertTrue(acceptedBeforeKill.size() >= 3_000 && acceptedBeforeKill.size() < 10_000,
          "killed mid-run after " + acceptedBeforeKill.size() + " accepted");

      Instance restarted = launch(local, contract, jdbcUrl, operator, "a"); // submits a-0..a-9999 again
      assertEquals("follower", restarted.role.get(60, TimeUnit.SECONDS), "the survivor took over the lead");
      assertTrue(second.done.get(300, TimeUnit.SECONDS).startsWith("ALL-ANCHORED"), "b's messages all anchored");
      assertTrue(restarted.done.get(300, TimeUnit.SECONDS).startsWith("ALL-ANCHORED"), "a's messages all anchored");
      assertTrue(second.process.waitFor(60, TimeUnit.SECONDS) && restarted.process.waitFor(60, TimeUnit.SECONDS));

      OnChainAnchors onChain = OnChainAnchors.read(local, contract);
      assertEquals(20_000, onChain.messages(), "20,000 messages anchored, none twice");
      assertEquals(java.util.Set.of(operator.id().address()), onChain.publishers());
      try (Connection db = DriverManager.getConnection(jdbcUrl); Statement statement = db.createStatement();
          ResultSet rs = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT m.conversation_id || '/' || m.message_id)"
              + " FROM messages m JOIN batches b ON b.sequence = m.batch_seq WHERE b.state = 'CONFIRMED'")) {
        rs.next();
        assertEquals(20_000, rs.getLong(1), "every journaled message is in a confirmed batch");
        assertEquals(20_000, rs.getLong(2));
      }
      try (PostgresAnchorJournal journal = PostgresAnchorJournal.open(jdbcUrl)) {
        for (String id : acceptedBeforeKill) {
          assertTrue(journal.message(new MessageKey("multi", id)).orElseThrow().batch().isPresent(), id + " lost");
        }
      }
      System.out.printf("multi-instance: 20,000 messages in %d batches; the leader was killed after %d accepted%n",
          onChain.batches(), acceptedBeforeKill.size());
    }
  }
}
