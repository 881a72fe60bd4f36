package io.chainseal.wallet;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An open payment channel as the contract holds it.
 *
 * @param channelId its id
 * @param sender who deposited and signs vouchers
 * @param recipient who closes it with a voucher
 * @param token the ERC-20 contract, or null for ETH
 * @param deposit the locked amount, smallest unit
 * @param expiry after this the sender may reclaim the deposit
 */
public record ChannelState(Hash32 channelId, EvmAddress sender, EvmAddress recipient, @Nullable EvmAddress token, BigInteger deposit,
    Instant expiry) {
  public ChannelState {
    Objects.requireNonNull(channelId, "channelId == null");
    Objects.requireNonNull(sender, "sender == null");
    Objects.requireNonNull(recipient, "recipient == null");
    Objects.requireNonNull(deposit, "deposit == null");
    Objects.requireNonNull(expiry, "expiry == null");
  }

  /**
   * {@code newer}, checked to be a later state of this same channel: after a top-up or an extension,
   * or after a reorganization undid one (vouchers above a smaller deposit are then refused).
   *
   * @throws IllegalArgumentException if it is another channel
   */
  public ChannelState succeededBy(ChannelState newer) {
    if (!newer.channelId.equals(channelId) || !newer.sender.equals(sender) || !newer.recipient.equals(recipient)
        || !Objects.equals(newer.token, token)) {
      throw new IllegalArgumentException("not the same channel");
    }
    return newer;
  }
}
