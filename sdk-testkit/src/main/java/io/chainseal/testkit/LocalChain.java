package io.chainseal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.testkit.internal.AnvilBinary;
import io.chainseal.testkit.internal.JsonRpc;
import io.chainseal.testkit.internal.ProcessRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.utils.Numeric;

/**
 * A real local Ethereum node (Anvil) on a free loopback port, for tests and demos.
 *
 * <pre>{@code
 * try (LocalChain chain = LocalChain.start()) {
 *   TransactionReceipt receipt = chain.sendEther(chain.account(0), chain.account(1).address(), BigInteger.ONE);
 * }
 * }</pre>
 *
 * <p>The node is stopped by {@link #close()}, and by a JVM shutdown hook if the JVM exits first, so no
 * Anvil process outlives its owner (except when the owning JVM itself is killed with SIGKILL).
 * Accounts are derived from a fixed mnemonic, so addresses and keys are the same on every run.
 *
 * <p>Thread-safe: lifecycle methods and transaction helpers are serialized on this instance.
 */
public final class LocalChain implements AutoCloseable {
  /** Anvil's default mnemonic: its accounts are public test keys. */
  public static final String DEFAULT_MNEMONIC = "test test test test test test test test test test test junk";
  /** Anvil's default chain id. */
  public static final long DEFAULT_CHAIN_ID = 31337;

  private static final Logger log = LoggerFactory.getLogger(LocalChain.class);
  private static final BigInteger PRIORITY_FEE = BigInteger.valueOf(1_000_000_000L);
  private static final int START_ATTEMPTS = 5;

  private final Path binary;
  private final long chainId;
  private final Duration blockTime;
  private final Duration idleBlockTime;
  private final int accountCount;
  private final long balanceEther;
  private final String mnemonic;
  private final Duration startupTimeout;
  private final Path workDir;
  private final Path logFile;
  private final Path stateFile;
  private final List<DevAccount> accounts;
  private final Thread shutdownHook;

  private int port;
  private @Nullable Process process;
  private boolean stateSaved;
  private volatile boolean closed;
  private @Nullable Web3j web3j;
  private volatile @Nullable JsonRpc rpc;
  /** Mines an empty block when none came for {@link #idleBlockTime}; null when that is zero. */
  private final @Nullable ScheduledExecutorService idleMiner;
  /** Whether the idle miner may mine: off while automining or interval mining is set otherwise. */
  private volatile boolean idleBlocks;
  /**
   * Held by the idle miner from its check of {@link #idleBlocks} to its {@code evm_mine}, and by
   * whatever switches idle blocks off or saves the chain: once such a call returns, no idle block is
   * on its way.
   */
  private final Object idleLock = new Object();
  /** The head the idle miner saw last (its thread only). */
  private long idleSeen = -1;
  /** How often the idle miner has looked, mining or not: tests wait on it instead of on the clock. */
  private final java.util.concurrent.atomic.AtomicLong idleLooks = new java.util.concurrent.atomic.AtomicLong();

