package io.chainseal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.ConversationBundle;
import io.chainseal.anchor.MessageKey;
import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.chain.ChainClient;
import io.chainseal.core.ErasureReceipt;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;
import io.chainseal.core.SenderBinding;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.StoreEntry;
import io.chainseal.core.VerificationStatus;
import io.chainseal.store.KeystoreKeyProvider;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import io.chainseal.wallet.HdWallet;
import io.chainseal.wallet.Keystore;
import io.chainseal.wallet.Mnemonic;
import io.chainseal.wallet.PaymentOrder;
import io.chainseal.wallet.PaymentReceipt;
import io.chainseal.wallet.PaymentVerdict;
import io.chainseal.wallet.Token;
import io.chainseal.wallet.WalletKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade on a real chain: send, receive, proofs delivered and stored, tampering caught, erasure, export, configuration. */
@WithLocalChain
@Tag("slow")
class ChainsealTest {
  @TempDir
  Path dir;

  private static MessageEnvelope message(String id, SigningKey sender, String text) {
    return MessageEnvelope.builder().conversationId("room-1").messageId(id).senderId("alice@chat.example.org")
        .senderKey(sender.id()).timestamp(Instant.now()).text(text).build();
  }

  @Test
  void aHostSendsReceivesErasesAndExportsThroughTheHooks(LocalChain local) throws Exception {
    SigningKey publisher = local.account(1).signingKey();
    SigningKey alice = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    AnchorContract contract;
    try (ChainClient deployer = ChainClient.http(local.rpcUrl())) {
      contract = AnchorContract.deploy(deployer, publisher, false);
    }
    Map<MessageRef, MessageProof> delivered = new ConcurrentHashMap<>();
    try (Chainseal chainseal = Chainseal.builder().rpc(local.rpcUrl()).chainId(local.chainId())
        .anchorContract(contract.address(), contract.deploymentBlock().orElse(0)).publisherKey(publisher)
        .journal(dir.resolve("anchor.db")).store(dir.resolve("messages.db"), KeystoreKeyProvider.open(dir.resolve("kek.p12"),
            "pw".toCharArray())).confirmations(1).build()) {
      java.util.concurrent.CountDownLatch bothDelivered = new java.util.concurrent.CountDownLatch(2);
      chainseal.onProofReady((ref, proof) -> {
        delivered.put(ref, proof);
        bothDelivered.countDown();
      });
      MessageEnvelope sent = message("m-1", alice, "meet at 10");
      Outgoing first = chainseal.onOutgoing(sent, alice);
      Outgoing second = chainseal.onOutgoing(message("m-2", alice, "bring the maps"), alice);
      assertFalse(first.toString().contains(first.salt().toHex()), "the salt is never printed");
      MessageProof proof = first.pending().await(Duration.ofMinutes(1));
      second.pending().await(Duration.ofMinutes(1));
      assertTrue(bothDelivered.await(1, TimeUnit.MINUTES), "both proofs reached the listener");
      assertEquals(proof, delivered.get(first.ref()));
      assertEquals(proof, chainseal.store().get(first.ref()).orElseThrow().proof().orElseThrow(), "stored with its proof");

      // The recipient's side: what was attached verifies; a copy changed in transit does not.
      ProvenanceResult verified = chainseal.onIncoming(sent, first.salt(), proof);
      assertEquals(VerificationStatus.VERIFIED, verified.status(), verified.reason());
      assertEquals(SenderBinding.SENDER_KEY, verified.senderBinding().orElseThrow());
      assertEquals(sent, chainseal.store().get(first.ref()).orElseThrow().message().orElseThrow().envelope(), "stored as sent");
      ProvenanceResult tampered = chainseal.onIncoming(sent.toBuilder().text("meet at 11").build(), first.salt(), proof);
      assertEquals(VerificationStatus.TAMPERED, tampered.status());
      ProvenanceResult noProof = chainseal.onIncoming(sent, first.salt(), null);
      assertFalse(noProof.isVerified(), "no proof: a verdict, not an exception: " + noProof);

      // Export, then erase: the archive verifies; the erased message still proves it existed; the journal forgot it.
      Path archive = dir.resolve("room-1.zip");
      assertEquals(2, chainseal.export("room-1", archive));
      assertTrue(ConversationBundle.verify(archive, chainseal.verifier()).verified());
      ErasureReceipt receipt = chainseal.erase(first.ref());
      assertEquals(List.of(first.ref()), receipt.erased().stream().map(ErasureReceipt.Erased::ref).toList());
      assertEquals(0, chainseal.erasuresPending(), "its batch was confirmed: forgotten at once");
      assertTrue(chainseal.anchorer().proof(new MessageKey("room-1", "m-1")).isEmpty(), "the journal no longer knows its ids");
      StoreEntry erased = chainseal.store().get(first.ref()).orElseThrow();
      assertTrue(erased.message().isEmpty());
      assertEquals(VerificationStatus.VERIFIED, chainseal.verifier().verifyErased(erased.proof().orElseThrow()).status());
      assertEquals(VerificationStatus.VERIFIED,
          chainseal.verifier().verify(chainseal.store().get(second.ref()).orElseThrow().message().orElseThrow().envelope(),
              second.salt(), second.pending().await(Duration.ZERO)).status(), "the other message is untouched");
    }
  }

