package io.chainseal.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TransactionJournal} must do; each implementation's test extends this (in-memory
 * here; SQLite and PostgreSQL in sdk-anchor).
 */
public abstract class TransactionJournalContract {
  protected static final EvmAddress SENDER = EvmAddress.fromHex("0x" + "11".repeat(20));
  protected static final EvmAddress OTHER = EvmAddress.fromHex("0x" + "22".repeat(20));
  protected static final EvmAddress TO = EvmAddress.fromHex("0x" + "33".repeat(20));

  /** A fresh, empty journal that the calling test may write. */
  protected abstract TransactionJournal journal();

  protected static TransactionIntent intent(String id, EvmAddress sender) {
    return TransactionIntent.create(id, sender, TO, new byte[] {1, 2, 3}, BigInteger.TEN, Instant.parse("2026-11-26T10:00:00Z"), 7);
  }

  protected static SignedAttempt attempt(long nonce, int fill) {
    return new SignedAttempt(nonce, Hash32.fromHex(String.format("%02x", fill).repeat(32)), new byte[] {(byte) fill},
        BigInteger.valueOf(100), BigInteger.ONE, BigInteger.valueOf(30_000), null);
  }

  @Test
  void intentsAreStoredOnceAndReadBackWhole() {
    TransactionJournal journal = journal();
    TransactionIntent first = journal.recordIntent(intent("a/1", SENDER));
    assertEquals(intent("a/1", SENDER), first);
    TransactionIntent again = journal.recordIntent(intent("a/1", SENDER));
    assertEquals(first, again, "the same id returns the stored intent");
    assertEquals(first, journal.intent("a/1").orElseThrow());
    assertTrue(journal.intent("a/2").isEmpty());
  }

  @Test
  void attemptsAreKeptInOrderAndRetiredNotForgotten() {
    TransactionJournal journal = journal();
    journal.recordIntent(intent("b/1", SENDER));
    journal.recordAttempt("b/1", attempt(4, 0xa1));
    journal.recordAttempt("b/1", attempt(4, 0xa2));
    journal.recordAttempt("b/1", attempt(4, 0xa2)); // idempotent
    journal.retireAttempt("b/1", attempt(4, 0xa1).hash(), "replaced");
    TransactionIntent stored = journal.intent("b/1").orElseThrow();
    assertEquals(IntentState.SENT, stored.state());
    assertEquals(2, stored.attempts().size());
    assertEquals("replaced", stored.attempts().get(0).retiredBecause());
    assertTrue(stored.attempts().get(1).live());
    assertEquals(attempt(4, 0xa2), stored.current().orElseThrow());
    assertEquals(4, journal.highestNonce(SENDER).orElseThrow());
    assertTrue(journal.highestNonce(OTHER).isEmpty());
  }

  @Test
  void statesAndWhereMinedSurviveAndOnlyOpenIntentsAreListed() {
    TransactionJournal journal = journal();
    for (String id : List.of("c/1", "c/2", "c/3", "c/4")) {
      journal.recordIntent(intent(id, SENDER));
    }
    journal.recordIntent(intent("c/other", OTHER));
    MinedTransaction mined = new MinedTransaction(Hash32.fromHex("ab".repeat(32)), 12, Hash32.fromHex("cd".repeat(32)));
    journal.recordState("c/2", IntentState.MINED, mined, 1);
    journal.recordState("c/3", IntentState.CONFIRMED, mined, 0);
    journal.recordState("c/4", IntentState.FAILED, null, 3);
    assertEquals(mined, journal.intent("c/2").orElseThrow().mined());
    assertEquals(1, journal.intent("c/2").orElseThrow().reverts());
    assertEquals(List.of("c/1", "c/2"), journal.openIntents(SENDER).stream().map(TransactionIntent::id).toList());
    assertEquals(List.of("c/3"), journal.confirmedSince(SENDER, 12).stream().map(TransactionIntent::id).toList(),
        "confirmed in block 12: still watched from block 12");
    assertEquals(List.of(), journal.confirmedSince(SENDER, 13), "not from block 13");
    assertEquals(List.of(), journal.confirmedSince(OTHER, 0));
    journal.recordState("c/2", IntentState.SENT, null, 1);
    assertFalse(journal.intent("c/2").orElseThrow().minedTransaction().isPresent(), "a reorganized intent forgets where it was mined");
  }
}