  private LocalChain(Builder builder) {
    this.binary = builder.binary != null ? builder.binary : AnvilBinary.fromSystem().locate();
    this.chainId = builder.chainId;
    this.blockTime = builder.blockTime;
    this.idleBlockTime = builder.blockTime.isZero() ? builder.idleBlockTime : Duration.ZERO;
    this.accountCount = builder.accounts;
    this.balanceEther = builder.balanceEther;
    this.mnemonic = builder.mnemonic;
    this.startupTimeout = builder.startupTimeout;
    try {
      this.workDir = Files.createTempDirectory("chainseal-anvil-");
    } catch (IOException e) {
      throw new LocalChainException("cannot create a working folder for Anvil", e);
    }
    this.logFile = workDir.resolve("anvil.log");
    this.stateFile = workDir.resolve("state.json");
    this.accounts = deriveAccounts(mnemonic, accountCount);
    this.shutdownHook = new Thread(this::destroyProcessNow, "chainseal-anvil-shutdown");
    // Anvil's own --mixed-mining cannot be switched off and on again over RPC (its mining mode
    // becomes one or the other), so the idle blocks are mined from here.
    this.idleBlocks = !idleBlockTime.isZero();
    this.idleMiner = idleBlockTime.isZero() ? null : Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "chainseal-anvil-idle-blocks");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Starts a node with the defaults: chain id 31337, each transaction mined at once and an empty
   * block every second when none comes (so confirmations arrive, as on a real chain), 10 accounts of
   * 10,000 ETH.
   */
  public static LocalChain start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  private synchronized LocalChain launch() {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      startProcess(0);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (idleMiner != null) {
      long millis = idleBlockTime.toMillis();
      ScheduledFuture<?> unused = idleMiner.scheduleWithFixedDelay(this::mineIfIdle, millis, millis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** How many times the idle miner has looked at the head so far; for the testkit's own tests. */
  long idleLooks() {
    return idleLooks.get();
  }

  /** Mines a block if the head has not moved since the last look (and idle blocks are on). */
  private void mineIfIdle() {
    idleLooks.incrementAndGet();
    synchronized (idleLock) {
      JsonRpc client = rpc;
      if (!idleBlocks || closed || client == null) {
        return;
      }
      try {
        long head = Long.decode(client.call("eth_blockNumber").asText());
        if (head == idleSeen) {
          client.call("evm_mine");
          head++;
        }
        idleSeen = head;
      } catch (RuntimeException e) {
        log.trace("idle block not mined: {}", e.toString()); // offline or closing: the next look tries again
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Where it is

  /** The node's HTTP JSON-RPC address, {@code http://127.0.0.1:PORT}. */
  public String rpcUrl() {
    return "http://127.0.0.1:" + port();
  }

  public synchronized int port() {
    return port;
  }

  public long chainId() {
    return chainId;
  }

  /** The funded accounts, in derivation order. */
  public List<DevAccount> accounts() {
    return accounts;
  }

  /** Funded account {@code index} (0-based). */
  public DevAccount account(int index) {
    Objects.checkIndex(index, accounts.size());
    return accounts.get(index);
  }

  /** A Web3j client of this node, shared and closed with it: for the testkit's own tests. */
  synchronized Web3j web3j() {
    return Objects.requireNonNull(web3j, "chain is closed");
  }

  /** The node process id while it runs. */
  public synchronized OptionalLong pid() {
    Process p = process;
    return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
  }

  /** Whether the node process is alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Path of the node's log file (stdout and stderr), for diagnostics. */
  public Path logFile() {
    return logFile;
  }

  // ---------------------------------------------------------------------------------------------
  // Driving the node

  /**
   * Calls any JSON-RPC method on the node and returns its {@code result}.
   *
   * @throws LocalChainException if the node is unreachable or answers with an error
   */
  public JsonNode rpc(String method, Object... params) {
    return jsonRpc().call(method, params);
  }

  /** The latest block number. */
  public long blockNumber() {
    return Long.decode(rpc("eth_blockNumber").asText());
  }

  /** The latest block's base fee per gas, in wei. */
  public BigInteger baseFeePerGas() {
    return new BigInteger(rpc("eth_getBlockByNumber", "latest", false).path("baseFeePerGas").asText("0x0").substring(2), 16);
  }

  /** Mines one block now. */
  public void mine() {
    mine(1);
  }

  /** Mines {@code blocks} blocks now. */
  public void mine(int blocks) {
    if (blocks < 1) {
      throw new IllegalArgumentException("blocks < 1: " + blocks);
    }
    rpc("anvil_mine", "0x" + Integer.toHexString(blocks));
  }

  /**
   * Turns mining on every transaction on or off. Off also stops the {@linkplain Builder#idleBlockTime
   * idle blocks}, so that nothing is mined until {@link #mine()} (on restores them).
   */
  public void setAutomine(boolean automine) {
    synchronized (idleLock) {
      idleBlocks = automine && idleMiner != null;
      rpc("evm_setAutomine", automine);
    }
  }

  /**
   * Mines a block every {@code interval} (whole seconds); {@link Duration#ZERO} stops interval mining.
   * Either way the {@linkplain Builder#idleBlockTime idle blocks} stop.
   */
  public void setIntervalMining(Duration interval) {
    synchronized (idleLock) {
      idleBlocks = false;
      rpc("evm_setIntervalMining", interval.toSeconds());
    }
  }

  /** Moves the chain's clock forward for the next block. */
  public void increaseTime(Duration by) {
    rpc("evm_increaseTime", by.toSeconds());
  }

  /** Sets the base fee of the next block, in wei (to push pending transactions below it). */
  public void setNextBlockBaseFee(BigInteger weiPerGas) {
    rpc("anvil_setNextBlockBaseFeePerGas", "0x" + weiPerGas.toString(16));
  }

  /** Takes a snapshot of the whole chain state; returns its id for {@link #revert(String)}. */
  public String snapshot() {
    return rpc("evm_snapshot").asText();
  }

  /**
   * Restores the state of snapshot {@code id} (and drops it, as Anvil does).
   *
   * @throws LocalChainException if the node does not know the snapshot
   */
  public void revert(String id) {
    if (!rpc("evm_revert", id).asBoolean(false)) {
      throw new LocalChainException("evm_revert: unknown snapshot " + id);
    }
  }

  /**
   * Reorganizes the chain: drops the last {@code depth} blocks and mines {@code depth} new, empty ones
   * in their place, so block hashes at those heights change and their transactions disappear. To
   * replace every block from a given height, use {@link #reorgFrom(long)}: a depth computed from
   * {@link #blockNumber()} beforehand can fall one short if an idle block comes in between.
   */
  public void reorg(int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth < 1: " + depth);
    }
    synchronized (idleLock) {
      rpc("anvil_reorg", depth, List.of());
    }
  }

  /**
   * Reorganizes the chain from block {@code height} on: every block from {@code height} to the head
   * is replaced by a new, empty one (the head is read and the reorganization made with no idle block
   * in between).
   *
   * @throws IllegalArgumentException if {@code height} is 0 or above the head
   */
  public void reorgFrom(long height) {
    synchronized (idleLock) {
      long head = blockNumber();
      if (height < 1 || height > head) {
        throw new IllegalArgumentException("height " + height + " is not in [1, " + head + "]");
      }
      rpc("anvil_reorg", Math.toIntExact(head - height + 1), List.of());
    }
  }

  /**
   * Kills the node with SIGKILL, as a crash would. The port goes dark and the chain state is lost:
   * {@link #bringOnline()} afterwards starts a fresh chain (unless {@link #takeOffline()} saved one).
   */
  public synchronized void kill() {
    Process p = process;
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      waitForExit(p);
      process = null;
    }
    stateSaved = false;
  }

  /**
   * Saves the chain state and stops the node, so the RPC port refuses connections until
   * {@link #bringOnline()}. For tests of an RPC endpoint that is down for a while.
   */
  public synchronized void takeOffline() {
    requireRunning();
    synchronized (idleLock) { // no idle block between the dump and the stop: it would be lost
      String dump = rpc("anvil_dumpState").asText();
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(hexToBytes(dump)))) {
        Files.write(stateFile, in.readAllBytes());
      } catch (IOException e) {
        throw new LocalChainException("cannot save the chain state before going offline", e);
      }
      stopProcess();
      stateSaved = true;
    }
  }

  /** Starts the node again on the same port, with the state saved by {@link #takeOffline()} if any. */
  public synchronized void bringOnline() {
    if (closed) {
      throw new LocalChainException("chain is closed");
    }
    if (isRunning()) {
      return;
    }
    startProcess(port);
  }

  /** Restarts the node on the same port, keeping the chain state (blocks, receipts, balances). */
  public synchronized void restart() {
    takeOffline();
    bringOnline();
  }

  // ---------------------------------------------------------------------------------------------
  // Transactions

  /**
   * Sends {@code wei} from {@code from} to {@code to} in an EIP-1559 transaction and waits for its
   * receipt (mining a block if automining is off is the caller's job).
   *
   * @throws LocalChainException if the transaction reverts or cannot be sent
   */
  public synchronized LocalReceipt sendEther(DevAccount from, EvmAddress to, BigInteger wei) {
    Objects.requireNonNull(to, "to == null");
    return send(from, to.checksummed(), "0x", wei, BigInteger.valueOf(21_000));
  }

  /**
   * Deploys {@code artifact} from {@code from}, waits for the receipt, and returns the contract.
   *
   * @param constructorArguments the ABI-encoded constructor arguments (empty if it takes none)
   * @throws LocalChainException if the deployment reverts or cannot be sent
   */
  public synchronized DeployedContract deploy(ContractArtifact artifact, DevAccount from, byte[] constructorArguments) {
    String data = artifact.bytecode() + Numeric.toHexStringNoPrefix(constructorArguments);
    BigInteger gas = estimateGas(from, null, data);
    LocalReceipt receipt = send(from, "", data, BigInteger.ZERO, gas);
    EvmAddress address = receipt.createdContract().orElseThrow(
        () -> new LocalChainException("deployment of " + artifact.contractName() + " produced no contract address"));
    log.debug("deployed {} at {} (gas {})", artifact.contractName(), address, receipt.gasUsed());
    return new DeployedContract(address, receipt);
  }

  /** Deploys {@code artifact}, whose constructor takes no arguments; see {@link #deploy(ContractArtifact, DevAccount, byte[])}. */
  public DeployedContract deploy(ContractArtifact artifact, DevAccount from) {
    return deploy(artifact, from, new byte[0]);
  }

  /**
   * Deploys an OpenZeppelin ERC-20 ({@link ContractArtifact#TEST_TOKEN}) whose whole supply belongs
   * to {@code holder}: in one call, the token a payment or a weighted vote needs.
   *
   * @param supply the supply in the token's smallest unit
   */
  public EvmAddress deployToken(DevAccount holder, String name, String symbol, int decimals, BigInteger supply) {
    if (decimals < 0 || decimals > 255) {
      throw new IllegalArgumentException("decimals not in 0..255: " + decimals);
    }
    String arguments = FunctionEncoder.encodeConstructor(List.of(new Utf8String(name), new Utf8String(symbol),
        new Uint8(decimals), new Uint256(supply)));
    return deploy(ContractArtifact.fromClasspath(ContractArtifact.TEST_TOKEN), holder, Numeric.hexStringToByteArray(arguments))
        .address();
  }

  /**
   * Sends a call to contract {@code to} with ABI-encoded {@code data} and waits for the receipt.
   *
   * @throws LocalChainException if the transaction reverts or cannot be sent
   */
  public synchronized LocalReceipt transact(DevAccount from, EvmAddress to, byte[] data) {
    String hex = Numeric.toHexString(data);
    return send(from, to.checksummed(), hex, BigInteger.ZERO, estimateGas(from, to.checksummed(), hex));
  }

  /** The balance of {@code account} in wei, at the latest block. */
  public BigInteger balance(EvmAddress account) {
    return Numeric.decodeQuantity(rpc("eth_getBalance", account.checksummed(), "latest").asText());
  }

  private BigInteger estimateGas(DevAccount from, @Nullable String to, String data) {
    try {
      var estimate = web3j().ethEstimateGas(
          new Transaction(from.address(), null, null, null, to, BigInteger.ZERO, data)).send();
      if (estimate.hasError()) {
        throw new LocalChainException("eth_estimateGas failed: " + estimate.getError().getMessage());
      }
      // A margin over the estimate, as wallets add: gas refunds and warm/cold access can differ.
      return estimate.getAmountUsed().multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5));
    } catch (IOException e) {
      throw new LocalChainException("eth_estimateGas failed: " + e.getMessage(), e);
    }
  }

