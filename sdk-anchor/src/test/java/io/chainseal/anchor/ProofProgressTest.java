package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.Salt;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A proof that is late says where its message is: which batch, which block, how many of how many confirmations. */
@WithLocalChain
@Tag("slow")
class ProofProgressTest {
  @Test
  void aLateProofNamesItsBatchBlockAndConfirmations(LocalChain local, @TempDir Path dir) throws Exception {
    ChainClient chain = ChainClient.http(local.rpcUrl());
    SigningKey operator = TestKeys.of(local.account(1));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("progress.db"));
        Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(1_000, Duration.ofMillis(100))).confirmations(3).build()) {
      MessageEnvelope envelope = MessageEnvelope.builder().conversationId("room").messageId("m1").senderId("alice")
          .timestamp(Instant.now()).text("waiting for confirmations").build();
      PendingProof pending = anchorer.submit(envelope, Salt.random());
      pending.sealed().get(); // its batch closed; the chain mines the anchoring transaction and then nothing more

      ProofTimeoutException late = null;
      for (int attempt = 0; attempt < 50; attempt++) { // until the anchor is mined: then the message names its block
        late = assertThrows(ProofTimeoutException.class, () -> pending.await(Duration.ofMillis(200)));
        if (late.getMessage().contains("anchored in block")) {
          break;
        }
      }
      String message = late.getMessage();
      assertTrue(message.startsWith("no proof of room/m1 within PT0.2S: leaf 0 of batch 1 (1 messages), anchored in block "),
          message);
      assertTrue(message.contains("; 1 of 3 confirmations (head block "), message);

      local.mine();
      local.mine();
      MessageProof proof = pending.await(Duration.ofSeconds(30));
      assertEquals(pending.commitment(), proof.commitment());
      assertTrue(proof.anchor().isPresent());
    }
  }
}
