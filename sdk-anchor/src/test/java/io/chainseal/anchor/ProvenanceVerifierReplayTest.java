package io.chainseal.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.VerificationStatus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The verifier against recorded chain answers (no node, milliseconds): faults a real endpoint does not
 * produce on demand — a bug in a {@link ChainClient} implementation, a node that refuses wide log
 * queries, a head that moves while it is cached.
 */
class ProvenanceVerifierReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode vectors;
  private final JsonNode verified;

  ProvenanceVerifierReplayTest() throws Exception {
    vectors = JSON.readTree(Files.readString(Path.of(System.getProperty("chainseal.root", ".."), "docs", "vectors",
        "online-v1.json")));
    JsonNode found = null;
    for (JsonNode c : vectors.get("cases")) {
      if (c.get("name").asText().equals("verified-leaf-1-of-3")) {
        found = c;
      }
    }
    verified = found;
  }

  private SaltedEnvelope message() throws Exception {
    return EnvelopeCodec.parseSalted(JSON.writeValueAsBytes(verified.get("message")));
  }

  private MessageProof proof() throws Exception {
    return ProofCodec.parse(JSON.writeValueAsBytes(verified.get("proof")));
  }

  private TrustSettings trust() throws Exception {
    return TrustSettings.parse(JSON.writeValueAsBytes(verified.get("trust")));
  }

  /** A client that forwards to {@code target}, letting {@code intercept} answer (or throw) first. */
  interface Intercept {
    Object call(String method, Object[] args) throws Exception;
  }

  static ChainClient wrap(AtomicReference<ChainClient> target, Intercept intercept) {
    return (ChainClient) Proxy.newProxyInstance(ChainClient.class.getClassLoader(), new Class<?>[] {ChainClient.class},
        (proxy, method, args) -> {
          Object answer = intercept.call(method.getName(), args);
          if (answer != null) {
            return answer;
          }
          try {
            return method.invoke(target.get(), args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aBugInTheChainClientIsAVerifierErrorNeverABadProof() throws Exception {
    ChainClient buggy = wrap(new AtomicReference<>(new RecordedChain(vectors.get("chains").get("main"))), (method, args) -> {
      if (method.equals("receipt")) {
        throw new IllegalStateException("a bug in a ChainClient implementation");
      }
      return null;
    });
    SaltedEnvelope message = message();
    ProvenanceResult result = ProvenanceVerifier.builder(buggy).trust(trust()).build()
        .verify(message.envelope(), message.salt(), proof());
    assertEquals(VerificationStatus.VERIFIER_ERROR, result.status(), result.reason());
    assertTrue(result.reason().contains("says nothing about the proof"), result.reason());
  }

  @Test
  void logQueriesStayWithinWhatTheNodeAccepts() throws Exception {
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger queries = new AtomicInteger();
    ChainClient picky = wrap(new AtomicReference<>(new RecordedChain(vectors.get("chains").get("main"))), (method, args) -> {
      if (method.equals("logs")) {
        queries.incrementAndGet();
        long from = (Long) args[2];
        long to = (Long) args[3];
        if (to - from + 1 > 3) {
          refused.incrementAndGet();
          throw new ChainException("eth_getLogs rejected: block range is too wide (maximum 3 blocks) (code -32005)", true);
        }
      }
      return null;
    });
    SaltedEnvelope message = message();
    ProvenanceResult result = ProvenanceVerifier.builder(picky).trust(trust()).logQueryBlockRange(1_000).build()
        .verify(message.envelope(), message.salt(), proof());
    assertEquals(VerificationStatus.VERIFIED, result.status(), result.reason());
    assertTrue(refused.get() > 0, "the node refused the first, wide query");
    assertTrue(queries.get() > refused.get(), "and the lookup went on in smaller ranges");
  }

  @Test
  void staleCachedHeadIsReadAgainBeforeReportingPending() throws Exception {
    JsonNode main = vectors.get("chains").get("main");
    MessageProof proof = proof();
    long block = proof.anchor().orElseThrow().blockNumber();
    AtomicReference<ChainClient> now = new AtomicReference<>(new RecordedChain(RecordedChain.truncated(main, block)));
    AtomicInteger headReads = new AtomicInteger();
    ChainClient moving = wrap(now, (method, args) -> {
      if (method.equals("block") && args[0] == BlockTag.LATEST) {
        headReads.incrementAndGet();
      }
      return null;
    });
    ProvenanceVerifier verifier = ProvenanceVerifier.builder(moving).trust(trust()).confirmations(2)
        .headTtl(Duration.ofHours(1)).build();
    SaltedEnvelope message = message();
    ProvenanceResult first = verifier.verify(message.envelope(), message.salt(), proof);
    assertEquals(VerificationStatus.PENDING, first.status(), "one block of two: " + first.reason());
    now.set(new RecordedChain(RecordedChain.truncated(main, block + 1)));
    ProvenanceResult second = verifier.verify(message.envelope(), message.salt(), proof);
    assertEquals(VerificationStatus.VERIFIED, second.status(), "the cached head was read again: " + second.reason());
    assertEquals(2, headReads.get());
    assertEquals(VerificationStatus.VERIFIED, verifier.verify(message.envelope(), message.salt(), proof).status());
    assertEquals(2, headReads.get(), "a VERIFIED result may use the cached head");
  }

  @Test
  void strictEventDecodingRejectsWordsOutOfRange() {
    Hash32 publisherTopic = Hash32.fromHex("00".repeat(12) + "11".repeat(20));
    Hash32 dirtyPublisher = Hash32.fromHex("01" + "00".repeat(11) + "11".repeat(20));
    Hash32 sequenceOne = Hash32.fromHex("00".repeat(31) + "01");
    Hash32 hugeSequence = Hash32.fromHex("00".repeat(24) + "80" + "00".repeat(7));
    byte[] data = new byte[64];
    data[31] = 1;
    EvmAddress contract = EvmAddress.fromHex("0x" + "22".repeat(20));
    Hash32 tx = Hash32.fromHex("33".repeat(32));
    ChainLog good = new ChainLog(contract, List.of(AnchorContract.ANCHORED_TOPIC, publisherTopic, tx, sequenceOne), data, 0, 1, tx, tx);
    assertTrue(AnchorContract.decodeAny(good).isPresent());
    assertTrue(AnchorContract.decodeAny(new ChainLog(contract, List.of(AnchorContract.ANCHORED_TOPIC, dirtyPublisher, tx,
        sequenceOne), data, 0, 1, tx, tx)).isEmpty(), "an address topic with bits above 160");
    assertTrue(AnchorContract.decodeAny(new ChainLog(contract, List.of(AnchorContract.ANCHORED_TOPIC, publisherTopic, tx,
        hugeSequence), data, 0, 1, tx, tx)).isEmpty(), "a sequence of 2^63");
    byte[] zeroSize = new byte[64];
    assertTrue(AnchorContract.decodeAny(new ChainLog(contract, List.of(AnchorContract.ANCHORED_TOPIC, publisherTopic, tx,
        sequenceOne), zeroSize, 0, 1, tx, tx)).isEmpty(), "an empty batch");
    assertTrue(AnchorContract.decodeAny(new ChainLog(contract, List.of(AnchorContract.ANCHORED_TOPIC, publisherTopic, tx),
        data, 0, 1, tx, tx)).isEmpty(), "three topics");
    assertEquals(Set.of(), Set.copyOf(AnchorContract.decodeAny(new ChainLog(contract, List.of(AnchorContract.ANCHORED_TOPIC,
        publisherTopic, tx, sequenceOne), new byte[65], 0, 1, tx, tx)).stream().toList()), "65 bytes of data");
  }
}
