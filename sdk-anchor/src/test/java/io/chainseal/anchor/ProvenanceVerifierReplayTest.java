package io.chainseal.anchor;

import io.chainseal.chain.BlockTag;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainLog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.Checkpoint;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
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
          throw new ChainException(ChainException.Kind.RATE_LIMITED, "eth_getLogs rejected: block range is too wide (maximum 3 blocks)");
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

  private JsonNode kase(String name) {
    for (JsonNode c : vectors.get("cases")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no case " + name);
  }

  private static ProvenanceResult run(ProvenanceVerifier verifier, JsonNode c) throws Exception {
    MessageProof proof = ProofCodec.parse(JSON.writeValueAsBytes(c.get("proof")));
    SaltedEnvelope message = EnvelopeCodec.parseSalted(JSON.writeValueAsBytes(c.get("message")));
    return verifier.verify(message.envelope(), message.salt(), proof);
  }

  /** A load-balanced endpoint whose log queries, while {@code lagging}, come from a node indexed only to {@code indexedTo}. */
  private static ChainClient laggingLogs(RecordedChain honest, AtomicBoolean lagging, long indexedTo, long finalized) {
    return wrap(new AtomicReference<>(honest), (method, args) -> {
      if (method.equals("block") && args[0] == BlockTag.FINALIZED) {
        return honest.block(finalized);
      }
      if (method.equals("logs") && lagging.get()) {
        long to = Math.min((Long) args[3], indexedTo);
        @SuppressWarnings("unchecked")
        List<Set<Hash32>> topics = (List<Set<Hash32>>) args[1];
        return (Long) args[2] > to ? List.of() : honest.logs((EvmAddress) args[0], topics, (Long) args[2], to);
      }
      return null;
    });
  }

  @Test
  void laggingLogNodeCannotHideAnEquivocationForGood() throws Exception {
    JsonNode c = kase("two-roots-under-one-sequence");
    RecordedChain honest = new RecordedChain(vectors.get("chains").get("main"));
    AtomicBoolean lagging = new AtomicBoolean(true);
    MutableClock clock = new MutableClock(Instant.parse(c.get("now").asText()));
    ProvenanceVerifier verifier = ProvenanceVerifier.builder(laggingLogs(honest, lagging, 5, 16))
        .trust(TrustSettings.parse(JSON.writeValueAsBytes(c.get("trust")))).clock(clock).build();
    // While the log node lags behind the second anchor, nothing shows the equivocation: unavoidable.
    assertEquals(VerificationStatus.VERIFIED, run(verifier, c).status());
    lagging.set(false);
    clock.advance(Duration.ofMinutes(11));
    ProvenanceResult later = run(verifier, c);
    assertEquals(VerificationStatus.EQUIVOCATION, later.status(), "once re-read, the finalized range shows it: " + later.reason());
  }

  @Test
  void anAnswerThatMissesTheAnchorItselfIsNotKept() throws Exception {
    JsonNode c = kase("verified-leaf-1-of-3");
    RecordedChain honest = new RecordedChain(vectors.get("chains").get("main"));
    AtomicBoolean lagging = new AtomicBoolean(true);
    ProvenanceVerifier verifier = ProvenanceVerifier.builder(laggingLogs(honest, lagging, 2, 16))
        .trust(TrustSettings.parse(JSON.writeValueAsBytes(c.get("trust")))).build();
    assertEquals(VerificationStatus.UNAVAILABLE, run(verifier, c).status());
    lagging.set(false);
    ProvenanceResult retried = run(verifier, c);
    assertEquals(VerificationStatus.VERIFIED, retried.status(), "trying again helps: " + retried.reason());
  }

  @Test
  void reorgBeforeFinalityIsNoticedAfterTheNewChainFinalizes() throws Exception {
    JsonNode c = kase("verified-leaf-1-of-3");
    JsonNode main = vectors.get("chains").get("main");
    // A reorganization replaces blocks 3 and up; the anchor is mined again at the same height and log
    // index; the new chain then finalizes past it.
    ObjectNode forked = main.deepCopy();
    java.util.function.UnaryOperator<String> rehash = h -> "0xee" + h.substring(4);
    for (JsonNode block : forked.get("blocks")) {
      if (Long.decode(block.get("number").asText()) >= 3) {
        ((ObjectNode) block).put("hash", rehash.apply(block.get("hash").asText()));
      }
    }
    for (JsonNode receipt : forked.get("receipts")) {
      if (Long.decode(receipt.get("blockNumber").asText()) >= 3) {
        ((ObjectNode) receipt).put("blockHash", rehash.apply(receipt.get("blockHash").asText()));
        receipt.get("logs").forEach(log -> ((ObjectNode) log).put("blockHash", rehash.apply(log.get("blockHash").asText())));
      }
    }
    long head = Long.decode(main.get("latest").asText()) + 1;
    ((ArrayNode) forked.get("blocks")).addObject().put("number", "0x" + Long.toHexString(head))
        .put("hash", "0x" + "ab".repeat(32)).put("parentHash", "0x" + "00".repeat(32)).put("timestamp", "0x6b083c00")
        .put("baseFeePerGas", "0x1");
    forked.put("latest", "0x" + Long.toHexString(head)).put("finalized", "0x" + Long.toHexString(head));

    AtomicReference<ChainClient> now = new AtomicReference<>(new RecordedChain(main));
    ProvenanceVerifier verifier = ProvenanceVerifier.builder(wrap(now, (method, args) -> null))
        .trust(TrustSettings.parse(JSON.writeValueAsBytes(c.get("trust")))).build();
    assertEquals(VerificationStatus.VERIFIED, run(verifier, c).status(), "before the reorganization");
    now.set(new RecordedChain(forked));
    ProvenanceResult stale = run(verifier, c);
    assertEquals(VerificationStatus.REORGED, stale.status(), stale.reason());
    ObjectNode reissued = c.deepCopy();
    ObjectNode anchor = (ObjectNode) reissued.get("proof").get("anchor");
    anchor.put("blockHash", rehash.apply(anchor.get("blockHash").asText()));
    ProvenanceResult fresh = run(verifier, reissued);
    assertEquals(VerificationStatus.VERIFIED, fresh.status(), "the re-issued proof: " + fresh.reason());
    assertTrue(fresh.finalized());
  }

  @Test
  void checkpointDatedInTheFutureCannotPostponeItsDeadline() throws Exception {
    JsonNode c = kase("sealed-before-its-deadline");
    MessageProof proof = ProofCodec.parse(JSON.writeValueAsBytes(c.get("proof")));
    Checkpoint original = proof.checkpoint().orElseThrow().checkpoint();
    SigningKey operator = SigningKey.secp256k1(java.util.HexFormat.of().parseHex(
        "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")); // Anvil's account 1: a public test key
    assertEquals(original.publisher(), operator.id().address());
    Checkpoint future = new Checkpoint(original.chainId(), original.contract(), original.publisher(), original.sequence(),
        original.treeSize(), original.root(), Instant.parse("9999-12-31T23:59:59Z"));
    SaltedEnvelope message = EnvelopeCodec.parseSalted(JSON.writeValueAsBytes(c.get("message")));
    ProvenanceVerifier verifier = ProvenanceVerifier.builder(new RecordedChain(vectors.get("chains").get("main")))
        .trust(TrustSettings.parse(JSON.writeValueAsBytes(c.get("trust"))))
        .clock(Clock.fixed(Instant.parse("2035-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
    assertEquals(VerificationStatus.UNANCHORED_CHECKPOINT, verifier.verify(message.envelope(), message.salt(), proof).status());
    ProvenanceResult postponed = verifier.verify(message.envelope(), message.salt(),
        proof.toBuilder().checkpoint(future.sign(operator)).build());
    assertEquals(VerificationStatus.BAD_PROOF, postponed.status(), postponed.reason());
  }

  /** A clock the test moves forward. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
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
