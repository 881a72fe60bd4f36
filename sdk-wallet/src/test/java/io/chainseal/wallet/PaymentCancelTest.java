package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.SignedAttempt;
import io.chainseal.chain.TransactionIntent;
import io.chainseal.core.EvmAddress;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancelling and speeding up a pending payment on a real node whose mining the test controls: the
 * transactions wait in the node's pool until the test mines a block.
 */
@WithLocalChain
@Tag("slow")
class PaymentCancelTest {
  private static EvmAddress fresh() {
    byte[] bytes = new byte[20];
    new SecureRandom().nextBytes(bytes);
    return EvmAddress.of(bytes);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aCancelledPaymentMovesNothingAndASpedUpOneIsMinedAtItsHigherFee(LocalChain local, @TempDir Path dir) throws Exception {
    local.setAutomine(false);
    try (ChainClient chain = ChainClient.http(local.rpcUrl()); HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
        WalletKey alice = wallet.account(1); SqliteWalletJournal journal = SqliteWalletJournal.open(dir.resolve("w.db"));
        Payments payments = Payments.builder().chain(chain).signer(alice).journal(journal).confirmations(1).build()) {
      EvmAddress bob = fresh();
      PaymentHandle doomed = payments.send(PaymentOrder.of("cancel-me", bob, Token.ETH, new BigDecimal("1")));
      await(() -> payments.payment("cancel-me").orElseThrow().status() == PaymentStatus.BROADCAST, "broadcast");
      await(() -> chain.transaction(payments.payment("cancel-me").orElseThrow().transaction()).isPresent(), "in the node's pool");
      assertTrue(payments.cancel("cancel-me"));
      await(() -> attempts(journal, "cancel-me").size() == 2, "the cancellation is signed");
      await(() -> chain.transaction(attempts(journal, "cancel-me").get(1).hash()).isPresent(), "the cancellation replaced it in the pool");
      local.mine();
      ExecutionException e = assertThrows(ExecutionException.class, () -> doomed.whenFinal().get(30, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof PaymentFailedException, e.toString());
      assertEquals(PaymentStatus.CANCELLED, payments.payment("cancel-me").orElseThrow().status());
      assertEquals(BigInteger.ZERO, chain.balance(bob), "nothing moved");
      assertFalse(payments.cancel("cancel-me"), "finished");

      PaymentHandle faster = payments.send(PaymentOrder.of("speed-me", bob, Token.ETH, new BigDecimal("0.2")));
      await(() -> payments.payment("speed-me").orElseThrow().status() == PaymentStatus.BROADCAST, "broadcast");
      assertTrue(payments.speedUp("speed-me"));
      await(() -> attempts(journal, "speed-me").size() == 2, "the replacement is signed");
      SignedAttempt replacement = attempts(journal, "speed-me").get(1);
      await(() -> chain.transaction(replacement.hash()).isPresent(), "the replacement is in the pool");
      assertTrue(replacement.maxFeePerGas().compareTo(attempts(journal, "speed-me").get(0).maxFeePerGas()) > 0);
      local.mine();
      Payment done = faster.whenFinal().get(30, TimeUnit.SECONDS);
      assertEquals(replacement.hash(), done.transaction(), "the faster transaction was mined");
      assertEquals(new BigInteger("200000000000000000"), chain.balance(bob), "paid once");
    } finally {
      local.setAutomine(true);
    }
  }

  private static List<SignedAttempt> attempts(SqliteWalletJournal journal, String paymentId) {
    return journal.intent(Payments.INTENT_PREFIX + paymentId).map(TransactionIntent::attempts).orElse(List.of());
  }
}
