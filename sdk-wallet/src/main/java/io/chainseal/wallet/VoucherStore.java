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
   * The highest voucher of a channel and what it paid for.
   *
   * @param voucher the voucher
   * @param paidFor the receiver's note of what the voucher paid for (a request), or empty
   * @param answer the answer given to that request, once given (returned again to a retry), or null
   */
  record Kept(Voucher voucher, String paidFor, @org.jspecify.annotations.Nullable String answer) {}

  /**
   * Keeps {@code voucher} with the note {@code paidFor} if its cumulative amount is above the kept
   * one's (durably, when this returns).
   *
   * @return whether it was kept
   */
  boolean keepIfHigher(Voucher voucher, String paidFor);

  /**
   * Keeps {@code answer} as the answer to the request the kept voucher of {@code channelId} for
   * {@code cumulativeAmount} paid for (durably), if that voucher is still the kept one.
   */
  void keepAnswer(Hash32 channelId, java.math.BigInteger cumulativeAmount, String answer);

  /** As {@link #keepIfHigher(Voucher, String)} with no note. */
  default boolean keepIfHigher(Voucher voucher) {
    return keepIfHigher(voucher, "");
  }

  /** The highest voucher kept for {@code channelId}, and its note. */
  Optional<Kept> kept(Hash32 channelId);

  /** The highest voucher kept for {@code channelId}. */
  default Optional<Voucher> highest(Hash32 channelId) {
    return kept(channelId).map(Kept::voucher);
  }

  /** A store in memory: lost with the process. */
  static VoucherStore inMemory() {
    Map<Hash32, Kept> kept = new ConcurrentHashMap<>();
    return new VoucherStore() {
      @Override
      public boolean keepIfHigher(Voucher voucher, String paidFor) {
        boolean[] higher = {false};
        kept.compute(voucher.channelId(), (id, old) -> {
          if (old == null || voucher.cumulativeAmount().compareTo(old.voucher().cumulativeAmount()) > 0) {
            higher[0] = true;
            return new Kept(voucher, paidFor, null);
          }
          return old;
        });
        return higher[0];
      }

      @Override
      public void keepAnswer(Hash32 channelId, java.math.BigInteger cumulativeAmount, String answer) {
        kept.computeIfPresent(channelId, (id, old) -> old.voucher().cumulativeAmount().equals(cumulativeAmount)
            ? new Kept(old.voucher(), old.paidFor(), answer) : old);
      }

      @Override
      public Optional<Kept> kept(Hash32 channelId) {
        return Optional.ofNullable(kept.get(channelId));
      }
    };
  }
}
