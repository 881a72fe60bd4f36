package com.example.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SenderBinding;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.host.Chainseal;
import io.chainseal.host.Outgoing;
import io.chainseal.store.KeystoreKeyProvider;
import io.chainseal.testing.ChainsealContracts;
import io.chainseal.testing.ChainsealFixture;
import io.chainseal.testing.WithChainseal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chat server's first test with Chainseal, from outside Chainseal's build and with its defaults (3
 * confirmations, batches of up to 1 s, the testkit's default chain): messages anchored, their proofs
 * stored as JSON files, and read back and verified — signed by their sender — as a recipient would.
 */
@WithChainseal // a local chain with Chainseal's contracts on it
class ChatServerTest {
  @TempDir
  Path dir;

  @Test
  void messagesAreAnchoredStoredAsJsonAndVerified(ChainsealFixture fixture) throws Exception {
    SigningKey alice = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    ChainsealContracts contracts = fixture.contracts(); // deployed by the fixture; a server is given its own
    // What a server configures (or puts in a properties file); fixture.chainsealBuilder(name) does the same.
    try (Chainseal chainseal = Chainseal.builder()
        .rpc(fixture.chain().rpcUrl()).chainId(fixture.chain().chainId())
        .anchorContract(contracts.anchor().address(), contracts.anchorDeploymentBlock())
        .publisherKey(contracts.publisher().signingKey())
        .journal(dir.resolve("anchor.db"))
        .store(dir.resolve("messages.db"), KeystoreKeyProvider.open(dir.resolve("keys.p12"), "change me".toCharArray()))
        .build()) {
      for (int i = 1; i <= 3; i++) {
        MessageEnvelope message = MessageEnvelope.builder().conversationId("general").messageId("m-" + i)
            .senderId("alice@chat.example.com").senderKey(alice.id()).timestamp(Instant.now()).text("hello #" + i).build();
        Outgoing out = chainseal.onOutgoing(message, alice);
        MessageProof proof = out.pending().await(Duration.ofMinutes(2));
        Files.writeString(dir.resolve("m-" + i + ".message.json"), EnvelopeCodec.toJson(new SaltedEnvelope(message, out.salt())));
        Files.writeString(dir.resolve("m-" + i + ".proof.json"), ProofCodec.toJson(proof));
      }

      // A recipient reads the files back and verifies them against the chain.
      for (int i = 1; i <= 3; i++) {
        SaltedEnvelope received = EnvelopeCodec.parseSalted(Files.readAllBytes(dir.resolve("m-" + i + ".message.json")));
        MessageProof proof = ProofCodec.parse(Files.readString(dir.resolve("m-" + i + ".proof.json")));
        ProvenanceResult verdict = chainseal.onIncoming(received.envelope(), received.salt(), proof);
        assertEquals(VerificationStatus.VERIFIED, verdict.status(), verdict.reason());
        assertEquals(SenderBinding.SENDER_KEY, verdict.senderBinding().orElseThrow(), "signed by the key alice declares");
        assertTrue(verdict.confirmations() >= 3, "with the default 3 confirmations: " + verdict.confirmations());
      }
    }
  }
}