  @Test
  void aPropertiesFileConfiguresEverythingAndRefusesWhatItDoesNotKnow(LocalChain local) throws Exception {
    SigningKey publisher = local.account(2).signingKey();
    byte[] secret = publisher.exportSecretBytes();
    AnchorContract contract;
    try (ChainClient deployer = ChainClient.http(local.rpcUrl())) {
      contract = AnchorContract.deploy(deployer, publisher, false);
    }
    try (WalletKey key = WalletKey.ofSecret(secret)) {
      Keystore.save(key, "publisher-pw".toCharArray(), Keystore.Strength.LIGHT, dir.resolve("publisher.json"));
    }
    String config = String.join("\n",
        "chainseal.rpc = " + local.rpcUrl(),
        "chainseal.chain-id = " + local.chainId(),
        "chainseal.anchor-contract = " + contract.address() + "@" + contract.deploymentBlock().orElse(0),
        "chainseal.publisher.keystore = publisher.json",
        "chainseal.publisher.password-env = TEST_PUBLISHER_PASSWORD",
        "chainseal.journal = anchor.db",
        "chainseal.store = messages.db",
        "chainseal.store.keystore = kek.p12",
        "chainseal.store.password-env = TEST_STORE_PASSWORD",
        "chainseal.batch.max-delay = PT0.1S",
        "chainseal.confirmations = 1", "");
    Path file = dir.resolve("chainseal.properties");
    Files.writeString(file, config, StandardCharsets.UTF_8);
    Map<String, String> environment = Map.of("TEST_PUBLISHER_PASSWORD", "publisher-pw", "TEST_STORE_PASSWORD", "store-pw");
    try (Chainseal chainseal = ChainsealConfig.load(file, environment).build()) {
      assertEquals(publisher.id().address(), chainseal.anchorer().publisher());
      assertThrows(IllegalStateException.class, chainseal::payments, "no wallet in this file");
      assertEquals(java.util.Set.of(publisher.id().address()), chainseal.trust().publishers(), "trusts its own publisher by default");
      Outgoing out = chainseal.onOutgoing(message("m-9", SigningKey.generate(SignatureScheme.ED25519, new SecureRandom()), "hi"));
      MessageProof proof = out.pending().await(Duration.ofMinutes(1));
      MessageEnvelope stored = chainseal.store().get(out.ref()).orElseThrow().message().orElseThrow().envelope();
      assertEquals(VerificationStatus.VERIFIED, chainseal.onIncoming(stored, out.salt(), proof).status());
    }

    // With a wallet: the facade pays from it.
    try (WalletKey key = WalletKey.ofSecret(local.account(7).signingKey().exportSecretBytes())) {
      Keystore.save(key, "wallet-pw".toCharArray(), Keystore.Strength.LIGHT, dir.resolve("wallet.json"));
    }
    Files.writeString(file, config + "chainseal.wallet.keystore = wallet.json\nchainseal.wallet.password-env = TEST_WALLET_PASSWORD\n"
        + "chainseal.wallet.journal = wallet.db\n", StandardCharsets.UTF_8);
    Map<String, String> withWallet = Map.of("TEST_PUBLISHER_PASSWORD", "publisher-pw", "TEST_STORE_PASSWORD", "store-pw",
        "TEST_WALLET_PASSWORD", "wallet-pw");
    try (Chainseal chainseal = ChainsealConfig.load(file, withWallet).build()) {
      chainseal.payments().send(PaymentOrder.of("cfg-1", local.account(8).evmAddress(), Token.ETH, new java.math.BigDecimal("0.001")))
          .whenFinal().get(1, TimeUnit.MINUTES);
      assertEquals(local.account(7).evmAddress(), chainseal.payments().receipt("cfg-1").orElseThrow().from(), "paid from the configured wallet");
    }

    Files.writeString(file, config + "chainseal.confirmation = 3\n", StandardCharsets.UTF_8);
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> ChainsealConfig.load(file, environment));
    assertTrue(typo.getMessage().contains("unknown configuration keys [chainseal.confirmation]"), typo.getMessage());
    Files.writeString(file, config.replace("chainseal.chain-id = " + local.chainId(), "chainseal.chain-id = 1"), StandardCharsets.UTF_8);
    IllegalStateException wrongChain = assertThrows(IllegalStateException.class, () -> ChainsealConfig.load(file, environment).build());
    assertTrue(wrongChain.getMessage().contains("serves chain " + local.chainId() + ", not the configured chain 1"), wrongChain.getMessage());
    Files.writeString(file, config, StandardCharsets.UTF_8);
    IllegalArgumentException noPassword = assertThrows(IllegalArgumentException.class,
        () -> ChainsealConfig.load(file, Map.of("TEST_STORE_PASSWORD", "store-pw")));
    assertTrue(noPassword.getMessage().contains("TEST_PUBLISHER_PASSWORD, which is not set"), noPassword.getMessage());
    assertFalse(noPassword.getMessage().contains("publisher-pw"));
  }

  @Test
  void theFacadeAlsoPaysChecksReceiptsAndRunsRetentionThatReachesTheJournal(LocalChain local) throws Exception {
    SigningKey publisher = local.account(3).signingKey();
    AnchorContract contract;
    try (ChainClient deployer = ChainClient.http(local.rpcUrl())) {
      contract = AnchorContract.deploy(deployer, publisher, false);
    }
    io.chainseal.core.EvmAddress shop = local.account(6).evmAddress();
    try (HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC)); WalletKey payer = wallet.account(5);
        Chainseal chainseal = Chainseal.builder().rpc(local.rpcUrl()).chainId(local.chainId())
            .anchorContract(contract.address(), contract.deploymentBlock().orElse(0)).publisherKey(publisher)
            .journal(dir.resolve("anchor.db")).store(dir.resolve("messages.db"), KeystoreKeyProvider.open(dir.resolve("kek.p12"),
                "pw".toCharArray())).wallet(payer, dir.resolve("wallet.db")).confirmations(1).build()) {
      chainseal.payments().send(PaymentOrder.of("tip-1", shop, Token.ETH, new java.math.BigDecimal("0.01"))).whenFinal()
          .get(1, TimeUnit.MINUTES);
      PaymentReceipt receipt = chainseal.payments().receipt("tip-1").orElseThrow();
      PaymentVerdict verdict = chainseal.paymentVerifier(shop).verify(receipt);
      assertEquals(PaymentVerdict.Status.VERIFIED, verdict.status(), verdict.message());
      assertFalse(chainseal.paymentVerifier(payer.address()).verify(receipt).status() == PaymentVerdict.Status.VERIFIED,
          "a receipt for someone else is not this recipient's payment");

      SigningKey alice = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
      Outgoing old = chainseal.onOutgoing(message("m-old", alice, "an old message"), alice);
      old.pending().await(Duration.ofMinutes(1));
      java.util.concurrent.BlockingQueue<ErasureReceipt> receipts = new java.util.concurrent.LinkedBlockingQueue<>();
      chainseal.retention(java.util.Optional.of(Duration.ofMillis(1)), Map.of(), Duration.ofHours(1), receipts::add);
      ErasureReceipt retained = receipts.poll(1, TimeUnit.MINUTES);
      assertTrue(retained != null, "the retention policy ran by itself");
      assertEquals(List.of(old.ref()), retained.erased().stream().map(ErasureReceipt.Erased::ref).toList());
      assertTrue(chainseal.store().get(old.ref()).orElseThrow().erased());
      assertEquals(0, chainseal.erasuresPending());
      assertTrue(chainseal.anchorer().proof(new MessageKey("room-1", "m-old")).isEmpty(), "retention reached the anchor journal");
    }
    try (Chainseal noWallet = Chainseal.builder().rpc(local.rpcUrl()).chainId(local.chainId())
        .anchorContract(contract.address(), contract.deploymentBlock().orElse(0)).publisherKey(publisher)
        .journal(dir.resolve("anchor.db")).store(dir.resolve("messages.db"), KeystoreKeyProvider.open(dir.resolve("kek.p12"),
            "pw".toCharArray())).confirmations(1).build()) {
      IllegalStateException none = assertThrows(IllegalStateException.class, noWallet::payments);
      assertTrue(none.getMessage().contains("no wallet configured"), none.getMessage());
    }
  }

}
