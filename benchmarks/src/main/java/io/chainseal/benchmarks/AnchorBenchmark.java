package io.chainseal.benchmarks;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.AnchorJournal;
import io.chainseal.anchor.AnchorListener;
import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.chain.ChainClient;
import io.chainseal.anchor.MessageKey;
import io.chainseal.anchor.PendingProof;
import io.chainseal.anchor.PostgresAnchorJournal;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.LocalPostgres;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The anchoring benchmark, in one run on a real Anvil chain (1-second blocks) and a real PostgreSQL:
 * accepted messages per second with the SQLite and the PostgreSQL journal, latency from submit to
 * SEALED and to ANCHORED at a 1 s batch delay, and gas per message at batch sizes 1, 100 and 10,000
 * beside one plain transaction per message sent with Web3j's RawTransactionManager.
 *
 * <p>Run: {@code java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" io.chainseal.benchmarks.AnchorBenchmark}
 */
public final class AnchorBenchmark {
  private static final int THREADS = 8;

  private AnchorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    try (LocalChain chain = LocalChain.builder().blockTime(Duration.ofSeconds(1)).start();
        LocalPostgres postgres = LocalPostgres.start();
        ChainClient client = ChainClient.http(chain.rpcUrl())) {
      SigningKey owner = key(chain, 0);
      Path dir = TempFolders.create("chainseal-bench-");
      System.out.printf("Anchoring benchmark: Anvil with 1 s blocks at %s, PostgreSQL on port %d, %d submitting threads, %d s per run%n",
          chain.rpcUrl(), postgres.port(), THREADS, seconds);

      double sqlite = throughput("SQLite", chain, client, AnchorContract.deploy(client, owner, false), key(chain, 1),
          () -> SqliteAnchorJournal.open(dir.resolve("bench.db")), seconds);
      double pg = throughput("PostgreSQL", chain, client, AnchorContract.deploy(client, owner, false), key(chain, 2),
          () -> PostgresAnchorJournal.open(postgres.jdbcUrl()), seconds);
      latency(client, AnchorContract.deploy(client, owner, false), key(chain, 3), dir.resolve("latency.db"));
      gas(chain, client, AnchorContract.deploy(client, owner, false), key(chain, 4), dir.resolve("gas.db"));
      System.out.printf("%nSummary: accepted %,.0f messages/s with SQLite, %,.0f messages/s with PostgreSQL%n", sqlite, pg);
      Figures.report("anchoring: accepted, SQLite journal", sqlite, "msg/s", THREADS + " threads, " + seconds + " s; target >= 150,000");
      Figures.report("anchoring: accepted, PostgreSQL journal", pg, "msg/s", "same load, same run");
      Figures.report("anchoring: PostgreSQL / SQLite", pg / sqlite, "x", "target >= 0.5");
    }
  }

  private static SigningKey key(LocalChain chain, int index) {
    return chain.account(index).signingKey();
  }

  private static Hash32 commitment(long i) {
    byte[] bytes = new byte[32];
    for (int b = 0; b < 8; b++) {
      bytes[b] = (byte) (i >>> (8 * b));
    }
    bytes[31] = 1;
    return Hash32.of(bytes);
  }

  /** Messages accepted per second (submit returned, durably journaled) by THREADS threads for a while. */
  @SuppressWarnings("try") // the anchorer is closed inside its try on purpose: that close is timed
  private static double throughput(String name, LocalChain chain, ChainClient client, AnchorContract contract, SigningKey key,
      Supplier<AnchorJournal> journals, int seconds) throws Exception {
    try (AnchorJournal journal = journals.get();
        Anchorer anchorer = Anchorer.builder().chain(client).contract(contract).publisherKey(key).journal(journal)
            .batchPolicy(new BatchPolicy(100_000, Duration.ofSeconds(1))).confirmations(1).maxBacklog(20_000_000)
            .closeTimeout(Duration.ofMinutes(5)).build()) {
      AtomicInteger accepted = new AtomicInteger();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      CountDownLatch done = new CountDownLatch(THREADS);
      long start = System.nanoTime();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread submitter = new Thread(() -> {
          // Each thread keeps up to 512 submissions in flight and counts each one when it is journaled.
          java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(512);
          long i = 0;
          while (System.nanoTime() < deadline) {
            long id = (long) thread << 40 | i++;
            inFlight.acquireUninterruptibly();
            anchorer.submitAsync(new MessageKey("bench", Long.toString(id)), commitment(id), null)
                .whenComplete((pending, error) -> {
                  if (error == null) {
                    accepted.incrementAndGet();
                  }
                  inFlight.release();
                });
          }
          inFlight.acquireUninterruptibly(512);
          done.countDown();
        });
        submitter.start();
      }
      done.await();
      double rate = accepted.get() / ((System.nanoTime() - start) / 1e9);
      System.out.printf("%n%s journal: %,d messages accepted (journaled) in %d s by %d threads, 512 in flight each = %,.0f messages/s%n",
          name, accepted.get(), seconds, THREADS, rate);
      long closeStart = System.nanoTime();
      anchorer.close(); // waits until every accepted message is anchored and confirmed
      System.out.printf("  then anchored and confirmed all of them in %.1f s more%n", (System.nanoTime() - closeStart) / 1e9);
      return rate;
    }
  }

  /** Submit-to-SEALED and submit-to-ANCHORED latency at 500 messages/s, 1 s batch delay, 1 s blocks. */
  private static void latency(ChainClient client, AnchorContract contract, SigningKey key, Path file) throws Exception {
    int messages = 5_000;
    long[] sealed = new long[messages];
    long[] anchored = new long[messages];
    List<CompletableFuture<?>> all = new ArrayList<>();
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(file);
        Anchorer anchorer = Anchorer.builder().chain(client).contract(contract).publisherKey(key).journal(journal)
            .batchPolicy(new BatchPolicy(10_000, Duration.ofSeconds(1))).confirmations(1).build()) {
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        long due = start + i * 2_000_000L; // 500 per second
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
        }
        long submitted = System.nanoTime();
        int index = i;
        PendingProof pending = anchorer.submit(new MessageKey("latency", "m" + i), commitment(1_000_000_000L + i), null);
        all.add(pending.sealed().thenRun(() -> sealed[index] = System.nanoTime() - submitted));
        all.add(pending.proof().thenRun(() -> anchored[index] = System.nanoTime() - submitted));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }
    Arrays.sort(sealed);
    Arrays.sort(anchored);
    System.out.printf("%nLatency, %,d messages at 500/s, batch delay 1 s, 1 s blocks, 1 confirmation:%n", messages);
    System.out.printf("  submit -> SEALED    p50 %,d ms, p99 %,d ms%n", sealed[messages / 2] / 1_000_000, sealed[messages * 99 / 100] / 1_000_000);
    System.out.printf("  submit -> ANCHORED  p50 %,d ms, p99 %,d ms%n", anchored[messages / 2] / 1_000_000,
        anchored[messages * 99 / 100] / 1_000_000);
  }

  /** Gas per message at batch sizes 1, 100, 10,000 beside one plain Web3j transaction per message. */
  private static void gas(LocalChain chain, ChainClient client, AnchorContract contract, SigningKey key, Path file) throws Exception {
    System.out.printf("%n| batch size | gas per anchor | gas per message, batched | gas per message, one Web3j transaction each | naive time for the batch |%n");
    System.out.println("|---|---|---|---|---|");
    List<BigInteger> gas = new ArrayList<>();
    AnchorListener recordGas = new AnchorListener() {
      @Override
      public void onBatchAnchored(long sequence, AnchorReference anchor) {
        gas.add(client.receipt(anchor.transactionHash()).orElseThrow().gasUsed());
      }
    };
    Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
    Credentials naiveSender;
    try (SigningKey account5 = chain.account(5).signingKey()) {
      naiveSender = Credentials.create(ECKeyPair.create(account5.exportSecretBytes()));
    }
    RawTransactionManager naive = new RawTransactionManager(web3j, naiveSender, chain.chainId(),
        new PollingTransactionReceiptProcessor(web3j, 100, 600));
    long id = 0;
    try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(file)) {
      for (int size : new int[] {1, 100, 10_000}) {
        try (Anchorer anchorer = Anchorer.builder().chain(client).contract(contract).publisherKey(key).journal(journal)
            .batchPolicy(new BatchPolicy(size, Duration.ofMinutes(5))).confirmations(1).listener(recordGas).build()) {
          List<CompletableFuture<?>> proofs = new ArrayList<>();
          for (int i = 0; i < size; i++, id++) {
            proofs.add(anchorer.submit(new MessageKey("gas", "m" + id), commitment(2_000_000_000L + id), null).proof());
          }
          CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        }
        // The naive way for a sample of the batch: one transaction per message, its commitment as call data.
        int sample = Math.min(size, 20);
        BigInteger naiveGas = BigInteger.ZERO;
        long naiveStart = System.nanoTime();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < sample; i++) {
          BigInteger baseFee = chain.baseFeePerGas();
          hashes.add(naive.sendEIP1559Transaction(chain.chainId(), BigInteger.valueOf(1_000_000_000L),
              baseFee.shiftLeft(1).add(BigInteger.valueOf(1_000_000_000L)), BigInteger.valueOf(30_000), naiveSender.getAddress(),
              commitment(3_000_000_000L + i).hex0x(), BigInteger.ZERO).getTransactionHash());
        }
        for (String hash : hashes) {
          TransactionReceipt receipt = new PollingTransactionReceiptProcessor(web3j, 100, 600).waitForTransactionReceipt(hash);
          naiveGas = naiveGas.add(receipt.getGasUsed());
        }
        double naiveSeconds = (System.nanoTime() - naiveStart) / 1e9;
        BigInteger perAnchor = gas.get(gas.size() - 1);
        System.out.printf("| %,d | %,d | %,.1f | %,d | %.1f s for %d (all %d would pay %,d gas) |%n", size, perAnchor,
            perAnchor.doubleValue() / size, naiveGas.divide(BigInteger.valueOf(sample)), naiveSeconds, sample, size,
            naiveGas.divide(BigInteger.valueOf(sample)).multiply(BigInteger.valueOf(size)));
      }
    } finally {
      web3j.shutdown();
    }
  }
}
