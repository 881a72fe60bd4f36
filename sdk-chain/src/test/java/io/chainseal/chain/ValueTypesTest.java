package io.chainseal.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records that hold bytes compare them by content, and cannot be changed through what they were given or give out. */
class ValueTypesTest {
  private static final EvmAddress A = EvmAddress.fromHex("0x" + "11".repeat(20));
  private static final Hash32 H = Hash32.fromHex("22".repeat(32));

  @Test
  void logsWithTheSameContentAreEqual() {
    byte[] data = {1, 2, 3};
    ChainLog first = new ChainLog(A, List.of(H), data, 0, 5, H, H);
    ChainLog second = new ChainLog(A, List.of(H), new byte[] {1, 2, 3}, 0, 5, H, H);
    assertEquals(first, second);
    assertEquals(first.hashCode(), second.hashCode());
    assertNotEquals(first, new ChainLog(A, List.of(H), new byte[] {1, 2, 4}, 0, 5, H, H));
    data[0] = 9;
    first.data()[1] = 9;
    assertEquals(second, first, "neither the caller's array nor the returned copy changes the log");
  }

  @Test
  void attemptsAndIntentsWithTheSameContentAreEqual() {
    SignedAttempt attempt = new SignedAttempt(3, H, new byte[] {7, 7}, BigInteger.TEN, BigInteger.ONE, BigInteger.valueOf(21_000), null);
    SignedAttempt same = new SignedAttempt(3, H, new byte[] {7, 7}, BigInteger.TEN, BigInteger.ONE, BigInteger.valueOf(21_000), null);
    assertEquals(attempt, same);
    assertEquals(attempt.hashCode(), same.hashCode());
    assertNotEquals(attempt, attempt.retired("replaced"));

    Instant at = Instant.parse("2026-11-26T12:00:00Z");
    TransactionIntent intent = TransactionIntent.create("pay/1", A, A, new byte[] {4, 5}, BigInteger.ONE, at, 10);
    TransactionIntent twin = TransactionIntent.create("pay/1", A, A, new byte[] {4, 5}, BigInteger.ONE, at, 10);
    assertEquals(intent, twin);
    assertEquals(intent.hashCode(), twin.hashCode());
    assertNotEquals(intent, TransactionIntent.create("pay/1", A, A, new byte[] {4, 6}, BigInteger.ONE, at, 10));
  }
}
