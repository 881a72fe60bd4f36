package io.chainseal.store;

import io.chainseal.core.ErasureReceipt;
import io.chainseal.core.MessageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Retention policies that run by themselves: every conversation keeps its messages for a set time
 * (a default, and overrides per conversation; none means forever), after which they are erased as
 * {@link MessageStore#eraseStoredBefore} does, each run's receipts handed to a listener for the host's
 * records. {@link #runOnce()} applies the policies now; {@link #start} runs them on a schedule, on a
 * thread of its own, until {@link #close()}. Thread-safe.
 */
public final class Retention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final MessageStore store;
  private final Optional<Duration> defaultKeep;
  private final Map<String, Optional<Duration>> perConversation;
  private final Clock clock;
  private final Consumer<ErasureReceipt> receipts;
  private @Nullable ScheduledExecutorService scheduler;

  private Retention(MessageStore store, Optional<Duration> defaultKeep, Map<String, Optional<Duration>> perConversation, Clock clock,
      Consumer<ErasureReceipt> receipts) {
    this.store = store;
    this.defaultKeep = defaultKeep;
    this.perConversation = Map.copyOf(perConversation);
    this.clock = clock;
    this.receipts = receipts;
  }

  /**
   * Policies for {@code store}.
   *
   * @param defaultKeep how long a conversation without an override keeps its messages; empty: forever
   * @param perConversation overrides by conversation id (an empty value: forever)
   * @param receipts receives the receipt of every erasure with at least one message
   */
  public static Retention of(MessageStore store, Optional<Duration> defaultKeep, Map<String, Optional<Duration>> perConversation,
      Clock clock, Consumer<ErasureReceipt> receipts) {
    Objects.requireNonNull(store, "store == null");
    Objects.requireNonNull(defaultKeep, "defaultKeep == null");
    Objects.requireNonNull(clock, "clock == null");
    Objects.requireNonNull(receipts, "receipts == null");
    defaultKeep.ifPresent(Retention::requirePositive);
    perConversation.values().forEach(keep -> keep.ifPresent(Retention::requirePositive));
    return new Retention(store, defaultKeep, perConversation, clock, receipts);
  }

  private static void requirePositive(Duration keep) {
    if (keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("a retention time is positive, got " + keep);
    }
  }

  /** Applies every policy now; returns the receipts of the erasures that erased something. */
  public synchronized List<ErasureReceipt> runOnce() {
    Instant now = clock.instant();
    List<ErasureReceipt> out = new ArrayList<>();
    for (String conversation : store.conversations()) {
      Optional<Duration> keep = perConversation.getOrDefault(conversation, defaultKeep);
      if (keep.isEmpty()) {
        continue;
      }
      ErasureReceipt receipt = store.eraseStoredBefore(conversation, now.minus(keep.get()));
      if (!receipt.erased().isEmpty()) {
        out.add(receipt);
        try {
          receipts.accept(receipt);
        } catch (RuntimeException e) {
          // the receipt is kept by the store too (SqliteMessageStore.receipts()); the run goes on
          log.warn("the retention listener failed on a receipt of {} messages; carrying on", receipt.erased().size(), e);
        }
      }
    }
    return out;
  }

  /** Runs {@link #runOnce()} every {@code interval} on a daemon thread of its own, until {@link #close()}. */
  public synchronized Retention start(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    if (scheduler != null) {
      throw new IllegalStateException("already started");
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "chainseal-retention");
      thread.setDaemon(true);
      return thread;
    });
    ScheduledFuture<?> unused = scheduler.scheduleWithFixedDelay(() -> {
      try {
        runOnce();
      } catch (RuntimeException e) {
        log.warn("retention run failed; trying again in {}", interval, e);
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops the schedule and waits for a run in progress to finish. */
  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (this) {
      running = scheduler;
      scheduler = null;
    }
    if (running != null) {
      running.shutdown();
      try {
        if (!running.awaitTermination(1, TimeUnit.MINUTES)) {
          running.shutdownNow();
        }
      } catch (InterruptedException e) {
        running.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
