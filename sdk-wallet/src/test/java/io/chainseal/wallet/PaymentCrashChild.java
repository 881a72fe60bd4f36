package io.chainseal.wallet;

import io.chainseal.chain.ChainClient;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.testkit.LocalChain;
import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * The JVM {@link PaymentCrashTest} kills: it sends one payment and, once its transaction is signed and
 * journaled but before it is broadcast, prints {@code SIGNED <hash>} and waits to be killed.
 * Arguments: RPC URL, journal file, account index, recipient, payment id.
 */
public final class PaymentCrashChild {
  /** Never counted down: what this process waits on until it is killed. */
  private static final java.util.concurrent.CountDownLatch KILLED = new java.util.concurrent.CountDownLatch(1);

  private PaymentCrashChild() {}

  public static void main(String[] args) throws Exception {
    ChainClient chain = ChainClient.http(args[0]);
    WalletJournal journal = SqliteWalletJournal.open(Path.of(args[1]));
    WalletKey key = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC)).account(Integer.parseInt(args[2]));
    Payments payments = Payments.builder().chain(chain).signer(key).journal(journal).confirmations(1).listener(new PaymentListener() {
      @Override
      public void onBroadcast(Payment payment, Hash32 transaction) {
        // Called after the signed bytes are journaled and before they are broadcast: the window to die in.
        System.out.println("SIGNED " + transaction.hex0x());
        System.out.flush();
        try {
          KILLED.await(); // parked until the test kills this process (by its pid)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }).build();
    payments.send(PaymentOrder.of(args[4], EvmAddress.fromHex(args[3]), Token.ETH, new BigDecimal("0.75")));
    System.out.println("SENT");
    System.out.flush();
    KILLED.await();
  }
}
