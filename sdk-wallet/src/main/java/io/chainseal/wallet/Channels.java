package io.chainseal.wallet;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.TransactionHandle;
import io.chainseal.chain.TransactionRequest;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.web3j.crypto.Hash;

/**
 * Payment channels of one account on one {@link ChannelContract}, through the account's
 * {@link Payments} service — the same transaction layer and journal, so every on-chain step (approve,
 * open, top-up, extend, close, reclaim) is journaled before it is broadcast and happens once per
 * operation id, across retries and restarts. Obtain with {@link Payments#channels}. Thread-safe.
 *
 * <p>The off-chain part is {@link ChannelPayer} (the sender signs vouchers) and
 * {@link ChannelReceiver} (the recipient checks and keeps them).
 */
public final class Channels {
  private static final Pattern OPERATION_ID = Pattern.compile("[A-Za-z0-9._:/@-]{1,100}");
  private final Payments payments;
  private final ChannelContract contract;

  Channels(Payments payments, ChannelContract contract) {
    this.payments = payments;
    this.contract = contract;
    if (payments.chain().chainId() != contract.chainId()) {
      throw new IllegalArgumentException("the contract is on chain " + contract.chainId() + ", the payments on "
          + payments.chain().chainId());
    }
  }

  public ChannelContract contract() {
    return contract;
  }

  ChainClient chain() {
    return payments.chain();
  }

  /** The id a channel opened by this account with {@code openId} gets. */
  public Hash32 channelId(String openId, EvmAddress recipient, Token token) {
    return contract.channelId(payments.sender(), recipient, token, salt(openId));
  }

