package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import io.chainseal.wallet.PaymentVerdict.Problem;
import io.chainseal.wallet.PaymentVerdict.Status;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real receipts of real payments on Anvil, and every way a claim can differ from what the chain shows. */
@WithLocalChain(blockTimeMillis = 200)
@Tag("slow")
class PaymentVerifierTest {
  private static HdWallet wallet;
  private static ChainClient chain;
  private static Token dollars;
  private static Token euros;
  private static final EvmAddress BOB = fresh();
  private static final EvmAddress CAROL = fresh();
  private static PaymentReceipt ethReceipt;
  private static PaymentReceipt tokenReceipt;

  private static EvmAddress fresh() {
    byte[] bytes = new byte[20];
    new SecureRandom().nextBytes(bytes);
    return EvmAddress.of(bytes);
  }

  @BeforeAll
  static void pay(LocalChain local, @TempDir Path dir) throws Exception {
    wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
    chain = ChainClient.http(local.rpcUrl());
    dollars = Erc20.token(chain, local.deployToken(local.account(8), "Dollar", "USD", 6, BigInteger.TEN.pow(12)));
    euros = Erc20.token(chain, local.deployToken(local.account(8), "Euro", "EUR", 6, BigInteger.TEN.pow(12)));
    try (WalletJournal journal = SqliteWalletJournal.open(dir.resolve("w.db")); WalletKey payer = wallet.account(8);
        Payments payments = Payments.builder().chain(chain).signer(payer).journal(journal).confirmations(1).build()) {
      payments.send(PaymentOrder.of("eth-1", BOB, Token.ETH, new BigDecimal("0.3"))).whenFinal().get(60, TimeUnit.SECONDS);
      payments.send(PaymentOrder.of("usd-1", BOB, dollars, new BigDecimal("7.25"))).whenFinal().get(60, TimeUnit.SECONDS);
      ethReceipt = payments.receipt("eth-1").orElseThrow();
      tokenReceipt = payments.receipt("usd-1").orElseThrow();
    }
  }

  @AfterAll
  static void close() {
    chain.close();
    wallet.close();
  }

  private static PaymentVerifier verifierFor(EvmAddress recipient, int confirmations) {
    return PaymentVerifier.builder(chain).chainId(31337).recipient(recipient).confirmations(confirmations).build();
  }

  private static void assertVerdict(Status status, Problem problem, PaymentVerdict verdict) {
    assertEquals(status, verdict.status(), verdict.message());
    assertEquals(problem, verdict.problem(), verdict.message());
  }

  private static PaymentReceipt with(PaymentReceipt r, EvmAddress to, EvmAddress token, BigInteger amount, long chainId) {
    return new PaymentReceipt(r.paymentId(), chainId, r.transaction(), r.from(), to, token, amount);
  }

  @Test
  void acceptsRealReceiptsOfEthAndTokenPayments() throws Exception {
    awaitDepth(3);
    PaymentVerdict eth = verifierFor(BOB, 2).verify(PaymentReceipt.fromJson(ethReceipt.toJson()));
    assertVerdict(Status.VERIFIED, Problem.NONE, eth);
    assertVerdict(Status.VERIFIED, Problem.NONE, verifierFor(BOB, 2).verify(tokenReceipt));
    assertEquals(BigInteger.valueOf(7_250_000), tokenReceipt.amount());
  }

  @Test
  void rejectsAWrongAmount() {
    assertVerdict(Status.REJECTED, Problem.WRONG_AMOUNT, verifierFor(BOB, 1).verify(
        with(ethReceipt, BOB, null, ethReceipt.amount().add(BigInteger.ONE), 31337)));
    assertVerdict(Status.REJECTED, Problem.WRONG_AMOUNT, verifierFor(BOB, 1).verify(
        with(tokenReceipt, BOB, tokenReceipt.token(), BigInteger.valueOf(72_500_000), 31337)));
  }

  @Test
  void rejectsAWrongRecipient() {
    // Carol is shown a genuine receipt of a payment to Bob, edited to name her.
    assertVerdict(Status.REJECTED, Problem.WRONG_RECIPIENT, verifierFor(CAROL, 1).verify(with(ethReceipt, CAROL, null, ethReceipt.amount(), 31337)));
    assertVerdict(Status.REJECTED, Problem.WRONG_RECIPIENT,
        verifierFor(CAROL, 1).verify(with(tokenReceipt, CAROL, tokenReceipt.token(), tokenReceipt.amount(), 31337)));
    // ...or unedited: it is not hers.
    assertVerdict(Status.REJECTED, Problem.WRONG_RECIPIENT, verifierFor(CAROL, 1).verify(ethReceipt));
  }

