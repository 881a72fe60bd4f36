package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.Checkpoint;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.OfflineVerifier;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignaturePolicy;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.ContractArtifact;
import io.chainseal.testkit.DevAccount;
import io.chainseal.testkit.LocalChain;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.utils.Numeric;

/**
 * The online verification vectors, {@code docs/vectors/online-v1.json}: scenarios played on a real
 * chain (Anvil) and recorded as the chain's answers — blocks, receipts, logs, head and finalized block —
 * each case with a proof, the trust settings and the verdict it must get. Replaying them needs no node
 * ({@link RecordedChain}), so another implementation can check its online verifier against them.
 *
 * <p>{@link #everyCommittedCaseReplaysToItsVerdict()} replays the committed file.
 * {@link #playingTheScenariosAgainGivesTheSameVerdicts()} plays every scenario again on a fresh node
 * (block hashes and times differ from run to run) and checks that the new recording replays to the
 * same verdicts; run it with {@code -Dchainseal.updateVectors=true} to rewrite the committed file.
 */
class OnlineVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path FILE = Path.of(System.getProperty("chainseal.root", ".."), "docs", "vectors", "online-v1.json");
  private static final Hash32 ZERO = Hash32.of(new byte[32]);

  @Test
  void everyCommittedCaseReplaysToItsVerdict() throws Exception {
    assertTrue(Files.exists(FILE), "missing " + FILE + " (run with -Dchainseal.updateVectors=true)");
    JsonNode vectors = JSON.readTree(Files.readString(FILE));
    Map<String, String> verdicts = replay(vectors);
    assertTrue(verdicts.size() >= 20, "cases: " + verdicts.keySet());
  }

  @Test
  @org.junit.jupiter.api.Tag("slow")
  void playingTheScenariosAgainGivesTheSameVerdicts() throws Exception {
    ObjectNode fresh;
    try (LocalChain local = LocalChain.start()) {
      fresh = new Scenarios(local).play();
    }
    Map<String, String> replayed = replay(fresh);
    if (Boolean.getBoolean("chainseal.updateVectors")) {
      Files.writeString(FILE, JSON.writeValueAsString(fresh) + "\n");
    }
    if (Files.exists(FILE)) {
      Map<String, String> committed = new LinkedHashMap<>();
      JSON.readTree(Files.readString(FILE)).get("cases").forEach(c -> committed.put(c.get("name").asText(),
          c.get("expected").get("status").asText()));
      assertEquals(committed, replayed, "the committed vectors describe other scenarios than this test plays");
    }
  }

  /** Replays every case; asserts its expected verdict; returns name → status. */
  static Map<String, String> replay(JsonNode vectors) throws Exception {
    Map<String, String> verdicts = new LinkedHashMap<>();
    for (JsonNode c : vectors.get("cases")) {
      String name = c.get("name").asText();
      RecordedChain chain = new RecordedChain(vectors.get("chains").get(c.get("chain").asText()));
      TrustSettings trust = TrustSettings.parse(JSON.writeValueAsBytes(c.get("trust")));
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).trust(trust)
          .clock(Clock.fixed(Instant.parse(c.get("now").asText()), ZoneOffset.UTC))
          .offline(OfflineVerifier.withPolicy(SignaturePolicy.valueOf(c.get("signaturePolicy").asText())))
          .build();
      MessageProof proof = ProofCodec.parse(JSON.writeValueAsBytes(c.get("proof")));
      ProvenanceResult result;
      if (c.has("message")) {
        SaltedEnvelope message = EnvelopeCodec.parseSalted(JSON.writeValueAsBytes(c.get("message")));
        result = verifier.verify(message.envelope(), message.salt(), proof);
      } else {
        result = verifier.verifyErased(proof);
      }
      JsonNode expected = c.get("expected");
      assertEquals(expected.get("status").asText(), result.status().name(), name + ": " + result.reason());
      if (expected.has("publisher")) {
        assertEquals(EvmAddress.fromHex(expected.get("publisher").asText()), result.publisher().orElseThrow(), name);
      }
      if (expected.has("blockNumber")) {
        assertEquals(expected.get("blockNumber").asLong(), result.blockNumber().orElseThrow(), name);
      }
      if (expected.has("senderBinding")) {
        assertEquals(expected.get("senderBinding").asText(), result.senderBinding().orElseThrow().name(), name);
      }
      if (expected.has("evidenceRoots")) {
        List<String> roots = new ArrayList<>();
        expected.get("evidenceRoots").forEach(r -> roots.add(r.asText()));
        assertEquals(roots.stream().sorted().toList(),
            result.evidence().stream().map(e -> e.event().root().hex()).sorted().toList(), name);
      }
      verdicts.put(name, result.status().name());
    }
    return verdicts;
  }

  /** The scenarios, played on a real node and recorded. */
  static final class Scenarios {
    private final LocalChain local;
    private final ChainClient chain;
    private final DevAccount operatorAccount;
    private final SigningKey operator;
    private final ObjectNode vectors = JSON.createObjectNode();
    private final ObjectNode chains;
    private final ArrayNode cases;
    private int messages;

    Scenarios(LocalChain local) {
      this.local = local;
      this.chain = ChainClient.http(local.rpcUrl());
      this.operatorAccount = local.account(1);
      this.operator = TestKeys.of(operatorAccount);
      vectors.put("format", "Chainseal online verification vectors v1 (docs/proof-format.md §11)");
      this.chains = vectors.putObject("chains");
      this.cases = vectors.putArray("cases");
    }

    record Message(SaltedEnvelope file, Hash32 commitment) {}

    private Message message(String text, SigningKey sender) {
      MessageEnvelope envelope = MessageEnvelope.builder().conversationId("vectors").messageId("v-" + (++messages))
          .senderId("alice@example.org").senderKey(sender.id()).timestamp(Instant.parse("2026-11-26T10:00:00Z"))
          .text(text).build();
      Salt salt = Salt.of(Hash32.of(java.util.Arrays.copyOf(text.getBytes(StandardCharsets.UTF_8), 32)).bytes());
      return new Message(new SaltedEnvelope(envelope, salt), envelope.commit(salt));
    }

    private AnchorReference send(DevAccount from, EvmAddress to, byte[] data) {
      ChainReceipt receipt = chain.receipt(local.transact(from, to, data).transactionHash()).orElseThrow();
      ChainLog log = receipt.logs().get(0);
      return new AnchorReference(local.chainId(), log.address(), receipt.transactionHash(), receipt.blockNumber(),
          log.logIndex(), receipt.blockHash());
    }

    private AnchorReference anchor(AnchorContract contract, Hash32 root, long size, long sequence, Hash32 previous) {
      return send(operatorAccount, contract.address(), contract.encodeAnchor(root, size, sequence, previous));
    }

    private AnchorContract deploy() {
      return AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    }

    private static MessageProof single(Message m, AnchorReference anchor) {
      return MessageProof.builder().commitment(m.commitment())
          .inclusion(MerkleTree.ofLeafHashes(List.of(m.commitment())).inclusionProof(0)).root(m.commitment()).anchor(anchor)
          .build();
    }

    private ObjectNode trust(AnchorContract contract, EvmAddress publisher, int confirmations) throws Exception {
      return (ObjectNode) JSON.readTree(TrustSettings.builder().chainId(local.chainId())
          .trustContract(contract.address(), contract.deploymentBlock().orElseThrow()).trustPublisher(publisher)
          .confirmations(confirmations).build().toJson());
    }

    private void add(String name, String chainName, ObjectNode trust, Instant now, Message message, MessageProof proof,
        ObjectNode expected) throws Exception {
      add(name, chainName, trust, now, message, proof, expected, SignaturePolicy.OPTIONAL);
    }

    private void add(String name, String chainName, ObjectNode trust, Instant now, Message message, MessageProof proof,
        ObjectNode expected, SignaturePolicy policy) throws Exception {
      ObjectNode c = cases.addObject();
      c.put("name", name);
      c.put("chain", chainName);
      c.set("trust", trust);
      c.put("now", now.toString());
      c.put("signaturePolicy", policy.name());
      if (message != null) {
        c.set("message", JSON.readTree(EnvelopeCodec.toJson(message.file())));
      }
      c.set("proof", JSON.readTree(ProofCodec.toJson(proof)));
      c.set("expected", expected);
    }

    private static ObjectNode expect(String status) {
      return JSON.createObjectNode().put("status", status);
    }

    ObjectNode play() throws Exception {
      SigningKey alice = SigningKey.secp256k1(Hash32.of(new byte[] {
          1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})
          .bytes());
      EvmAddress publisher = operator.id().address();

      // A publisher's ordinary history: batch 1 (one message), batch 2 (three messages).
      AnchorContract history = deploy();
      Message first = message("first batch, only message", alice);
      AnchorReference one = anchor(history, first.commitment(), 1, 1, ZERO);
      List<Message> second = List.of(message("second batch, message 0", alice), message("second batch, message 1", alice),
          message("second batch, message 2", alice));
      MerkleTree tree = MerkleTree.ofLeafHashes(second.stream().map(Message::commitment).toList());
      AnchorReference two = anchor(history, tree.root(), 3, 2, first.commitment());
      MessageProof middle = MessageProof.builder().commitment(second.get(1).commitment()).inclusion(tree.inclusionProof(1))
          .root(tree.root()).signature(alice.sign(second.get(1).commitment())).anchor(two).build();

      // An operator who anchored two roots under one number; one whose previousRoot contradicts its
      // predecessor; one who skipped a number.
      AnchorContract twice = deploy();
      Message left = message("history A", alice);
      Message right = message("history B", alice);
      AnchorReference leftAnchor = anchor(twice, left.commitment(), 1, 1, ZERO);
      anchor(twice, right.commitment(), 1, 1, ZERO);
      AnchorContract relinked = deploy();
      Message p1 = message("predecessor", alice);
      Message p2 = message("successor naming another predecessor", alice);
      AnchorReference p1Anchor = anchor(relinked, p1.commitment(), 1, 1, ZERO);
      AnchorReference p2Anchor = anchor(relinked, p2.commitment(), 1, 2, Hash32.fromHex("99".repeat(32)));
      AnchorContract gap = deploy();
      Message g1 = message("batch one before a gap", alice);
      Message g3 = message("batch three after a gap", alice);
      anchor(gap, g1.commitment(), 1, 1, ZERO);
      AnchorReference g3Anchor = anchor(gap, g3.commitment(), 1, 3, g1.commitment());

      // An attacker's look-alike contract emitting the operator's event for a fake message.
      DevAccount attacker = local.account(2);
      EvmAddress impostor = local.deploy(ContractArtifact.fromClasspath(ContractArtifact.IMPOSTOR_ANCHOR), attacker).address();
      Message fake = message("a message the operator never anchored", alice);
      AnchorReference forged = send(attacker, impostor, Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("forge",
          List.of(new Address(publisher.lowercase()), new Bytes32(fake.commitment().bytes()), new Uint64(BigInteger.ONE),
              new Uint64(BigInteger.valueOf(3)), new Bytes32(tree.root().bytes())), List.of()))));

      // Last: an anchor that a reorganization will remove.
      AnchorContract doomed = deploy();
      Message reorged = message("anchored, then reorganized away", alice);
      AnchorReference reorgedAnchor = anchor(doomed, reorged.commitment(), 1, 1, ZERO);
      local.mine(2);

      ObjectNode main = RecordedChain.record(local);
      chains.set("main", main);
      ObjectNode withoutFinalized = main.deepCopy();
      withoutFinalized.putNull("finalized");
      chains.set("main-without-finalized-tag", withoutFinalized);
      chains.set("lagging", RecordedChain.truncated(main, two.blockNumber() - 1));
      local.reorgFrom(reorgedAnchor.blockNumber());
      chains.set("reorged", RecordedChain.record(local));

      Instant headTime = Instant.ofEpochSecond(Long.decode(main.get("blocks").get(main.get("blocks").size() - 1)
          .get("timestamp").asText()));
      Instant now = headTime.plusSeconds(60);
      ObjectNode trusted = trust(history, publisher, 1);

      ObjectNode verified = expect("VERIFIED").put("publisher", publisher.checksummed()).put("blockNumber", two.blockNumber())
          .put("senderBinding", "SENDER_KEY");
      add("verified-leaf-1-of-3", "main", trusted, now, second.get(1), middle, verified);
      add("verified-requiring-the-sender-key", "main", trusted, now, second.get(1), middle, verified.deepCopy(),
          SignaturePolicy.REQUIRE_SENDER_KEY);
      add("unsigned-message-under-require-sender-key", "main", trusted, now, second.get(1),
          middle.toBuilder().signature(null).build(), expect("BAD_SIGNATURE").put("senderBinding", "UNSIGNED"),
          SignaturePolicy.REQUIRE_SENDER_KEY);
      add("verified-erased-message", "main", trusted, now, null, single(first, one).redactedForErasure(),
          expect("VERIFIED").put("blockNumber", one.blockNumber()));
      add("node-without-finalized-tag", "main-without-finalized-tag", trusted, now, first, single(first, one),
          expect("VERIFIED"));
      add("pending-too-few-confirmations", "main", trust(history, publisher, 1000), now, first, single(first, one),
          expect("PENDING"));
      add("untrusted-publisher", "main", trust(history, EvmAddress.fromHex(attacker.address()), 1), now, first,
          single(first, one), expect("UNTRUSTED_PUBLISHER").put("publisher", publisher.checksummed()));
      add("untrusted-contract", "main", trust(twice, publisher, 1), now, first, single(first, one), expect("NOT_ANCHORED"));
      add("proof-names-another-chain", "main", trusted, now, first, single(first, new AnchorReference(1, one.contract(),
          one.transactionHash(), one.blockNumber(), one.logIndex(), one.blockHash())), expect("WRONG_CHAIN"));
      ObjectNode otherChain = trusted.deepCopy().put("chainId", 1);
      add("endpoint-serves-another-chain", "main", otherChain, now, first, single(first, new AnchorReference(1, one.contract(),
          one.transactionHash(), one.blockNumber(), one.logIndex(), one.blockHash())), expect("UNAVAILABLE"));
      ObjectNode impostorTrusted = trusted.deepCopy();
      ((ArrayNode) impostorTrusted.get("contracts")).addObject().put("address", impostor.checksummed()).put("fromBlock", 0);
      add("impostor-contract-event-naming-the-operator", "main", impostorTrusted, now, fake, single(fake, forged),
          expect("NOT_ANCHORED"));
      add("unknown-transaction", "main", trusted, now, first, single(first, new AnchorReference(one.chainId(), one.contract(),
          Hash32.fromHex("ab".repeat(32)), one.blockNumber(), one.logIndex(), one.blockHash())), expect("NOT_ANCHORED"));
      add("wrong-log-index", "main", trusted, now, first, single(first, new AnchorReference(one.chainId(), one.contract(),
          one.transactionHash(), one.blockNumber(), one.logIndex() + 1, one.blockHash())), expect("NOT_ANCHORED"));
      add("wrong-block-number", "main", trusted, now, first, single(first, new AnchorReference(one.chainId(), one.contract(),
          one.transactionHash(), one.blockNumber() + 1, one.logIndex())), expect("NOT_ANCHORED"));
      add("two-roots-under-one-sequence", "main", trust(twice, publisher, 1), now, left, single(left, leftAnchor),
          expect("EQUIVOCATION").set("evidenceRoots", JSON.createArrayNode().add(left.commitment().hex())
              .add(right.commitment().hex())));
      add("previous-root-contradicts-predecessor", "main", trust(relinked, publisher, 1), now, p2, single(p2, p2Anchor),
          expect("EQUIVOCATION"));
      add("successor-names-another-root", "main", trust(relinked, publisher, 1), now, p1, single(p1, p1Anchor),
          expect("EQUIVOCATION"));
      add("predecessor-never-anchored", "main", trust(gap, publisher, 1), now, g3, single(g3, g3Anchor),
          expect("BROKEN_HISTORY"));

      Checkpoint sealedTwo = new Checkpoint(local.chainId(), history.address(), publisher, 2, 3, tree.root(), headTime);
      MessageProof sealedMiddle = middle.toBuilder().anchor(null).checkpoint(sealedTwo.sign(operator)).build();
      add("sealed-proof-finds-its-anchor", "main", trusted, now, second.get(1), sealedMiddle,
          expect("VERIFIED").put("blockNumber", two.blockNumber()));
      Message promised = message("sealed, never anchored", alice);
      Checkpoint promise = new Checkpoint(local.chainId(), history.address(), publisher, 3, 1, promised.commitment(), headTime);
      MessageProof sealedOnly = MessageProof.builder().commitment(promised.commitment())
          .inclusion(MerkleTree.ofLeafHashes(List.of(promised.commitment())).inclusionProof(0)).root(promised.commitment())
          .checkpoint(promise.sign(operator)).build();
      add("sealed-before-its-deadline", "main", trusted, now, promised, sealedOnly, expect("SEALED"));
      add("sealed-past-its-deadline", "main", trusted, headTime.plusSeconds(2 * 3600), promised, sealedOnly,
          expect("UNANCHORED_CHECKPOINT"));
      Checkpoint otherRoot = new Checkpoint(local.chainId(), history.address(), publisher, 1, 1, promised.commitment(), headTime);
      add("sealed-root-differs-from-anchored-root", "main", trusted, now, promised, sealedOnly.toBuilder()
          .checkpoint(otherRoot.sign(operator)).build(), expect("EQUIVOCATION"));
      add("reorganized-away", "reorged", trust(doomed, publisher, 1), now, reorged, single(reorged, reorgedAnchor),
          expect("REORGED"));
      add("endpoint-behind-the-proof", "lagging", trusted, now, second.get(1), middle, expect("UNAVAILABLE"));
      chain.close();
      return vectors;
    }
  }
}
