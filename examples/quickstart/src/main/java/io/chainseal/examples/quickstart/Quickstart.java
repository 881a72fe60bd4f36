package io.chainseal.examples.quickstart;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.AnchorListener;
import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.chain.ChainClient;
import io.chainseal.anchor.PendingProof;
import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;
import io.chainseal.core.OfflineVerifier;
import io.chainseal.core.SignaturePolicy;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.LocalChainException;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The README's main job: a small group chat anchored on a real local chain, end to end.
 *
 * <ol>
 *   <li>start Anvil (through the testkit) and deploy the anchor contract;
 *   <li>submit the chat's messages, each signed by its sender, to an {@link Anchorer} with a SQLite
 *       journal, and show the batches being sealed, anchored and confirmed;
 *   <li>verify every message online with a {@link ProvenanceVerifier} trusting only the operator;
 *   <li>show a tampered copy caught, and an erased message (content and salt forgotten) whose proof
 *       still shows that a message existed, while revealing nothing;
 *   <li>print a summary table; exit code 0 if everything behaved as expected.
 * </ol>
 *
 * <p>Options: {@code --out DIR} writes each message file (envelope + salt) and proof as JSON;
 * {@code --keep-chain} leaves the chain running afterwards, printing its RPC URL and contract
 * address, until interrupted, so {@code bin/chainseal verify} can be tried on the files.
 */
public final class Quickstart {
  private static final String ROOM = "weekend-hike";

  private Quickstart() {}