  private LocalReceipt send(DevAccount from, String to, String data, BigInteger value, BigInteger gasLimit) {
    try {
      RawTransactionManager manager = new RawTransactionManager(web3j(), from.credentials(), chainId);
      BigInteger maxFee = baseFeePerGas().multiply(BigInteger.TWO).add(PRIORITY_FEE);
      EthSendTransaction sent = manager.sendEIP1559Transaction(chainId, PRIORITY_FEE, maxFee, gasLimit, to, data, value);
      if (sent.hasError()) {
        throw new LocalChainException("eth_sendRawTransaction failed: " + sent.getError().getMessage());
      }
      LocalReceipt receipt = awaitReceipt(Hash32.fromHex(sent.getTransactionHash()));
      if (!receipt.succeeded()) {
        throw new LocalChainException("transaction " + receipt.transactionHash().hex0x() + " reverted");
      }
      return receipt;
    } catch (IOException e) {
      throw new LocalChainException("sending a transaction failed: " + e.getMessage(), e);
    }
  }

  /**
   * The receipt of {@code transactionHash}, if it is mined (and still on the chain).
   *
   * @throws LocalChainException if the node cannot be asked
   */
  public Optional<LocalReceipt> receipt(Hash32 transactionHash) {
    try {
      return web3j().ethGetTransactionReceipt(transactionHash.hex0x()).send().getTransactionReceipt().map(LocalChain::receipt);
    } catch (IOException e) {
      throw new LocalChainException("eth_getTransactionReceipt failed: " + e.getMessage(), e);
    }
  }

