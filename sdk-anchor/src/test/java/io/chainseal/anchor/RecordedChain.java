package io.chainseal.anchor;

import io.chainseal.chain.BlockTag;
import io.chainseal.chain.ChainBlock;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.testkit.LocalChain;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChainClient} that answers from a recorded chain snapshot instead of a node: the blocks,
 * the receipts of every transaction in them, and the latest and finalized block numbers, all in the
 * JSON-RPC shapes a node returns (docs/proof-format.md §11.2). What the online verification vectors
 * replay, so another implementation can check its verdicts without a node; {@link #record} takes
 * such a snapshot from a real one. Read-only: it refuses to send transactions.
 */
final class RecordedChain implements ChainClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long chainId;
  private final long latest;
  private final @Nullable Long finalized;
  private final Map<Long, ChainBlock> blocks = new LinkedHashMap<>();
  private final Map<Hash32, ChainReceipt> receipts = new LinkedHashMap<>();
  private final List<ChainLog> logs = new ArrayList<>();

  RecordedChain(JsonNode snapshot) {
    this.chainId = quantity(snapshot.get("chainId"));
    this.latest = quantity(snapshot.get("latest"));
    this.finalized = snapshot.get("finalized").isNull() ? null : quantity(snapshot.get("finalized"));
    for (JsonNode block : snapshot.get("blocks")) {
      long number = quantity(block.get("number"));
      blocks.put(number, new ChainBlock(number, Hash32.fromHex(block.get("hash").asText()),
          Instant.ofEpochSecond(quantity(block.get("timestamp"))), BigInteger.valueOf(quantity(block.get("baseFeePerGas")))));
    }
    for (JsonNode receipt : snapshot.get("receipts")) {
      List<ChainLog> receiptLogs = new ArrayList<>();
      for (JsonNode log : receipt.get("logs")) {
        List<Hash32> topics = new ArrayList<>();
        log.get("topics").forEach(t -> topics.add(Hash32.fromHex(t.asText())));
        receiptLogs.add(new ChainLog(EvmAddress.fromHex(log.get("address").asText()), topics,
            HexFormat.of().parseHex(log.get("data").asText().substring(2)), quantity(log.get("logIndex")),
            quantity(log.get("blockNumber")), Hash32.fromHex(log.get("transactionHash").asText()),
            Hash32.fromHex(log.get("blockHash").asText())));
      }
      logs.addAll(receiptLogs);
      JsonNode created = receipt.get("contractAddress");
      ChainReceipt parsed = new ChainReceipt(Hash32.fromHex(receipt.get("transactionHash").asText()),
          quantity(receipt.get("blockNumber")), Hash32.fromHex(receipt.get("blockHash").asText()),
          quantity(receipt.get("status")) == 1, BigInteger.valueOf(quantity(receipt.get("gasUsed"))),
          BigInteger.valueOf(quantity(receipt.get("effectiveGasPrice"))), EvmAddress.fromHex(receipt.get("from").asText()),
          created == null || created.isNull() ? null : EvmAddress.fromHex(created.asText()), receiptLogs);
      receipts.put(parsed.transactionHash(), parsed);
    }
  }

  private static long quantity(JsonNode node) {
    return Long.parseLong(node.asText().substring(2), 16);
  }

  /**
   * Records the chain of {@code local} as it is now: every block up to the head, the receipt of every
   * transaction in them, and the finalized block number.
   */
  static ObjectNode record(LocalChain local) {
    ObjectNode snapshot = JSON.createObjectNode();
    snapshot.put("chainId", local.rpc("eth_chainId").asText());
    JsonNode head = local.rpc("eth_getBlockByNumber", "latest", false);
    snapshot.put("latest", head.get("number").asText());
    snapshot.put("finalized", local.rpc("eth_getBlockByNumber", "finalized", false).get("number").asText());
    ArrayNode blocks = snapshot.putArray("blocks");
    ArrayNode receipts = snapshot.putArray("receipts");
    long headNumber = quantity(head.get("number"));
    for (long n = 0; n <= headNumber; n++) {
      JsonNode block = local.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(n), false);
      ObjectNode kept = blocks.addObject();
      for (String field : List.of("number", "hash", "parentHash", "timestamp", "baseFeePerGas")) {
        kept.set(field, block.get(field));
      }
      for (JsonNode tx : block.get("transactions")) {
        JsonNode receipt = local.rpc("eth_getTransactionReceipt", tx.asText());
        ObjectNode r = receipts.addObject();
        for (String field : List.of("transactionHash", "blockNumber", "blockHash", "status", "from", "to", "contractAddress",
            "gasUsed", "effectiveGasPrice")) {
          r.set(field, receipt.get(field));
        }
        ArrayNode rLogs = r.putArray("logs");
        for (JsonNode log : receipt.get("logs")) {
          ObjectNode l = rLogs.addObject();
          for (String field : List.of("address", "topics", "data", "logIndex", "blockNumber", "blockHash", "transactionHash")) {
            l.set(field, log.get(field));
          }
        }
      }
    }
    return snapshot;
  }

  /**
   * The same snapshot as a node that has not yet seen the blocks after {@code latest}: a lagging
   * endpoint behind a load balancer.
   */
  static ObjectNode truncated(JsonNode snapshot, long latest) {
    ObjectNode copy = snapshot.deepCopy();
    copy.put("latest", "0x" + Long.toHexString(latest));
    copy.put("finalized", "0x" + Long.toHexString(Math.min(latest, quantity(snapshot.get("finalized")))));
    ArrayNode blocks = copy.putArray("blocks");
    snapshot.get("blocks").forEach(b -> {
      if (quantity(b.get("number")) <= latest) {
        blocks.add(b);
      }
    });
    ArrayNode receipts = copy.putArray("receipts");
    snapshot.get("receipts").forEach(r -> {
      if (quantity(r.get("blockNumber")) <= latest) {
        receipts.add(r);
      }
    });
    return copy;
  }

  @Override
  public long chainId() {
    return chainId;
  }

  @Override
  public long blockNumber() {
    return latest;
  }

  @Override
  public Optional<ChainBlock> block(long number) {
    return number <= latest ? Optional.ofNullable(blocks.get(number)) : Optional.empty();
  }

  @Override
  public Optional<ChainBlock> block(BlockTag tag) {
    return switch (tag) {
      case LATEST -> block(latest);
      case SAFE, FINALIZED -> {
        if (finalized == null) {
          throw new ChainException(ChainException.Kind.UNSUPPORTED, "eth_getBlockByNumber rejected by recorded node: unknown block tag " + tag.rpcName()
              + " (code -32602)");
        }
        yield block(finalized);
      }
    };
  }

  @Override
  public Optional<ChainReceipt> receipt(Hash32 transactionHash) {
    return Optional.ofNullable(receipts.get(transactionHash));
  }

  @Override
  public List<ChainLog> logs(EvmAddress address, List<Set<Hash32>> topics, long fromBlock, long toBlock) {
    List<ChainLog> out = new ArrayList<>();
    for (ChainLog log : logs) {
      if (!log.address().equals(address) || log.blockNumber() < fromBlock || log.blockNumber() > Math.min(toBlock, latest)) {
        continue;
      }
      boolean matches = true;
      for (int i = 0; i < topics.size() && matches; i++) {
        matches = topics.get(i).isEmpty() || (i < log.topics().size() && topics.get(i).contains(log.topics().get(i)));
      }
      if (matches) {
        out.add(log);
      }
    }
    return out;
  }

  @Override
  public long transactionCount(EvmAddress address, boolean pending) {
    throw readOnly("eth_getTransactionCount");
  }

  @Override
  public long transactionCount(EvmAddress address, long blockNumber) {
    throw readOnly("eth_getTransactionCount");
  }

  @Override
  public Hash32 sendRawTransaction(byte[] signedTransaction) {
    throw readOnly("eth_sendRawTransaction");
  }

  @Override
  public BigInteger maxPriorityFeePerGas() {
    throw readOnly("eth_maxPriorityFeePerGas");
  }

  @Override
  public BigInteger estimateGas(EvmAddress from, @Nullable EvmAddress to, BigInteger value, byte[] data) {
    throw readOnly("eth_estimateGas");
  }

  @Override
  public byte[] call(EvmAddress to, byte[] data, long blockNumber) {
    throw readOnly("eth_call");
  }

  @Override
  public BigInteger balance(EvmAddress address) {
    throw readOnly("eth_getBalance");
  }

  @Override
  public java.util.Optional<io.chainseal.chain.ChainTransaction> transaction(Hash32 hash) {
    throw readOnly("eth_getTransactionByHash");
  }

  @Override
  public byte[] call(EvmAddress to, byte[] data) {
    throw readOnly("eth_call");
  }

  private static ChainException readOnly(String operation) {
    return new ChainException(ChainException.Kind.UNSUPPORTED, operation + ": a recorded chain answers only what was recorded");
  }

  @Override
  public String endpoint() {
    return "recorded chain " + chainId;
  }

  @Override
  public void close() {
    // nothing to release
  }
}