  @Test
  void rejectsAWrongToken() {
    assertVerdict(Status.REJECTED, Problem.WRONG_TOKEN, verifierFor(BOB, 1).verify(
        with(tokenReceipt, BOB, euros.contract(), tokenReceipt.amount(), 31337)));
    assertVerdict(Status.REJECTED, Problem.WRONG_TOKEN, verifierFor(BOB, 1).verify(with(tokenReceipt, BOB, null, tokenReceipt.amount(), 31337)));
    assertVerdict(Status.REJECTED, Problem.WRONG_TOKEN, verifierFor(BOB, 1).verify(with(ethReceipt, BOB, dollars.contract(), ethReceipt.amount(), 31337)));
  }

  @Test
  void aGenuineReceiptOfAnotherTokenOrAmountThanAskedIsRejected() {
    assertVerdict(Status.VERIFIED, Problem.NONE, verifierFor(BOB, 1).verify(tokenReceipt, dollars, BigInteger.valueOf(7_250_000)));
    assertVerdict(Status.REJECTED, Problem.WRONG_TOKEN, verifierFor(BOB, 1).verify(tokenReceipt, euros, BigInteger.valueOf(7_250_000)));
    assertVerdict(Status.REJECTED, Problem.WRONG_TOKEN, verifierFor(BOB, 1).verify(tokenReceipt, Token.ETH, BigInteger.valueOf(7_250_000)));
    assertVerdict(Status.REJECTED, Problem.WRONG_AMOUNT, verifierFor(BOB, 1).verify(tokenReceipt, dollars, BigInteger.valueOf(8_000_000)));
  }

  @Test
  void rejectsAReceiptOfAnotherChain() {
    assertVerdict(Status.REJECTED, Problem.WRONG_CHAIN, verifierFor(BOB, 1).verify(with(ethReceipt, BOB, null, ethReceipt.amount(), 1)));
  }

  @Test
  void rejectsARevertedTransaction() throws Exception {
    // A token transfer beyond the sender's balance, signed with a fixed gas limit so it is mined and reverts.
    try (WalletKey poor = wallet.account(9)) {
      TransactionSigner signer = new TransactionSigner(poor, 31337);
      long nonce = chain.transactionCount(poor.address(), true);
      BigInteger fee = chain.block(chain.blockNumber()).orElseThrow().baseFeePerGas().multiply(BigInteger.TWO).add(BigInteger.TEN.pow(9));
      Hash32 hash = chain.sendRawTransaction(signer.sign(nonce, dollars.contract(), Erc20.transfer(BOB, BigInteger.valueOf(5_000_000)),
          BigInteger.valueOf(100_000), fee, BigInteger.TEN.pow(9)).raw());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (chain.receipt(hash).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      PaymentReceipt claim = new PaymentReceipt("fake", 31337, hash, poor.address(), BOB, dollars.contract(), BigInteger.valueOf(5_000_000));
      assertVerdict(Status.REJECTED, Problem.REVERTED, verifierFor(BOB, 1).verify(claim));
    }
  }

  @Test
  void waitsForConfirmationsAndForUnknownTransactions() {
    PaymentVerdict shallow = verifierFor(BOB, 1_000_000).verify(ethReceipt);
    assertVerdict(Status.PENDING, Problem.TOO_FEW_CONFIRMATIONS, shallow);
    assertVerdict(Status.PENDING, Problem.NOT_FOUND, verifierFor(BOB, 1).verify(new PaymentReceipt("x", 31337,
        Hash32.fromHex("cd".repeat(32)), ethReceipt.from(), BOB, null, BigInteger.ONE)));
    assertVerdict(Status.REJECTED, Problem.WRONG_SENDER, verifierFor(BOB, 1).verify(new PaymentReceipt("x", 31337,
        ethReceipt.transaction(), CAROL, BOB, null, ethReceipt.amount())));
  }

  @Test
  void refusesToBeBuiltWithoutWhatItTrusts() {
    assertThrows(IllegalStateException.class, () -> PaymentVerifier.builder(chain).recipient(BOB).build());
    assertThrows(IllegalStateException.class, () -> PaymentVerifier.builder(chain).chainId(31337).build());
    assertVerdict(Status.VERIFIED, Problem.NONE, PaymentVerifier.builder(chain).chainId(31337).anyRecipientUnsafe().confirmations(1).build()
        .verify(ethReceipt));
  }

  private static void awaitDepth(int depth) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long block = chain.receipt(tokenReceipt.transaction()).orElseThrow().blockNumber();
    while (chain.blockNumber() - block + 1 < depth && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }
}
