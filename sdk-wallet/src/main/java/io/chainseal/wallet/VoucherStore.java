package io.chainseal.wallet;

import io.chainseal.core.Hash32;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a recipient keeps the highest voucher of each channel, so it can close the channel for every
 * amount it earned even after a crash. {@link SqliteWalletJournal} keeps them durably; {@link #inMemory()}
 * is for tests and for recipients that settle before they stop. Thread-safe.
 */
public interface VoucherStore {
  /**
   * Keeps {@code voucher} if its cumulative amount is above the kept one's (durably, when this returns).
   *
   * @return whether it was kept
   */
  boolean keepIfHigher(Voucher voucher);

  /** The highest voucher kept for {@code channelId}. */
  Optional<Voucher> highest(Hash32 channelId);

  /** A store in memory: lost with the process. */
  static VoucherStore inMemory() {
    Map<Hash32, Voucher> kept = new ConcurrentHashMap<>();
    return new VoucherStore() {
      @Override
      public boolean keepIfHigher(Voucher voucher) {
        boolean[] higher = {false};
        kept.compute(voucher.channelId(), (id, old) -> {
          if (old == null || voucher.cumulativeAmount().compareTo(old.cumulativeAmount()) > 0) {
            higher[0] = true;
            return voucher;
          }
          return old;
        });
        return higher[0];
      }

      @Override
      public Optional<Voucher> highest(Hash32 channelId) {
        return Optional.ofNullable(kept.get(channelId));
      }
    };
  }
}
