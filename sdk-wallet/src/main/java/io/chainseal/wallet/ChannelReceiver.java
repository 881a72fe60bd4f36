package io.chainseal.wallet;

import io.chainseal.chain.EcdsaSignature;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.internal.Secp256k1;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import io.chainseal.wallet.internal.FixedKeyVerifier;
import org.jspecify.annotations.Nullable;

/**
 * The recipient's side of one payment channel: checks each voucher off chain — the channel, the
 * sender's signature (bound to the chain and the contract), the cumulative amount within the deposit
 * and above the last accepted one — and keeps the highest in a {@link VoucherStore} before saying yes.
 * A replayed or older voucher pays nothing. Thread-safe; {@link #accept} is serialized per channel.
 *
 * <p>Signatures are checked as the contract's {@code ecrecover} reads them, recovery id included. The
 * first vouchers of a channel by recovering their signer; once the channel has carried a few dozen,
 * against precomputed multiples of the sender's key (about 1.6 MB per channel, a fraction of the time).
 */
public final class ChannelReceiver {
  private ChannelState channel;
  private final Voucher.Domain domain;
  private final VoucherStore store;
  /** Built once the channel has carried {@link #TABLE_AFTER} vouchers: most channels carry many. */
  private @Nullable FixedKeyVerifier fastVerifier;
  private int verified;
  private static final int TABLE_AFTER = 32;
  private BigInteger accepted;

  /**
   * A receiver of {@code channel} (read from the contract with {@link ChannelContract#state}) on
   * {@code contract}, keeping vouchers in {@code store}; it resumes from the store's highest voucher.
   */
  public ChannelReceiver(ChannelContract contract, ChannelState channel, VoucherStore store) {
    this.channel = Objects.requireNonNull(channel, "channel == null");
    this.domain = Voucher.Domain.of(contract.chainId(), contract.address());
    this.store = Objects.requireNonNull(store, "store == null");
    this.accepted = store.highest(channel.channelId()).map(Voucher::cumulativeAmount).orElse(BigInteger.ZERO);
  }

  /**
   * What an accepted voucher brought.
   *
   * @param voucher the voucher
   * @param increment what it pays over the one accepted before
   * @param repeated whether it is the voucher already kept for the same request (a retry after a lost
   *     answer): paid once already
   * @param answer the answer kept for that request, if it was answered: give it again, do not redo the work
   */
  public record Accepted(Voucher voucher, BigInteger increment, boolean repeated, @Nullable String answer) {}

  /**
   * Checks {@code voucher} and keeps it.
   *
   * @return the increment it pays over the last accepted voucher
   * @throws VoucherException naming why it is refused; nothing was kept
   */
  public synchronized Accepted accept(Voucher voucher) throws VoucherException {
    return accept(voucher, BigInteger.ONE);
  }

  /**
   * Checks {@code voucher}, requires it to pay at least {@code price} more than the last accepted one,
   * and keeps it durably before returning: a paid service calls this before serving.
   *
   * @throws VoucherException naming why it is refused (UNDERPAID if it pays less than the price); nothing was kept
   */
  public synchronized Accepted accept(Voucher voucher, BigInteger price) throws VoucherException {
    return accept(voucher, price, "");
  }

  /**
   * As {@link #accept(Voucher, BigInteger)}, noting that the voucher pays for {@code paidFor} (what
   * identifies the request: its id and kind). Presented again for the same request — a client retrying
   * after a crash or a lost answer — the kept voucher is accepted as {@linkplain Accepted#repeated()
   * repeated}, with no increment and with the answer kept for it ({@link #answered}), if any: the
   * request is paid once, and its work done once.
   */
  public synchronized Accepted accept(Voucher voucher, BigInteger price, String paidFor) throws VoucherException {
    Objects.requireNonNull(voucher, "voucher == null");
    Objects.requireNonNull(price, "price == null");
    Objects.requireNonNull(paidFor, "paidFor == null");
    if (!paidFor.isEmpty()) {
      Optional<VoucherStore.Kept> kept = store.kept(channel.channelId());
      if (kept.isPresent() && kept.get().paidFor().equals(paidFor) && kept.get().voucher().equals(voucher)) {
        return new Accepted(voucher, BigInteger.ZERO, true, kept.get().answer()); // paid already: a retry
      }
    }
    check(voucher);
    BigInteger increment = voucher.cumulativeAmount().subtract(accepted);
    if (increment.compareTo(price) < 0) {
      throw new VoucherException(VoucherException.Reason.UNDERPAID, "the voucher adds " + increment + ", the price is " + price);
    }
    if (!store.keepIfHigher(voucher, paidFor)) {
      // Another receiver of the same store kept a higher one meanwhile.
      accepted = store.highest(channel.channelId()).map(Voucher::cumulativeAmount).orElse(accepted);
      throw new VoucherException(VoucherException.Reason.NOT_INCREASING, "a voucher at least as high was kept meanwhile");
    }
    accepted = voucher.cumulativeAmount();
    return new Accepted(voucher, increment, false, null);
  }

