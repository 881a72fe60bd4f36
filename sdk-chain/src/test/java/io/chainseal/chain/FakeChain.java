package io.chainseal.chain;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SignatureException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.utils.Numeric;

/**
 * An in-memory chain behind the {@link ChainClient} SPI, for tests that must run in milliseconds and
 * stage what a real node does not do on demand: a reverted transaction, a dropped one, fees below
 * the base fee, a used nonce, a node whose receipts lag behind its blocks, a reorganization, a
 * failing endpoint. It keeps the rules that matter to a sender: per-sender nonces, a mempool with
 * replacement by at least 10 % higher fees, mining in nonce order, block hashes, logs with block-wide
 * log indexes, a finalized block a fixed depth below the head.
 *
 * <p>Contracts are {@link Program}s registered at an address: a program turns a call into logs (or a
 * revert). Everything is synchronized: share one instance between the code under test and the test.
 */
public final class FakeChain implements ChainClient {
  /** What a call to a contract does. */
  @FunctionalInterface
  public interface Program {
    /** Executes a call; throw {@link Revert} to revert. Returns the logs as (topics, data) pairs. */
    List<LogSpec> execute(EvmAddress from, byte[] data);
  }

  /** A log a program emits. */
  public record LogSpec(List<Hash32> topics, byte[] data) {}

