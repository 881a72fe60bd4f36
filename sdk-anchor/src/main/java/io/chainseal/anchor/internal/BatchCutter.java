package io.chainseal.anchor.internal;

import io.chainseal.anchor.BatchPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When to close a batch: the pure decision, apart from any thread or journal so it can be tested in
 * microseconds. A batch is due when it is full, when its oldest message has waited {@code maxDelay},
 * when the anchorer is closing, or — to pick up messages other instances appended to a shared
 * journal, or left from a previous run — when the journal has not been looked at for a while.
 * Not thread-safe: one cutter thread owns it. Not API.
 */
public final class BatchCutter {
  /** What the cutter should do now. */
  public record Decision(boolean lookNow, Duration waitAtMost) {}

  private final BatchPolicy policy;
  private final Duration journalPoll;
  private long appended;
  private @Nullable Instant oldest;
  private Instant lastLook = Instant.EPOCH;

  public BatchCutter(BatchPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy == null");
    this.journalPoll = policy.maxDelay().compareTo(Duration.ofMillis(250)) > 0 ? policy.maxDelay() : Duration.ofMillis(250);
  }

  /** {@code count} messages were journaled, the oldest accepted at {@code oldestAcceptedAt}. */
  public void appended(long count, Instant oldestAcceptedAt) {
    appended += count;
    if (oldest == null || oldestAcceptedAt.isBefore(oldest)) {
      oldest = oldestAcceptedAt;
    }
  }

  /** Whether to look at the journal's unbatched messages now, or how long to wait before asking again. */
  public Decision decide(Instant now, boolean closing) {
    Duration sinceLook = Duration.between(lastLook, now);
    if ((closing && appended > 0) || appended >= policy.maxSize() || sinceLook.compareTo(journalPoll) >= 0) {
      return new Decision(true, Duration.ZERO);
    }
    Duration untilPoll = journalPoll.minus(sinceLook);
    if (oldest == null) {
      return new Decision(false, untilPoll);
    }
    Duration untilDue = policy.maxDelay().minus(Duration.between(oldest, now));
    if (untilDue.isNegative() || untilDue.isZero()) {
      return new Decision(true, Duration.ZERO);
    }
    return new Decision(false, untilDue.compareTo(untilPoll) < 0 ? untilDue : untilPoll);
  }

  /**
   * Whether the unbatched messages the journal listed make a batch now: full, old enough (by the
   * journal's clock), or the anchorer is closing.
   */
  public boolean closeBatch(int unbatched, Instant oldestAcceptedAt, Instant journalNow, boolean closing) {
    return unbatched > 0 && (closing || unbatched >= policy.maxSize()
        || Duration.between(oldestAcceptedAt, journalNow).compareTo(policy.maxDelay()) >= 0);
  }

  /** Messages journaled since the journal was last found empty of unbatched ones (as far as this cutter heard). */
  public long appendedCount() {
    return appended;
  }

  /**
   * The journal was looked at, at {@code now}: {@code consumed} of the messages heard of are accounted
   * for (batched, or found not to be there), and {@code leftUnbatched} remain, the oldest accepted at
   * {@code oldestLeft} (by this clock).
   */
  public void looked(Instant now, long consumed, long leftUnbatched, @Nullable Instant oldestLeft) {
    lastLook = now;
    appended = Math.max(0, appended - consumed);
    if (leftUnbatched > 0) {
      appended = Math.max(appended, leftUnbatched);
      oldest = oldestLeft;
    } else if (appended == 0) {
      oldest = null;
    }
  }
}
