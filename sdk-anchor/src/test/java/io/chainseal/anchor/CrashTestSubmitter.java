package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.Salt;
import io.chainseal.core.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The process {@code AnchorerCrashTest} kills with SIGKILL: it submits messages from 4 threads and
 * prints {@code ACCEPTED id} as soon as each {@code submit} returns. Arguments: RPC URL, contract
 * address, journal file, messages per thread. The operator key comes in CHAINSEAL_TEST_OPERATOR_KEY.
 */
public final class CrashTestSubmitter {
  private CrashTestSubmitter() {}

  static MessageEnvelope envelope(String messageId) {
    return MessageEnvelope.builder().conversationId("crash-room").messageId(messageId).senderId("crash@example.org")
        .timestamp(Instant.ofEpochMilli(1_764_000_000_000L)).text("payload of " + messageId).build();
  }

  /** Salts derived from the id, so the test can recompute them (real hosts use Salt.random()). */
  static Salt salt(String messageId) throws Exception {
    return Salt.of(MessageDigest.getInstance("SHA-256").digest(("salt:" + messageId).getBytes(StandardCharsets.UTF_8)));
  }

  public static void main(String[] args) throws Exception {
    SigningKey key = SigningKey.secp256k1(HexFormat.of().parseHex(System.getenv("CHAINSEAL_TEST_OPERATOR_KEY")));
    int perThread = Integer.parseInt(args[3]);
    ChainClient chain = ChainClient.http(args[0]);
    Anchorer anchorer = Anchorer.builder().chain(chain).contract(AnchorContract.at(EvmAddress.fromHex(args[1])))
        .publisherKey(key).journal(SqliteAnchorJournal.open(Path.of(args[2])))
        .batchPolicy(new BatchPolicy(40, Duration.ofMillis(20))).confirmations(1).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      int thread = t;
      pool.submit(() -> {
        for (int i = 0; i < perThread; i++) {
          String id = "t" + thread + "-" + i;
          try {
            anchorer.submit(envelope(id), salt(id));
          } catch (Exception e) {
            System.out.println("FAILED " + id + " " + e);
            continue;
          }
          synchronized (System.out) {
            System.out.println("ACCEPTED " + id);
            System.out.flush();
          }
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    anchorer.close();
    System.out.println("DONE");
  }
}
