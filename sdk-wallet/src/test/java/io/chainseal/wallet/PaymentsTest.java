package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.testkit.ContractArtifact;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payments on a real node (Anvil mining a block every 200 ms) with an ERC-20 token deployed here:
 * each test checks what moved by reading balances from the chain.
 */
@WithLocalChain(blockTimeMillis = 200)
@Tag("slow")
class PaymentsTest {
  private static HdWallet wallet;
  private static ChainClient chain;
  private static Token token;

  @BeforeAll
  static void deployToken(LocalChain local) throws Exception {
    wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
    chain = ChainClient.http(local.rpcUrl());
    String address = local.deployToken(local.account(1), "Test Dollar", "TUSD", 6, BigInteger.TEN.pow(12)).checksummed();
    token = Erc20.token(chain, EvmAddress.fromHex(address));
  }

  @AfterAll
  static void closeAll() {
    chain.close();
    wallet.close();
  }

  private static EvmAddress freshAddress() {
    byte[] bytes = new byte[20];
    new SecureRandom().nextBytes(bytes);
    return EvmAddress.of(bytes);
  }

  private static Payments payments(WalletJournal journal, WalletKey key, PaymentListener... listeners) {
    Payments.Builder builder = Payments.builder().chain(chain).signer(key).journal(journal).confirmations(2);
    for (PaymentListener listener : listeners) {
      builder.listener(listener);
    }
    return builder.build();
  }

  @Test
  void readsTheTokensDecimalsAndSymbolFromTheContract() {
    assertEquals(6, token.decimals());
    assertEquals("TUSD", token.symbol());
  }

  @Test
  void paysEthOnceWhenTheSameOrderIsSentAgainAndReportsEachStep(@TempDir Path dir) throws Exception {
    EvmAddress bob = freshAddress();
    List<String> events = new CopyOnWriteArrayList<>();
    PaymentListener recorder = new PaymentListener() {
      @Override
      public void onRequested(Payment payment) {
        events.add("requested");
      }

      @Override
      public void onBroadcast(Payment payment, Hash32 transaction) {
        events.add("broadcast");
      }

      @Override
      public void onConfirmations(Payment payment, int depth) {
        events.add("confirmations " + depth);
      }

      @Override
      public void onFinal(Payment payment) {
        events.add("final");
      }
    };
    try (WalletJournal journal = SqliteWalletJournal.open(dir.resolve("w.db")); WalletKey alice = wallet.account(2);
        Payments payments = payments(journal, alice, recorder)) {
      long noncesBefore = chain.transactionCount(alice.address(), false);
      PaymentOrder order = PaymentOrder.of("tip/1", bob, Token.ETH, new BigDecimal("0.25"));
      PaymentHandle first = payments.send(order);
      PaymentHandle again = payments.send(PaymentOrder.of("tip/1", bob.checksummed(), Token.ETH, "0.250"));
      Payment done = first.whenFinal().get(60, TimeUnit.SECONDS);
      assertEquals(done, again.whenFinal().get(60, TimeUnit.SECONDS));
      assertEquals(PaymentStatus.FINAL, done.status());
      assertNotNull(done.transaction());
      PaymentHandle afterwards = payments.send(order);
      assertEquals(PaymentStatus.FINAL, afterwards.payment().status());
      assertEquals(new BigInteger("250000000000000000"), chain.balance(bob), "paid exactly once");
      assertEquals(noncesBefore + 1, chain.transactionCount(alice.address(), false), "one transaction");
      // requested -> broadcast -> confirmations(n), rising to 2 (a busy machine may look first at depth 2) -> final
      assertEquals(List.of("requested", "broadcast"), events.subList(0, 2), events.toString());
      assertEquals("final", events.get(events.size() - 1), events.toString());
      List<String> depths = events.subList(2, events.size() - 1);
      assertTrue(!depths.isEmpty() && depths.get(depths.size() - 1).equals("confirmations 2"), events.toString());
      for (int i = 1; i < depths.size(); i++) {
        assertTrue(depths.get(i).compareTo(depths.get(i - 1)) > 0, "rising: " + events);
      }
    }
  }

  @Test
  void paysAnErc20AmountExactlyInItsDecimals(@TempDir Path dir) throws Exception {
    EvmAddress bob = freshAddress();
    try (WalletJournal journal = SqliteWalletJournal.open(dir.resolve("w.db")); WalletKey treasury = wallet.account(1);
        Payments payments = payments(journal, treasury)) {
      BigDecimal before = payments.balance(token);
      Payment done = payments.send(PaymentOrder.of("invoice/7", bob.checksummed(), token, "12.5")).whenFinal().get(60, TimeUnit.SECONDS);
      assertEquals(PaymentStatus.FINAL, done.status());
      assertEquals(BigInteger.valueOf(12_500_000), Erc20.balanceOf(chain, token.contractAddress().orElseThrow(), bob));
      assertEquals(before.subtract(new BigDecimal("12.5")), payments.balance(token));
      assertEquals(BigInteger.ZERO, chain.balance(bob), "no ETH moved");
    }
  }

