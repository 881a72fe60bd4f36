package io.chainseal.benchmarks;

import io.chainseal.chain.ChainClient;
import io.chainseal.core.EvmAddress;
import io.chainseal.testkit.LocalChain;
import io.chainseal.wallet.ChannelContract;
import io.chainseal.wallet.ChannelPayer;
import io.chainseal.wallet.ChannelReceiver;
import io.chainseal.wallet.ChannelState;
import io.chainseal.wallet.HdWallet;
import io.chainseal.wallet.Mnemonic;
import io.chainseal.wallet.PaymentHandle;
import io.chainseal.wallet.PaymentOrder;
import io.chainseal.wallet.Payments;
import io.chainseal.wallet.SqliteWalletJournal;
import io.chainseal.wallet.Token;
import io.chainseal.wallet.Voucher;
import io.chainseal.wallet.VoucherStore;
import io.chainseal.wallet.WalletKey;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The wallet benchmark, in one run on one real Anvil node (mining each transaction at once): on-chain
 * payments per second through {@link Payments} (each journaled, signed, broadcast and confirmed) beside
 * payment-channel vouchers signed and verified per second, and the cost of verifying one voucher on the
 * recipient's side. A documented harness, not JMH: the chain is part of what is measured.
 *
 * <p>Run: {@code java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" io.chainseal.benchmarks.WalletBenchmark [transfers] [vouchers]}
 */
public final class WalletBenchmark {
  private WalletBenchmark() {}

  public static void main(String[] args) throws Exception {
    int transfers = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int vouchers = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    Path dir = TempFolders.create("chainseal-wallet-bench-");
    try (LocalChain local = LocalChain.start(); ChainClient chain = ChainClient.http(local.rpcUrl());
        HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
        WalletKey payerKey = wallet.account(1); WalletKey recipientKey = wallet.account(2); WalletKey deployerKey = wallet.account(3)) {
      System.out.printf("Wallet benchmark: Anvil at %s (a block per transaction), %,d payments, %,d vouchers%n", local.rpcUrl(), transfers, vouchers);

      // On-chain: ETH payments, all sent, then all awaited until final (1 confirmation).
      double transfersPerSecond;
      try (SqliteWalletJournal journal = SqliteWalletJournal.open(dir.resolve("payments.db"));
          Payments payments = Payments.builder().chain(chain).signer(payerKey).journal(journal).confirmations(1).build()) {
        payments.send(PaymentOrder.of("warm-up", fresh(), Token.ETH, new BigDecimal("0.001"))).whenFinal().get(60, TimeUnit.SECONDS);
        long start = System.nanoTime();
        List<PaymentHandle> handles = new ArrayList<>();
        for (int i = 0; i < transfers; i++) {
          handles.add(payments.send(PaymentOrder.of("bench-" + i, fresh(), Token.ETH, new BigDecimal("0.001"))));
        }
        for (PaymentHandle handle : handles) {
          handle.whenFinal().get(300, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        transfersPerSecond = transfers / seconds;
        System.out.printf("on-chain payments: %,d ETH payments final in %.2f s = %,.1f payments/s%n", transfers, seconds, transfersPerSecond);

        // Off-chain: one channel, vouchers signed by the payer and verified by the recipient.
        // Deployed by another account: the payer's nonces belong to its Payments service alone.
        ChannelContract contract = ChannelContract.deploy(chain, deployerKey);
        ChannelState channel = payments.channels(contract).open("bench-channel", recipientKey.address(), Token.ETH, new BigDecimal("10"),
            Instant.now().plus(Duration.ofHours(1))).get(60, TimeUnit.SECONDS);
        ChannelPayer payer = new ChannelPayer(contract, channel, payerKey);
        ChannelReceiver warmReceiver = new ChannelReceiver(contract, channel, VoucherStore.inMemory());
        for (int i = 0; i < 5_000; i++) {
          warmReceiver.accept(payer.pay(BigInteger.ONE));
        }
        payer = new ChannelPayer(contract, channel, payerKey);
        List<String> wire = new ArrayList<>(vouchers);
        long signStart = System.nanoTime();
        for (int i = 0; i < vouchers; i++) {
          wire.add(payer.pay(BigInteger.ONE).encode());
        }
        double signSeconds = (System.nanoTime() - signStart) / 1e9;
        ChannelReceiver receiver = new ChannelReceiver(contract, channel, VoucherStore.inMemory());
        long verifyStart = System.nanoTime();
        for (String text : wire) {
          receiver.accept(Voucher.decode(text));
        }
        double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
        System.out.printf("vouchers signed (payer): %,.0f/s (%.1f µs each)%n", vouchers / signSeconds, signSeconds * 1e6 / vouchers);
        System.out.printf("vouchers verified and accepted in memory (recipient; decode, EIP-712 digest, ECDSA check, monotonic): %,.0f/s "
            + "(%.1f µs each)%n", vouchers / verifySeconds, verifySeconds * 1e6 / vouchers);

        int durable = 2_000;
        try (SqliteWalletJournal store = SqliteWalletJournal.open(dir.resolve("vouchers.db"))) {
          ChannelPayer durablePayer = new ChannelPayer(contract, channel, payerKey);
          ChannelReceiver durableReceiver = new ChannelReceiver(contract, channel, store);
          List<Voucher> signed = new ArrayList<>();
          for (int i = 0; i < durable; i++) {
            signed.add(durablePayer.pay(BigInteger.ONE));
          }
          long start2 = System.nanoTime();
          for (Voucher voucher : signed) {
            durableReceiver.accept(voucher);
          }
          double seconds2 = (System.nanoTime() - start2) / 1e9;
          System.out.printf("vouchers verified and kept durably in SQLite (synchronous=FULL, one commit each): %,.0f/s (%.0f µs each)%n",
              durable / seconds2, seconds2 * 1e6 / durable);
        }
        double perVoucher = signSeconds / vouchers + verifySeconds / vouchers;
        System.out.printf("%nSummary: %,.0f vouchers/s signed and verified (one thread each side, in sequence) vs %,.1f on-chain payments/s: "
            + "ratio %,.0f : 1; verifying one voucher %.1f µs%n", 1 / perVoucher, transfersPerSecond, (1 / perVoucher) / transfersPerSecond,
            verifySeconds * 1e6 / vouchers);
        Figures.report("wallet: vouchers signed and verified", 1 / perVoucher, "/s", "one thread each side");
        Figures.report("wallet: vouchers / on-chain payments", (1 / perVoucher) / transfersPerSecond, "x", "same run");
      }
    }
  }

  private static EvmAddress fresh() {
    byte[] bytes = new byte[20];
    new SecureRandom().nextBytes(bytes);
    return EvmAddress.of(bytes);
  }
}
