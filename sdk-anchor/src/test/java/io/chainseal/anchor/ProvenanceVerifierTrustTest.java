package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.AnchorReference;
import io.chainseal.core.Checkpoint;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.Salt;
import io.chainseal.core.SignedCheckpoint;
import io.chainseal.core.SignerId;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.testkit.ContractArtifact;
import io.chainseal.testkit.DeployedContract;
import io.chainseal.testkit.DevAccount;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.utils.Numeric;

/**
 * What a {@link ProvenanceVerifier} must never accept, on a real chain: an impostor contract that
 * emits the real operator's {@code Anchored} event for a fake root; a forged checkpoint on an erased
 * message's proof; two roots anchored under one batch number; a broken {@code previousRoot} chain; and
 * a cached {@code VERIFIED} that a reorganization has made stale. Each case has a genuine control that
 * verifies, so the test would notice a verifier that rejects everything.
 */
@WithLocalChain
@Tag("slow")
class ProvenanceVerifierTrustTest {
  private static final Hash32 ZERO = Hash32.of(new byte[32]);

  private LocalChain local;
  private ChainClient chain;
  private DevAccount operatorAccount;
  private SigningKey operator;
  private AnchorContract contract;

  @BeforeEach
  void deploy(LocalChain local) {
    this.local = local;
    this.chain = ChainClient.http(local.rpcUrl());
    this.operatorAccount = local.account(1);
    this.operator = TestKeys.of(operatorAccount);
    this.contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
  }

  @AfterEach
  void disconnect() {
    chain.close();
  }

  /** One message in a batch of its own: the commitment is the root. */
  record Message(MessageEnvelope envelope, Salt salt, Hash32 root) {
    static Message of(String text) {
      MessageEnvelope envelope = MessageEnvelope.builder().conversationId("room").messageId(text).senderId("alice")
          .timestamp(Instant.parse("2026-11-26T10:00:00Z")).text(text).build();
      Salt salt = Salt.random();
      return new Message(envelope, salt, envelope.commit(salt));
    }

    MessageProof proof(AnchorReference anchor) {
      return MessageProof.builder().commitment(root).inclusion(MerkleTree.ofLeafHashes(List.of(root)).inclusionProof(0))
          .root(root).anchor(anchor).build();
    }
  }

  private AnchorReference send(DevAccount from, EvmAddress to, byte[] data) {
    ChainReceipt receipt = chain.receipt(local.transact(from, to, data).transactionHash()).orElseThrow();
    ChainLog log = receipt.logs().get(0);
    return new AnchorReference(local.chainId(), log.address(), receipt.transactionHash(), receipt.blockNumber(), log.logIndex(),
        receipt.blockHash());
  }

  private AnchorReference anchor(AnchorContract into, Hash32 root, long sequence, Hash32 previousRoot) {
    return send(operatorAccount, into.address(), into.encodeAnchor(root, 1, sequence, previousRoot));
  }