  @Test
  void manyThreadsSendingOneIdPayOnce(@TempDir Path dir) throws Exception {
    EvmAddress bob = freshAddress();
    try (WalletJournal journal = SqliteWalletJournal.open(dir.resolve("w.db")); WalletKey alice = wallet.account(3);
        Payments payments = payments(journal, alice)) {
      long noncesBefore = chain.transactionCount(alice.address(), false);
      PaymentOrder order = PaymentOrder.of("split/dinner-9", bob, Token.ETH, new BigDecimal("0.1"));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<PaymentHandle>> sent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sent.add(pool.submit(() -> {
          start.await();
          return payments.send(order);
        }));
      }
      start.countDown();
      Set<Payment> outcomes = new HashSet<>();
      for (Future<PaymentHandle> handle : sent) {
        outcomes.add(handle.get(30, TimeUnit.SECONDS).whenFinal().get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertEquals(1, outcomes.size(), "one payment seen by all: " + outcomes);
      assertEquals(new BigInteger("100000000000000000"), chain.balance(bob), "paid exactly once");
      assertEquals(noncesBefore + 1, chain.transactionCount(alice.address(), false));
    }
  }

  @Test
  void anIdUsedForAnotherOrderIsRefusedAndNothingMoves(@TempDir Path dir) throws Exception {
    EvmAddress bob = freshAddress();
    try (WalletJournal journal = SqliteWalletJournal.open(dir.resolve("w.db")); WalletKey alice = wallet.account(4);
        Payments payments = payments(journal, alice)) {
      payments.send(PaymentOrder.of("p-1", bob, Token.ETH, new BigDecimal("0.01"))).whenFinal().get(60, TimeUnit.SECONDS);
      long nonces = chain.transactionCount(alice.address(), false);
      PaymentException other = assertThrows(PaymentException.class,
          () -> payments.send(PaymentOrder.of("p-1", bob, Token.ETH, new BigDecimal("0.02"))));
      assertEquals(PaymentException.Reason.ID_REUSED, other.reason());
      assertTrue(other.getMessage().contains("0.01 ETH") && other.getMessage().contains("0.02 ETH"), other.getMessage());
      assertEquals(PaymentException.Reason.ID_REUSED,
          assertThrows(PaymentException.class, () -> payments.send(PaymentOrder.of("p-1", freshAddress(), Token.ETH, new BigDecimal("0.01")))).reason());
      assertEquals(PaymentException.Reason.ID_REUSED,
          assertThrows(PaymentException.class, () -> payments.send(PaymentOrder.of("p-1", bob, token, new BigDecimal("0.01")))).reason());
      assertEquals(nonces, chain.transactionCount(alice.address(), true), "nothing broadcast");
      assertEquals(new BigInteger("10000000000000000"), chain.balance(bob));
    }
  }

  @Test
  void badOrdersAreRefusedByNameAndNothingIsBroadcast(@TempDir Path dir, LocalChain local) throws Exception {
    try (WalletJournal journal = SqliteWalletJournal.open(dir.resolve("w.db")); WalletKey alice = wallet.account(5);
        WalletKey broke = WalletKey.ofSecret(Hash32.of(new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
            7, 7, 7, 7, 7, 7, 7, 7, 7}).bytes());
        Payments payments = payments(journal, alice)) {
      long nonces = chain.transactionCount(alice.address(), true);
      EvmAddress bob = freshAddress();
      // No contract, and a contract that is not a token.
      assertEquals(PaymentException.Reason.UNKNOWN_TOKEN, assertThrows(PaymentException.class, () -> payments.token(freshAddress())).reason());
      assertEquals(PaymentException.Reason.UNKNOWN_TOKEN, assertThrows(PaymentException.class,
          () -> payments.token(local.deploy(ContractArtifact.fromClasspath(ContractArtifact.IMPOSTOR_ANCHOR), local.account(0)).address())).reason());
      // More than the account holds.
      PaymentException tooMuch = assertThrows(PaymentException.class,
          () -> payments.send(PaymentOrder.of("big", bob, token, new BigDecimal("1"))));
      assertEquals(PaymentException.Reason.INSUFFICIENT_BALANCE, tooMuch.reason());
      assertTrue(tooMuch.getMessage().contains("holds 0 TUSD"), tooMuch.getMessage());
      assertEquals(PaymentException.Reason.INSUFFICIENT_BALANCE, assertThrows(PaymentException.class,
          () -> payments.send(PaymentOrder.of("huge", bob, Token.ETH, new BigDecimal("1000000000")))).reason());
      assertEquals(nonces, chain.transactionCount(alice.address(), true), "nothing broadcast");
      assertTrue(journal.payment("big").isEmpty() && journal.payment("huge").isEmpty(), "nothing recorded");
      // An account without ETH: it cannot pay ETH, nor gas for the tokens it holds.
      try (WalletJournal treasuryJournal = SqliteWalletJournal.open(dir.resolve("treasury.db")); WalletKey treasury = wallet.account(1);
          Payments fromTreasury = payments(treasuryJournal, treasury)) {
        fromTreasury.send(PaymentOrder.of("fund-broke", broke.address(), token, new BigDecimal("5"))).whenFinal().get(60, TimeUnit.SECONDS);
      }
      try (WalletJournal other = SqliteWalletJournal.open(dir.resolve("broke.db")); Payments poor = payments(other, broke)) {
        assertEquals(PaymentException.Reason.INSUFFICIENT_BALANCE, assertThrows(PaymentException.class,
            () -> poor.send(PaymentOrder.of("x", bob, Token.ETH, new BigDecimal("0.001")))).reason());
        PaymentException noGas = assertThrows(PaymentException.class, () -> poor.send(PaymentOrder.of("y", bob, token, new BigDecimal("1"))));
        assertEquals(PaymentException.Reason.INSUFFICIENT_FUNDS_FOR_GAS, noGas.reason());
        assertTrue(noGas.getMessage().contains("holds 0 ETH"), noGas.getMessage());
        assertEquals(0, chain.transactionCount(broke.address(), true));
      }
      // A malformed order never reaches the chain either.
      assertEquals(PaymentException.Reason.INVALID_AMOUNT, assertThrows(PaymentException.class,
          () -> payments.send(new PaymentOrder("neg", bob, Token.ETH, new BigDecimal("-1")))).reason());
      assertEquals(nonces, chain.transactionCount(alice.address(), true));
    }
  }