  /** Keeps (durably) the answer to the request {@code voucher} paid for: a retry of it gets this answer. */
  public synchronized void answered(Voucher voucher, String answer) {
    store.keepAnswer(voucher.channelId(), voucher.cumulativeAmount(), answer);
  }

  /** Checks {@code voucher} without keeping it. */
  public synchronized void check(Voucher voucher) throws VoucherException {
    if (!voucher.channelId().equals(channel.channelId())) {
      throw new VoucherException(VoucherException.Reason.WRONG_CHANNEL, "the voucher is for channel " + voucher.channelId().hex0x()
          + ", not " + channel.channelId().hex0x());
    }
    if (voucher.cumulativeAmount().compareTo(channel.deposit()) > 0) {
      throw new VoucherException(VoucherException.Reason.ABOVE_DEPOSIT, "the voucher allows " + voucher.cumulativeAmount()
          + ", above the deposit of " + channel.deposit());
    }
    if (voucher.cumulativeAmount().compareTo(accepted) <= 0) {
      throw new VoucherException(VoucherException.Reason.NOT_INCREASING, "the voucher allows " + voucher.cumulativeAmount()
          + ", not above the " + accepted + " accepted already");
    }
    if (!signedBySender(domain.digest(voucher.channelId(), voucher.cumulativeAmount()), voucher.signature())) {
      throw new VoucherException(VoucherException.Reason.BAD_SIGNATURE, "the voucher is not signed by the channel's sender "
          + channel.sender() + " for this chain and contract");
    }
  }

  private boolean signedBySender(Hash32 digest, EcdsaSignature signature) {
    if (!signature.isLowS()) {
      return false; // the contract (OpenZeppelin's ECDSA) refuses high s
    }
    if (fastVerifier != null) {
      return fastVerifier.verify(digest.bytes(), signature.r(), signature.s(), signature.recoveryId());
    }
    // Recovery, as the contract's ecrecover does it: r, s and v must name the sender (v too: with the
    // other parity, ecrecover finds another signer and the contract refuses the voucher).
    byte[] publicKey = Secp256k1.recover(signature.bytes(), digest.bytes());
    if (publicKey == null || !EvmAddress.of(Secp256k1.address(publicKey)).equals(channel.sender())) {
      return false;
    }
    if (++verified == TABLE_AFTER) {
      byte[] encoded = new byte[65];
      encoded[0] = 0x04;
      System.arraycopy(publicKey, 0, encoded, 1, 64);
      fastVerifier = new FixedKeyVerifier(Secp256k1.DOMAIN.getCurve().decodePoint(encoded));
    }
    return true;
  }

  /** The cumulative amount accepted so far. */
  public synchronized BigInteger accepted() {
    return accepted;
  }

  /** The highest voucher kept, to close the channel with. */
  public synchronized Optional<Voucher> highest() {
    return store.highest(channel.channelId());
  }

  public synchronized ChannelState channel() {
    return channel;
  }

  /**
   * Takes the channel's newer state (after a top-up or an extension), read from the contract.
   *
   * @throws IllegalArgumentException if it is another channel, or its deposit shrank
   */
  public synchronized void update(ChannelState newer) {
    channel = channel.succeededBy(newer);
  }

  @Override
  public String toString() {
    return "ChannelReceiver[" + channel.channelId().hex0x() + ", accepted " + accepted() + " of " + channel.deposit() + "]";
  }
}
