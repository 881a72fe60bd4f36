package io.chainseal.examples.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.EvmSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.governance.Proposal;
import io.chainseal.governance.SignedVote;
import io.chainseal.governance.Vote;
import io.chainseal.governance.VoteCount;
import io.chainseal.governance.VotingType;
import io.chainseal.governance.WeightStrategy;
import io.chainseal.host.Chainseal;
import io.chainseal.host.Outgoing;
import io.chainseal.store.KeystoreKeyProvider;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.LocalProsody;
import io.chainseal.testkit.WithLocalChain;
import io.chainseal.wallet.HdWallet;
import io.chainseal.wallet.Mnemonic;
import io.chainseal.wallet.PaymentOrder;
import io.chainseal.wallet.PaymentReceipt;
import io.chainseal.wallet.PaymentVerdict;
import io.chainseal.wallet.PaymentVerifier;
import io.chainseal.wallet.Payments;
import io.chainseal.wallet.SqliteWalletJournal;
import io.chainseal.wallet.Token;
import io.chainseal.wallet.WalletJournal;
import io.chainseal.wallet.WalletKey;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three users on a real Prosody server and a real chain: receivers verify messages, flag a stanza
 * altered in transit, verify a payment receipt on chain, and count votes that came as stanzas.
 */
@WithLocalChain
@Tag("slow")
class XmppIntegrationTest {
  @TempDir
  Path dir;

  private record Received(String from, MessageEnvelope envelope, ProvenanceResult verdict) {}

  /** Everything one account's listener hears, for the test to wait on. */
  private static final class Inbox implements ChainsealXmpp.Listener {
    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<PaymentVerdict> payments = new LinkedBlockingQueue<>();
    final BlockingQueue<SignedVote> votes = new LinkedBlockingQueue<>();
    final BlockingQueue<String> malformed = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(String from, MessageEnvelope envelope, ProvenanceResult verdict) {
      messages.add(new Received(from, envelope, verdict));
    }

    @Override
    public void onPaymentReceipt(String from, PaymentReceipt receipt, PaymentVerdict verdict) {
      payments.add(verdict);
    }

    @Override
    public void onVote(String from, SignedVote vote) {
      votes.add(vote);
    }

    @Override
    public void onMalformed(String from, String problem) {
      malformed.add(problem);
    }
  }