  @Test
  void aPaymentsStatusIsReadBackAfterARestartAndItIsNotPaidAgain(@TempDir Path dir) throws Exception {
    EvmAddress bob = freshAddress();
    Path file = dir.resolve("w.db");
    Hash32 transaction;
    try (WalletJournal journal = SqliteWalletJournal.open(file); WalletKey alice = wallet.account(6);
        Payments payments = payments(journal, alice)) {
      transaction = payments.send(PaymentOrder.of("rent/2026-11", bob, Token.ETH, new BigDecimal("0.5"))).whenFinal()
          .get(60, TimeUnit.SECONDS).transaction();
    }
    try (WalletJournal journal = SqliteWalletJournal.open(file); WalletKey alice = wallet.account(6);
        Payments payments = payments(journal, alice)) {
      Payment stored = payments.payment("rent/2026-11").orElseThrow();
      assertEquals(PaymentStatus.FINAL, stored.status());
      assertEquals(transaction, stored.transaction());
      assertEquals(new BigDecimal("0.5"), stored.order().amount());
      Payment again = payments.send(PaymentOrder.of("rent/2026-11", bob, Token.ETH, new BigDecimal("0.5"))).whenFinal()
          .get(30, TimeUnit.SECONDS);
      assertEquals(transaction, again.transaction(), "a final payment's handle completes at once after a restart");
      assertEquals(PaymentException.Reason.UNKNOWN_PAYMENT, assertThrows(PaymentException.class, () -> payments.handle("rent/2026-12")).reason());
    }
    assertEquals(new BigInteger("500000000000000000"), chain.balance(bob));
  }

  @Test
  void aSignedRequestIsPaidOnceAndRefusedTheSecondTime(@TempDir Path dir) throws Exception {
    try (WalletJournal journal = SqliteWalletJournal.open(dir.resolve("w.db")); WalletKey treasury = wallet.account(1);
        WalletKey shop = wallet.account(0); Payments payments = payments(journal, treasury)) {
      EvmAddress till = freshAddress();
      SignedPaymentRequest request = new PaymentRequest("order-981", till, token.contract(), BigInteger.valueOf(3_000_000),
          31337, java.time.Instant.now().plusSeconds(600), "two coffees").sign(shop);
      SignedPaymentRequest received = SignedPaymentRequest.fromJson(request.toJson());
      Payment paid = payments.pay(received, shop.address(), token).whenFinal().get(60, TimeUnit.SECONDS);
      assertEquals(PaymentStatus.FINAL, paid.status());
      assertEquals(PaymentException.Reason.REQUEST_ALREADY_PAID,
          assertThrows(PaymentException.class, () -> payments.pay(received, shop.address(), token)).reason());
      assertEquals(PaymentException.Reason.REQUEST_NOT_TRUSTED,
          assertThrows(PaymentException.class, () -> payments.pay(received, freshAddress(), token)).reason());
      assertEquals(BigInteger.valueOf(3_000_000), Erc20.balanceOf(chain, token.contractAddress().orElseThrow(), till), "paid once");
    }
  }
}
