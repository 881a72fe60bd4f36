package io.chainseal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.utils.Numeric;

/** Each helper of {@link LocalChain}, proven against a live Anvil node. */
@Tag("slow")
class LocalChainTest {
  private static final ContractArtifact COUNTER = ContractArtifact.fromClasspath("io/chainseal/testkit/contract/Counter.json");
  private static final BigInteger ONE_ETHER = BigInteger.TEN.pow(18);

  @Test
  void startsOnLoopbackAndAnswersWithItsChainId() {
    try (LocalChain chain = LocalChain.builder().chainId(4242).start()) {
      assertTrue(chain.rpcUrl().startsWith("http://127.0.0.1:"), chain.rpcUrl());
      assertEquals(4242, Long.decode(chain.rpc("eth_chainId").asText()));
      assertEquals(4242, chain.chainId());
      assertTrue(chain.isRunning());
    }
  }

  @Test
  void closeStopsTheProcessAndFreesThePort() throws Exception {
    LocalChain chain = LocalChain.start();
    long pid = chain.pid().orElseThrow();
    int port = chain.port();
    chain.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "anvil " + pid + " still alive");
    assertFalse(accepts(port), "port " + port + " still open");
    chain.close(); // idempotent
    assertThrows(LocalChainException.class, chain::blockNumber);
  }

  @Test
  void twoChainsRunSideBySideOnDifferentPorts() {
    try (LocalChain a = LocalChain.start(); LocalChain b = LocalChain.start()) {
      assertNotEquals(a.port(), b.port());
      a.mine(3);
      assertEquals(3, a.blockNumber());
      assertEquals(0, b.blockNumber());
    }
  }

  @Test
  void accountsAreAnvilsDeterministicFundedAccounts() throws Exception {
    try (LocalChain chain = LocalChain.builder().accounts(3).balanceEther(77).start()) {
      // Anvil's first default account, as documented by Foundry.
      assertEquals("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", chain.account(0).address());
      JsonNode nodeAccounts = chain.rpc("eth_accounts");
      List<String> fromNode = StreamSupport.stream(nodeAccounts.spliterator(), false)
          .map(node -> node.asText().toLowerCase()).collect(Collectors.toList());
      List<String> ours = chain.accounts().stream().map(a -> a.address().toLowerCase()).collect(Collectors.toList());
      assertEquals(fromNode, ours);
      BigInteger balance = chain.web3j().ethGetBalance(chain.account(2).address(), DefaultBlockParameterName.LATEST).send().getBalance();
      assertEquals(ONE_ETHER.multiply(BigInteger.valueOf(77)), balance);
      assertFalse(chain.account(0).toString().contains(org.web3j.utils.Numeric.toHexStringNoPrefix(chain.account(0).signingKey().exportSecretBytes())));
    }
  }

  @Test
  void sendsEtherAndReturnsTheMinedReceipt() throws Exception {
    try (LocalChain chain = LocalChain.start()) {
      EvmAddress to = chain.account(1).evmAddress();
      BigInteger before = chain.balance(to);
      LocalReceipt receipt = chain.sendEther(chain.account(0), to, ONE_ETHER);
      assertTrue(receipt.succeeded());
      assertEquals(BigInteger.valueOf(21_000), receipt.gasUsed());
      assertTrue(receipt.blockNumber() >= 1);
      assertEquals(before.add(ONE_ETHER), chain.balance(to));
      assertEquals(receipt, chain.receipt(receipt.transactionHash()).orElseThrow());
    }
  }

  @Test
  void deploysACommittedArtifactInOneCall() throws Exception {
    try (LocalChain chain = LocalChain.start()) {
      DeployedContract counter = chain.deploy(COUNTER, chain.account(0), constructorArguments(new Uint256(41)));
      assertTrue(counter.receipt().succeeded());
      assertEquals(counter.address(), counter.receipt().createdContract().orElseThrow());
      assertTrue(counter.gasUsed().signum() > 0);
      String code = chain.rpc("eth_getCode", counter.address().checksummed(), "latest").asText();
      assertTrue(code.length() > 2, "no code at " + counter.address());

      chain.transact(chain.account(1), counter.address(), INCREMENT);
      assertEquals(BigInteger.valueOf(42), readCount(chain, counter.address()));
    }
  }

  @Test
  void mineAdvancesTheChainByTheGivenNumberOfBlocks() {
    try (LocalChain chain = manualChain()) {
      long start = chain.blockNumber();
      chain.mine();
      chain.mine(5);
      assertEquals(start + 6, chain.blockNumber());
      assertThrows(IllegalArgumentException.class, () -> chain.mine(0));
    }
  }

  @Test
  void deploysAnErc20WithItsWholeSupplyAtTheHolderInOneCall() throws Exception {
    try (LocalChain chain = LocalChain.start()) {
      EvmAddress token = chain.deployToken(chain.account(3), "Test Dollar", "TUSD", 6, BigInteger.valueOf(5_000_000));
      Function balanceOf = new Function("balanceOf", List.of(new org.web3j.abi.datatypes.Address(chain.account(3).address())),
          List.of(new TypeReference<Uint256>() {}));
      String answer = chain.rpc("eth_call", java.util.Map.of("to", token.checksummed(), "data", FunctionEncoder.encode(balanceOf)),
          "latest").asText();
      assertEquals(BigInteger.valueOf(5_000_000), Numeric.toBigInt(answer));
      assertThrows(IllegalArgumentException.class, () -> chain.deployToken(chain.account(3), "X", "X", 256, BigInteger.ONE));
    }
  }

  @Test
  void snapshotAndRevertRestoreEarlierState() throws Exception {
    try (LocalChain chain = LocalChain.start()) {
      DeployedContract counter = chain.deploy(COUNTER, chain.account(0), constructorArguments(new Uint256(1)));
      String snapshot = chain.snapshot();
      chain.transact(chain.account(0), counter.address(), INCREMENT);
      assertEquals(BigInteger.TWO, readCount(chain, counter.address()));
      chain.revert(snapshot);
      assertEquals(BigInteger.ONE, readCount(chain, counter.address()));
      assertThrows(LocalChainException.class, () -> chain.revert("0x99"));
    }
  }

  @Test
  void reorgReplacesRecentBlocksAndDropsTheirTransactions() throws Exception {
    try (LocalChain chain = manualChain()) {
      LocalReceipt receipt = chain.sendEther(chain.account(0), chain.account(1).evmAddress(), ONE_ETHER);
      chain.mine(2);
      long height = receipt.blockNumber();
      String hashBefore = blockHash(chain, height);
      chain.reorg(3);
      assertEquals(height + 2, chain.blockNumber(), "the chain keeps its height");
      assertNotEquals(hashBefore, blockHash(chain, height), "block " + height + " was replaced");
      assertTrue(chain.receipt(receipt.transactionHash()).isEmpty(), "the reorged-out transaction has no receipt");
    }
  }

  @Test
  void reorgFromReplacesEveryBlockFromAHeightEvenWithIdleBlocksComing() throws Exception {
    try (LocalChain chain = LocalChain.builder().idleBlockTime(Duration.ofMillis(100)).start()) {
      LocalReceipt receipt = chain.sendEther(chain.account(0), chain.account(1).evmAddress(), ONE_ETHER);
      awaitUntil(() -> chain.blockNumber() >= receipt.blockNumber() + 3, "idle blocks on top of the transaction");
      String hashBefore = blockHash(chain, receipt.blockNumber());
      chain.reorgFrom(receipt.blockNumber());
      assertNotEquals(hashBefore, blockHash(chain, receipt.blockNumber()), "the transaction's block was replaced");
      assertTrue(chain.receipt(receipt.transactionHash()).isEmpty(), "the reorged-out transaction has no receipt");
      assertThrows(IllegalArgumentException.class, () -> chain.reorgFrom(chain.blockNumber() + 10));
    }
  }

  @Test
  void nextBlockBaseFeeCanBeRaised() {
    try (LocalChain chain = manualChain()) {
      BigInteger high = BigInteger.valueOf(500_000_000_000L);
      chain.setNextBlockBaseFee(high);
      chain.mine();
      assertEquals(high, chain.baseFeePerGas());
    }
  }

  @Test
  void intervalMiningProducesBlocksWithoutTransactions() throws Exception {
    try (LocalChain chain = LocalChain.builder().blockTime(Duration.ofSeconds(1)).start()) {
      long start = chain.blockNumber();
      awaitUntil(() -> chain.blockNumber() >= start + 2, "interval mining produced blocks");
    }
  }

  @Test
  void defaultChainMinesIdleBlocksSoConfirmationsArriveWithoutMoreTransactions() throws Exception {
    try (LocalChain chain = LocalChain.start()) {
      LocalReceipt receipt = chain.sendEther(chain.account(0), chain.account(1).evmAddress(), ONE_ETHER);
      long minedIn = receipt.blockNumber();
      assertTrue(receipt.succeeded(), "mined at once, without waiting for an interval");
      awaitUntil(() -> chain.blockNumber() >= minedIn + 2, "three confirmations without another transaction");
    }
  }

  @Test
  void switchingAutomineOffAlsoStopsIdleBlocks() throws Exception {
    try (LocalChain chain = LocalChain.builder().idleBlockTime(Duration.ofMillis(200)).start()) {
      long start = chain.blockNumber();
      awaitUntil(() -> chain.blockNumber() >= start + 2, "idle blocks come every 200 ms");
      chain.setAutomine(false);
      long stopped = chain.blockNumber();
      // Three more looks of the idle miner after the switch: with idle blocks on, each would have mined.
      long looks = chain.idleLooks();
      awaitUntil(() -> chain.idleLooks() >= looks + 3, "the idle miner kept looking");
      assertEquals(stopped, chain.blockNumber(), "no block after the switch returned: an idle block in flight finishes first");
    }
  }

  @Test
  void automineCanBeSwitchedOffAndTransactionsWaitForAMinedBlock() throws Exception {
    try (LocalChain chain = LocalChain.start()) {
      chain.setAutomine(false);
      String hash = chain.web3j().ethSendTransaction(Transaction.createEtherTransaction(
          chain.account(0).address(), null, null, BigInteger.valueOf(21_000), chain.account(1).address(), BigInteger.ONE))
          .send().getTransactionHash();
      assertTrue(chain.receipt(Hash32.fromHex(hash)).isEmpty());
      chain.mine();
      assertTrue(chain.awaitReceipt(Hash32.fromHex(hash)).succeeded());
    }
  }

  /** Waits up to 30 s for {@code condition}, looking every 20 ms; fails naming {@code what} if it never holds. */
  private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "in 30 s: " + what);
      Thread.sleep(20);
    }
  }

  /** A chain that mines only on transactions and {@link LocalChain#mine()}: for exact block counts. */
  private static LocalChain manualChain() {
    return LocalChain.builder().idleBlockTime(Duration.ZERO).start();
  }

  @Test
  void restartKeepsBlocksReceiptsAndPort() throws Exception {
    try (LocalChain chain = manualChain()) {
      LocalReceipt receipt = chain.sendEther(chain.account(0), chain.account(1).evmAddress(), ONE_ETHER);
      chain.mine(2);
      long height = chain.blockNumber();
      String tipHash = blockHash(chain, height);
      int port = chain.port();
      long pid = chain.pid().orElseThrow();

      chain.restart();

      assertEquals(port, chain.port());
      assertNotEquals(pid, chain.pid().orElseThrow(), "a new process");
      assertEquals(height, chain.blockNumber());
      assertEquals(tipHash, blockHash(chain, height));
      assertEquals(receipt, chain.receipt(receipt.transactionHash()).orElseThrow());
      assertTrue(chain.sendEther(chain.account(0), chain.account(2).evmAddress(), BigInteger.ONE).succeeded(),
          "the nonce carried over");
    }
  }

  @Test
  void offlineNodeRefusesConnectionsUntilBroughtBack() throws Exception {
    try (LocalChain chain = manualChain()) {
      chain.mine(4);
      int port = chain.port();
      chain.takeOffline();
      assertFalse(chain.isRunning());
      assertFalse(accepts(port));
      assertThrows(LocalChainException.class, chain::blockNumber);
      chain.bringOnline();
      assertEquals(4, chain.blockNumber());
    }
  }

  @Test
  void killIsAbruptAndLosesUnsavedState() throws Exception {
    try (LocalChain chain = manualChain()) {
      chain.mine(4);
      long pid = chain.pid().orElseThrow();
      chain.kill();
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      assertThrows(LocalChainException.class, chain::blockNumber);
      chain.bringOnline();
      assertEquals(0, chain.blockNumber(), "a killed node comes back as a fresh chain");
    }
  }

  @Test
  void missingArtifactIsReportedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ContractArtifact.fromClasspath("io/chainseal/testkit/contract/Nope.json"));
    assertTrue(e.getMessage().contains("Nope.json"), e.getMessage());
  }

  private static final byte[] INCREMENT = Numeric.hexStringToByteArray(
      FunctionEncoder.encode(new Function("increment", List.of(), List.of())));

  static byte[] constructorArguments(Type<?>... arguments) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(List.of(arguments)));
  }

  static BigInteger readCount(LocalChain chain, EvmAddress address) throws Exception {
    Function count = new Function("count", List.of(), List.of(new TypeReference<Uint256>() {}));
    String result = chain.web3j().ethCall(
        Transaction.createEthCallTransaction(null, address.checksummed(), FunctionEncoder.encode(count)),
        DefaultBlockParameterName.LATEST).send().getValue();
    @SuppressWarnings("rawtypes")
    List<Type> decoded = FunctionReturnDecoder.decode(result, count.getOutputParameters());
    return (BigInteger) decoded.get(0).getValue();
  }

  static String blockHash(LocalChain chain, long number) {
    JsonNode block = chain.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(number), false);
    assertNotNull(block.get("hash"), "no block " + number);
    return block.get("hash").asText();
  }

  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
