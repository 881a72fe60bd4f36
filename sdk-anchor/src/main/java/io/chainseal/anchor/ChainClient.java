package io.chainseal.anchor;

import io.chainseal.anchor.internal.Web3jChainClient;
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

  /** The chain id the endpoint reports (EIP-155). */
  long chainId();

  long blockNumber();

  /** Block {@code number}, or empty if the node has no such block (yet). */
  Optional<ChainBlock> block(long number);

  /** The receipt of a mined transaction, or empty if it is unknown or still pending. */
  Optional<ChainReceipt> receipt(Hash32 transactionHash);

  /** The number of transactions sent from {@code address}, counting pending ones if {@code pending}. */
  long transactionCount(EvmAddress address, boolean pending);

  /** Broadcasts a signed transaction; returns its hash. */
  Hash32 sendRawTransaction(byte[] signedTransaction);

  /** The node's suggested priority fee (tip) per gas, in wei. */
  BigInteger maxPriorityFeePerGas();

  /** Gas the call would use, per {@code eth_estimateGas}; {@code to} null for a deployment. */
  BigInteger estimateGas(EvmAddress from, @Nullable EvmAddress to, byte[] data);

  /**
   * The logs of {@code address} in blocks {@code fromBlock..toBlock} (inclusive; -1 for the latest)
   * whose topics match {@code topics} position by position (a null entry matches anything).
   */
  java.util.List<ChainLog> logs(EvmAddress address, java.util.List<@Nullable Hash32> topics, long fromBlock, long toBlock);

  /** The result of an {@code eth_call} at the latest block. */
  byte[] call(EvmAddress to, byte[] data);

  /** The endpoint this client talks to, for messages. */
  String endpoint();

  @Override
  void close();

  /** Settings for the default (Web3j, HTTP) client. */
  final class Builder {
    private final String rpcUrl;
    private Duration timeout = Duration.ofSeconds(10);
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);

    private Builder(String rpcUrl) {
      this.rpcUrl = java.util.Objects.requireNonNull(rpcUrl, "rpcUrl == null");
    }

    /** Timeout of one HTTP request (connect, write and read); default 10 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
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
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    public ChainClient build() {
      return new Web3jChainClient(rpcUrl, timeout, maxAttempts, initialBackoff, maxBackoff);
    }
  }
}
