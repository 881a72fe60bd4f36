package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sending JVM killed with SIGKILL between signing a payment's transaction and broadcasting it: the
 * restarted service broadcasts the very bytes it journaled, and sending the id again pays nothing more.
 */
@WithLocalChain(blockTimeMillis = 200)
@Tag("slow")
class PaymentCrashTest {
  @Test
  void aPaymentKilledBetweenSigningAndBroadcastMovesFundsExactlyOnce(LocalChain local, @TempDir Path dir) throws Exception {
    byte[] random = new byte[20];
    new SecureRandom().nextBytes(random);
    EvmAddress bob = EvmAddress.of(random);
    Path file = dir.resolve("wallet.db");
    int account = 7;
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      EvmAddress alice;
      try (HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC)); WalletKey key = wallet.account(account)) {
        alice = key.address();
      }
      long noncesBefore = chain.transactionCount(alice, false);
      String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
          PaymentCrashChild.class.getName(), local.rpcUrl(), file.toString(), Integer.toString(account), bob.checksummed(), "crash/1");
      builder.redirectErrorStream(true);
      Process child = builder.start();
      Hash32 signed = null;
      StringBuilder output = new StringBuilder();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          output.append(line).append('\n');
          if (line.startsWith("SIGNED ")) {
            signed = Hash32.fromHex(line.substring("SIGNED ".length()));
            child.destroyForcibly(); // SIGKILL on Linux
            break;
          }
        }
      }
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertNotNull(signed, "the child signed before it died:\n" + output);
      assertEquals(137, child.exitValue(), "killed by SIGKILL");
      assertTrue(chain.transaction(signed).isEmpty(), "killed before the broadcast: the node never saw it");
      assertEquals(BigInteger.ZERO, chain.balance(bob));

      try (WalletJournal journal = SqliteWalletJournal.open(file);
          HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC)); WalletKey key = wallet.account(account);
          Payments payments = Payments.builder().chain(chain).signer(key).journal(journal).confirmations(1).build()) {
        assertEquals(PaymentStatus.BROADCAST, payments.payment("crash/1").orElseThrow().status(), "journaled as signed");
        PaymentHandle again = payments.send(PaymentOrder.of("crash/1", bob, Token.ETH, new BigDecimal("0.75")));
        Payment done = again.whenFinal().get(60, TimeUnit.SECONDS);
        assertEquals(PaymentStatus.FINAL, done.status());
        assertEquals(signed, done.transaction(), "the journaled bytes were broadcast, not a new transaction");
      }
      assertEquals(new BigInteger("750000000000000000"), chain.balance(bob), "paid exactly once");
      assertEquals(noncesBefore + 1, chain.transactionCount(alice, false), "one transaction");
    }
  }
}