  private static LocalReceipt receipt(TransactionReceipt r) {
    String created = r.getContractAddress();
    return new LocalReceipt(Hash32.fromHex(r.getTransactionHash()), r.getBlockNumber().longValueExact(),
        Hash32.fromHex(r.getBlockHash()), r.isStatusOK(), r.getGasUsed(), created == null ? null : EvmAddress.fromHex(created));
  }

  /**
   * Waits for the receipt of {@code transactionHash}, up to 30 s or three block intervals.
   *
   * @throws LocalChainException if no receipt appears in time
   */
  public LocalReceipt awaitReceipt(Hash32 transactionHash) {
    long deadline = System.nanoTime() + Math.max(Duration.ofSeconds(30).toNanos(), blockTime.multipliedBy(3).toNanos());
    try {
      while (true) {
        Optional<LocalReceipt> receipt = receipt(transactionHash);
        if (receipt.isPresent()) {
          return receipt.get();
        }
        if (System.nanoTime() > deadline) {
          throw new LocalChainException("no receipt for " + transactionHash.hex0x()
              + " in time; if automining is off, mine a block");
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalChainException("interrupted while waiting for " + transactionHash.hex0x(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /** Stops the node (SIGTERM, then SIGKILL after 5 s) and deletes its working folder. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (idleMiner != null) {
      idleMiner.shutdownNow();
    }
    if (web3j != null) {
      web3j.shutdown();
      web3j = null;
    }
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // Already shutting down, or never registered: the hook stops the node itself.
    }
    deleteWorkDir();
  }

  private void startProcess(int fixedPort) {
    LocalChainException last = null;
    int attempts = fixedPort == 0 ? START_ATTEMPTS : 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      int candidate = fixedPort != 0 ? fixedPort : freeLoopbackPort();
      try {
        launchOn(candidate);
        return;
      } catch (LocalChainException e) {
        last = e;
        log.debug("Anvil did not start on port {}: {}", candidate, e.getMessage());
      }
    }
    throw Objects.requireNonNull(last);
  }

  private void launchOn(int candidatePort) {
    List<String> command = new ArrayList<>(List.of(
        binary.toString(),
        "--host", "127.0.0.1",
        "--port", Integer.toString(candidatePort),
        "--chain-id", Long.toString(chainId),
        "--accounts", Integer.toString(accountCount),
        "--balance", Long.toString(balanceEther),
        "--mnemonic", mnemonic));
    if (!blockTime.isZero()) {
      command.add("--block-time");
      command.add(new BigDecimal(blockTime.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString());
    }
    if (stateSaved && Files.exists(stateFile)) {
      command.add("--load-state");
      command.add(stateFile.toString());
    }
    Process started;
    try {
      started = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
    } catch (IOException e) {
      throw new LocalChainException("cannot run " + binary + ": " + e.getMessage(), e);
    }
    process = started;
    ProcessRegistry.record(started.toHandle(), "anvil:" + candidatePort);
    port = candidatePort;
    JsonRpc client = new JsonRpc(URI.create("http://127.0.0.1:" + candidatePort));
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (!client.answers()) {
      if (!started.isAlive()) {
        process = null;
        throw new LocalChainException("Anvil exited with code " + started.exitValue()
            + " while starting on port " + candidatePort + ". Last output:\n" + logTail());
      }
      if (System.nanoTime() > deadline) {
        started.destroyForcibly();
        waitForExit(started);
        process = null;
        throw new LocalChainException("Anvil did not answer on port " + candidatePort + " within "
            + startupTimeout.toSeconds() + " s. Last output:\n" + logTail());
      }
      sleepQuietly(25);
    }
    rpc = client;
    if (web3j == null) {
      web3j = Web3j.build(new HttpService(rpcUrlFor(candidatePort)));
    }
    long reported = Long.decode(client.call("eth_chainId").asText());
    if (reported != chainId) {
      throw new LocalChainException("Anvil reports chain id " + reported + ", expected " + chainId);
    }
    log.info("Anvil {} started on {} (pid {}, chain id {})", binary.getFileName(), rpcUrlFor(candidatePort), started.pid(), chainId);
  }

  private static String rpcUrlFor(int port) {
    return "http://127.0.0.1:" + port;
  }

  private void stopProcess() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    waitForExit(p);
    process = null;
  }

  private void destroyProcessNow() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  private static void waitForExit(Process p) {
    try {
      p.onExit().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Anvil process {} did not exit in time", p.pid());
    }
  }

  private void requireRunning() {
    if (closed) {
      throw new LocalChainException("chain is closed");
    }
    if (!isRunning()) {
      throw new LocalChainException("the node is not running");
    }
  }

  private synchronized JsonRpc jsonRpc() {
    if (closed || rpc == null) {
      throw new LocalChainException("chain is closed");
    }
    return rpc;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output)";
    }
  }

  private void deleteWorkDir() {
    try (Stream<Path> paths = Files.walk(workDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.debug("could not delete {}", workDir, e);
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new LocalChainException("no free loopback port", e);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalChainException("interrupted while waiting for Anvil", e);
    }
  }

  private static byte[] hexToBytes(String hex) {
    String digits = hex.startsWith("0x") ? hex.substring(2) : hex;
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(digits, 2 * i, 2 * i + 2, 16);
    }
    return out;
  }

  private static List<DevAccount> deriveAccounts(String mnemonic, int count) {
    Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(mnemonic, ""));
    int hardened = 0x80000000;
    List<DevAccount> derived = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Bip32ECKeyPair key = Bip32ECKeyPair.deriveKeyPair(master, new int[] {44 | hardened, 60 | hardened, hardened, 0, i});
      derived.add(new DevAccount(i, Credentials.create(key)));
    }
    return List.copyOf(derived);
  }

  @Override
  public String toString() {
    return "LocalChain[" + rpcUrl() + ", chainId=" + chainId + (isRunning() ? "" : ", stopped") + "]";
  }

  /** Settings for a {@link LocalChain}; every one has a default. */
  public static final class Builder {
    private @Nullable Path binary;
    private long chainId = DEFAULT_CHAIN_ID;
    private Duration blockTime = Duration.ZERO;
    private Duration idleBlockTime = Duration.ofSeconds(1);
    private int accounts = 10;
    private long balanceEther = 10_000;
    private String mnemonic = DEFAULT_MNEMONIC;
    private Duration startupTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The Anvil binary to run; by default found as {@link AnvilBinary} describes. */
    public Builder anvilBinary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary == null");
      return this;
    }

    public Builder chainId(long chainId) {
      if (chainId < 1) {
        throw new IllegalArgumentException("chainId < 1: " + chainId);
      }
      this.chainId = chainId;
      return this;
    }

    /**
     * Interval mining only: a block every {@code blockTime}, and transactions wait for it;
     * {@link Duration#ZERO} (default) mines each transaction at once.
     */
    public Builder blockTime(Duration blockTime) {
      if (blockTime.isNegative()) {
        throw new IllegalArgumentException("blockTime < 0: " + blockTime);
      }
      this.blockTime = blockTime;
      return this;
    }

    /**
     * With instant mining, a block also every {@code idleBlockTime} (default 1 s), so that
     * confirmations of the last transaction arrive without more traffic — the anchorer's default of 3
     * confirmations completes proofs on this chain without tuning. {@link Duration#ZERO} mines only on
     * transactions and {@link LocalChain#mine()}: for tests that count blocks or stage reorgs.
     */
    public Builder idleBlockTime(Duration idleBlockTime) {
      if (idleBlockTime.isNegative()) {
        throw new IllegalArgumentException("idleBlockTime < 0: " + idleBlockTime);
      }
      this.idleBlockTime = idleBlockTime;
      return this;
    }

    public Builder accounts(int accounts) {
      if (accounts < 1) {
        throw new IllegalArgumentException("accounts < 1: " + accounts);
      }
      this.accounts = accounts;
      return this;
    }

    /** Starting balance of every account, in ether. */
    public Builder balanceEther(long balanceEther) {
      if (balanceEther < 0) {
        throw new IllegalArgumentException("balanceEther < 0: " + balanceEther);
      }
      this.balanceEther = balanceEther;
      return this;
    }

    /** The BIP-39 mnemonic the accounts derive from (a test mnemonic: it is passed on the command line). */
    public Builder mnemonic(String mnemonic) {
      this.mnemonic = Objects.requireNonNull(mnemonic, "mnemonic == null");
      return this;
    }

    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout == null");
      return this;
    }

    /** Starts the node and waits until it answers. */
    public LocalChain start() {
      return new LocalChain(this).launch();
    }
  }
}