  public static void main(String[] args) {
    @Nullable Path out = null;
    boolean keepChain = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> {
          if (i + 1 >= args.length) {
            System.err.println("quickstart: --out needs a folder");
            System.exit(2);
          }
          out = Path.of(args[++i]);
        }
        case "--keep-chain" -> keepChain = true;
        default -> {
          System.err.println("quickstart: unknown argument '" + args[i] + "' (options: --out DIR, --keep-chain)");
          System.exit(2);
        }
      }
    }
    LocalChain chain;
    try {
      System.out.println("Chainseal quickstart");
      System.out.println("Starting a local Ethereum node (Anvil, 1-second blocks) ...");
      chain = LocalChain.builder().blockTime(Duration.ofSeconds(1)).start();
    } catch (LocalChainException e) {
      System.err.println("quickstart failed: " + e.getMessage());
      System.exit(1);
      return;
    }
    int code;
    try {
      code = run(chain, out, System.out);
    } catch (Exception e) {
      System.err.println("quickstart failed: " + e);
      code = 1;
    }
    if (keepChain && code == 0) {
      System.out.println();
      String dir = out == null ? "DIR" : out.toString();
      System.out.println("The chain keeps running (Ctrl-C to stop it). " + (out == null
          ? "Run with --out DIR to get message and proof files, and" : "Try the command line on the files, trusting") + " "
          + "the chain, contract and operator named in " + dir + "/trust.json:");
      System.out.println("  bin/chainseal verify --trust-file " + dir + "/trust.json --message " + dir + "/m-01.message.json"
          + " --proof " + dir + "/m-01.proof.json");
      System.out.println("  bin/chainseal verify --trust-file " + dir + "/trust.json --erased --proof " + dir + "/m-11.proof.json");
      try {
        Thread.currentThread().join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    chain.close();
    System.exit(code);
  }

  record Line(String author, String text, @Nullable Integer replyTo) {}

  record Sent(MessageEnvelope envelope, Salt salt, PendingProof pending) {}

  static final List<Line> CHAT = List.of(
      new Line("alice", "Hike on Saturday? The ridge trail is open again.", null),
      new Line("bob", "I'm in. Start at 8?", 1),
      new Line("carol", "8 is early, but ok. I'll bring coffee.", 2),
      new Line("alice", "Meet at the north parking lot.", null),
      new Line("bob", "I'll owe you 20 for the fuel, Alice.", null),
      new Line("carol", "Weather says sunny, 18 degrees.", null),
      new Line("alice", "Perfect. Bring water, the spring is dry.", 6),
      new Line("bob", "Can my brother join?", null),
      new Line("alice", "Sure, the more the merrier.", 8),
      new Line("carol", "See you all at 8!", null),
      new Line("bob", "yes", 4),
      new Line("alice", "Route: 14 km, 900 m up. Lunch at the hut.", null));

  /** Runs the demo on {@code chain}; returns the exit code. */
  static int run(LocalChain chain, @Nullable Path out, PrintStream print) throws Exception {
    print.printf("  chain id %d at %s%n", chain.chainId(), chain.rpcUrl());
    SigningKey operator = key(chain, 0);
    Map<String, SigningKey> senders = Map.of(
        "alice", SigningKey.generate(SignatureScheme.SECP256K1_EIP191, new SecureRandom()),
        "bob", SigningKey.generate(SignatureScheme.ED25519, new SecureRandom()),
        "carol", SigningKey.generate(SignatureScheme.SECP256K1_EIP191, new SecureRandom()));
    Path workDir = Files.createTempDirectory("chainseal-quickstart-");
    try (ChainClient client = ChainClient.http(chain.rpcUrl());
        SqliteAnchorJournal journal = SqliteAnchorJournal.open(workDir.resolve("anchor.db"))) {
      AnchorContract contract = AnchorContract.deploy(client, operator, false);
      print.printf("  anchor contract deployed at %s (operator %s)%n", contract.address(), operator.id().address());
      print.println();
      print.printf("Submitting %d messages of the group chat '%s' ...%n", CHAT.size(), ROOM);

      List<Sent> sent = new ArrayList<>();
      List<BigInteger> anchorGas = new ArrayList<>();
      AtomicLong lastAnchoredIn = new AtomicLong();
      try (Anchorer anchorer = Anchorer.builder().chain(client).contract(contract).publisherKey(operator).journal(journal)
          .batchPolicy(new BatchPolicy(8, Duration.ofMillis(400)))
          .listener(progress(print, client, anchorGas, lastAnchoredIn))
          .build()) {
        Instant start = Instant.parse("2026-11-24T18:00:00Z");
        for (int i = 0; i < CHAT.size(); i++) {
          Line line = CHAT.get(i);
          MessageEnvelope.Builder envelope = MessageEnvelope.builder()
              .conversationId(ROOM).messageId(String.format("m-%02d", i + 1)).senderId(line.author() + "@chat.example.org")
              .senderKey(senders.get(line.author()).id())
              .timestamp(start.plusSeconds(37L * i)).text(line.text());
          if (line.replyTo() != null) {
            envelope.replyTo(new MessageRef(ROOM, String.format("m-%02d", line.replyTo())));
          }
          MessageEnvelope message = envelope.build();
          Salt salt = Salt.random();
          PendingProof pending = anchorer.submit(message, salt, senders.get(line.author()).sign(message.commit(salt)));
          sent.add(new Sent(message, salt, pending));
          print.printf("  %s %-6s %s%n", message.messageId(), line.author() + ":", line.text());
        }
        print.printf("Waiting for the proofs (batches close after 8 messages or 0.4 s; %d confirmations) ...%n",
            ProvenanceVerifier.DEFAULT_CONFIRMATIONS);
        CompletableFuture<Void> allProofs = CompletableFuture.allOf(
            sent.stream().map(s -> s.pending().proof()).toArray(CompletableFuture[]::new));
        // Progress while the blocks come: each new block, and how many proofs are ready by then.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long lastBlock = client.blockNumber();
        while (!allProofs.isDone()) {
          try {
            allProofs.get(250, TimeUnit.MILLISECONDS);
          } catch (TimeoutException e) {
            if (System.nanoTime() > deadline) {
              throw e;
            }
          }
          long head = client.blockNumber();
          long anchoredIn = lastAnchoredIn.get();
          if (head != lastBlock && anchoredIn > 0 && !allProofs.isDone()) {
            long ready = sent.stream().filter(s -> s.pending().proof().isDone()).count();
            print.printf("  block %d mined: the last anchor has %d of %d confirmations; %d of %d proofs ready%n", head,
                Math.max(0, head - anchoredIn + 1), ProvenanceVerifier.DEFAULT_CONFIRMATIONS, ready, sent.size());
            lastBlock = head;
          }
        }
        allProofs.join();
      }

      // Trust exactly this chain, this contract (searched from its deployment block) and this operator.
      TrustSettings trust = TrustSettings.builder().chainId(client.chainId())
          .trustContract(contract.address(), contract.deploymentBlock().orElse(0))
          .trustPublisher(operator.id().address()).rpcUrl(chain.rpcUrl()).build();
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(client).trust(trust)
          .offline(OfflineVerifier.withPolicy(SignaturePolicy.REQUIRE_SENDER_KEY)).build();
      print.println();
      print.println("Verifying every message online (trusting only the operator's anchors) ...");
      List<String[]> rows = new ArrayList<>();
      boolean allVerified = true;
      for (Sent s : sent) {
        MessageProof proof = s.pending().proof().join();
        ProvenanceResult result = verifier.verify(s.envelope(), s.salt(), proof);
        allVerified &= result.status() == VerificationStatus.VERIFIED;
        rows.add(row(s.envelope().messageId(), s.envelope().senderId(), result, proof));
        if (out != null) {
          Files.createDirectories(out);
          Files.writeString(out.resolve("trust.json"), trust.toJson());
          Files.writeString(out.resolve(s.envelope().messageId() + ".message.json"),
              EnvelopeCodec.toJson(new SaltedEnvelope(s.envelope(), s.salt())));
          Files.writeString(out.resolve(s.envelope().messageId() + ".proof.json"), ProofCodec.toJson(proof));
        }
      }

      print.println();
      Sent money = sent.get(4);
      MessageEnvelope forged = money.envelope().toBuilder().text("I'll owe you 2 for the fuel, Alice.").build();
      ProvenanceResult tampered = verifier.verify(forged, money.salt(), money.pending().proof().join());
      print.printf("Tampered copy of %s (\"20\" changed to \"2\"): %s%n", money.envelope().messageId(), tampered.status());
      print.printf("  %s%n", tampered.reason());
      rows.add(row(money.envelope().messageId() + "*", "(edited copy)", tampered, null));

      Sent erased = sent.get(10);
      MessageProof erasedProof = erased.pending().proof().join().redactedForErasure(); // no signature: no link to bob
      ProvenanceResult stillExists = verifier.verifyErased(erasedProof);
      Hash32 guess = erased.envelope().commit(Salt.random());
      print.println();
      print.printf("Erased %s: its content and salt are forgotten (GDPR erasure); only the proof remains.%n",
          erased.envelope().messageId());
      print.printf("  the proof still shows that a message existed: %s%n", stillExists.reason());
      print.printf("  and reveals nothing: even the right text (\"%s\") with a guessed salt gives %s..., not %s...%n",
          erased.envelope().text().orElse(""), guess.hex().substring(0, 16), erasedProof.commitment().hex().substring(0, 16));
      rows.add(row(erased.envelope().messageId() + "~", "(erased)", stillExists, erasedProof));
      print.printf("  what remains: commitment, batch path, root and anchor; the sender's signature is dropped%n");
      if (out != null) {
        Files.delete(out.resolve(erased.envelope().messageId() + ".message.json"));
        Files.writeString(out.resolve(erased.envelope().messageId() + ".proof.json"), ProofCodec.toJson(erasedProof));
      }

      PayAndDecide.Outcome group = PayAndDecide.run(chain, client, contract, operator, journal, trust, workDir, out, print);

      print.println();
      print.printf("%-6s %-22s %-12s %-11s %-7s %-22s %s%n", "msg", "sender", "verdict", "signed", "block", "existed by",
          "anchor tx");
      for (String[] row : rows) {
        print.printf("%-6s %-22s %-12s %-11s %-7s %-22s %s%n", (Object[]) row);
      }
      print.println();
      print.printf("%-44s %s%n", "payment request (EIP-712, signed by Alice)", group.requestVerified() ? "VERIFIED" : "NOT VERIFIED");
      print.printf("%-44s %s%n", "payment receipt, checked on chain", group.payment().status());
      print.printf("%-44s %s%n", "micropayments to the bot (20 vouchers)", group.micropaid() ? "SETTLED" : "NOT SETTLED");
      print.printf("%-44s %s%n", "token-weighted vote, winner", group.winner());
      print.printf("%-44s %s%n", "anchored tally, recounted from the chain", group.tally().status());
      boolean expected = allVerified && tampered.status() == VerificationStatus.TAMPERED
          && stillExists.status() == VerificationStatus.VERIFIED && !guess.equals(erasedProof.commitment()) && group.expected();
      print.println();
      if (!anchorGas.isEmpty()) {
        print.printf("Gas per anchoring transaction: %s (one transaction per batch, whatever its size)%n", anchorGas);
      }
      if (out != null) {
        print.printf("Wrote %d message files and %d proofs to %s (the erased message's file is gone)%n",
            sent.size() - 1, sent.size(), out.toAbsolutePath());
      }
      print.println(expected ? "Quickstart finished: every message verified, the tampered copy was caught, the erased message"
          + " still proves it existed; the payment, the micropayments and the anchored vote verified." : "Quickstart finished with UNEXPECTED verdicts (see above).");
      return expected ? 0 : 1;
    } finally {
      deleteQuietly(workDir);
    }
  }

  private static String[] row(String id, String sender, ProvenanceResult result, @Nullable MessageProof proof) {
    String tx = proof == null ? "" : proof.anchor().map(AnchorReference::transactionHash).map(Hash32::hex0x)
        .map(h -> h.substring(0, 18) + "...").orElse("");
    return new String[] {id, sender.length() > 22 ? sender.substring(0, 22) : sender, result.status().name(),
        result.senderBinding().map(b -> b == io.chainseal.core.SenderBinding.SENDER_KEY ? "by sender"
            : b.name().toLowerCase(java.util.Locale.ROOT)).orElse("-"),
        result.blockNumber().isPresent() ? Long.toString(result.blockNumber().getAsLong()) : "",
        result.existedBy().map(Instant::toString).orElse(""), tx};
  }

  private static AnchorListener progress(PrintStream print, ChainClient client, List<BigInteger> gas, AtomicLong lastAnchoredIn) {
    return new AnchorListener() {
      @Override
      public void onBatchCreated(long sequence, Hash32 root, int size) {
        print.printf("  [batch %d] sealed: %d messages, root %s...%n", sequence, size, root.hex().substring(0, 16));
      }

      @Override
      public void onBatchAnchored(long sequence, AnchorReference anchor) {
        client.receipt(anchor.transactionHash()).ifPresent(r -> gas.add(r.gasUsed()));
        lastAnchoredIn.accumulateAndGet(anchor.blockNumber(), Math::max);
        print.printf("  [batch %d] anchored in block %d by transaction %s%n", sequence, anchor.blockNumber(),
            anchor.transactionHash().hex0x());
      }

      @Override
      public void onBatchConfirmed(long sequence, int size) {
        print.printf("  [batch %d] confirmed: %d proofs ready%n", sequence, size);
      }
    };
  }

  /** The operator key: the local chain's funded account {@code index} (a public test key). */
  private static SigningKey key(LocalChain chain, int index) {
    return chain.account(index).signingKey();
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder: the OS cleans it eventually
    }
  }
}