  private static byte[] forge(EvmAddress publisher, Hash32 root, long sequence, Hash32 previousRoot) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("forge", List.of(new Address(publisher.lowercase()),
        new Bytes32(root.bytes()), new Uint64(BigInteger.ONE), new Uint64(BigInteger.valueOf(sequence)),
        new Bytes32(previousRoot.bytes())), List.of())));
  }

  private ProvenanceVerifier.Builder trusting(AnchorContract trusted) {
    return ProvenanceVerifier.builder(chain).chainId(local.chainId()).trustContract(trusted.address())
        .trustPublisher(operator.id().address()).confirmations(1);
  }

  @Test
  void verifierCannotBeBuiltWithoutBeingToldWhatToTrust() {
    IllegalStateException noChain = assertThrows(IllegalStateException.class, () -> ProvenanceVerifier.builder(chain).build());
    assertTrue(noChain.getMessage().contains("chainId"), noChain.getMessage());
    IllegalStateException noContract = assertThrows(IllegalStateException.class,
        () -> ProvenanceVerifier.builder(chain).chainId(31337).trustPublisher(operator.id().address()).build());
    assertTrue(noContract.getMessage().contains("contract"), noContract.getMessage());
    IllegalStateException noPublisher = assertThrows(IllegalStateException.class,
        () -> ProvenanceVerifier.builder(chain).chainId(31337).trustContract(contract.address()).build());
    assertTrue(noPublisher.getMessage().contains("insecureAcceptAnyPublisher"), noPublisher.getMessage());
  }

  @Test
  void impostorContractEmittingTheOperatorsEventNeverVerifies() {
    Message genuine = Message.of("genuine");
    AnchorReference real = anchor(contract, genuine.root(), 1, ZERO);
    ProvenanceVerifier trusted = trusting(contract).build();
    assertEquals(VerificationStatus.VERIFIED, trusted.verify(genuine.envelope(), genuine.salt(), genuine.proof(real)).status(),
        "control: the operator's own anchor verifies");

    DevAccount attacker = local.account(2);
    DeployedContract impostor = local.deploy(ContractArtifact.fromClasspath(ContractArtifact.IMPOSTOR_ANCHOR), attacker);
    EvmAddress impostorAddress = impostor.address();
    Message fake = Message.of("I never sent this");
    // The forged event names the operator, the next sequence number and the right previous root.
    AnchorReference forged = send(attacker, impostorAddress, forge(operator.id().address(), fake.root(), 2, genuine.root()));
    assertEquals(impostorAddress, forged.contract());
    MessageProof fakeProof = fake.proof(forged);

    ProvenanceResult byTrust = trusted.verify(fake.envelope(), fake.salt(), fakeProof);
    assertEquals(VerificationStatus.NOT_ANCHORED, byTrust.status(), byTrust.reason());
    assertTrue(byTrust.reason().contains("not a trusted anchor contract"), byTrust.reason());

    ProvenanceResult anyone = ProvenanceVerifier.builder(chain).chainId(local.chainId()).trustContract(contract.address())
        .insecureAcceptAnyPublisher().confirmations(1).build().verify(fake.envelope(), fake.salt(), fakeProof);
    assertEquals(VerificationStatus.NOT_ANCHORED, anyone.status(), anyone.reason());

    // A careless user who also trusts the impostor contract: its event names a publisher who never sent it.
    ProvenanceResult careless = trusting(contract).trustContract(impostorAddress).build()
        .verify(fake.envelope(), fake.salt(), fakeProof);
    assertEquals(VerificationStatus.NOT_ANCHORED, careless.status(), careless.reason());
    assertTrue(careless.reason().contains("sent by " + EvmAddress.fromHex(attacker.address())), careless.reason());

    // The same forged transaction, relabelled as the real contract's.
    MessageProof relabelled = fake.proof(new AnchorReference(forged.chainId(), contract.address(), forged.transactionHash(),
        forged.blockNumber(), forged.logIndex(), forged.blockHash()));
    assertEquals(VerificationStatus.NOT_ANCHORED, trusted.verify(fake.envelope(), fake.salt(), relabelled).status());
  }

  @Test
  void forgedCheckpointOnAnErasedProofIsRejected() {
    Message message = Message.of("to be erased");
    AnchorReference real = anchor(contract, message.root(), 1, ZERO);
    Checkpoint checkpoint = new Checkpoint(local.chainId(), contract.address(), operator.id().address(), 1, 1, message.root(),
        Instant.parse("2026-11-26T10:00:01Z"));
    SignedCheckpoint genuine = checkpoint.sign(operator);
    // Junk: a signature by someone else, presented as the operator's.
    SigningKey mallory = TestKeys.of(local.account(3));
    SignedCheckpoint junk = new SignedCheckpoint(checkpoint,
        MessageSignature.of(SignerId.ofAddress(operator.id().address()), mallory.sign(checkpoint.digest()).value()));
    ProvenanceVerifier verifier = trusting(contract).build();

    MessageProof anchored = message.proof(real).toBuilder().checkpoint(genuine).build();
    assertEquals(VerificationStatus.VERIFIED, verifier.verifyErased(anchored.redactedForErasure()).status(), "control");
    MessageProof sealedOnly = anchored.toBuilder().anchor(null).build();
    ProvenanceResult sealedGenuine = verifier.verifyErased(sealedOnly);
    assertEquals(VerificationStatus.VERIFIED, sealedGenuine.status(), "control: a sealed proof finds its anchor");

    ProvenanceResult forgedSealed = verifier.verifyErased(sealedOnly.toBuilder().checkpoint(junk).build());
    assertEquals(VerificationStatus.BAD_SIGNATURE, forgedSealed.status(), forgedSealed.reason());
    ProvenanceResult forgedAnchored = verifier.verifyErased(anchored.toBuilder().checkpoint(junk).build());
    assertEquals(VerificationStatus.BAD_SIGNATURE, forgedAnchored.status(), forgedAnchored.reason());
    assertEquals(VerificationStatus.BAD_SIGNATURE,
        verifier.verify(message.envelope(), message.salt(), anchored.toBuilder().checkpoint(junk).build()).status());
  }

  @Test
  void twoRootsAnchoredUnderOneSequenceAreEquivocationOnTheAnchoredPath() {
    Message first = Message.of("history one");
    Message second = Message.of("history two");
    AnchorReference a = anchor(contract, first.root(), 1, ZERO);
    AnchorReference b = anchor(contract, second.root(), 1, ZERO);
    ProvenanceVerifier verifier = trusting(contract).build();
    for (Message message : List.of(first, second)) {
      ProvenanceResult result = verifier.verify(message.envelope(), message.salt(), message.proof(message == first ? a : b));
      assertEquals(VerificationStatus.EQUIVOCATION, result.status(), result.reason());
      Set<Hash32> roots = result.evidence().stream().map(e -> e.event().root()).collect(Collectors.toSet());
      assertEquals(Set.of(first.root(), second.root()), roots, "both roots are the evidence");
      assertTrue(result.reason().contains(first.root().toString()) && result.reason().contains(second.root().toString()));
    }
  }

  @Test
  void previousRootThatContradictsTheAnchoredPredecessorIsEquivocation() {
    Message one = Message.of("batch one");
    Message two = Message.of("batch two");
    AnchorReference a = anchor(contract, one.root(), 1, ZERO);
    AnchorReference b = anchor(contract, two.root(), 2, Hash32.fromHex("99".repeat(32)));
    ProvenanceVerifier verifier = trusting(contract).build();
    ProvenanceResult later = verifier.verify(two.envelope(), two.salt(), two.proof(b));
    assertEquals(VerificationStatus.EQUIVOCATION, later.status(), later.reason());
    ProvenanceResult earlier = verifier.verify(one.envelope(), one.salt(), one.proof(a));
    assertEquals(VerificationStatus.EQUIVOCATION, earlier.status(), "its successor names another root: " + earlier.reason());

    AnchorContract linked = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    AnchorReference c = anchor(linked, one.root(), 1, ZERO);
    AnchorReference d = anchor(linked, two.root(), 2, one.root());
    ProvenanceVerifier control = trusting(linked).build();
    assertEquals(VerificationStatus.VERIFIED, control.verify(one.envelope(), one.salt(), one.proof(c)).status());
    assertEquals(VerificationStatus.VERIFIED, control.verify(two.envelope(), two.salt(), two.proof(d)).status());
  }

  @Test
  void anchorWhosePredecessorWasNeverAnchoredIsBrokenHistory() {
    Message one = Message.of("batch one");
    Message three = Message.of("batch three");
    anchor(contract, one.root(), 1, ZERO);
    AnchorReference skipped = anchor(contract, three.root(), 3, Hash32.fromHex("42".repeat(32)));
    ProvenanceResult result = trusting(contract).build().verify(three.envelope(), three.salt(), three.proof(skipped));
    assertEquals(VerificationStatus.BROKEN_HISTORY, result.status(), result.reason());
    assertTrue(result.reason().contains("batch 2"), result.reason());
  }

  @Test
  void reorgAfterACachedVerifiedIsNoticedOnTheNextVerification() {
    Message message = Message.of("reorg me");
    AnchorReference anchored = anchor(contract, message.root(), 1, ZERO);
    local.mine(2);
    ProvenanceVerifier verifier = trusting(contract).build();
    MessageProof proof = message.proof(anchored);
    assertEquals(VerificationStatus.VERIFIED, verifier.verify(message.envelope(), message.salt(), proof).status());
    assertEquals(VerificationStatus.VERIFIED, verifier.verify(message.envelope(), message.salt(), proof).status(), "cached");

    local.reorgFrom(anchored.blockNumber());
    ProvenanceResult after = verifier.verify(message.envelope(), message.salt(), proof);
    assertEquals(VerificationStatus.REORGED, after.status(), after.reason());
  }

  @Test
  void endpointOfAnotherChainIsUnavailableAndProofOfAnotherChainIsWrongChain() {
    Message message = Message.of("which chain?");
    AnchorReference anchored = anchor(contract, message.root(), 1, ZERO);
    ProvenanceResult wrongEndpoint = ProvenanceVerifier.builder(chain).chainId(local.chainId() + 1)
        .trustContract(contract.address()).trustPublisher(operator.id().address()).build()
        .verify(message.envelope(), message.salt(), message.proof(new AnchorReference(local.chainId() + 1, contract.address(),
            anchored.transactionHash(), anchored.blockNumber(), anchored.logIndex(), anchored.blockHash())));
    assertEquals(VerificationStatus.UNAVAILABLE, wrongEndpoint.status(), wrongEndpoint.reason());
    assertTrue(wrongEndpoint.reason().contains("serves chain " + local.chainId()), wrongEndpoint.reason());
    ProvenanceResult wrongChain = ProvenanceVerifier.builder(chain).chainId(local.chainId() + 1)
        .trustContract(contract.address()).trustPublisher(operator.id().address()).build()
        .verify(message.envelope(), message.salt(), message.proof(anchored));
    assertEquals(VerificationStatus.WRONG_CHAIN, wrongChain.status(), wrongChain.reason());
  }

  @Test
  void anyPublisherModeVerifiesButNeverAsATrustedPublisher() {
    Message message = Message.of("whose anchor?");
    AnchorReference anchored = anchor(contract, message.root(), 1, ZERO);
    ProvenanceResult result = ProvenanceVerifier.builder(chain).chainId(local.chainId()).trustContract(contract.address())
        .insecureAcceptAnyPublisher().confirmations(1).build().verify(message.envelope(), message.salt(), message.proof(anchored));
    assertEquals(VerificationStatus.VERIFIED, result.status(), result.reason());
    assertFalse(result.isVerifiedByTrustedPublisher());
    assertEquals(operator.id().address(), result.publisher().orElseThrow());
    ProvenanceResult named = trusting(contract).build().verify(message.envelope(), message.salt(), message.proof(anchored));
    assertTrue(named.isVerifiedByTrustedPublisher(), named.reason());
    assertNotEquals(result.reason(), named.reason());
  }
}
