package io.chainseal.wallet;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.FeeQuote;
import io.chainseal.chain.IntentState;
import io.chainseal.chain.MinedTransaction;
import io.chainseal.chain.SignedAttempt;
import io.chainseal.chain.TransactionFailedException;
import io.chainseal.chain.TransactionHandle;
import io.chainseal.chain.TransactionIntent;
import io.chainseal.chain.TransactionListener;
import io.chainseal.chain.TransactionRequest;
import io.chainseal.chain.TransactionSender;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays ETH and ERC-20 tokens from one account, each payment exactly once.
 *
 * <pre>{@code
 * try (WalletJournal journal = SqliteWalletJournal.open(Path.of("wallet.db"));
 *      Payments payments = Payments.builder().chain(chain).signer(key).journal(journal).build()) {
 *   Token usdc = payments.token(usdcAddress);                         // decimals read from the contract
 *   PaymentOrder order = PaymentOrder.of("chat-42/msg-7", bob, usdc, "12.50");
 *   payments.send(order).whenFinal().join();                          // the same id again never pays twice
 * }
 * }</pre>
 *
 * <p><b>Exactly once.</b> {@link #send} records the order under its payment id before anything is
 * signed, and the shared transaction layer ({@link TransactionSender}) journals each signed transaction
 * before broadcasting it. Sending the same id again — after a timeout, from another thread, or after a
 * crash of this process at any point — finds the recorded order and follows its transaction: the same
 * signed bytes are broadcast again, never a new transfer. After a restart, building the service
 * resumes every recorded payment that is not final. An id used before for a different order is refused.
 *
 * <p><b>Checks before anything is recorded.</b> The amount against the token's decimals, the balance
 * of the token, the ETH for gas at the current fee (and the amount when paying ETH), and that the
 * transfer would not revert ({@code eth_estimateGas}); each failure is a {@link PaymentException}
 * naming it. Payments in flight are not subtracted from the balance the node reports.
 *
 * <p>Fees are EIP-1559 (twice the base fee plus the node's tip), capped by {@link Builder#maxFeePerGas};
 * a transaction stuck below the market is replaced at the same nonce with higher fees, and gaps in the
 * account's nonces are filled — by the transaction layer, which anchoring shares. Thread-safe.
 */
public final class Payments implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Payments.class);
  /** Intent ids of payments in the shared transaction journal. */
  static final String INTENT_PREFIX = "payment/";

  private final ChainClient chain;
  private final WalletJournal journal;
  private final TransactionSender sender;
  private final EvmAddress from;
  private final BigInteger maxFeePerGas;
  private final List<PaymentListener> listeners;
  private final Executor callbacks;
  private final Clock clock;
  private final ConcurrentMap<String, CompletableFuture<Payment>> finals = new ConcurrentHashMap<>();

  private Payments(Builder b) {
    this.chain = Objects.requireNonNull(b.chain, "chain is not set");
    this.journal = Objects.requireNonNull(b.journal, "journal is not set");
    EvmSigner signer = Objects.requireNonNull(b.signer, "signer is not set");
    if (!journal.tryLead()) {
      throw new io.chainseal.chain.JournalException("another instance leads " + journal + ": one instance at a time sends a"
          + " wallet's payments; build the service again once that one stops (it then resumes every recorded payment)", true);
    }
    this.from = signer.address();
    this.maxFeePerGas = b.maxFeePerGas;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.callbacks = b.callbacks;
    this.clock = b.clock;
    TransactionSender.Builder senderBuilder = TransactionSender.builder().chain(chain).signer(signer).journal(journal)
        .confirmations(b.confirmations).maxFeePerGas(maxFeePerGas).callbackExecutor(callbacks).listener(new Bridge())
        .threadName("chainseal-payments-" + from.lowercase().substring(0, 10));
    if (b.replaceAfter != null) {
      senderBuilder.replaceAfter(b.replaceAfter);
    }
    this.sender = senderBuilder.build();
    resume();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The paying account. */
  public EvmAddress sender() {
    return from;
  }

  /**
   * The ERC-20 token at {@code contract}, with its decimals and symbol read from the contract.
   *
   * @throws PaymentException UNKNOWN_TOKEN if no contract there answers {@code decimals()}, or
   *     CHAIN_UNAVAILABLE
   */
  public Token token(EvmAddress contract) throws PaymentException {
    return Erc20.token(chain, contract);
  }

  /**
   * Pays {@code order} exactly once: records it, then signs, journals and broadcasts its transaction.
   * The same order again (same id, recipient, token and amount) returns a handle on the first one.
   *
   * @throws PaymentException if the order is refused (see {@link PaymentException.Reason}); nothing
   *     was recorded or broadcast for a new id
   * @throws io.chainseal.chain.JournalException if the journal cannot be written (nothing was broadcast)
   */
  public PaymentHandle send(PaymentOrder order) throws PaymentException {
    Objects.requireNonNull(order, "order == null");
    PaymentOrder checked = PaymentOrder.of(order.paymentId(), order.to(), order.token(), order.amount());
    if (checked.to().equals(from)) {
      throw new PaymentException(PaymentException.Reason.INVALID_ADDRESS, "the recipient is the paying account itself");
    }
    Optional<StoredPayment> earlier = journal.payment(checked.paymentId());
    if (earlier.isPresent()) {
      return follow(sameOrder(earlier.get(), checked));
    }
    checkFunds(checked);
    StoredPayment mine = new StoredPayment(checked, from, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    Optional<StoredPayment> raced = journal.recordPayment(mine);
    if (raced.isPresent()) {
      return follow(sameOrder(raced.get(), checked)); // another thread recorded it first
    }
    Payment requested = new Payment(checked, from, PaymentStatus.REQUESTED, null, null);
    tell(listener -> listener.onRequested(requested)); // before its transaction exists, so before any other event
    return follow(mine);
  }

  /**
   * Pays a signed payment request once: checks it ({@link SignedPaymentRequest#verify}: signed by
   * {@code trustedRequester}, for this chain, not expired), then sends it under the payment id
   * {@code request:<requester>:<requestId>}.
   *
   * @param token the token the request asks for, read with {@link #token} (or {@link Token#ETH})
   * @throws PaymentException REQUEST_ALREADY_PAID if it was paid before, a refusal of {@link SignedPaymentRequest#verify},
   *     or any refusal of {@link #send}
   */
  public PaymentHandle pay(SignedPaymentRequest signed, EvmAddress trustedRequester, Token token) throws PaymentException {
    Objects.requireNonNull(signed, "signed == null");
    signed.verify(trustedRequester, chain.chainId(), clock.instant());
    PaymentRequest request = signed.request();
    String paymentId = "request:" + signed.requester().lowercase() + ":" + request.requestId();
    if (journal.payment(paymentId).isPresent()) {
      throw new PaymentException(PaymentException.Reason.REQUEST_ALREADY_PAID, "request " + request.requestId() + " of "
          + signed.requester() + " was paid before (payment " + paymentId + ")");
    }
    return send(request.toUri().toOrder(paymentId, token, chain.chainId()));
  }

  /**
   * Asks to cancel a payment that is not mined yet: if nothing was broadcast it is cancelled at once;
   * else a zero-value transfer to this account replaces its transaction at the same nonce with higher
   * fees. Whichever is mined first wins — the handle then fails with {@link PaymentFailedException}
   * (status CANCELLED) or completes as usual.
   *
   * @return false if the payment is unknown here, or already mined or finished
   */
  public boolean cancel(String paymentId) {
    return sender.cancel(INTENT_PREFIX + Objects.requireNonNull(paymentId, "paymentId == null"));
  }

  /**
   * Asks to replace a pending payment's transaction now with higher fees (within the max-fee cap).
   *
   * @return false if the payment has no pending transaction here
   */
  public boolean speedUp(String paymentId) {
    return sender.speedUp(INTENT_PREFIX + Objects.requireNonNull(paymentId, "paymentId == null"));
  }

  /** The payment recorded under {@code paymentId}, as its journal holds it now (also after a restart). */
  public Optional<Payment> payment(String paymentId) {
    Objects.requireNonNull(paymentId, "paymentId == null");
    return journal.payment(paymentId).map(this::snapshot);
  }

  /**
   * The handle of a recorded payment, following it to the end.
   *
   * @throws PaymentException UNKNOWN_PAYMENT if no payment has this id
   */
  public PaymentHandle handle(String paymentId) throws PaymentException {
    StoredPayment stored = journal.payment(paymentId).orElseThrow(
        () -> new PaymentException(PaymentException.Reason.UNKNOWN_PAYMENT, "no payment has id '" + paymentId + "'"));
    return follow(stored);
  }

  /**
   * The receipt to send the recipient once the payment is mined (it claims what the chain shows;
   * the recipient checks it with a {@link PaymentVerifier}); empty before.
   */
  public Optional<PaymentReceipt> receipt(String paymentId) {
    return payment(paymentId).filter(p -> p.blockNumber() != null && p.transaction() != null).map(p -> new PaymentReceipt(
        p.paymentId(), chain.chainId(), Objects.requireNonNull(p.transaction()), p.from(), p.order().to(),
        p.order().token().contract(), p.order().baseUnits()));
  }

  /** The account's balance of {@code token}, in the token's units. */
  public java.math.BigDecimal balance(Token token) throws PaymentException {
    return token.fromBaseUnits(baseBalance(token, from));
  }

  private StoredPayment sameOrder(StoredPayment stored, PaymentOrder order) throws PaymentException {
    if (!stored.from().equals(from)) {
      throw new PaymentException(PaymentException.Reason.ID_REUSED, "payment id '" + order.paymentId() + "' is a payment of "
          + stored.from() + ", not of " + from);
    }
    if (!stored.sameOrder(order)) {
      throw new PaymentException(PaymentException.Reason.ID_REUSED, "payment id '" + order.paymentId() + "' was used for "
          + stored.order().amount().toPlainString() + " " + stored.order().token().symbol() + " to " + stored.order().to()
          + "; this order is " + order.amount().toPlainString() + " " + order.token().symbol() + " to " + order.to());
    }
    return stored;
  }

  private PaymentHandle follow(StoredPayment stored) {
    String id = stored.paymentId();
    CompletableFuture<Payment> done = finals.computeIfAbsent(id, k -> {
      TransactionHandle handle = sender.submit(request(stored.order()));
      CompletableFuture<Payment> future = new CompletableFuture<>();
      CompletableFuture<ChainReceipt> unused = handle.whenConfirmed().whenComplete((receipt, error) -> {
        Payment now = snapshot(stored);
        if (error == null) {
          future.complete(now);
        } else {
          Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
          future.completeExceptionally(new PaymentFailedException(now, "payment " + id + " was given up: " + cause.getMessage()));
        }
      });
      return future;
    });
    return new PaymentHandle(id, () -> snapshot(stored), done);
  }

  private static TransactionRequest request(PaymentOrder order) {
    Token token = order.token();
    if (token.isNative()) {
      return TransactionRequest.builder(INTENT_PREFIX + order.paymentId(), order.to()).value(order.baseUnits()).build();
    }
    return TransactionRequest.builder(INTENT_PREFIX + order.paymentId(), token.contractAddress().orElseThrow())
        .data(Erc20.transfer(order.to(), order.baseUnits())).build();
  }

  /** Resumes recorded payments whose transaction was never submitted (a crash between the two writes). */
  private void resume() {
    int resumed = 0;
    for (StoredPayment stored : journal.payments(from)) {
      Optional<TransactionIntent> intent = journal.intent(INTENT_PREFIX + stored.paymentId());
      if (intent.isEmpty() || intent.get().state().isOpen()) {
        follow(stored);
        resumed++;
      }
    }
    if (resumed > 0) {
      log.info("payments of {}: resumed {} payment(s) that were not final", from, resumed);
    }
  }

  private void checkFunds(PaymentOrder order) throws PaymentException {
    try {
      BigInteger amount = order.baseUnits();
      TransactionRequest request = request(order);
      if (!order.token().isNative()) {
        BigInteger held = baseBalance(order.token(), from);
        if (held.compareTo(amount) < 0) {
          throw new PaymentException(PaymentException.Reason.INSUFFICIENT_BALANCE, from + " holds "
              + order.token().fromBaseUnits(held).toPlainString() + " " + order.token().symbol() + "; the payment needs "
              + order.amount().toPlainString());
        }
      }
      BigInteger gas;
      try {
        gas = chain.estimateGas(from, request.to(), request.value(), request.data());
      } catch (ChainException e) {
        if (e.kind() == ChainException.Kind.REVERTED) {
          throw new PaymentException(PaymentException.Reason.WOULD_REVERT, "the transfer would revert: " + e.getMessage());
        }
        throw e;
      }
      BigInteger fee = FeeQuote.current(chain, maxFeePerGas).maxFeePerGas();
      BigInteger gasCost = gas.multiply(BigInteger.valueOf(13)).divide(BigInteger.TEN).multiply(fee);
      BigInteger needed = gasCost.add(request.value());
      BigInteger eth = chain.balance(from);
      if (eth.compareTo(needed) < 0) {
        if (order.token().isNative() && eth.compareTo(amount) < 0) {
          throw new PaymentException(PaymentException.Reason.INSUFFICIENT_BALANCE, from + " holds "
              + Token.ETH.fromBaseUnits(eth).toPlainString() + " ETH; the payment needs " + order.amount().toPlainString());
        }
        throw new PaymentException(PaymentException.Reason.INSUFFICIENT_FUNDS_FOR_GAS, from + " holds "
            + Token.ETH.fromBaseUnits(eth).toPlainString() + " ETH; the payment needs "
            + Token.ETH.fromBaseUnits(needed).toPlainString() + " ETH with gas at the current fee");
      }
    } catch (ChainException e) {
      throw new PaymentException(PaymentException.Reason.CHAIN_UNAVAILABLE, "could not check the payment against the chain: "
          + e.getMessage(), e);
    }
  }

  private BigInteger baseBalance(Token token, EvmAddress who) throws PaymentException {
    try {
      return token.isNative() ? chain.balance(who) : Erc20.balanceOf(chain, token.contractAddress().orElseThrow(), who);
    } catch (ChainException e) {
      throw new PaymentException(PaymentException.Reason.CHAIN_UNAVAILABLE, "could not read the balance: " + e.getMessage(), e);
    }
  }

  private Payment snapshot(StoredPayment stored) {
    Optional<TransactionIntent> intent = journal.intent(INTENT_PREFIX + stored.paymentId());
    if (intent.isEmpty()) {
      return new Payment(stored.order(), stored.from(), PaymentStatus.REQUESTED, null, null);
    }
    return snapshot(stored, intent.get());
  }

  private static Payment snapshot(StoredPayment stored, TransactionIntent intent) {
    MinedTransaction mined = intent.mined();
    PaymentStatus status = switch (intent.state()) {
      case PENDING -> PaymentStatus.REQUESTED;
      case SENT -> PaymentStatus.BROADCAST;
      case MINED -> PaymentStatus.MINED;
      case CONFIRMED -> PaymentStatus.FINAL;
      case FAILED -> PaymentStatus.FAILED;
      case CANCELLED -> PaymentStatus.CANCELLED;
    };
    Hash32 transaction = mined != null ? mined.hash() : intent.current().map(SignedAttempt::hash).orElse(null);
    return new Payment(stored.order(), stored.from(), status, transaction, mined == null ? null : mined.blockNumber());
  }

  private void tell(Consumer<PaymentListener> event) {
    for (PaymentListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        log.warn("payment listener {} failed", listener, e);
      }
    }
  }

  /** Turns the transaction layer's events about payment intents into payment events. */
  private final class Bridge implements TransactionListener {
    private @Nullable Payment payment(TransactionIntent intent) {
      if (!intent.id().startsWith(INTENT_PREFIX)) {
        return null;
      }
      return journal.payment(intent.id().substring(INTENT_PREFIX.length())).map(stored -> snapshot(stored, intent)).orElse(null);
    }

    private void on(TransactionIntent intent, java.util.function.BiConsumer<PaymentListener, Payment> event) {
      if (listeners.isEmpty()) {
        return;
      }
      Payment payment = payment(intent);
      if (payment != null) {
        tell(listener -> event.accept(listener, payment));
      }
    }

    @Override
    public void onAttempt(TransactionIntent intent, SignedAttempt attempt) {
      on(intent, (listener, payment) -> listener.onBroadcast(payment, attempt.hash()));
    }

    @Override
    public void onConfirmations(TransactionIntent intent, ChainReceipt receipt, int depth) {
      on(intent, (listener, payment) -> listener.onConfirmations(payment, depth));
    }

    @Override
    public void onConfirmed(TransactionIntent intent, ChainReceipt receipt) {
      on(intent, PaymentListener::onFinal);
    }

    @Override
    public void onReorged(TransactionIntent intent, MinedTransaction former) {
      on(intent, PaymentListener::onReorged);
    }

    @Override
    public void onReverted(TransactionIntent intent, ChainReceipt receipt) {
      on(intent, (listener, payment) -> listener.onReverted(payment, receipt.transactionHash()));
    }

    @Override
    public void onFailed(TransactionIntent intent, TransactionFailedException failure) {
      on(intent, (listener, payment) -> listener.onFailed(payment, String.valueOf(failure.getMessage())));
    }

    @Override
    public void onError(String what, Throwable error) {
      log.warn("payments of {}: {}: {}", from, what, error.getMessage());
    }
  }

  /** Payment channels of this account on {@code contract}, sharing this service's transactions and journal. */
  public Channels channels(ChannelContract contract) {
    return new Channels(this, Objects.requireNonNull(contract, "contract == null"));
  }

  ChainClient chain() {
    return chain;
  }

  /** Submits a transaction of this account (idempotent by the request's id) on the shared sender. */
  TransactionHandle submit(TransactionRequest request) {
    return sender.submit(request);
  }

  /** Submits {@code request}, or gives it another round if it was given up before (FAILED). */
  TransactionHandle submitOrRetry(TransactionRequest request) {
    Optional<TransactionIntent> earlier = journal.intent(request.id());
    if (earlier.isPresent() && earlier.get().state() == IntentState.FAILED) {
      return sender.retry(request.id());
    }
    return sender.submit(request);
  }

  /** Whether an intent with this id was submitted before (journaled). */
  boolean submittedBefore(String intentId) {
    return journal.intent(intentId).isPresent();
  }

  /** Stops following payments. Recorded payments stay journaled; the next service over the journal resumes them. */
  @Override
  public void close() {
    sender.close();
  }

  @Override
  public String toString() {
    return "Payments[" + from + ", chain " + chain.chainId() + "]";
  }

  /** Builds {@link Payments}. */
  public static final class Builder {
    private @Nullable ChainClient chain;
    private @Nullable EvmSigner signer;
    private @Nullable WalletJournal journal;
    private int confirmations = 3;
    private BigInteger maxFeePerGas = FeeQuote.DEFAULT_MAX_FEE_CAP;
    private final List<PaymentListener> listeners = new ArrayList<>();
    private Executor callbacks = ForkJoinPool.commonPool();
    private Clock clock = Clock.systemUTC();
    private @Nullable Duration replaceAfter;

    private Builder() {}

    public Builder chain(ChainClient chain) {
      this.chain = Objects.requireNonNull(chain, "chain == null");
      return this;
    }

    /** The paying account's signer: a {@link WalletKey}, or an HSM, KMS or remote signer. */
    public Builder signer(EvmSigner signer) {
      this.signer = Objects.requireNonNull(signer, "signer == null");
      return this;
    }

    public Builder journal(WalletJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal == null");
      return this;
    }

    /** Blocks after which a payment is final; default 3. */
    public Builder confirmations(int confirmations) {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be at least 1, got " + confirmations);
      }
      this.confirmations = confirmations;
      return this;
    }

    /** The most paid per gas, in wei, replacements included; default 500 gwei. */
    public Builder maxFeePerGas(BigInteger weiPerGas) {
      Objects.requireNonNull(weiPerGas, "weiPerGas == null");
      if (weiPerGas.signum() <= 0) {
        throw new IllegalArgumentException("maxFeePerGas must be positive, got " + weiPerGas);
      }
      this.maxFeePerGas = weiPerGas;
      return this;
    }

    /** How long a broadcast transaction may wait unmined before it is replaced with higher fees; the layer's default if unset. */
    public Builder replaceAfter(Duration after) {
      Objects.requireNonNull(after, "after == null");
      if (after.isNegative() || after.isZero()) {
        throw new IllegalArgumentException("replaceAfter must be positive, got " + after);
      }
      this.replaceAfter = after;
      return this;
    }

    public Builder listener(PaymentListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /** Where the futures of handles complete; default the common pool. */
    public Builder callbackExecutor(Executor executor) {
      this.callbacks = Objects.requireNonNull(executor, "executor == null");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Builds the service: starts its transaction thread and resumes every recorded payment of the
     * signer's account that is not final.
     *
     * @throws io.chainseal.chain.ChainException if the chain cannot be reached
     */
    public Payments build() {
      return new Payments(this);
    }
  }
}