  private static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
    T item = queue.poll(2, TimeUnit.MINUTES);
    if (item == null) {
      throw new AssertionError("no " + what + " within 2 minutes");
    }
    return item;
  }

  @Test
  void threeUsersVerifyMessagesCatchAnAlteredStanzaVerifyAPaymentAndCountVotes(LocalChain local) throws Exception {
    HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
    SigningKey publisher = local.account(1).signingKey();
    AnchorContract contract;
    try (ChainClient deployer = ChainClient.http(local.rpcUrl())) {
      contract = AnchorContract.deploy(deployer, publisher, false);
    }
    SigningKey aliceKey = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    Inbox aliceInbox = new Inbox();
    Inbox bobInbox = new Inbox();
    Inbox carolInbox = new Inbox();
    try (LocalProsody prosody = LocalProsody.start("chat.test");
        ChainClient chain = ChainClient.http(local.rpcUrl());
        Chainseal chainseal = Chainseal.builder().chain(chain).chainId(local.chainId())
            .anchorContract(contract.address(), contract.deploymentBlock().orElse(0)).publisherKey(publisher)
            .journal(dir.resolve("anchor.db")).store(dir.resolve("messages.db"),
                KeystoreKeyProvider.open(dir.resolve("kek.p12"), "pw".toCharArray()))
            .batchPolicy(new BatchPolicy(1_000, Duration.ofMillis(200))).confirmations(1).build();
        WalletKey aliceWallet = wallet.account(3);
        WalletKey carolWallet = wallet.account(4);
        WalletKey bobVoter = wallet.account(5)) {
      String alice = prosody.register("alice", "pw-alice");
      String bob = prosody.register("bob", "pw-bob");
      String carol = prosody.register("carol", "pw-carol");
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).trust(chainseal.trust()).build();
      PaymentVerifier aliceReceives = PaymentVerifier.builder(chain).chainId(local.chainId()).recipient(aliceWallet.address())
          .confirmations(1).build();
      try (ChainsealXmpp aliceXmpp = ChainsealXmpp.connect(prosody.host(), prosody.port(), prosody.domain(), "alice", "pw-alice",
              chainseal, verifier, aliceReceives, aliceInbox);
          ChainsealXmpp bobXmpp = ChainsealXmpp.connect(prosody.host(), prosody.port(), prosody.domain(), "bob", "pw-bob",
              null, verifier, null, bobInbox);
          ChainsealXmpp carolXmpp = ChainsealXmpp.connect(prosody.host(), prosody.port(), prosody.domain(), "carol", "pw-carol",
              null, verifier, null, carolInbox)) {
        // 1. Alice writes to both; each verifies the message once its proof arrives.
        MessageEnvelope hello = MessageEnvelope.builder().conversationId("trip").messageId("m-1").senderId(alice)
            .senderKey(aliceKey.id()).timestamp(Instant.now()).text("the boat leaves at 9").build();
        aliceXmpp.send(List.of(bob, carol), hello, aliceKey);
        for (Inbox inbox : List.of(bobInbox, carolInbox)) {
          Received got = next(inbox.messages, "verified message");
          assertEquals(alice, got.from());
          assertEquals(hello, got.envelope(), "rebuilt from the stanza exactly as sent");
          assertEquals(VerificationStatus.VERIFIED, got.verdict().status(), got.verdict().reason());
          assertTrue(got.verdict().isVerifiedByTrustedPublisher());
        }

        // 2. A body changed in transit: Bob gets the real stanza, Carol a copy with another body and the same reference.
        MessageEnvelope change = MessageEnvelope.builder().conversationId("trip").messageId("m-2").senderId(alice)
            .senderKey(aliceKey.id()).timestamp(Instant.now()).text("the deposit is 50").build();
        Outgoing sent = aliceXmpp.send(List.of(bob), change, aliceKey);
        aliceXmpp.connection().sendStanza(aliceXmpp.stanza(carol, "the deposit is 500", ChainsealXmpp.reference(change, sent.salt())));
        sent.pending().await(Duration.ofMinutes(1));
        aliceXmpp.connection().sendStanza(aliceXmpp.stanza(carol, null, new ChainsealElement(ChainsealElement.PROOF,
            Map.of("conversation", "trip", "id", "m-2"), io.chainseal.core.ProofCodec.toJson(sent.pending().await(Duration.ZERO)))));
        assertEquals(VerificationStatus.VERIFIED, next(bobInbox.messages, "Bob's copy").verdict().status());
        Received altered = next(carolInbox.messages, "Carol's altered copy");
        assertEquals("the deposit is 500", altered.envelope().text().orElseThrow());
        assertEquals(VerificationStatus.TAMPERED, altered.verdict().status(), altered.verdict().reason());

        // 3. Carol pays Alice on chain and sends the receipt as a stanza; Alice checks it on chain.
        try (WalletJournal journal = SqliteWalletJournal.open(dir.resolve("carol-wallet.db"));
            Payments payments = Payments.builder().chain(chain).signer(carolWallet).journal(journal).confirmations(1).build()) {
          payments.send(PaymentOrder.of("trip-deposit", aliceWallet.address(), Token.ETH, new BigDecimal("0.05")))
              .whenFinal().get(2, TimeUnit.MINUTES);
          carolXmpp.sendPaymentReceipt(alice, payments.receipt("trip-deposit").orElseThrow());
        }
        PaymentVerdict paid = next(aliceInbox.payments, "payment verdict");
        assertEquals(PaymentVerdict.Status.VERIFIED, paid.status(), paid.message());

        // 4. Bob and Carol vote as stanzas; Alice counts, one member one vote.
        EvmSigner carolVoter = carolWallet;
        Map<EvmAddress, BigInteger> members = Map.of(bobVoter.address(), BigInteger.ONE, carolVoter.address(), BigInteger.ONE);
        WeightStrategy weights = WeightStrategy.fixed(members);
        Instant start = Instant.now().minus(1, ChronoUnit.MINUTES);
        Proposal proposal = new Proposal(local.chainId(), "trip", "Which island?", Hash32.fromHex("0c".repeat(32)),
            List.of("north", "south"), VotingType.SINGLE_CHOICE, start, start.plus(1, ChronoUnit.HOURS), local.blockNumber(),
            weights.id(), BigInteger.TWO, aliceWallet.address());
        bobXmpp.sendVote(alice, new Vote(local.chainId(), proposal.id(), "trip", List.of(1), List.of(), Instant.now(),
            bobVoter.address()).sign(bobVoter));
        carolXmpp.sendVote(alice, new Vote(local.chainId(), proposal.id(), "trip", List.of(1), List.of(), Instant.now(),
            carolVoter.address()).sign(carolVoter));
        List<SignedVote> votes = List.of(next(aliceInbox.votes, "a vote"), next(aliceInbox.votes, "a vote"));
        VoteCount.Result count = VoteCount.count(proposal, votes, weights);
        assertEquals(2, count.counted().size(), "rejected: " + count.rejected());
        assertEquals(List.of(1), count.tally().winners(), "south, by two votes");
        assertTrue(count.tally().quorumReached());
        assertTrue(aliceInbox.malformed.isEmpty() && bobInbox.malformed.isEmpty() && carolInbox.malformed.isEmpty(),
            "nothing malformed: " + aliceInbox.malformed + bobInbox.malformed + carolInbox.malformed);
      }
    } finally {
      wallet.close();
    }
  }
}
