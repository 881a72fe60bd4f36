package io.chainseal.wallet;

import io.chainseal.chain.EvmSigner;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The sender's side of one payment channel: signs a voucher per payment for the running total.
 * Thread-safe. The running total lives in memory; after a restart, resume from the recipient's last
 * acknowledged amount ({@link #ChannelPayer(ChannelContract, ChannelState, EvmSigner, BigInteger)}) —
 * at worst the sender re-signs an amount the recipient already holds, which pays nothing twice.
 */
public final class ChannelPayer {
  private ChannelState channel;
  private final Voucher.Domain domain;
  private final EvmSigner sender;
  private BigInteger cumulative;

  /** A payer of {@code channel}, starting from nothing paid. */
  public ChannelPayer(ChannelContract contract, ChannelState channel, EvmSigner sender) {
    this(contract, channel, sender, BigInteger.ZERO);
  }

  /** A payer of {@code channel} that has already paid {@code paid} in total. */
  public ChannelPayer(ChannelContract contract, ChannelState channel, EvmSigner sender, BigInteger paid) {
    this.channel = Objects.requireNonNull(channel, "channel == null");
    this.sender = Objects.requireNonNull(sender, "sender == null");
    if (!sender.address().equals(channel.sender())) {
      throw new IllegalArgumentException("the channel's sender is " + channel.sender() + ", not " + sender.address());
    }
    if (paid.signum() < 0 || paid.compareTo(channel.deposit()) > 0) {
      throw new IllegalArgumentException("paid must be between 0 and the deposit, got " + paid);
    }
    this.domain = Voucher.Domain.of(contract.chainId(), contract.address());
    this.cumulative = paid;
  }

  /**
   * Signs a voucher paying {@code increment} more.
   *
   * @throws VoucherException INVALID_AMOUNT if not positive, ABOVE_DEPOSIT if the total would pass the deposit
   */
  public synchronized Voucher pay(BigInteger increment) throws VoucherException {
    Objects.requireNonNull(increment, "increment == null");
    if (increment.signum() <= 0) {
      throw new VoucherException(VoucherException.Reason.INVALID_AMOUNT, "a payment must be positive, got " + increment);
    }
    BigInteger next = cumulative.add(increment);
    if (next.compareTo(channel.deposit()) > 0) {
      throw new VoucherException(VoucherException.Reason.ABOVE_DEPOSIT, "paying " + increment + " would bring the total to " + next
          + ", above the deposit of " + channel.deposit() + ": top the channel up");
    }
    Voucher voucher = new Voucher(channel.channelId(), next, sender.signChecked(domain.digest(channel.channelId(), next)));
    cumulative = next;
    return voucher;
  }

  /** The total paid so far. */
  public synchronized BigInteger paid() {
    return cumulative;
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
    return "ChannelPayer[" + channel.channelId().hex0x() + ", paid " + paid() + " of " + channel.deposit() + "]";
  }
}
