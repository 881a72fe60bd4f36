package io.chainseal.wallet;

import io.chainseal.chain.ChainBlock;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.core.Hash32;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipient's guard against losing earned money to an expiry: for each watched channel it closes
 * the channel with the highest voucher kept in the {@link VoucherStore} once the chain's clock comes
 * within {@code margin} of the channel's expiry — before the sender may reclaim the deposit. Times are
 * the chain's (the latest block's timestamp), as the contract judges them. Runs a pass every
 * {@code pollInterval} on its own thread once {@link #start()}ed, or when {@link #settleDue()} is
 * called. Thread-safe.
 */
public final class ChannelWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChannelWatcher.class);
  private final Channels channels;
  private final VoucherStore store;
  private final Duration margin;
  private final Duration pollInterval;
  private final Map<Hash32, ChannelState> watched = new ConcurrentHashMap<>();
  private final Map<Hash32, CompletableFuture<ChainReceipt>> settling = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  /**
   * @param channels the recipient's channels (its {@link Payments#channels})
   * @param store where the recipient keeps its vouchers
   * @param margin how long before the expiry to settle; leave room for a congested chain
   * @param pollInterval how often to look
   */
  public ChannelWatcher(Channels channels, VoucherStore store, Duration margin, Duration pollInterval) {
    this.channels = Objects.requireNonNull(channels, "channels == null");
    this.store = Objects.requireNonNull(store, "store == null");
    this.margin = positive(margin, "margin");
    this.pollInterval = positive(pollInterval, "pollInterval");
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "chainseal-channel-watcher");
      thread.setDaemon(true);
      return thread;
    });
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  /** Watches {@code channel} (one paying this recipient) until it is settled. */
  public void watch(ChannelState channel) {
    watched.put(channel.channelId(), channel);
  }

  /** Looks every {@code pollInterval} from now on. */
  public void start() {
    ScheduledFuture<?> unused = timer.scheduleWithFixedDelay(() -> {
      try {
        settleDue();
      } catch (RuntimeException e) {
        log.warn("channel watcher pass failed; trying again in {}", pollInterval, e);
      }
    }, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * One pass: closes every watched channel whose expiry is within the margin of the chain's time,
   * with its highest kept voucher.
   *
   * @return the closings started in this pass (each completes when confirmed)
   */
  public List<CompletableFuture<ChainReceipt>> settleDue() {
    List<CompletableFuture<ChainReceipt>> started = new ArrayList<>();
    if (watched.isEmpty()) {
      return started;
    }
    Instant chainNow;
    try {
      io.chainseal.chain.ChainClient chain = channelsChain();
      chainNow = chain.block(chain.blockNumber()).map(ChainBlock::timestamp).orElseThrow();
    } catch (ChainException e) {
      log.warn("channel watcher: cannot read the chain's time: {}", e.getMessage());
      return started;
    }
    for (ChannelState channel : watched.values()) {
      if (chainNow.plus(margin).isBefore(channel.expiry()) || settling.containsKey(channel.channelId())) {
        continue;
      }
      try {
        settle(channel).ifPresent(started::add);
      } catch (RuntimeException e) {
        // One channel's trouble (a journal error, say) must not keep the others from being settled.
        log.error("settling channel {} could not start: {}", channel.channelId().hex0x(), e.getMessage());
      }
    }
    return started;
  }

  private Optional<CompletableFuture<ChainReceipt>> settle(ChannelState channel) {
    Optional<Voucher> highest = store.highest(channel.channelId());
    if (highest.isEmpty()) {
      watched.remove(channel.channelId()); // nothing earned: nothing to settle
      return Optional.empty();
    }
    log.info("channel {} expires at {}: settling it for {}", channel.channelId().hex0x(), channel.expiry(), highest.get().cumulativeAmount());
    CompletableFuture<ChainReceipt> closing = channels.close(highest.get());
    settling.put(channel.channelId(), closing);
    CompletableFuture<ChainReceipt> unusedTail = closing.whenComplete((receipt, error) -> {
      if (error == null) {
        watched.remove(channel.channelId());
      } else {
        log.error("settling channel {} failed (tried again at the next pass): {}", channel.channelId().hex0x(), error.getMessage());
      }
      settling.remove(channel.channelId());
    });
    return Optional.of(closing);
  }

  private io.chainseal.chain.ChainClient channelsChain() {
    return channels.chain();
  }

  /** The channels watched and not settled yet. */
  public List<Hash32> watching() {
    return List.copyOf(watched.keySet());
  }

  /** Stops looking. Closings already started finish on the transaction layer. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
