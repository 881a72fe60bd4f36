package io.chainseal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.anchor.PendingProof;
import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.chain.ChainClient;
import io.chainseal.core.ErasureReceipt;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.anchor.MessageKey;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.MessageRef;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.StoreEntry;
import io.chainseal.core.VerificationStatus;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 messages anchored and stored; one user erased: nothing of theirs can be read from the files,
 * their proofs still show that the messages existed, every other message still verifies, and the
 * erasure receipt verifies.
 */
@WithLocalChain
@Tag("slow")
class StoreErasureOnChainTest {
  private static final int MESSAGES = 10_000;

  @TempDir
  Path dir;

  @Test
  void erasedMessagesStillProveTheyExistedAndEveryOtherMessageStillVerifies(LocalChain local) throws Exception {
    SigningKey operator = local.account(1).signingKey();
    SigningKey storeOperator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    String erasedSender = "user-7@chat.example.org";
    List<SaltedEnvelope> written = new ArrayList<>();
    List<SigningKey> keys = new ArrayList<>();
    for (int user = 0; user < 40; user++) {
      keys.add(SigningKey.generate(SignatureScheme.ED25519, new SecureRandom()));
    }
    for (int i = 0; i < MESSAGES; i++) {
      String sender = "user-" + (i % 40) + "@chat.example.org";
      // Fixed-width ids: no id is part of another, so a byte scan for one finds only that one.
      written.add(new SaltedEnvelope(MessageEnvelope.builder().conversationId("room-" + (i / 40 % 5))
          .messageId(String.format("m-%05d", i)).senderId(sender).senderKey(keys.get(i % 40).id())
          .timestamp(Instant.ofEpochSecond(1_800_000_000L + i)).text("said by " + sender + ": olive-" + (i * 7919)).build(), Salt.random()));
    }
    try (ChainClient chain = ChainClient.http(local.rpcUrl());
        SqliteMessageStore store = SqliteMessageStore.open(dir.resolve("store.db"),
            KeystoreKeyProvider.open(dir.resolve("kek.p12"), "pw".toCharArray()), storeOperator)) {
      AnchorContract contract = AnchorContract.deploy(chain, operator, false);
      try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("anchor.db"));
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
              .batchPolicy(new BatchPolicy(5_000, Duration.ofMillis(200))).confirmations(1).build()) {
        List<PendingProof> pending = new ArrayList<>();
        List<MessageSignature> signatures = new ArrayList<>();
        for (int from = 0; from < MESSAGES; from += 1_000) {
          List<SaltedEnvelope> group = written.subList(from, from + 1_000);
          store.putAll(group);
          for (SaltedEnvelope message : group) {
            MessageSignature signature = keys.get(signatures.size() % 40).sign(message.envelope().commit(message.salt()));
            signatures.add(signature);
            pending.add(anchorer.submit(message.envelope(), message.salt(), signature));
          }
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        for (int i = 0; i < MESSAGES; i++) {
          while (true) {
            try {
              SaltedEnvelope message = written.get(i);
              store.putProof(new MessageRef(message.envelope().conversationId(), message.envelope().messageId()),
                  pending.get(i).proof().get(1, TimeUnit.SECONDS));
              break;
            } catch (TimeoutException e) {
              if (System.nanoTime() > deadline) {
                throw new AssertionError("message " + i + " was not anchored within 3 minutes", e);
              }
              local.mine(); // the testkit's chain mines on demand: give the anchors their confirmation
            }
          }
        }

        ErasureReceipt receipt = store.eraseSender(erasedSender);
        assertEquals(MESSAGES / 40, receipt.erased().size());
        assertTrue(receipt.verify(storeOperator.id()));
        byte[] files = Files.readAllBytes(dir.resolve("store.db"));
        for (SaltedEnvelope message : written) {
          if (message.envelope().senderId().equals(erasedSender)) {
            assertFalse(Bytes.contains(files, message.envelope().text().orElseThrow().getBytes(StandardCharsets.UTF_8)));
            assertFalse(Bytes.contains(files, message.salt().bytes()));
          }
        }

        // The anchor journal forgets the erased messages' ids and signatures, while the anchorer runs.
        assertEquals(List.of(), anchorer.forget(receipt), "every batch is confirmed: nothing left to forget later");
        byte[] journalFiles = journalBytes(dir);
        byte[] erasedKey = keys.get(7).id().toText().getBytes(StandardCharsets.UTF_8);
        assertFalse(Bytes.contains(journalFiles, erasedKey), "the erased sender's key is gone from the journal");
        assertTrue(Bytes.contains(journalFiles, keys.get(8).id().toText().getBytes(StandardCharsets.UTF_8)), "the scan finds what is there");
        for (int i = 0; i < MESSAGES; i++) {
          byte[] id = written.get(i).envelope().messageId().getBytes(StandardCharsets.UTF_8);
          boolean kept = !written.get(i).envelope().senderId().equals(erasedSender);
          if (kept && i % 97 != 0) {
            continue; // a sample of the kept ones is enough to show that the scan would find an id
          }
          assertEquals(kept, Bytes.contains(journalFiles, id), written.get(i).envelope().messageId());
          if (!kept) {
            assertFalse(Bytes.contains(journalFiles, signatures.get(i).value()), "signature of " + i);
          }
        }
        // Every other message's proof is still rebuilt from the journal, forgotten members included.
        SaltedEnvelope kept = written.get(MESSAGES - 1);
        MessageProof rebuilt = anchorer.proof(MessageKey.of(kept.envelope())).orElseThrow();
        assertEquals(pending.get(MESSAGES - 1).proof().get(), rebuilt);
      }

      ErasureReceipt receipt = store.receipts().get(store.receipts().size() - 1);
      TrustSettings trust = TrustSettings.builder().chainId(chain.chainId())
          .trustContract(contract.address(), contract.deploymentBlock().orElse(0)).trustPublisher(operator.id().address())
          .confirmations(1).build();
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).trust(trust).build();
      Set<io.chainseal.core.Hash32> receiptCommitments = new HashSet<>();
      receipt.erased().forEach(e -> receiptCommitments.add(e.commitment()));
      int erased = 0;
      for (SaltedEnvelope message : written) {
        StoreEntry entry = store.get(new MessageRef(message.envelope().conversationId(), message.envelope().messageId())).orElseThrow();
        if (message.envelope().senderId().equals(erasedSender)) {
          assertTrue(entry.message().isEmpty());
          assertTrue(receiptCommitments.contains(entry.commitment()), "the receipt names what was erased");
          ProvenanceResult existed = verifier.verifyErased(entry.proof().orElseThrow());
          assertEquals(VerificationStatus.VERIFIED, existed.status(), existed.reason());
          assertTrue(existed.isVerifiedByTrustedPublisher());
          erased++;
        } else {
          SaltedEnvelope stored = entry.message().orElseThrow();
          ProvenanceResult result = verifier.verify(stored.envelope(), stored.salt(), entry.proof().orElseThrow());
          assertEquals(VerificationStatus.VERIFIED, result.status(), result.reason());
        }
      }
      assertEquals(MESSAGES / 40, erased);
    }
  }

  /** The journal's file and, while it exists, its write-ahead log. */
  private static byte[] journalBytes(Path dir) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(Files.readAllBytes(dir.resolve("anchor.db")));
    Path log = dir.resolve("anchor.db-wal");
    if (Files.exists(log)) {
      out.write(Files.readAllBytes(log));
    }
    return out.toByteArray();
  }
}