  /** Thrown by a program to revert the call. */
  public static final class Revert extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Revert(String reason) {
      super(reason);
    }
  }

  /** A transaction as the fake decoded it. */
  public record Tx(Hash32 hash, EvmAddress from, long nonce, @Nullable EvmAddress to, byte[] data, BigInteger maxFeePerGas,
      BigInteger maxPriorityFeePerGas, BigInteger gasLimit, byte[] raw) {}

  private record Block(long number, Hash32 hash, Hash32 parent, Instant timestamp, BigInteger baseFee, List<Hash32> txs) {}

  private final long chainId;
  private final Map<Long, Block> blocks = new TreeMap<>();
  private final Map<Hash32, ChainReceipt> receipts = new HashMap<>();
  private final Map<Hash32, Tx> known = new HashMap<>();
  /** Pending transactions by sender and nonce. */
  private final Map<EvmAddress, TreeMap<Long, Tx>> mempool = new HashMap<>();
  /** Transactions mined per sender: the sender's nonce. */
  private final Map<EvmAddress, Long> minedNonces = new HashMap<>();
  private final Map<EvmAddress, Program> programs = new HashMap<>();
  private final List<Predicate<Tx>> revertRules = new ArrayList<>();
  private final List<Map.Entry<Predicate<String>, ChainException.Kind>> failures = new ArrayList<>();
  private int laggingReceipts;
  private int laggingBlocks;
  private boolean automine = true;
  private BigInteger baseFee = BigInteger.valueOf(1_000_000_000L);
  private BigInteger tip = BigInteger.valueOf(1_000_000_000L);
  private int finalityDepth = 64;
  private long head;
  private long forks;
  private Instant time = Instant.parse("2026-01-01T00:00:00Z");
  private int sends;

  public FakeChain(long chainId) {
    this.chainId = chainId;
    blocks.put(0L, new Block(0, hash("genesis", 0, 0), Hash32.of(new byte[32]), time, baseFee, List.of()));
  }

  // ----------------------------------------------------------------------------------------------
  // Staging

  /** Registers a contract at {@code address}. */
  public synchronized FakeChain deploy(EvmAddress address, Program program) {
    programs.put(address, program);
    return this;
  }

  /** Whether each accepted transaction is mined in a block of its own at once (default true). */
  public synchronized FakeChain automine(boolean on) {
    this.automine = on;
    if (on) {
      mineInternal();
    }
    return this;
  }

  /** The base fee of the next blocks. */
  public synchronized FakeChain baseFee(BigInteger weiPerGas) {
    this.baseFee = weiPerGas;
    return this;
  }

  /** How far below the head the {@code finalized} block is (default 64). */
  public synchronized FakeChain finalityDepth(int blocks) {
    this.finalityDepth = blocks;
    return this;
  }

  /** Mined transactions matching {@code rule} revert (status 0, no logs), until {@link #clearReverts()}. */
  public synchronized FakeChain revertWhen(Predicate<Tx> rule) {
    revertRules.add(rule);
    return this;
  }

  public synchronized FakeChain clearReverts() {
    revertRules.clear();
    return this;
  }

  /** The next call of an operation whose name matches {@code operation} fails with {@code kind}, once. */
  public synchronized FakeChain failNext(Predicate<String> operation, ChainException.Kind kind) {
    failures.add(Map.entry(operation, kind));
    return this;
  }

  /**
   * Receipts and logs of the newest {@code blocks} blocks are not served (answered "unknown", left out),
   * while the head and transaction counts are current: a load balancer whose nodes disagree. 0 ends it.
   */
  public synchronized FakeChain lagBlocks(int blocks) {
    this.laggingBlocks = blocks;
    return this;
  }

  /** The next {@code calls} receipt lookups answer "unknown", as a node behind a load balancer that lags. */
  public synchronized FakeChain lagReceipts(int calls) {
    this.laggingReceipts = calls;
    return this;
  }

  /** Removes a pending transaction from the mempool, as a node that evicts it. Returns whether it was pending. */
  public synchronized boolean drop(Hash32 transaction) {
    for (TreeMap<Long, Tx> pending : mempool.values()) {
      if (pending.values().removeIf(tx -> tx.hash().equals(transaction))) {
        return true;
      }
    }
    return false;
  }

  /** Mines one block with every pending transaction that can go in (consecutive nonces per sender). */
  public synchronized long mine() {
    return mineInternal();
  }

  /** Mines {@code n} blocks. */
  public synchronized void mine(int n) {
    for (int i = 0; i < n; i++) {
      mineInternal();
    }
  }

  /**
   * Replaces the last {@code depth} blocks with as many new ones; the transactions they held go back to
   * the mempool if {@code keepTransactions} (and are mined again into the new blocks), else vanish.
   */
  public synchronized void reorg(int depth, boolean keepTransactions) {
    long from = head - depth + 1;
    List<Tx> orphaned = new ArrayList<>();
    for (long n = head; n >= from; n--) {
      Block block = blocks.remove(n);
      for (Hash32 hash : block.txs()) {
        ChainReceipt receipt = receipts.remove(hash);
        Tx tx = known.get(hash);
        minedNonces.merge(receipt.from(), -1L, Long::sum);
        if (keepTransactions) {
          orphaned.add(tx);
        }
      }
    }
    head = from - 1;
    forks++;
    boolean wasAutomine = automine;
    automine = false;
    for (Tx tx : orphaned) {
      mempool.computeIfAbsent(tx.from(), k -> new TreeMap<>()).put(tx.nonce(), tx);
    }
    for (int i = 0; i < depth; i++) {
      mineInternal();
    }
    automine = wasAutomine;
  }

  /** Every transaction ever accepted, by hash. */
  public synchronized Optional<Tx> accepted(Hash32 hash) {
    return Optional.ofNullable(known.get(hash));
  }

  /** Mined transactions of {@code from}, in block order. */
  public synchronized List<Tx> mined(EvmAddress from) {
    List<Tx> out = new ArrayList<>();
    for (Block block : blocks.values()) {
      for (Hash32 hash : block.txs()) {
        if (receipts.get(hash).from().equals(from)) {
          out.add(known.get(hash));
        }
      }
    }
    return out;
  }

  /** Pending transactions of {@code from}, by nonce. */
  public synchronized List<Tx> pending(EvmAddress from) {
    return new ArrayList<>(mempool.getOrDefault(from, new TreeMap<>()).values());
  }

  /** Every log of {@code address} on the canonical chain. */
  public synchronized List<ChainLog> allLogs(EvmAddress address) {
    return logs(address, List.of(), 0, head);
  }

  /** How many times {@link #sendRawTransaction} was called. */
  public synchronized int sends() {
    return sends;
  }

  // ----------------------------------------------------------------------------------------------
  // ChainClient

  private void maybeFail(String operation) {
    for (int i = 0; i < failures.size(); i++) {
      if (failures.get(i).getKey().test(operation)) {
        ChainException.Kind kind = failures.remove(i).getValue();
        throw new ChainException(kind, operation + " failed on the fake chain (staged " + kind + ")");
      }
    }
  }

  @Override
  public synchronized long chainId() {
    maybeFail("eth_chainId");
    return chainId;
  }

  @Override
  public synchronized long blockNumber() {
    maybeFail("eth_blockNumber");
    return head;
  }

  @Override
  public synchronized Optional<ChainBlock> block(long number) {
    maybeFail("eth_getBlockByNumber");
    Block block = blocks.get(number);
    return block == null ? Optional.empty() : Optional.of(toChainBlock(block));
  }

  @Override
  public synchronized Optional<ChainBlock> block(BlockTag tag) {
    maybeFail("eth_getBlockByNumber");
    return switch (tag) {
      case LATEST -> Optional.of(toChainBlock(blocks.get(head)));
      case SAFE, FINALIZED -> Optional.of(toChainBlock(blocks.get(Math.max(0, head - finalityDepth))));
    };
  }

  private static ChainBlock toChainBlock(Block block) {
    return new ChainBlock(block.number(), block.hash(), block.timestamp(), block.baseFee());
  }

  @Override
  public synchronized Optional<ChainReceipt> receipt(Hash32 transactionHash) {
    maybeFail("eth_getTransactionReceipt");
    if (laggingReceipts > 0) {
      laggingReceipts--;
      return Optional.empty();
    }
    ChainReceipt receipt = receipts.get(transactionHash);
    if (receipt != null && receipt.blockNumber() > head - laggingBlocks) {
      return Optional.empty();
    }
    return Optional.ofNullable(receipt);
  }

  @Override
  public synchronized long transactionCount(EvmAddress address, boolean pending) {
    maybeFail("eth_getTransactionCount");
    long mined = minedNonces.getOrDefault(address, 0L);
    if (!pending) {
      return mined;
    }
    long next = mined;
    TreeMap<Long, Tx> queue = mempool.getOrDefault(address, new TreeMap<>());
    while (queue.containsKey(next)) {
      next++;
    }
    return next;
  }

  @Override
  public synchronized long transactionCount(EvmAddress address, long blockNumber) {
    maybeFail("eth_getTransactionCount");
    long count = 0;
    for (Block block : blocks.values()) {
      if (block.number() > blockNumber) {
        break;
      }
      for (Hash32 hash : block.txs()) {
        Tx tx = known.get(hash);
        if (tx != null && tx.from().equals(address)) {
          count++;
        }
      }
    }
    return count;
  }

  @Override
  public synchronized Hash32 sendRawTransaction(byte[] signedTransaction) {
    sends++;
    maybeFail("eth_sendRawTransaction");
    Tx tx = decode(signedTransaction);
    long mined = minedNonces.getOrDefault(tx.from(), 0L);
    if (receipts.containsKey(tx.hash()) || isPending(tx)) {
      return tx.hash(); // already known: the same transaction again
    }
    if (tx.nonce() < mined) {
      throw new ChainException(ChainException.Kind.NONCE_TOO_LOW, "eth_sendRawTransaction rejected: nonce too low");
    }
    if (tx.maxFeePerGas().compareTo(baseFee) < 0) {
      throw new ChainException(ChainException.Kind.FEE_TOO_LOW, "eth_sendRawTransaction rejected: max fee per gas "
          + tx.maxFeePerGas() + " less than block base fee " + baseFee);
    }
    TreeMap<Long, Tx> queue = mempool.computeIfAbsent(tx.from(), k -> new TreeMap<>());
    Tx replaced = queue.get(tx.nonce());
    if (replaced != null && (tx.maxFeePerGas().compareTo(tenPercentMore(replaced.maxFeePerGas())) < 0
        || tx.maxPriorityFeePerGas().compareTo(tenPercentMore(replaced.maxPriorityFeePerGas())) < 0)) {
      throw new ChainException(ChainException.Kind.REPLACEMENT_UNDERPRICED,
          "eth_sendRawTransaction rejected: replacement transaction underpriced");
    }
    queue.put(tx.nonce(), tx);
    known.put(tx.hash(), tx);
    if (automine) {
      mineInternal();
    }
    return tx.hash();
  }

  private boolean isPending(Tx tx) {
    Tx queued = mempool.getOrDefault(tx.from(), new TreeMap<>()).get(tx.nonce());
    return queued != null && queued.hash().equals(tx.hash());
  }

  private static BigInteger tenPercentMore(BigInteger fee) {
    return fee.multiply(BigInteger.valueOf(11)).divide(BigInteger.TEN);
  }

  @Override
  public synchronized BigInteger maxPriorityFeePerGas() {
    maybeFail("eth_maxPriorityFeePerGas");
    return tip;
  }

  @Override
  public synchronized BigInteger balance(EvmAddress address) {
    maybeFail("eth_getBalance");
    return BigInteger.TEN.pow(24); // every account is rich here: the fake does not track value
  }

  @Override
  public synchronized Optional<ChainTransaction> transaction(Hash32 hash) {
    maybeFail("eth_getTransactionByHash");
    Tx tx = known.get(hash);
    if (tx == null) {
      return Optional.empty();
    }
    ChainReceipt receipt = receipts.get(hash);
    return Optional.of(new ChainTransaction(tx.hash(), tx.from(), tx.to(), BigInteger.ZERO, tx.data(), tx.nonce(), chainId,
        receipt == null ? null : receipt.blockNumber()));
  }

  @Override
  public synchronized BigInteger estimateGas(EvmAddress from, @Nullable EvmAddress to, BigInteger value, byte[] data) {
    maybeFail("eth_estimateGas");
    Program program = to == null ? null : programs.get(to);
    if (program != null) {
      try {
        program.execute(from, data);
      } catch (Revert e) {
        throw new ChainException(ChainException.Kind.REVERTED, "eth_estimateGas rejected: execution reverted: " + e.getMessage());
      }
    }
    return BigInteger.valueOf(30_000);
  }

  @Override
  public synchronized List<ChainLog> logs(EvmAddress address, List<Set<Hash32>> topics, long fromBlock, long toBlock) {
    maybeFail("eth_getLogs");
    List<ChainLog> out = new ArrayList<>();
    for (Block block : blocks.values()) {
      if (block.number() < fromBlock || block.number() > toBlock || block.number() > head - laggingBlocks) {
        continue;
      }
      for (Hash32 hash : block.txs()) {
        for (ChainLog log : receipts.get(hash).logs()) {
          if (!log.address().equals(address)) {
            continue;
          }
          boolean match = true;
          for (int i = 0; i < topics.size() && match; i++) {
            match = topics.get(i).isEmpty() || i < log.topics().size() && topics.get(i).contains(log.topics().get(i));
          }
          if (match) {
            out.add(log);
          }
        }
      }
    }
    return out;
  }

  @Override
  public synchronized byte[] call(EvmAddress to, byte[] data) {
    maybeFail("eth_call");
    return new byte[0];
  }

  /** The fake keeps no history of state: a call at a block is a call now. */
  @Override
  public synchronized byte[] call(EvmAddress to, byte[] data, long blockNumber) {
    return call(to, data);
  }

  @Override
  public String endpoint() {
    return "fake chain " + chainId;
  }

  @Override
  public void close() {
    // nothing to release
  }

  // ----------------------------------------------------------------------------------------------
  // Internals

  private Tx decode(byte[] raw) {
    RawTransaction decoded;
    try {
      decoded = TransactionDecoder.decode(Numeric.toHexString(raw));
    } catch (RuntimeException e) {
      throw new ChainException(ChainException.Kind.REJECTED, "eth_sendRawTransaction rejected: rlp: " + e.getMessage());
    }
    if (!(decoded instanceof SignedRawTransaction signed) || !(decoded.getTransaction() instanceof Transaction1559 eip1559)) {
      throw new ChainException(ChainException.Kind.REJECTED, "eth_sendRawTransaction rejected: not a signed EIP-1559 transaction");
    }
    if (eip1559.getChainId() != chainId) {
      throw new ChainException(ChainException.Kind.REJECTED, "eth_sendRawTransaction rejected: invalid chain id");
    }
    EvmAddress from;
    try {
      from = EvmAddress.fromHex(signed.getFrom());
    } catch (SignatureException e) {
      throw new ChainException(ChainException.Kind.REJECTED, "eth_sendRawTransaction rejected: invalid signature");
    }
    String to = decoded.getTo();
    return new Tx(Hash32.fromHex(org.web3j.crypto.Hash.sha3(Numeric.toHexString(raw))), from, decoded.getNonce().longValueExact(),
        to == null || to.isEmpty() || to.equals("0x") ? null : EvmAddress.fromHex(to), Numeric.hexStringToByteArray(decoded.getData()),
        eip1559.getMaxFeePerGas(), eip1559.getMaxPriorityFeePerGas(), decoded.getGasLimit(), raw.clone());
  }

  private long mineInternal() {
    long number = head + 1;
    time = time.plusSeconds(2);
    Block parent = blocks.get(head);
    Hash32 blockHash = hash("block", number, forks);
    List<Hash32> included = new ArrayList<>();
    List<ChainReceipt> minedReceipts = new ArrayList<>();
    long logIndex = 0;
    for (Map.Entry<EvmAddress, TreeMap<Long, Tx>> entry : new LinkedHashMap<>(mempool).entrySet()) {
      TreeMap<Long, Tx> queue = entry.getValue();
      long next = minedNonces.getOrDefault(entry.getKey(), 0L);
      queue.headMap(next).clear(); // replaced by now-mined nonces: they can never be mined
      while (queue.containsKey(next)) {
        Tx tx = queue.remove(next);
        if (tx.maxFeePerGas().compareTo(baseFee) < 0) {
          queue.put(next, tx); // priced out of this block: it waits
          break;
        }
        List<ChainLog> logs = new ArrayList<>();
        boolean success = true;
        Program program = tx.to() == null ? null : programs.get(tx.to());
        if (revertRules.stream().anyMatch(rule -> rule.test(tx))) {
          success = false;
        } else if (program != null) {
          try {
            for (LogSpec spec : program.execute(tx.from(), tx.data())) {
              logs.add(new ChainLog(tx.to(), spec.topics(), spec.data(), logIndex++, number, tx.hash(), blockHash));
            }
          } catch (Revert e) {
            success = false;
            logs.clear();
          }
        }
        minedReceipts.add(new ChainReceipt(tx.hash(), number, blockHash, success, BigInteger.valueOf(25_000), baseFee.add(tip),
            tx.from(), null, logs));
        included.add(tx.hash());
        next++;
      }
      minedNonces.put(entry.getKey(), next);
    }
    for (ChainReceipt receipt : minedReceipts) {
      receipts.put(receipt.transactionHash(), receipt);
    }
    blocks.put(number, new Block(number, blockHash, parent.hash(), time, baseFee, included));
    head = number;
    return number;
  }

  private static Hash32 hash(String what, long number, long fork) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(what.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      sha.update(ByteBuffer.allocate(16).putLong(number).putLong(fork).array());
      return Hash32.of(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "FakeChain[chain " + chainId + ", head " + head + "]";
  }
}
