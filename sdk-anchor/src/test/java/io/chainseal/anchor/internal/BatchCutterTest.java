package io.chainseal.anchor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.BatchPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When batches close: the cutter's decisions alone, no threads, no journal. */
class BatchCutterTest {
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  private static final BatchPolicy POLICY = new BatchPolicy(100, Duration.ofMillis(500));

  private static BatchCutter fresh() {
    BatchCutter cutter = new BatchCutter(POLICY);
    cutter.looked(T0, 0, 0, null); // just looked: the journal had nothing
    return cutter;
  }

  @Test
  void anIdleCutterWaitsForTheJournalPollAndThenLooks() {
    BatchCutter cutter = fresh();
    BatchCutter.Decision idle = cutter.decide(T0.plusMillis(100), false);
    assertFalse(idle.lookNow());
    assertEquals(Duration.ofMillis(400), idle.waitAtMost(), "until the next look at the journal (max(delay, 250 ms))");
    assertTrue(cutter.decide(T0.plusMillis(500), false).lookNow(), "other instances' messages are picked up");
  }

  @Test
  void aBatchIsDueWhenFullWhenItsOldestWaitedMaxDelayOrWhenClosing() {
    BatchCutter cutter = fresh();
    cutter.appended(10, T0.plusMillis(100));
    BatchCutter.Decision young = cutter.decide(T0.plusMillis(300), false);
    assertFalse(young.lookNow());
    assertEquals(Duration.ofMillis(200), young.waitAtMost(), "until the oldest message is due");
    assertTrue(cutter.decide(T0.plusMillis(300), true).lookNow(), "closing closes the open batch at once");
    assertTrue(cutter.decide(T0.plusMillis(600), false).lookNow(), "the oldest waited max delay");
    cutter.appended(90, T0.plusMillis(120));
    assertTrue(cutter.decide(T0.plusMillis(130), false).lookNow(), "full");
  }

  @Test
  void whatTheJournalListsDecidesByTheJournalsClock() {
    BatchCutter cutter = fresh();
    assertFalse(cutter.closeBatch(0, T0, T0.plusSeconds(10), true), "nothing to close");
    assertTrue(cutter.closeBatch(100, T0, T0, false), "full");
    assertTrue(cutter.closeBatch(3, T0, T0.plusMillis(500), false), "old enough by the journal's clock");
    assertFalse(cutter.closeBatch(3, T0, T0.plusMillis(499), false));
    assertTrue(cutter.closeBatch(3, T0, T0, true), "closing");
  }

  @Test
  void messagesAppendedWhileLookingAreNotForgotten() {
    BatchCutter cutter = fresh();
    cutter.appended(5, T0);
    long seen = cutter.appendedCount();
    cutter.appended(2, T0.plusMillis(50)); // arrived after the journal was read
    cutter.looked(T0.plusMillis(60), seen, 0, null);
    assertEquals(2, cutter.appendedCount(), "the late ones still count");
    assertTrue(cutter.decide(T0.plusMillis(600), false).lookNow(), "and will be looked at when due");
    cutter.looked(T0.plusMillis(600), 2, 0, null);
    assertEquals(0, cutter.appendedCount());
    assertFalse(cutter.decide(T0.plusMillis(700), false).lookNow(), "nothing left: no busy loop");
  }

  @Test
  void aFullBatchThatLeftMoreBehindLooksAgainAtOnce() {
    BatchCutter cutter = fresh();
    cutter.appended(250, T0);
    assertTrue(cutter.decide(T0, false).lookNow());
    cutter.looked(T0, 100, 1, T0.minus(POLICY.maxDelay()));
    assertTrue(cutter.decide(T0.plusMillis(1), false).lookNow());
  }
}
