package io.chainseal.chain;

import io.chainseal.chain.internal.FailoverChainClient;

import io.chainseal.chain.internal.Web3jChainClient;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The few JSON-RPC operations Chainseal needs from an EVM node, in Chainseal's own types. The
 * anchorer, the verifier and the wallet talk to the chain only through this interface, so the
 * engine behind it (Web3j by default) stays replaceable and the logic testable.
 *
 * <p>Every method throws {@link ChainException} when it fails — RPC errors are never returned as data.
 * Implementations must be thread-safe.
 */
public interface ChainClient extends AutoCloseable {
  /** A client of the HTTP JSON-RPC endpoint {@code rpcUrl}, with default timeouts and retries. */
  static ChainClient http(String rpcUrl) {
    return builder(rpcUrl).build();
  }

  static Builder builder(String rpcUrl) {
    return new Builder(rpcUrl);
  }

  /**
   * A client over several endpoints of the same chain, tried in this order: a failing endpoint is
   * benched for a while and calls move to the next one (see {@link Builder#endpoint(String)}).
   */
  static Builder builder(String firstUrl, String... moreUrls) {
    Builder builder = new Builder(firstUrl);
    for (String url : moreUrls) {
      builder.endpoint(url);
    }
    return builder;
  }

  /** The chain id the endpoint reports (EIP-155). */
  long chainId();

  long blockNumber();

  /** Block {@code number}, or empty if the node has no such block (yet). */
  Optional<ChainBlock> block(long number);

  /**
   * The block a tag names, e.g. the head ({@link BlockTag#LATEST}) with its hash, or the finalized
   * block. Empty if the node knows no such block (a chain without finality has no finalized block);
   * a node that does not support the tag throws a non-retryable {@link ChainException}.
   */
  Optional<ChainBlock> block(BlockTag tag);

  /** The receipt of a mined transaction, or empty if it is unknown or still pending. */
  Optional<ChainReceipt> receipt(Hash32 transactionHash);

  /** The number of transactions sent from {@code address}, counting pending ones if {@code pending}. */
  long transactionCount(EvmAddress address, boolean pending);

  /**
   * The number of transactions sent from {@code address} mined in blocks up to {@code blockNumber}
   * ({@code eth_getTransactionCount} at that block): e.g. at the finalized block, a count no
   * reorganization or lagging node can take back.
   */
  long transactionCount(EvmAddress address, long blockNumber);

  /** Broadcasts a signed transaction; returns its hash. */
  Hash32 sendRawTransaction(byte[] signedTransaction);

  /** The node's suggested priority fee (tip) per gas, in wei. */
  BigInteger maxPriorityFeePerGas();

  /** Gas the call would use, per {@code eth_estimateGas}; {@code to} null for a deployment. */
  default BigInteger estimateGas(EvmAddress from, @Nullable EvmAddress to, byte[] data) {
    return estimateGas(from, to, BigInteger.ZERO, data);
  }

  /** {@code eth_estimateGas} of a call that sends {@code value} wei along; a revert is a {@link ChainException} of kind REVERTED. */
  BigInteger estimateGas(EvmAddress from, @Nullable EvmAddress to, BigInteger value, byte[] data);

  /** {@code eth_getBalance} at the latest block, in wei. */
  BigInteger balance(EvmAddress address);

  /** {@code eth_getTransactionByHash}: empty if the node does not know the transaction. */
  Optional<ChainTransaction> transaction(Hash32 hash);

  /**
   * The logs of {@code address} in blocks {@code fromBlock..toBlock} (inclusive) whose topics match
   * {@code topics} position by position: each position lists the values accepted there (any of them),
   * an empty set accepts anything. Nodes limit the block range or the number of results of one query;
   * callers query bounded ranges.
   */
  java.util.List<ChainLog> logs(EvmAddress address, java.util.List<java.util.Set<Hash32>> topics, long fromBlock, long toBlock);

  /** The result of an {@code eth_call} at the latest block. */
  byte[] call(EvmAddress to, byte[] data);

  /**
   * The result of an {@code eth_call} against the state at block {@code blockNumber} (a balance at a
   * snapshot, say). Nodes that prune old state refuse calls at old blocks (an archive node answers).
   */
  byte[] call(EvmAddress to, byte[] data, long blockNumber);

