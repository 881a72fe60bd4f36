package io.chainseal.chain.internal;

import io.chainseal.chain.BlockTag;

import io.chainseal.chain.ChainBlock;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.ChainTransaction;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChainClient} over several endpoints of one chain. Each call goes to the first healthy
 * endpoint, in the order given; an endpoint that fails with a retryable error (transport error, HTTP
 * 429/5xx, timeout, malformed answer) is benched for a cooldown and the call moves to the next one.
 * When every endpoint fails, the call pauses with exponential backoff and tries them all again, up to
 * {@code rounds} times. A benched endpoint returns to service when its cooldown ends (the next call
 * that reaches it is its health check). JSON-RPC rejections are not retried elsewhere: they are
 * answers, not faults. Thread-safe.
 */
public final class FailoverChainClient implements ChainClient {
  private static final Logger log = LoggerFactory.getLogger(FailoverChainClient.class);

  private static final class Endpoint {
    final ChainClient client;
    final int order;
    volatile long benchedUntil;
    final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether this endpoint was seen to serve the expected chain; an endpoint on another chain is never used. */
    volatile boolean chainChecked;
    volatile boolean wrongChain;

    Endpoint(ChainClient client, int order) {
      this.client = client;
      this.order = order;
    }
  }

  private final List<Endpoint> endpoints = new ArrayList<>();
  private final int rounds;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration cooldown;
  /** The chain every endpoint must serve: given, or the first answer of {@code eth_chainId}. */
  private volatile long expectedChainId;

