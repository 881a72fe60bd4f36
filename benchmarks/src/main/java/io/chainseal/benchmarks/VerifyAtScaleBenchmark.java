package io.chainseal.benchmarks;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.anchor.PendingProof;
import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.chain.ChainClient;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.Salt;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.testkit.LocalChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Verification at scale, on one real Anvil node: N messages (default 100,000) anchored in batches of
 * N/1,000 (so 1,000 batches, 1,000 anchoring transactions), then every proof verified online by a
 * fresh verifier — cold caches — on one thread and on all cores (bounded: one verifier, a fixed pool).
 * Reported: proofs per second and the calls the verifier made to its {@link ChainClient} (each one
 * JSON-RPC request or one JSON-RPC batch), counted by a wrapper, per method.
 *
 * <p>Run: {@code java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" io.chainseal.benchmarks.VerifyAtScaleBenchmark [messages]}
 */
public final class VerifyAtScaleBenchmark {
  private VerifyAtScaleBenchmark() {}

  private record Anchored(MessageEnvelope envelope, Salt salt, MessageProof proof) {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int batches = 1_000;
    int perBatch = Math.max(1, messages / batches);
    // No idle blocks: the node's log then holds only the calls the anchorer and the verifiers make.
    try (LocalChain local = LocalChain.builder().idleBlockTime(Duration.ZERO).start(); ChainClient client = ChainClient.http(local.rpcUrl())) {
      System.out.printf("Verification at scale: Anvil at %s, %,d messages in batches of %,d, %d cores%n", local.rpcUrl(), messages,
          perBatch, Runtime.getRuntime().availableProcessors());
      SigningKey publisher = local.account(1).signingKey();
      AnchorContract contract = AnchorContract.deploy(client, publisher, false);
      List<Anchored> anchored = anchor(client, contract, publisher, messages, perBatch);
      System.out.printf("anchored %,d messages in %,d batches (setup, not timed)%n", anchored.size(),
          anchored.stream().map(a -> a.proof().anchor().orElseThrow().transactionHash()).distinct().count());

      int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
      verifyAll(local, contract, publisher, anchored, 1, Duration.ZERO);
      verifyAll(local, contract, publisher, anchored, cores, Duration.ZERO);
      verifyAll(local, contract, publisher, anchored, cores, Duration.ofSeconds(1));
    }
  }

  private static List<Anchored> anchor(ChainClient client, AnchorContract contract, SigningKey publisher, int messages, int perBatch)
      throws Exception {
    Path dir = TempFolders.create("chainseal-verify-bench-");
    List<Anchored> out = new ArrayList<>(messages);
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("journal.db"));
        Anchorer anchorer = Anchorer.builder().chain(client).contract(contract).publisherKey(publisher).journal(journal)
            .batchPolicy(new BatchPolicy(perBatch, Duration.ofSeconds(5))).confirmations(1).closeTimeout(Duration.ofMinutes(10))
            .maxBacklog(messages * 2).build()) {
      List<PendingProof> pending = new ArrayList<>(messages);
      List<MessageEnvelope> envelopes = new ArrayList<>(messages);
      List<Salt> salts = new ArrayList<>(messages);
      for (int i = 0; i < messages; i++) {
        MessageEnvelope envelope = MessageEnvelope.builder().conversationId("room-" + (i % 100)).messageId("m-" + i)
            .senderId("user-" + (i % 500) + "@chat.example.org").timestamp(Instant.ofEpochSecond(1_800_000_000L + i))
            .text("message number " + i).build();
        Salt salt = Salt.random();
        envelopes.add(envelope);
        salts.add(salt);
        pending.add(anchorer.submit(envelope, salt));
      }
      for (int i = 0; i < messages; i++) {
        out.add(new Anchored(envelopes.get(i), salts.get(i), pending.get(i).proof().get(10, TimeUnit.MINUTES)));
      }
    }
    return out;
  }

  /**
   * Verifies every proof with a fresh verifier (cold caches) on {@code threads} threads, and counts the
   * JSON-RPC calls the node served meanwhile — Anvil logs the method of every call, a batch request's
   * calls one by one — per method; prints and reports them per proof.
   */
  private static double verifyAll(LocalChain local, AnchorContract contract, SigningKey publisher, List<Anchored> anchored,
      int threads, Duration headTtl) throws Exception {
    try (ChainClient client = ChainClient.http(local.rpcUrl())) {
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(client).chainId(local.chainId())
          .trustContract(contract.address(), contract.deploymentBlock().orElse(0)).trustPublisher(publisher.id().address())
          .confirmations(1).headTtl(headTtl).build();
      client.chainId(); // the client asks once and keeps it: not part of verifying
      long logFrom = Files.size(local.logFile());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long start = System.nanoTime();
      try {
        List<Future<Integer>> parts = new ArrayList<>();
        int per = (anchored.size() + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
          List<Anchored> part = anchored.subList(Math.min(anchored.size(), t * per), Math.min(anchored.size(), (t + 1) * per));
          parts.add(pool.submit(() -> {
            int verified = 0;
            for (Anchored a : part) {
              ProvenanceResult result = verifier.verify(a.envelope(), a.salt(), a.proof());
              if (result.status() != VerificationStatus.VERIFIED) {
                throw new IllegalStateException(a.envelope().messageId() + ": " + result.status() + " " + result.reason());
              }
              verified++;
            }
            return verified;
          }));
        }
        int verified = 0;
        for (Future<Integer> part : parts) {
          verified += part.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> methods = callsSince(local.logFile(), logFrom);
        long calls = methods.values().stream().mapToLong(Long::longValue).sum();
        String setting = threads + " thread(s), head " + (headTtl.isZero() ? "read for every proof" : "reused for " + headTtl.toMillis() + " ms");
        System.out.printf("%s: %,d proofs VERIFIED in %.2f s = %,.0f proofs/s; %,d JSON-RPC calls (%.3f per proof): %s%n", setting,
            verified, seconds, verified / seconds, calls, (double) calls / verified, methods);
        Figures.report("verification: " + String.format(java.util.Locale.ROOT, "%,d", verified) + " proofs of 1,000 batches, " + setting,
            verified / seconds, "proofs/s", String.format(java.util.Locale.ROOT, "%,d JSON-RPC calls (%.3f per proof); cold caches",
                calls, (double) calls / verified));
        return verified / seconds;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** The JSON-RPC methods Anvil logged after byte {@code from} of its log, counted. */
  private static Map<String, Long> callsSince(Path log, long from) throws java.io.IOException {
    byte[] all = Files.readAllBytes(log);
    String tail = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
        java.nio.charset.StandardCharsets.UTF_8);
    Map<String, Long> methods = new java.util.TreeMap<>();
    for (String line : tail.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.matches("(eth|net|web3)_[A-Za-z0-9]+")) {
        methods.merge(trimmed, 1L, Long::sum);
      }
    }
    return methods;
  }
}
