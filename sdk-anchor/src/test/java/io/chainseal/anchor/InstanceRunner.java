package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One anchorer process of {@code MultiInstanceTest}: it shares a PostgreSQL journal with others,
 * submits {@code count} messages named {@code prefix-i} from 4 threads, prints {@code ROLE leader} or
 * {@code ROLE follower}, {@code ACCEPTED id} per returned submit, and {@code ALL-ANCHORED} once every
 * one of its messages has its anchored proof. Arguments: RPC URL, contract, JDBC URL, prefix, count.
 * The operator key (shared by all instances) comes in CHAINSEAL_TEST_OPERATOR_KEY.
 */
public final class InstanceRunner {
  private InstanceRunner() {}

  static Hash32 commitment(String id) throws Exception {
    return Hash32.of(MessageDigest.getInstance("SHA-256").digest(("commitment:" + id).getBytes(StandardCharsets.UTF_8)));
  }

  public static void main(String[] args) throws Exception {
    SigningKey key = SigningKey.secp256k1(HexFormat.of().parseHex(System.getenv("CHAINSEAL_TEST_OPERATOR_KEY")));
    String prefix = args[3];
    int count = Integer.parseInt(args[4]);
    ChainClient chain = ChainClient.http(args[0]);
    PostgresAnchorJournal journal = PostgresAnchorJournal.open(args[2]);
    Anchorer anchorer = Anchorer.builder().chain(chain).contract(AnchorContract.at(EvmAddress.fromHex(args[1])))
        .publisherKey(key).journal(journal).batchPolicy(new BatchPolicy(1_000, Duration.ofMillis(100))).confirmations(1)
        .maxBacklog(50_000).closeTimeout(Duration.ofMinutes(3)).build();
    print("ROLE " + (anchorer.leads() ? "leader" : "follower"));
    List<CompletableFuture<MessageProof>> proofs = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      int thread = t;
      pool.submit(() -> {
        for (int i = thread; i < count; i += 4) {
          String id = prefix + "-" + i;
          try {
            CompletableFuture<MessageProof> proof = anchorer.submit(new MessageKey("multi", id), commitment(id), null).proof();
            synchronized (proofs) {
              proofs.add(proof);
            }
            print("ACCEPTED " + id);
          } catch (Exception e) {
            print("FAILED " + id + " " + e);
          }
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    CompletableFuture.allOf(proofs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    print("ALL-ANCHORED " + proofs.size() + (anchorer.leads() ? " as leader" : " as follower"));
    anchorer.close();
    journal.close();
    chain.close();
  }

  private static void print(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