  /**
   * @param expectedChainId the chain every endpoint must serve, or -1 to take the first endpoint's answer
   */
  public FailoverChainClient(List<ChainClient> clients, int rounds, Duration initialBackoff, Duration maxBackoff, Duration cooldown,
      long expectedChainId) {
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("no endpoints");
    }
    for (int i = 0; i < clients.size(); i++) {
      endpoints.add(new Endpoint(clients.get(i), i));
    }
    this.rounds = rounds;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.cooldown = cooldown;
    this.expectedChainId = expectedChainId;
  }

  /**
   * Checks, once per endpoint and before it answers anything else, that it serves the expected chain:
   * a fallback endpoint of another chain would otherwise answer with another chain's receipts and
   * nonces. Such an endpoint is excluded for good, loudly.
   */
  private void checkChain(Endpoint endpoint) {
    if (endpoint.chainChecked) {
      return;
    }
    long served = endpoint.client.chainId();
    synchronized (this) {
      if (expectedChainId < 0) {
        expectedChainId = served;
      }
    }
    if (served != expectedChainId) {
      endpoint.wrongChain = true;
      log.error("endpoint {} serves chain {}, not chain {}: it is excluded", endpoint.client.endpoint(), served,
          expectedChainId);
      throw new ChainException(ChainException.Kind.WRONG_CHAIN, "endpoint " + endpoint.client.endpoint() + " serves chain "
          + served + ", not chain " + expectedChainId);
    }
    endpoint.chainChecked = true;
  }

  /** Healthy endpoints in their given order, then benched ones, soonest back first. */
  private List<Endpoint> ordered() {
    long now = System.nanoTime();
    List<Endpoint> order = new ArrayList<>(endpoints);
    order.removeIf(e -> e.wrongChain);
    order.sort(Comparator.<Endpoint>comparingInt(e -> e.benchedUntil - now > 0 ? 1 : 0)
        .thenComparingLong(e -> e.benchedUntil - now > 0 ? e.benchedUntil - now : 0)
        .thenComparingInt(e -> e.order));
    return order;
  }

  private <T> T execute(String operation, Function<ChainClient, T> call) {
    Duration backoff = initialBackoff;
    ChainException last = null;
    for (int round = 1; round <= rounds; round++) {
      List<Endpoint> usable = ordered();
      if (usable.isEmpty()) {
        throw new ChainException(ChainException.Kind.WRONG_CHAIN, operation + ": every endpoint serves another chain than "
            + expectedChainId);
      }
      for (Endpoint endpoint : usable) {
        try {
          checkChain(endpoint);
          T result = call.apply(endpoint.client);
          if (endpoint.failures.getAndSet(0) > 0) {
            log.info("endpoint {} answers again", endpoint.client.endpoint());
          }
          endpoint.benchedUntil = 0;
          return result;
        } catch (ChainException e) {
          if (e.kind() == ChainException.Kind.WRONG_CHAIN && endpoint.wrongChain) {
            last = e;
            continue;
          }
          if (!e.retryable()) {
            throw e;
          }
          last = e;
          endpoint.failures.incrementAndGet();
          endpoint.benchedUntil = System.nanoTime() + cooldown.toNanos();
          log.debug("{} failed on {} ({}); trying the next endpoint", operation, endpoint.client.endpoint(), e.getMessage());
        }
      }
      if (round < rounds) {
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ChainException(ChainException.Kind.INTERRUPTED, operation + " interrupted", e);
        }
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      }
    }
    ChainException.Kind kind = last != null && last.kind() == ChainException.Kind.RATE_LIMITED ? ChainException.Kind.RATE_LIMITED
        : ChainException.Kind.UNREACHABLE;
    throw new ChainException(kind, operation + " failed on all " + endpoints.size() + " endpoints; last: "
        + (last == null ? "?" : last.getMessage()), last);
  }

  @Override
  public long chainId() {
    long expected = expectedChainId;
    if (expected >= 0 && endpoints.stream().anyMatch(e -> e.chainChecked)) {
      return expected;
    }
    return execute("eth_chainId", ChainClient::chainId);
  }

  @Override
  public long blockNumber() {
    return execute("eth_blockNumber", ChainClient::blockNumber);
  }

  @Override
  public Optional<ChainBlock> block(long number) {
    return execute("eth_getBlockByNumber", c -> c.block(number));
  }

  @Override
  public Optional<ChainBlock> block(io.chainseal.chain.BlockTag tag) {
    return execute("eth_getBlockByNumber", c -> c.block(tag));
  }

  @Override
  public Optional<ChainReceipt> receipt(Hash32 transactionHash) {
    return execute("eth_getTransactionReceipt", c -> c.receipt(transactionHash));
  }

  @Override
  public long transactionCount(EvmAddress address, boolean pending) {
    return execute("eth_getTransactionCount", c -> c.transactionCount(address, pending));
  }

  @Override
  public long transactionCount(EvmAddress address, long blockNumber) {
    return execute("eth_getTransactionCount", c -> c.transactionCount(address, blockNumber));
  }

  @Override
  public Hash32 sendRawTransaction(byte[] signedTransaction) {
    return execute("eth_sendRawTransaction", c -> c.sendRawTransaction(signedTransaction));
  }

  @Override
  public BigInteger maxPriorityFeePerGas() {
    return execute("eth_maxPriorityFeePerGas", ChainClient::maxPriorityFeePerGas);
  }

  @Override
  public BigInteger estimateGas(EvmAddress from, @Nullable EvmAddress to, BigInteger value, byte[] data) {
    return execute("eth_estimateGas", c -> c.estimateGas(from, to, value, data));
  }

  @Override
  public BigInteger balance(EvmAddress address) {
    return execute("eth_getBalance", c -> c.balance(address));
  }

  @Override
  public Optional<ChainTransaction> transaction(Hash32 hash) {
    return execute("eth_getTransactionByHash", c -> c.transaction(hash));
  }

  @Override
  public List<ChainLog> logs(EvmAddress address, List<java.util.Set<Hash32>> topics, long fromBlock, long toBlock) {
    return execute("eth_getLogs", c -> c.logs(address, topics, fromBlock, toBlock));
  }

  @Override
  public byte[] call(EvmAddress to, byte[] data) {
    return execute("eth_call", c -> c.call(to, data));
  }

  @Override
  public byte[] call(EvmAddress to, byte[] data, long blockNumber) {
    return execute("eth_call", c -> c.call(to, data, blockNumber));
  }

  @Override
  public List<byte[]> callAll(List<ContractCall> calls, long blockNumber) {
    return execute("eth_call batch", c -> c.callAll(calls, blockNumber));
  }

  @Override
  public String endpoint() {
    return String.join(", ", endpoints.stream().map(e -> e.client.endpoint()).toList());
  }

  @Override
  public void close() {
    endpoints.forEach(e -> e.client.close());
  }

  @Override
  public String toString() {
    return "ChainClient[" + endpoint() + "]";
  }
}
