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
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * {@link ChainClient} on Web3j over HTTP. Transport failures, timeouts and malformed answers are
 * retried with exponential backoff; JSON-RPC errors are thrown as {@link ChainException}. Web3j's
 * types never leave this class.
 */
public final class Web3jChainClient implements ChainClient {
  private static final Logger log = LoggerFactory.getLogger(Web3jChainClient.class);

  /** The endpoint as messages show it: redacted (see {@link Endpoints#redact}). */
  private final String endpoint;
  /** The endpoint as given, only to scrub it out of error messages. */
  private final String url;
  private final Web3j web3j;
  private final OkHttpClient http;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private volatile long chainId = -1;

  public Web3jChainClient(String endpoint, Duration timeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this.endpoint = Endpoints.redact(endpoint);
    this.url = endpoint;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .callTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
        .retryOnConnectionFailure(false)
        .build();
    this.web3j = Web3j.build(new HttpService(endpoint, http)); // the full URL stays inside Web3j's service
  }

  @FunctionalInterface
  private interface Call<T extends Response<?>> {
    T send() throws IOException;
  }

  /**
   * Sends {@code call} and extracts its result with {@code extract}, retrying both: Web3j decodes
   * answers lazily, so a garbage value surfaces only when it is read, and must count as a malformed
   * answer (retryable), not escape as an unchecked exception.
   */
  private <R extends Response<?>, T> T call(String operation, Call<R> call, java.util.function.Function<R, T> extract) {
    Duration backoff = initialBackoff;
    ChainException last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        R response = call.send();
        if (response == null) {
          throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, operation + " on " + endpoint + ": empty answer");
        }
        if (response.hasError()) {
          Response.Error error = response.getError();
          String message = String.valueOf(error.getMessage());
          throw new ChainException(NodeErrors.classify(error.getCode(), message), operation + " rejected by " + endpoint
              + ": " + message + " (code " + error.getCode() + ")");
        }
        return extract.apply(response);
      } catch (IOException e) {
        last = new ChainException(ChainException.Kind.UNREACHABLE, operation + " failed on " + endpoint + ": " + describe(e),
            Endpoints.scrubbed(e, url));
      } catch (ChainException e) {
        if (!e.retryable()) {
          throw e;
        }
        last = e;
      } catch (RuntimeException e) {
        // Web3j decodes answers lazily and throws unchecked exceptions on garbage: a malformed answer.
        // An HTTP status Web3j reports as a ClientConnectionException is the endpoint's trouble, not the data's.
        last = new ChainException(httpStatusKind(e), operation + " got a malformed answer from " + endpoint + ": "
            + describe(e), Endpoints.scrubbed(e, url));
      }
      if (attempt < maxAttempts) {
        log.debug("{} (attempt {}/{}), retrying in {} ms", last.getMessage(), attempt, maxAttempts, backoff.toMillis());
        sleep(backoff);
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      }
    }
    throw last;
  }

  private static ChainException.Kind httpStatusKind(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof org.web3j.protocol.exceptions.ClientConnectionException) {
      return message.contains(": 429") ? ChainException.Kind.RATE_LIMITED : ChainException.Kind.UNREACHABLE;
    }
    return ChainException.Kind.MALFORMED_ANSWER;
  }

  /** The exception's class and first line, with the endpoint's URL and host scrubbed out (OkHttp and the JDK quote them). */
  private String describe(Throwable e) {
    String message = e.getMessage();
    String line = message == null ? "" : message.lines().findFirst().orElse("");
    line = Endpoints.scrub(line, url);
    return e.getClass().getSimpleName() + (line.isEmpty() ? "" : ": " + line);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainException(ChainException.Kind.INTERRUPTED, "interrupted while waiting to retry", e);
    }
  }

  private static <T> T present(@Nullable T value, String operation) {
    if (value == null) {
      throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, operation + ": answer without a result");
    }
    return value;
  }

  @Override
  public long chainId() {
    long cached = chainId;
    if (cached < 0) {
      cached = call("eth_chainId", () -> web3j.ethChainId().send(), r -> r.getChainId().longValueExact());
      chainId = cached;
    }
    return cached;
  }

  @Override
  public long blockNumber() {
    return call("eth_blockNumber", () -> web3j.ethBlockNumber().send(),
        r -> present(r.getBlockNumber(), "eth_blockNumber").longValueExact());
  }

  @Override
  public Optional<ChainBlock> block(long number) {
    return block(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)));
  }

  @Override
  public Optional<ChainBlock> block(io.chainseal.chain.BlockTag tag) {
    DefaultBlockParameterName name = switch (tag) {
      case LATEST -> DefaultBlockParameterName.LATEST;
      case SAFE -> DefaultBlockParameterName.SAFE;
      case FINALIZED -> DefaultBlockParameterName.FINALIZED;
    };
    return block(name);
  }

  private Optional<ChainBlock> block(DefaultBlockParameter which) {
    return call("eth_getBlockByNumber", () -> web3j.ethGetBlockByNumber(which, false).send(), r -> {
      EthBlock.Block block = r.getBlock();
      if (block == null) {
        return Optional.<ChainBlock>empty();
      }
      BigInteger baseFee = block.getBaseFeePerGasRaw() == null ? BigInteger.ZERO : block.getBaseFeePerGas();
      return Optional.of(new ChainBlock(block.getNumber().longValueExact(), Hash32.fromHex(block.getHash()),
          Instant.ofEpochSecond(block.getTimestamp().longValueExact()), baseFee));
    });
  }

  @Override
  public Optional<ChainReceipt> receipt(Hash32 transactionHash) {
    return call("eth_getTransactionReceipt", () -> web3j.ethGetTransactionReceipt(transactionHash.hex0x()).send(), r -> {
      Optional<TransactionReceipt> receipt = r.getTransactionReceipt();
      if (receipt.isEmpty() || receipt.get().getBlockHash() == null || receipt.get().getBlockNumberRaw() == null) {
        return Optional.<ChainReceipt>empty();
      }
      return Optional.of(convert(receipt.get()));
    });
  }

  private static ChainLog convert(Log entry) {
    List<Hash32> topics = new ArrayList<>();
    for (String topic : entry.getTopics()) {
      topics.add(Hash32.fromHex(topic));
    }
    return new ChainLog(EvmAddress.fromHex(entry.getAddress()), topics, Numeric.hexStringToByteArray(entry.getData()),
        entry.getLogIndex().longValueExact(), entry.getBlockNumber().longValueExact(), Hash32.fromHex(entry.getTransactionHash()),
        Hash32.fromHex(entry.getBlockHash()));
  }

  @Override
  public List<ChainLog> logs(EvmAddress address, List<java.util.Set<Hash32>> topics, long fromBlock, long toBlock) {
    org.web3j.protocol.core.methods.request.EthFilter filter = new org.web3j.protocol.core.methods.request.EthFilter(
        DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)), DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)),
        address.lowercase());
    for (java.util.Set<Hash32> accepted : topics) {
      if (accepted.isEmpty()) {
        filter.addNullTopic();
      } else if (accepted.size() == 1) {
        filter.addSingleTopic(accepted.iterator().next().hex0x());
      } else {
        filter.addOptionalTopics(accepted.stream().map(Hash32::hex0x).sorted().toArray(String[]::new));
      }
    }
    return call("eth_getLogs", () -> web3j.ethGetLogs(filter).send(), r -> {
      List<ChainLog> out = new ArrayList<>();
      for (org.web3j.protocol.core.methods.response.EthLog.LogResult<?> result : r.getLogs()) {
        if (result.get() instanceof Log entry) {
          out.add(convert(entry));
        }
      }
      return out;
    });
  }

  private static ChainReceipt convert(TransactionReceipt r) {
    List<ChainLog> logs = new ArrayList<>();
    for (Log entry : r.getLogs()) {
      logs.add(convert(entry));
    }
    BigInteger price = r.getEffectiveGasPrice() == null ? BigInteger.ZERO : Numeric.decodeQuantity(r.getEffectiveGasPrice());
    return new ChainReceipt(Hash32.fromHex(r.getTransactionHash()), r.getBlockNumber().longValueExact(),
        Hash32.fromHex(r.getBlockHash()), r.isStatusOK(), r.getGasUsed(), price, EvmAddress.fromHex(r.getFrom()),
        r.getContractAddress() == null ? null : EvmAddress.fromHex(r.getContractAddress()), logs);
  }

  @Override
  public long transactionCount(EvmAddress address, boolean pending) {
    return call("eth_getTransactionCount", () -> web3j.ethGetTransactionCount(address.lowercase(),
        pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST).send(),
        r -> r.getTransactionCount().longValueExact());
  }

  @Override
  public long transactionCount(EvmAddress address, long blockNumber) {
    return call("eth_getTransactionCount", () -> web3j.ethGetTransactionCount(address.lowercase(),
        DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber))).send(), r -> r.getTransactionCount().longValueExact());
  }

  @Override
  public Hash32 sendRawTransaction(byte[] signedTransaction) {
    String hex = Numeric.toHexString(signedTransaction);
    Hash32 expected = Hash32.fromHex(Hash.sha3(hex));
    try {
      Hash32 hash = call("eth_sendRawTransaction", () -> web3j.ethSendRawTransaction(hex).send(),
          r -> r.getTransactionHash() == null ? expected : Hash32.fromHex(r.getTransactionHash()));
      if (!hash.equals(expected)) {
        throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "eth_sendRawTransaction on " + endpoint
            + " answered hash " + hash.hex0x() + " for " + expected.hex0x());
      }
      return hash;
    } catch (ChainException e) {
      if (e.kind() == ChainException.Kind.ALREADY_KNOWN) {
        return expected; // a retry of a broadcast that had arrived: same transaction, same hash
      }
      throw e;
    }
  }

  @Override
  public BigInteger maxPriorityFeePerGas() {
    return call("eth_maxPriorityFeePerGas", () -> web3j.ethMaxPriorityFeePerGas().send(), r -> r.getMaxPriorityFeePerGas());
  }

  @Override
  public BigInteger estimateGas(EvmAddress from, @Nullable EvmAddress to, BigInteger value, byte[] data) {
    Transaction tx = new Transaction(from.lowercase(), null, null, null, to == null ? null : to.lowercase(), value,
        Numeric.toHexString(data));
    return call("eth_estimateGas", () -> web3j.ethEstimateGas(tx).send(), r -> r.getAmountUsed());
  }

  @Override
  public BigInteger balance(EvmAddress address) {
    return call("eth_getBalance", () -> web3j.ethGetBalance(address.lowercase(), DefaultBlockParameterName.LATEST).send(),
        r -> r.getBalance());
  }

  @Override
  public Optional<ChainTransaction> transaction(Hash32 hash) {
    return call("eth_getTransactionByHash", () -> web3j.ethGetTransactionByHash(hash.hex0x()).send(), r -> {
      Optional<org.web3j.protocol.core.methods.response.Transaction> found = r.getTransaction();
      if (found.isEmpty()) {
        return Optional.<ChainTransaction>empty();
      }
      org.web3j.protocol.core.methods.response.Transaction tx = found.get();
      Hash32 reported = Hash32.fromHex(tx.getHash());
      if (!reported.equals(hash)) {
        throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "eth_getTransactionByHash on " + endpoint + " answered for another transaction");
      }
      String input = tx.getInput() == null ? "0x" : tx.getInput();
      Long chainId = tx.getChainIdRaw() == null ? null : tx.getChainId();
      Long block = tx.getBlockNumberRaw() == null ? null : tx.getBlockNumber().longValueExact();
      return Optional.of(new ChainTransaction(reported, EvmAddress.fromHex(tx.getFrom()),
          tx.getTo() == null ? null : EvmAddress.fromHex(tx.getTo()), tx.getValue(),
          HexFormat.of().parseHex(Numeric.cleanHexPrefix(input)), tx.getNonce().longValueExact(), chainId, block));
    });
  }

  @Override
  public byte[] call(EvmAddress to, byte[] data) {
    Transaction tx = Transaction.createEthCallTransaction(null, to.lowercase(), Numeric.toHexString(data));
    return call("eth_call", () -> web3j.ethCall(tx, DefaultBlockParameterName.LATEST).send(),
        r -> r.getValue() == null ? new byte[0] : HexFormat.of().parseHex(Numeric.cleanHexPrefix(r.getValue())));
  }

  @Override
  public byte[] call(EvmAddress to, byte[] data, long blockNumber) {
    if (blockNumber < 0) {
      throw new IllegalArgumentException("blockNumber < 0");
    }
    Transaction tx = Transaction.createEthCallTransaction(null, to.lowercase(), Numeric.toHexString(data));
    return call("eth_call", () -> web3j.ethCall(tx, org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber))).send(),
        r -> r.getValue() == null ? new byte[0] : HexFormat.of().parseHex(Numeric.cleanHexPrefix(r.getValue())));
  }

  @Override
  public List<byte[]> callAll(List<ContractCall> calls, long blockNumber) {
    if (blockNumber < 0) {
      throw new IllegalArgumentException("blockNumber < 0");
    }
    DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber));
    List<byte[]> out = new ArrayList<>(calls.size());
    for (int from = 0; from < calls.size(); ) {
      int end = from;
      long bytes = 0;
      while (end < calls.size() && end - from < MAX_BATCH && (end == from || bytes + calls.get(end).data().length <= MAX_BATCH_BYTES)) {
        bytes += calls.get(end).data().length;
        end++;
      }
      List<ContractCall> chunk = calls.subList(from, end);
      from = end;
      out.addAll(call("eth_call batch of " + chunk.size(), () -> {
        BatchRequest batch = web3j.newBatch();
        List<Long> ids = new ArrayList<>(chunk.size());
        for (ContractCall c : chunk) {
          EvmAddress to = c.to();
          var request = web3j.ethCall(Transaction.createEthCallTransaction(null, to == null ? null : to.lowercase(),
              Numeric.toHexString(c.data())), at);
          ids.add(request.getId());
          batch.add(request);
        }
        Response<List<? extends Response<?>>> answer = new Response<>();
        answer.setResult(inRequestOrder(batch.send().getResponses(), ids));
        return answer;
      }, answer -> results(answer.getResult(), chunk.size())));
    }
    return out;
  }

  /**
   * The answers of a batch in the order of its requests, matched by JSON-RPC id: a node may answer a
   * batch in any order, and Web3j pairs answers with requests by position.
   */
  private List<? extends Response<?>> inRequestOrder(@Nullable List<? extends Response<?>> answers, List<Long> ids) {
    if (answers == null || answers.size() != ids.size()) {
      throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "eth_call batch on " + endpoint + ": "
          + (answers == null ? "no" : answers.size()) + " answers to " + ids.size() + " calls");
    }
    java.util.Map<Long, Response<?>> byId = new java.util.HashMap<>();
    for (Response<?> answer : answers) {
      if (byId.put(answer.getId(), answer) != null) {
        throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "eth_call batch on " + endpoint + ": two answers with id "
            + answer.getId());
      }
    }
    List<Response<?>> ordered = new ArrayList<>(ids.size());
    for (long id : ids) {
      Response<?> answer = byId.get(id);
      if (answer == null) {
        throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "eth_call batch on " + endpoint + ": no answer with id " + id);
      }
      ordered.add(answer);
    }
    return ordered;
  }

  /** Each answer of a batch of eth_calls, in order; the node's error for the first that failed. */
  private List<byte[]> results(@Nullable List<? extends Response<?>> answers, int expected) {
    if (answers == null || answers.size() != expected) {
      throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "eth_call batch on " + endpoint + ": "
          + (answers == null ? "no" : answers.size()) + " answers to " + expected + " calls");
    }
    List<byte[]> results = new ArrayList<>(expected);
    for (Response<?> answer : answers) {
      if (answer.hasError()) {
        String message = String.valueOf(answer.getError().getMessage());
        throw new ChainException(NodeErrors.classify(answer.getError().getCode(), message), "eth_call in a batch rejected by "
            + endpoint + ": " + message + " (code " + answer.getError().getCode() + ")");
      }
      Object value = answer.getResult();
      if (!(value instanceof String hex)) {
        throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "eth_call batch on " + endpoint + ": an answer without a result");
      }
      results.add(HexFormat.of().parseHex(Numeric.cleanHexPrefix(hex)));
    }
    return results;
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    web3j.shutdown();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "ChainClient[" + endpoint + "]";
  }
}