  private static Hash32 salt(String openId) {
    return Hash32.of(Hash.sha3(("chainseal-channel:" + openId).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Opens a channel to {@code recipient} with {@code deposit} of {@code token} until {@code expiry},
   * once per {@code openId}: an ERC-20 deposit is approved first if the allowance is short. Balances
   * and the allowance are checked before anything is broadcast.
   *
   * @return completes with the channel's state once the opening is confirmed
   * @throws PaymentException if the opening is refused before anything is recorded
   */
  public CompletableFuture<ChannelState> open(String openId, EvmAddress recipient, Token token, BigDecimal deposit, Instant expiry)
      throws PaymentException {
    checkId(openId);
    Objects.requireNonNull(recipient, "recipient == null");
    Objects.requireNonNull(expiry, "expiry == null");
    if (recipient.equals(payments.sender())) {
      throw new PaymentException(PaymentException.Reason.INVALID_ADDRESS, "a channel to oneself pays nothing");
    }
    Instant chainNow;
    try {
      chainNow = payments.chain().block(payments.chain().blockNumber()).map(io.chainseal.chain.ChainBlock::timestamp).orElseThrow();
    } catch (ChainException e) {
      throw new PaymentException(PaymentException.Reason.CHAIN_UNAVAILABLE, "could not read the chain's time: " + e.getMessage(), e);
    }
    if (!expiry.isAfter(chainNow)) {
      throw new PaymentException(PaymentException.Reason.INVALID_EXPIRY, "the expiry " + expiry + " is not after the chain's time, "
          + chainNow);
    }
    BigInteger amount = token.toBaseUnits(deposit);
    Hash32 id = channelId(openId, recipient, token);
    byte[] open = contract.encodeOpen(recipient, token, amount, expiry, salt(openId));
    TransactionRequest request = TransactionRequest.builder("channel-open/" + openId, contract.address()).data(open)
        .value(token.isNative() ? amount : BigInteger.ZERO).build();
    return afterAllowance("channel-approve/" + openId, token, amount, request)
        .thenApply(receipt -> contract.state(payments.chain(), id).orElseThrow(
            () -> new IllegalStateException("channel " + id.hex0x() + " is not open after its opening was confirmed")));
  }

  /** Adds {@code amount} to the deposit of channel {@code channelId} (this account's), once per {@code operationId}. */
  public CompletableFuture<ChainReceipt> topUp(String operationId, Hash32 channelId, BigDecimal amount) throws PaymentException {
    checkId(operationId);
    ChannelState state = openChannel(channelId);
    Token token = tokenOf(state);
    BigInteger units = token.toBaseUnits(amount);
    TransactionRequest request = TransactionRequest.builder("channel-topup/" + operationId, contract.address())
        .data(contract.encodeTopUp(channelId, units)).value(token.isNative() ? units : BigInteger.ZERO).build();
    return afterAllowance("channel-approve/" + operationId, token, units, request);
  }

  /** Moves the expiry of channel {@code channelId} (this account's) later, once per {@code operationId}. */
  public CompletableFuture<ChainReceipt> extend(String operationId, Hash32 channelId, Instant expiry) throws PaymentException {
    checkId(operationId);
    openChannel(channelId);
    return submit(TransactionRequest.builder("channel-extend/" + operationId, contract.address())
        .data(contract.encodeExtend(channelId, expiry)).build());
  }

  /**
   * Closes a channel paying this account with {@code voucher} (its highest); once per voucher — the
   * same voucher again follows the same closing, and after a closing that failed a better voucher
   * can still close the channel.
   */
  public CompletableFuture<ChainReceipt> close(Voucher voucher) {
    Objects.requireNonNull(voucher, "voucher == null");
    TransactionRequest request = TransactionRequest.builder("channel-close/" + voucher.channelId().hex() + "/" + voucher.cumulativeAmount(),
        contract.address()).data(contract.encodeClose(voucher)).build();
    // A closing that failed before (a congested chain, a node that refused it) is given another round:
    // closing before the expiry is what keeps the recipient's money.
    return payments.submitOrRetry(request).whenConfirmed();
  }

  /**
   * Withdraws what the contract holds for this account in {@code token}: a sender's refund after the
   * recipient closed a channel, or a payment the contract could not push. Once per {@code operationId}.
   */
  public CompletableFuture<ChainReceipt> withdraw(String operationId, Token token) throws PaymentException {
    checkId(operationId);
    Objects.requireNonNull(token, "token == null");
    return submit(TransactionRequest.builder("channel-withdraw/" + operationId, contract.address())
        .data(contract.encodeWithdraw(token)).build());
  }

  /** What the contract holds for this account in {@code token} (smallest unit). */
  public BigInteger owed(Token token) throws PaymentException {
    try {
      return contract.owed(payments.chain(), token, payments.sender());
    } catch (ChainException e) {
      throw new PaymentException(PaymentException.Reason.CHAIN_UNAVAILABLE, "could not read what the contract owes: " + e.getMessage(), e);
    }
  }

  /** Takes back the whole deposit of an expired, unclosed channel of this account (sent to it at once); once per channel. */
  public CompletableFuture<ChainReceipt> reclaim(Hash32 channelId) {
    Objects.requireNonNull(channelId, "channelId == null");
    return submit(TransactionRequest.builder("channel-reclaim/" + channelId.hex(), contract.address())
        .data(contract.encodeReclaim(channelId)).build());
  }

  /** The channel's state on chain, if it is open. */
  public java.util.Optional<ChannelState> state(Hash32 channelId) throws PaymentException {
    try {
      return contract.state(payments.chain(), channelId);
    } catch (ChainException e) {
      throw new PaymentException(PaymentException.Reason.CHAIN_UNAVAILABLE, "could not read channel " + channelId.hex0x() + ": "
          + e.getMessage(), e);
    }
  }

  private ChannelState openChannel(Hash32 channelId) throws PaymentException {
    ChannelState state = state(channelId).orElseThrow(() -> new PaymentException(PaymentException.Reason.UNKNOWN_PAYMENT,
        "channel " + channelId.hex0x() + " is not open"));
    if (!state.sender().equals(payments.sender())) {
      throw new PaymentException(PaymentException.Reason.INVALID_ADDRESS, "channel " + channelId.hex0x() + " is " + state.sender()
          + "'s, not " + payments.sender() + "'s");
    }
    return state;
  }

  private Token tokenOf(ChannelState state) throws PaymentException {
    return state.token() == null ? Token.ETH : payments.token(state.token());
  }

  /** Checks funds (and the allowance), approves if needed, and submits {@code request} once the approval is mined. */
  private CompletableFuture<ChainReceipt> afterAllowance(String approveId, Token token, BigInteger amount, TransactionRequest request)
      throws PaymentException {
    ChainClient chain = payments.chain();
    try {
      if (token.isNative()) {
        BigInteger eth = chain.balance(payments.sender());
        if (eth.compareTo(amount) <= 0) {
          throw new PaymentException(PaymentException.Reason.INSUFFICIENT_BALANCE, payments.sender() + " holds "
              + Token.ETH.fromBaseUnits(eth).toPlainString() + " ETH; the deposit needs " + Token.ETH.fromBaseUnits(amount).toPlainString()
              + " and gas");
        }
        return submit(request);
      }
      EvmAddress tokenAddress = token.contractAddress().orElseThrow();
      BigInteger held = Erc20.balanceOf(chain, tokenAddress, payments.sender());
      if (held.compareTo(amount) < 0) {
        throw new PaymentException(PaymentException.Reason.INSUFFICIENT_BALANCE, payments.sender() + " holds "
            + token.fromBaseUnits(held).toPlainString() + " " + token.symbol() + "; the deposit needs " + token.fromBaseUnits(amount).toPlainString());
      }
      BigInteger allowance = Erc20.allowance(chain, tokenAddress, payments.sender(), contract.address());
      if (allowance.compareTo(amount) >= 0 || payments.submittedBefore(request.id())) {
        return submit(request);
      }
      TransactionHandle approve = payments.submit(TransactionRequest.builder(approveId, tokenAddress)
          .data(ChannelContract.encodeApprove(contract.address(), amount)).build());
      return approve.whenMined().thenCompose(mined -> submit(request));
    } catch (ChainException e) {
      throw new PaymentException(PaymentException.Reason.CHAIN_UNAVAILABLE, "could not check funds: " + e.getMessage(), e);
    }
  }

  private CompletableFuture<ChainReceipt> submit(TransactionRequest request) {
    return payments.submit(request).whenConfirmed();
  }

  private static void checkId(String id) throws PaymentException {
    Objects.requireNonNull(id, "id == null");
    if (!OPERATION_ID.matcher(id).matches()) {
      throw new PaymentException(PaymentException.Reason.INVALID_ID, "an operation id is 1-100 characters of A-Z a-z 0-9 . _ : / @ -");
    }
  }

  @Override
  public String toString() {
    return "Channels[" + payments.sender() + ", " + contract + "]";
  }
}
