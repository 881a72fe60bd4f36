package io.chainseal.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A service inside the chat — a bot, a translation, a file — that charges per request through payment
 * channels: it publishes a price list, and serves a request only once the voucher attached to it pays
 * the request's price on top of everything paid before, and is kept durably in its
 * {@link VoucherStore}. A crash loses no earned money (the highest voucher is on disk before the work
 * starts), and a replayed request is not served twice for one payment: a request retried with the
 * voucher that already paid for it (after a crash, or a lost answer) gets the answer kept for it, or
 * — if the crash came before the answer was kept — is served once more, without a second charge.
 * Answers are kept in the store: keep them small (a reference to a file, not the file).
 *
 * <p>The service accepts only channels to its own account, in the token of its price list, that stay
 * open for at least {@code minimumRemaining} by the chain's clock; set the recipient's
 * {@link ChannelWatcher} margin no larger, so that the service stops taking vouchers of a channel before
 * it is settled. Thread-safe: the vouchers of one channel are accepted one at a time.
 */
public final class PaidService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String name;
  private final ChannelContract contract;
  private final ChainClient chain;
  private final EvmAddress account;
  private final Token token;
  private final Map<String, BigInteger> prices;
  private final VoucherStore store;
  private final Duration minimumRemaining;
  private final Clock clock;
  private final Map<Hash32, Known> known = new ConcurrentHashMap<>();
  /** One lock per channel for reading it from the chain: two first requests must share one receiver. */
  private final Map<Hash32, Object> channelLocks = new ConcurrentHashMap<>();
  /** Requests being served now (channel | request | kind): a duplicate waits for nothing and is refused. */
  private final java.util.Set<String> inProgress = ConcurrentHashMap.newKeySet();
  /** How long a channel's state read from the chain is trusted before it is read again. */
  private static final Duration REFRESH_AFTER = Duration.ofSeconds(30);

  /** A channel as last read from the chain, with the chain's clock then (its last block's time). */
  private record Known(ChannelReceiver receiver, Instant chainTime, Instant readAt) {}

  /**
   * @param name what the service is called
   * @param contract the channel contract clients pay through
   * @param chain to read channels from
   * @param account the service's account: channels must pay it
   * @param token what prices are in
   * @param prices price per kind of request, in the token's smallest unit
   * @param store where the highest voucher of each channel is kept (durably: the wallet journal)
   */
  public PaidService(String name, ChannelContract contract, ChainClient chain, EvmAddress account, Token token, Map<String, BigInteger> prices,
      VoucherStore store) {
    this(name, contract, chain, account, token, prices, store, Duration.ofMinutes(10), Clock.systemUTC());
  }

  /** As the other constructor, with the least time a channel must stay open and a clock. */
  public PaidService(String name, ChannelContract contract, ChainClient chain, EvmAddress account, Token token, Map<String, BigInteger> prices,
      VoucherStore store, Duration minimumRemaining, Clock clock) {
    this.name = Objects.requireNonNull(name, "name == null");
    this.contract = Objects.requireNonNull(contract, "contract == null");
    this.chain = Objects.requireNonNull(chain, "chain == null");
    this.account = Objects.requireNonNull(account, "account == null");
    this.token = Objects.requireNonNull(token, "token == null");
    this.prices = Map.copyOf(new LinkedHashMap<>(prices));
    for (Map.Entry<String, BigInteger> price : this.prices.entrySet()) {
      if (price.getValue().signum() <= 0) {
        throw new IllegalArgumentException("price of " + price.getKey() + " must be positive, got " + price.getValue());
      }
    }
    this.store = Objects.requireNonNull(store, "store == null");
    this.minimumRemaining = Objects.requireNonNull(minimumRemaining, "minimumRemaining == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    if (contract.chainId() != chain.chainId()) {
      throw new IllegalArgumentException("the channel contract is on chain " + contract.chainId() + ", the node serves chain "
          + chain.chainId());
    }
  }

  /** The price list as JSON to publish in the chat: service, account, chain, contract, token and prices. */
  public String priceListJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "chainseal.price-list");
    root.put("service", name);
    root.put("payTo", account.checksummed());
    root.put("chainId", contract.chainId());
    root.put("channelContract", contract.address().checksummed());
    root.put("token", token.id());
    root.put("decimals", token.decimals());
    ObjectNode list = root.putObject("prices");
    prices.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> list.put(e.getKey(), e.getValue().toString()));
    return root.toString();
  }

  /** The price of {@code kind}, smallest unit. */
  public BigInteger price(String kind) throws PaymentException {
    BigInteger price = prices.get(kind);
    if (price == null) {
      throw new PaymentException(PaymentException.Reason.UNKNOWN_PAYMENT, name + " offers no '" + kind + "'; it offers " + prices.keySet());
    }
    return price;
  }

  /** An answered request: the answer, and what it was charged (zero when answered again after a retry). */
  public record Served(String requestId, String answer, BigInteger charged) {}

  /**
   * Serves request {@code requestId} of {@code kind} once {@code voucher} pays for it: checks the
   * channel and the voucher, keeps the voucher durably, then runs {@code work} and returns its answer.
   *
   * @throws VoucherException if the voucher does not pay for the request (nothing is served)
   * @throws PaymentException if the kind is unknown, or the channel is not acceptable (not to this
   *     service, another token, closing too soon) or cannot be read
   */
  public Served serve(String requestId, String kind, Voucher voucher, Function<String, String> work)
      throws VoucherException, PaymentException {
    Objects.requireNonNull(requestId, "requestId == null");
    Objects.requireNonNull(voucher, "voucher == null");
    Objects.requireNonNull(work, "work == null");
    if (requestId.isEmpty() || requestId.length() > 200) {
      throw new PaymentException(PaymentException.Reason.INVALID_ID, "a request id has 1-200 characters");
    }
    BigInteger price = price(kind);
    ChannelReceiver receiver = receiver(voucher.channelId());
    String paidFor = requestId + "|" + kind;
    String running = voucher.channelId().hex() + "|" + paidFor;
    if (!inProgress.add(running)) {
      throw new VoucherException(VoucherException.Reason.NOT_INCREASING, "request " + requestId + " is being served already");
    }
    try {
      ChannelReceiver.Accepted accepted = receiver.accept(voucher, price, paidFor);
      if (accepted.repeated() && accepted.answer() != null) {
        return new Served(requestId, accepted.answer(), BigInteger.ZERO); // answered before: the same answer, no new work
      }
      String answer = work.apply(requestId);
      receiver.answered(voucher, answer);
      return new Served(requestId, answer, accepted.increment());
    } finally {
      inProgress.remove(running);
    }
  }

  /**
   * Stops serving through {@code channelId} (after closing it, say): its next voucher reads the
   * channel from the chain again.
   */
  public void forget(Hash32 channelId) {
    known.remove(channelId);
  }

  /** The highest voucher kept for {@code channelId}: what closing the channel would earn. */
  public java.util.Optional<Voucher> earned(Hash32 channelId) {
    return store.highest(channelId);
  }

  /**
   * The receiver of an acceptable channel: open (read from the chain again every 30 s, so a closed,
   * reclaimed, topped-up or extended channel is seen), paying this service in its token, and with at
   * least {@code minimumRemaining} left before its expiry by the chain's clock.
   */
  private ChannelReceiver receiver(Hash32 channelId) throws PaymentException {
    Instant now = clock.instant();
    Known entry = known.get(channelId);
    if (entry == null || entry.readAt().plus(REFRESH_AFTER).isBefore(now)) {
      synchronized (channelLocks.computeIfAbsent(channelId, id -> new Object())) {
        entry = known.get(channelId);
        if (entry == null || entry.readAt().plus(REFRESH_AFTER).isBefore(now)) {
          entry = read(channelId, entry, now);
        }
      }
    }
    ChannelState state = entry.receiver().channel();
    Instant chainNow = entry.chainTime().plus(Duration.between(entry.readAt(), now).abs());
    if (state.expiry().isBefore(chainNow.plus(minimumRemaining))) {
      throw new PaymentException(PaymentException.Reason.REQUEST_EXPIRED, "channel " + channelId.hex0x() + " expires at " + state.expiry()
          + ", too soon to be paid through: close it");
    }
    return entry.receiver();
  }

  private Known read(Hash32 channelId, @org.jspecify.annotations.Nullable Known former, Instant now) throws PaymentException {
    ChannelState state;
    Instant chainTime;
    try {
      Optional<ChannelState> open = contract.state(chain, channelId);
      if (open.isEmpty()) {
        known.remove(channelId);
        throw new PaymentException(PaymentException.Reason.UNKNOWN_PAYMENT, "channel " + channelId.hex0x() + " is not open");
      }
      state = open.get();
      chainTime = chain.block(chain.blockNumber()).map(io.chainseal.chain.ChainBlock::timestamp).orElse(now);
    } catch (ChainException e) {
      throw new PaymentException(PaymentException.Reason.CHAIN_UNAVAILABLE, "could not read channel " + channelId.hex0x() + ": " + e.getMessage(), e);
    }
    if (!state.recipient().equals(account)) {
      throw new PaymentException(PaymentException.Reason.INVALID_ADDRESS, "channel " + channelId.hex0x() + " pays " + state.recipient()
          + ", not this service (" + account + ")");
    }
    if (!Objects.equals(state.token(), token.contract())) {
      throw new PaymentException(PaymentException.Reason.UNKNOWN_TOKEN, "channel " + channelId.hex0x() + " holds another token than "
          + token.symbol());
    }
    ChannelReceiver receiver;
    if (former != null) {
      receiver = former.receiver();
      receiver.update(state);
    } else {
      receiver = new ChannelReceiver(contract, state, store);
    }
    Known fresh = new Known(receiver, chainTime, now);
    known.put(channelId, fresh);
    return fresh;
  }

  @Override
  public String toString() {
    return "PaidService[" + name + ", " + account + ", " + prices.size() + " prices in " + token.symbol() + "]";
  }
}
