package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate JVM submitting messages is killed with SIGKILL mid-stream; an anchorer restarted on the
 * same SQLite file then anchors every message whose submit had returned, exactly once — counted on
 * chain from the contract's events and in the journal.
 */
@WithLocalChain
@Tag("slow")
class AnchorerCrashTest {
  @Test
  void everyAcceptedMessageIsAnchoredExactlyOnceAfterSigkill(LocalChain local, @TempDir Path dir) throws Exception {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    SigningKey operator = TestKeys.of(local.account(1));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    Path journalFile = dir.resolve("crash.db");

    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, CrashTestSubmitter.class.getName(), local.rpcUrl(), contract.address().checksummed(),
        journalFile.toString(), "2000");
    builder.environment().put("CHAINSEAL_TEST_OPERATOR_KEY", HexFormat.of().formatHex(operator.exportSecretBytes()));
    builder.redirectErrorStream(true);
    Process child = builder.start();
    List<String> accepted = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACCEPTED ")) {
          accepted.add(line.substring("ACCEPTED ".length()));
          if (accepted.size() == 1_500) {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush, no close
            break;
          }
        }
      }
    }
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, child.exitValue(), "killed by SIGKILL");
    assertEquals(1_500, accepted.size(), "the child accepted messages before it was killed");

    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(journalFile);
        Anchorer restarted = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(500, Duration.ofMillis(20))).confirmations(1).build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (restarted.backlog() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, restarted.backlog(), "the restarted anchorer finished the journal's work");

      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).chainId(chain.chainId()).trustPublisher(operator.id().address())
          .trustContract(contract.address()).confirmations(1).build();
      for (String id : accepted) {
        MessageProof proof = restarted.proof(new MessageKey("crash-room", id)).orElseThrow(() -> new AssertionError(id + " lost"));
        ProvenanceResult result = verifier.verify(CrashTestSubmitter.envelope(id), CrashTestSubmitter.salt(id), proof);
        assertEquals(VerificationStatus.VERIFIED, result.status(), id + ": " + result.reason());
      }

      // Count on chain, independently of the journal: every Anchored event of the contract.
      OnChainAnchors anchors = OnChainAnchors.read(local, contract);
      long onChain = anchors.messages();
      long batches = journal.lastBatch().orElseThrow().sequence();
      assertEquals(batches, anchors.batches(), "each journaled batch anchored once");
      assertEquals(java.util.Set.of(operator.id().address()), anchors.publishers());
      assertEquals(journal.messageCount(), onChain, "messages anchored on chain = messages in the journal");
      assertTrue(journal.messageCount() >= accepted.size());
      System.out.printf("crash test: %d accepted before SIGKILL, %d journaled, %d anchored on chain in %d batches%n",
          accepted.size(), journal.messageCount(), onChain, batches);
    }
    chain.close();
  }
}
