package io.chainseal.anchor.internal;

import io.chainseal.anchor.ChainBlock;
import io.chainseal.anchor.ChainClient;
import io.chainseal.anchor.ChainException;
import io.chainseal.anchor.ChainLog;
import io.chainseal.anchor.ChainReceipt;
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
    volatile int failures;

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

  public FailoverChainClient(List<ChainClient> clients, int rounds, Duration initialBackoff, Duration maxBackoff, Duration cooldown) {
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
  }

  /** Healthy endpoints in their given order, then benched ones, soonest back first. */
  private List<Endpoint> ordered() {
    long now = System.nanoTime();
    List<Endpoint> order = new ArrayList<>(endpoints);
    order.sort(Comparator.<Endpoint>comparingInt(e -> e.benchedUntil - now > 0 ? 1 : 0)
        .thenComparingLong(e -> e.benchedUntil - now > 0 ? e.benchedUntil - now : 0)
        .thenComparingInt(e -> e.order));
    return order;
  }

  private <T> T execute(String operation, Function<ChainClient, T> call) {
    Duration backoff = initialBackoff;
    ChainException last = null;
    for (int round = 1; round <= rounds; round++) {
      for (Endpoint endpoint : ordered()) {
        try {
          T result = call.apply(endpoint.client);
          if (endpoint.failures > 0) {
            log.info("endpoint {} answers again", endpoint.client.endpoint());
          }
          endpoint.failures = 0;
          endpoint.benchedUntil = 0;
          return result;
        } catch (ChainException e) {
          if (!e.retryable()) {
            throw e;
          }
          last = e;
          endpoint.failures++;
          endpoint.benchedUntil = System.nanoTime() + cooldown.toNanos();
          log.debug("{} failed on {} ({}); trying the next endpoint", operation, endpoint.client.endpoint(), e.getMessage());
        }
      }
      if (round < rounds) {
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ChainException(operation + " interrupted", false, e);
        }
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      }
    }
    throw new ChainException(operation + " failed on all " + endpoints.size() + " endpoints; last: "
        + (last == null ? "?" : last.getMessage()), true, last);
  }

  @Override
  public long chainId() {
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
  public Optional<ChainBlock> block(io.chainseal.anchor.BlockTag tag) {
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
  public Hash32 sendRawTransaction(byte[] signedTransaction) {
    return execute("eth_sendRawTransaction", c -> c.sendRawTransaction(signedTransaction));
  }

  @Override
  public BigInteger maxPriorityFeePerGas() {
    return execute("eth_maxPriorityFeePerGas", ChainClient::maxPriorityFeePerGas);
  }

  @Override
  public BigInteger estimateGas(EvmAddress from, @Nullable EvmAddress to, byte[] data) {
    return execute("eth_estimateGas", c -> c.estimateGas(from, to, data));
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
