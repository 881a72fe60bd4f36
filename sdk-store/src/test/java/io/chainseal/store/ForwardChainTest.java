package io.chainseal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.anchor.ConversationBundle;
import io.chainseal.anchor.ForwardTrace;
import io.chainseal.anchor.ForwardTrace.BreakKind;
import io.chainseal.anchor.ForwardTrace.Link;
import io.chainseal.anchor.PendingProof;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.chain.ChainClient;
import io.chainseal.core.Forwarding;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageRef;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.StoreEntry;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chains of forwards across six conversations, anchored on Anvil: a whole 5-hop chain verifies (in this
 * process and with {@code chainseal provenance} in a fresh one), every kind of break is reported at the
 * hop where it occurs, and the forward of an erased original still shows that the original existed and when.
 */
@WithLocalChain
@Tag("slow")
class ForwardChainTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;

  private final List<SigningKey> users = new ArrayList<>();
  private final Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

  @Test
  void aFiveHopChainVerifiesAndEachBreakIsReportedAtItsHop(LocalChain local) throws Exception {
    for (int i = 0; i < 6; i++) {
      users.add(SigningKey.generate(SignatureScheme.ED25519, RANDOM));
    }
    SigningKey operator = local.account(1).signingKey();
    SigningKey storeOperator = SigningKey.generate(SignatureScheme.ED25519, RANDOM);
    try (ChainClient chain = ChainClient.http(local.rpcUrl());
        SqliteMessageStore store = SqliteMessageStore.open(dir.resolve("store.db"),
            KeystoreKeyProvider.open(dir.resolve("kek.p12"), "pw".toCharArray()), storeOperator)) {
      AnchorContract contract = AnchorContract.deploy(chain, operator, false);
      List<SaltedEnvelope> messages = new ArrayList<>();
      // a: whole. c: hop 2 edits the text. p: hop 4 claims a time before hop 3's. u: hop 3 is not anchored
      // (its proof below is stripped of its anchor). Each chain's hop i is in conversation "<chain>-i".
      List<SaltedEnvelope> a = chain("a", messages, i -> null);
      List<SaltedEnvelope> c = chain("c", messages, i -> i == 2 ? b -> b.text("edited on the way") : null);
      List<SaltedEnvelope> p = chain("p", messages, i -> i == 4 ? b -> b.timestamp(start.plusSeconds(150)) : null);
      List<SaltedEnvelope> u = chain("u", messages, i -> null);
      // i: a forward naming its source by ids only. m: names a-0's commitment but c-0's ids.
      // f: an original claiming a send time in 2100, forwarded now.
      SaltedEnvelope i0 = original("i", 0, start, messages);
      SaltedEnvelope i1 = add(MessageEnvelope.builder().text("news item i").forwardedFrom(ref(i0)), "i", 1, start.plusSeconds(60), messages);
      SaltedEnvelope m1 = add(Forwarding.forward(a.get(0)).forwardedFrom(ref(c.get(0))), "m", 1, start.plusSeconds(60), messages);
      SaltedEnvelope f0 = original("f", 0, Instant.parse("2100-01-01T00:00:00Z"), messages);
      SaltedEnvelope f1 = add(Forwarding.forward(f0), "f", 1, Instant.parse("2100-01-01T00:01:00Z"), messages);
      anchor(local, chain, contract, operator, store, messages);

      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).trust(TrustSettings.builder().chainId(local.chainId())
          .trustContract(contract.address(), contract.deploymentBlock().orElse(0)).trustPublisher(operator.id().address())
          .confirmations(1).build()).build();
      List<StoreEntry> entries = entries(store);

      // A whole chain of 5 forwards: every hop verified, by its sender's key, at its block time.
      ForwardTrace whole = ForwardTrace.trace(ref(a.get(5)), entries, verifier);
      assertTrue(whole.verified(), whole.breaks().toString());
      assertEquals(6, whole.hops().size());
      for (int hop = 0; hop < 6; hop++) {
        ForwardTrace.Hop h = whole.hops().get(hop);
        assertEquals(new MessageRef("a-" + hop, "m"), h.ref());
        assertEquals(hop == 0 ? Link.ORIGINAL : Link.BY_COMMITMENT, h.link());
        assertEquals(users.get(hop).id(), h.verdict().signer().orElseThrow(), "hop " + hop + " signed by its sender");
        assertEquals(start.plusSeconds(60L * hop), h.sentAt().orElseThrow());
        assertFalse(h.existedBy().orElseThrow().isBefore(h.sentAt().orElseThrow().truncatedTo(ChronoUnit.SECONDS)));
        assertEquals(Forwarding.contentDigest(a.get(0).envelope()), h.contentDigest().orElseThrow());
      }

      assertOnlyBreak(ForwardTrace.trace(ref(c.get(5)), entries, verifier), 2, BreakKind.CONTENT_CHANGED, 6);
      assertOnlyBreak(ForwardTrace.trace(ref(p.get(5)), entries, verifier), 4, BreakKind.PREDATES_SOURCE, 6);
      assertTrue(ForwardTrace.trace(ref(p.get(5)), entries, verifier, Duration.ofMinutes(1)).verified(),
          "30 s earlier than its source is within a minute's allowance for clock skew");

      List<StoreEntry> unanchored = replace(entries, ref(u.get(3)),
          e -> new StoreEntry(e.ref(), e.commitment(), e.message(), e.proof().map(x -> x.toBuilder().anchor(null).checkpoint(null).build()),
              e.erasedAt()));
      ForwardTrace.Break notAnchored = assertOnlyBreak(ForwardTrace.trace(ref(u.get(5)), unanchored, verifier), 3, BreakKind.UNVERIFIED, 6);
      assertTrue(notAnchored.reason().startsWith("NOT_ANCHORED"), notAnchored.reason());

      List<StoreEntry> tampered = replace(entries, ref(u.get(1)), e -> new StoreEntry(e.ref(), e.commitment(),
          e.message().map(x -> new SaltedEnvelope(x.envelope().toBuilder().senderId("someone-else").build(), x.salt())),
          e.proof(), e.erasedAt()));
      assertTrue(assertOnlyBreak(ForwardTrace.trace(ref(u.get(5)), tampered, verifier), 1, BreakKind.UNVERIFIED, 6).reason()
          .startsWith("TAMPERED"));

      List<StoreEntry> gap = entries.stream().filter(e -> !e.ref().equals(ref(a.get(2)))).toList();
      ForwardTrace missing = ForwardTrace.trace(ref(a.get(5)), gap, verifier);
      assertOnlyBreak(missing, 0, BreakKind.SOURCE_MISSING, 3);
      assertEquals(ref(a.get(3)), missing.hops().get(0).ref(), "the break is at the forward whose source is missing");

      assertOnlyBreak(ForwardTrace.trace(ref(m1), entries, verifier), 0, BreakKind.SOURCE_MISMATCH, 1);
      ForwardTrace provedEarlier = ForwardTrace.trace(ref(f1), entries, verifier);
      assertTrue(assertOnlyBreak(provedEarlier, 1, BreakKind.PREDATES_SOURCE, 2).reason().contains("its anchor's block time"),
          provedEarlier.breaks().toString());

      // Whoever hands over the messages can present one as erased: that never makes a chain whole.
      List<StoreEntry> fakeErasure = replace(entries, ref(c.get(0)), ForwardChainTest::asErased);
      ForwardTrace hidden = ForwardTrace.trace(ref(c.get(5)), fakeErasure, verifier);
      assertFalse(hidden.verified(), "the edit at hop 2 is hidden only as far as an erased source goes");
      assertFalse(hidden.verifiedToErasedSource(), "the edit at hop 2 is still seen: " + hidden.breaks());
      ForwardTrace cut = ForwardTrace.trace(ref(c.get(5)), replace(entries, ref(c.get(2)), ForwardChainTest::asErased), verifier);
      assertFalse(cut.verified());
      assertTrue(cut.verifiedToErasedSource(), "cut at the edited hop: only the weaker verdict");
      assertEquals(4, cut.hops().size());
      // The genuine copy wins over an erased copy of the same message, in whatever order they come.
      List<StoreEntry> both = new ArrayList<>(List.of(asErased(store.get(ref(c.get(1))).orElseThrow())));
      both.addAll(entries);
      assertOnlyBreak(ForwardTrace.trace(ref(c.get(5)), both, verifier), 2, BreakKind.CONTENT_CHANGED, 6);
      // A message listed under other ids than its envelope's is not taken at the listing's word.
      StoreEntry genuine = store.get(ref(a.get(1))).orElseThrow();
      List<StoreEntry> relabelled = List.of(new StoreEntry(new MessageRef("x", "y"), genuine.commitment(), genuine.message(),
          genuine.proof(), genuine.erasedAt()));
      ForwardTrace.Break relabel = ForwardTrace.trace(new MessageRef("x", "y"), relabelled, verifier).breaks().get(0);
      assertEquals(BreakKind.START_MISSING, relabel.kind());
      assertTrue(relabel.reason().contains("other ids"), relabel.reason());

      ForwardTrace byIds = ForwardTrace.trace(ref(i1), entries, verifier);
      assertTrue(byIds.verified(), byIds.breaks().toString());
      assertEquals(Link.BY_IDS, byIds.hops().get(1).link());
      assertEquals(BreakKind.START_MISSING, ForwardTrace.trace(new MessageRef("a-9", "m"), entries, verifier).breaks().get(0).kind());

      // The same whole chain from its six exported conversations, in a fresh process.
      String[] trust = {"--rpc", local.rpcUrl(), "--chain-id", Long.toString(local.chainId()), "--contract",
          contract.address() + "@" + contract.deploymentBlock().orElse(0), "--publisher", operator.id().address().toString(),
          "--confirmations", "1"};
      Result fresh = provenance(export(store, "a"), trust);
      assertEquals(0, fresh.exit(), fresh.output());
      assertTrue(fresh.output().contains("hop 0      a-0/m  original  VERIFIED"), fresh.output());
      assertTrue(fresh.output().contains("hop 5      a-5/m  forward (source named by commitment)  VERIFIED"), fresh.output());
      assertTrue(fresh.output().contains("verdict    VERIFIED: 5 forwards back to the original, sent by user-0 (signed by the key"),
          fresh.output());
      Result edited = provenance(export(store, "c"), trust);
      assertEquals(1, edited.exit(), edited.output());
      assertTrue(edited.output().contains("BREAK    CONTENT_CHANGED"), edited.output());
      assertTrue(edited.output().contains("verdict    BROKEN: first at hop 2 (CONTENT_CHANGED), 1 break"), edited.output());

      // The original erased: the chain still shows that it existed and when; an ids-only link to an erased source cannot.
      store.erase(ref(a.get(0)));
      store.erase(ref(i0));
      List<StoreEntry> afterErasure = entries(store);
      ForwardTrace erasedOriginal = ForwardTrace.trace(ref(a.get(5)), afterErasure, verifier);
      assertTrue(erasedOriginal.verifiedToErasedSource(), erasedOriginal.breaks().toString());
      assertFalse(erasedOriginal.verified(), "hop 1's content can no longer be compared with the original's");
      ForwardTrace.Hop origin = erasedOriginal.earliest().orElseThrow();
      assertTrue(origin.erased());
      assertEquals(Link.UNKNOWN, origin.link());
      assertEquals(whole.hops().get(0).existedBy(), origin.existedBy(), "it existed by the same block time as before erasure");
      assertEquals(whole.hops().get(0).commitment(), origin.commitment());
      assertOnlyBreak(ForwardTrace.trace(ref(i1), afterErasure, verifier), 1, BreakKind.SOURCE_NOT_BOUND, 2);
      Result erased = provenance(export(store, "a"), trust);
      assertEquals(1, erased.exit(), erased.output());
      assertTrue(erased.output().contains("hop 0      a-0/m  erased  VERIFIED"), erased.output());
      assertTrue(erased.output().contains("verdict    PARTLY VERIFIED: 5 forwards back to an erased message that existed by "
          + origin.existedBy().orElseThrow()), erased.output());
    }
  }

  /** A chain of an original and 5 forwards in conversations "name-0" … "name-5", hop i changed by {@code change.apply(i)} if not null. */
  private List<SaltedEnvelope> chain(String name, List<SaltedEnvelope> all,
      java.util.function.IntFunction<UnaryOperator<MessageEnvelope.Builder>> change) {
    List<SaltedEnvelope> hops = new ArrayList<>();
    hops.add(original(name, 0, start, all));
    for (int i = 1; i <= 5; i++) {
      MessageEnvelope.Builder b = Forwarding.forward(hops.get(i - 1));
      b.timestamp(start.plusSeconds(60L * i));
      UnaryOperator<MessageEnvelope.Builder> changed = change.apply(i);
      hops.add(add(changed == null ? b : changed.apply(b), name, i, null, all));
    }
    return hops;
  }

  private SaltedEnvelope original(String name, int hop, Instant time, List<SaltedEnvelope> all) {
    return add(MessageEnvelope.builder().text("news item " + name), name, hop, time, all);
  }

  /** Completes {@code b} as user {@code hop}'s message "m" in conversation "name-hop" (at {@code time} unless null). */
  private SaltedEnvelope add(MessageEnvelope.Builder b, String name, int hop, Instant time, List<SaltedEnvelope> all) {
    b.conversationId(name + "-" + hop).messageId("m").senderId("user-" + hop).senderKey(users.get(hop).id());
    if (time != null) {
      b.timestamp(time);
    }
    SaltedEnvelope message = new SaltedEnvelope(b.build(), Salt.random());
    all.add(message);
    return message;
  }

  private static MessageRef ref(SaltedEnvelope message) {
    return new MessageRef(message.envelope().conversationId(), message.envelope().messageId());
  }

  /** Stores and anchors every message (each signed by its sender's key) and stores its proof. */
  private void anchor(LocalChain local, ChainClient chain, AnchorContract contract, SigningKey operator, SqliteMessageStore store,
      List<SaltedEnvelope> messages) throws Exception {
    List<PendingProof> pending = new ArrayList<>();
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("anchor.db"));
        Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
            .batchPolicy(new BatchPolicy(100, Duration.ofMillis(100))).confirmations(1).build()) {
      store.putAll(messages);
      for (SaltedEnvelope message : messages) {
        int user = Integer.parseInt(message.envelope().senderId().substring("user-".length()));
        pending.add(anchorer.submit(message.envelope(), message.salt(),
            users.get(user).sign(message.envelope().commit(message.salt()))));
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      for (int i = 0; i < messages.size(); i++) {
        while (true) {
          try {
            store.putProof(ref(messages.get(i)), pending.get(i).proof().get(1, TimeUnit.SECONDS));
            break;
          } catch (TimeoutException e) {
            if (System.nanoTime() > deadline) {
              throw new AssertionError("not anchored within 2 minutes", e);
            }
            local.mine();
          }
        }
      }
    }
  }

  private static List<StoreEntry> entries(SqliteMessageStore store) {
    List<StoreEntry> entries = new ArrayList<>();
    for (String conversation : store.conversations()) {
      for (MessageRef ref : store.conversation(conversation)) {
        entries.add(store.get(ref).orElseThrow());
      }
    }
    return entries;
  }

  /** {@code entry} as an archive would list it had it been erased: no message, the proof reduced. */
  private static StoreEntry asErased(StoreEntry entry) {
    return new StoreEntry(entry.ref(), entry.commitment(), java.util.Optional.empty(),
        entry.proof().map(io.chainseal.core.MessageProof::redactedForErasure), java.util.Optional.of(Instant.now()));
  }

  private static List<StoreEntry> replace(List<StoreEntry> entries, MessageRef ref, UnaryOperator<StoreEntry> change) {
    return entries.stream().map(e -> e.ref().equals(ref) ? change.apply(e) : e).toList();
  }

  /** Asserts that {@code trace} has {@code hops} hops and exactly one break, of {@code kind} at {@code hop}; returns it. */
  private static ForwardTrace.Break assertOnlyBreak(ForwardTrace trace, int hop, BreakKind kind, int hops) {
    assertFalse(trace.verified());
    assertEquals(hops, trace.hops().size(), trace.breaks().toString());
    assertEquals(1, trace.breaks().size(), trace.breaks().toString());
    ForwardTrace.Break found = trace.breaks().get(0);
    assertEquals(Map.entry(hop, kind), Map.entry(found.hop(), found.kind()), found.reason());
    return found;
  }

  /** The six conversations of chain {@code name}, each exported as one archive. */
  private List<Path> export(SqliteMessageStore store, String name) throws IOException {
    List<Path> archives = new ArrayList<>();
    for (int hop = 0; hop <= 5; hop++) {
      Path archive = dir.resolve(name + "-" + hop + "-" + System.nanoTime() + ".zip");
      assertEquals(1, ConversationBundle.export(store, name + "-" + hop, archive));
      archives.add(archive);
    }
    return archives;
  }

  private record Result(int exit, String output) {}

  private static Result provenance(List<Path> archives, String[] trust) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), io.chainseal.cli.Main.class.getName(), "provenance"));
    for (Path archive : archives) {
      command.addAll(List.of("--bundle", archive.toString()));
    }
    command.addAll(List.of(trust));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the tracing process did not finish: " + output);
    }
    return new Result(process.exitValue(), output);
  }
}
