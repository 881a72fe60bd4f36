package io.chainseal.chain.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NonceManagerTest {
  @Test
  void concurrentCallersNeverShareOrSkipANonce() throws Exception {
    NonceManager nonces = new NonceManager();
    nonces.reset(7);
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      pool.submit(() -> {
        for (int i = 0; i < 10_000; i++) {
          if (!seen.add(nonces.next())) {
            throw new AssertionError("nonce handed out twice");
          }
        }
      });
    }
    pool.shutdown();
    assertEquals(true, pool.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(80_000, seen.size());
    assertEquals(7, seen.stream().mapToLong(Long::longValue).min().orElseThrow());
    assertEquals(80_006, seen.stream().mapToLong(Long::longValue).max().orElseThrow(), "no gaps");
    assertEquals(80_007, nonces.peek());
  }

  @Test
  void negativeResetIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new NonceManager().reset(-1));
  }
}