  /**
   * One {@code eth_call} of a {@link #callAll} batch: a contract and its call data — or, with no
   * contract, init code that runs without being deployed and whose returned bytes are the result (a
   * "deployless" read of many values in one call).
   */
  record ContractCall(@Nullable EvmAddress to, byte[] data) {
    public ContractCall {
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof ContractCall that && java.util.Objects.equals(to, that.to) && java.util.Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Objects.hashCode(to) + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "ContractCall[to=" + to + ", " + data.length + " bytes]";
    }
  }

  /**
   * The results of many {@code eth_call}s against the state at {@code blockNumber}, in the order of
   * {@code calls}, sent as JSON-RPC batch requests of at most {@link #MAX_BATCH} calls and
   * {@link #MAX_BATCH_BYTES} of call data — one round
   * trip per batch instead of one per call (weights of thousands of voters, say). Any call that
   * fails fails the whole: the results are all of one block's state, or none.
   *
   * <p>This default asks one call at a time, for clients that cannot batch; Chainseal's HTTP client
   * batches.
   */
  default java.util.List<byte[]> callAll(java.util.List<ContractCall> calls, long blockNumber) {
    java.util.List<byte[]> out = new java.util.ArrayList<>(calls.size());
    for (ContractCall call : calls) {
      EvmAddress to = call.to();
      if (to == null) {
        throw new ChainException(ChainException.Kind.REJECTED, "this client makes no deployless calls: " + getClass().getName());
      }
      out.add(call(to, call.data(), blockNumber));
    }
    return out;
  }

  /** The most calls {@link #callAll} puts in one JSON-RPC batch request (public endpoints refuse larger ones). */
  int MAX_BATCH = 500;

  /** The most call data {@link #callAll} puts in one JSON-RPC batch request, in bytes (nodes limit request bodies). */
  int MAX_BATCH_BYTES = 1 << 20;

  /** The endpoint this client talks to, for messages. */
  String endpoint();

  @Override
  void close();

  /** Settings for the default (Web3j, HTTP) client. */
  final class Builder {
    private final java.util.List<String> urls = new java.util.ArrayList<>();
    private Duration cooldown = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofSeconds(10);
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private long chainId = -1;

    private Builder(String rpcUrl) {
      urls.add(java.util.Objects.requireNonNull(rpcUrl, "rpcUrl == null"));
    }

    /**
     * Adds a fallback endpoint of the same chain. With several endpoints, each call is tried on the
     * first healthy one; transport errors, HTTP 429/5xx, timeouts and malformed answers bench an
     * endpoint for the cooldown and move the call to the next; when all fail, the call backs off and
     * tries them all again, up to {@link #maxAttempts} rounds.
     */
    public Builder endpoint(String rpcUrl) {
      urls.add(java.util.Objects.requireNonNull(rpcUrl, "rpcUrl == null"));
      return this;
    }

    /**
     * The chain every endpoint must serve. With several endpoints, each is checked once before it is
     * used, and one that serves another chain is excluded for good (by default the first answer of
     * {@code eth_chainId} sets the expectation).
     */
    public Builder chainId(long chainId) {
      if (chainId < 1) {
        throw new IllegalArgumentException("chainId must be at least 1, got " + chainId);
      }
      this.chainId = chainId;
      return this;
    }

    /** How long a failed endpoint is skipped (while others answer); default 5 s. */
    public Builder cooldown(Duration cooldown) {
      this.cooldown = positive(cooldown, "cooldown");
      return this;
    }

    /** Timeout of one HTTP request (connect, write and read); default 10 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** Attempts per call on retryable failures, with exponential backoff; default 5. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts < 1");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** First and largest pause between attempts; default 100 ms and 2 s. */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = positive(initial, "initial backoff");
      this.maxBackoff = positive(max, "max backoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff " + max + " is below the initial backoff " + initial);
      }
      return this;
    }

    private static Duration positive(Duration value, String name) {
      java.util.Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    public ChainClient build() {
      if (urls.size() == 1 && chainId < 0) {
        return new Web3jChainClient(urls.get(0), timeout, maxAttempts, initialBackoff, maxBackoff);
      }
      java.util.List<ChainClient> clients = new java.util.ArrayList<>();
      for (String url : urls) {
        clients.add(new Web3jChainClient(url, timeout, 1, initialBackoff, maxBackoff));
      }
      return new io.chainseal.chain.internal.FailoverChainClient(clients, maxAttempts, initialBackoff, maxBackoff, cooldown,
          chainId);
    }
  }
}
