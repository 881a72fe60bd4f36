package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A paid service's refusals on a real node: repeats, a cheap payment for a dear request, foreign, closed and expiring channels. */
@WithLocalChain(blockTimeMillis = 200)
@Tag("slow")
class PaidServiceTest {
  private static final Map<String, BigInteger> PRICES = Map.of("translate", BigInteger.valueOf(1_000), "summarize", BigInteger.valueOf(2_500));

  @Test
  void servesEachPaidRequestOnceAndRefusesWhatDoesNotPay(LocalChain local, @TempDir Path dir) throws Exception {
    try (ChainClient chain = ChainClient.http(local.rpcUrl()); HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
        WalletKey clientKey = wallet.account(1); WalletKey serviceKey = wallet.account(2); WalletKey otherKey = wallet.account(3);
        SqliteWalletJournal clientJournal = SqliteWalletJournal.open(dir.resolve("c.db"));
        SqliteWalletJournal serviceJournal = SqliteWalletJournal.open(dir.resolve("s.db"));
        Payments client = Payments.builder().chain(chain).signer(clientKey).journal(clientJournal).confirmations(1).build();
        Payments service = Payments.builder().chain(chain).signer(serviceKey).journal(serviceJournal).confirmations(1).build()) {
      ChannelContract contract = ChannelContract.deploy(chain, otherKey);
      Token token = Erc20.token(chain, local.deployToken(local.account(1), "Test Dollar", "TUSD", 6, BigInteger.TEN.pow(12)));
      Instant chainNow = chain.block(chain.blockNumber()).orElseThrow().timestamp();
      ChannelState channel = client.channels(contract).open("bot", serviceKey.address(), token, new BigDecimal("1"),
          chainNow.plus(Duration.ofHours(2))).get(60, TimeUnit.SECONDS);
      PaidService bot = new PaidService("echo-bot", contract, chain, serviceKey.address(), token, PRICES, serviceJournal);
      assertTrue(bot.priceListJson().contains("\"summarize\":\"2500\""), bot.priceListJson());
      ChannelPayer payer = new ChannelPayer(contract, channel, clientKey);
      AtomicInteger work = new AtomicInteger();

      Voucher first = payer.pay(BigInteger.valueOf(1_000));
      assertEquals(BigInteger.valueOf(1_000), bot.serve("r1", "translate", first, id -> "done " + work.incrementAndGet()).charged());
      PaidService.Served repeat = bot.serve("r1", "translate", first, id -> "again " + work.incrementAndGet());
      assertEquals("done 1", repeat.answer(), "a repeated request gets its kept answer...");
      assertEquals(BigInteger.ZERO, repeat.charged(), "...for no second payment");
      assertEquals(1, work.get(), "...and no second run of the work");
      Voucher cheap = payer.pay(BigInteger.valueOf(1_000));
      assertEquals(VoucherException.Reason.UNDERPAID,
          assertThrows(VoucherException.class, () -> bot.serve("r2", "summarize", cheap, id -> "x")).reason());
      assertEquals(BigInteger.valueOf(1_000), bot.serve("r2", "translate", cheap, id -> "done " + work.incrementAndGet()).charged());
      assertEquals(VoucherException.Reason.NOT_INCREASING,
          assertThrows(VoucherException.class, () -> bot.serve("r2", "summarize", cheap, id -> "x")).reason(), "a paid request is not re-priced");
      assertEquals(PaymentException.Reason.UNKNOWN_PAYMENT,
          assertThrows(PaymentException.class, () -> bot.serve("r3", "paint", new ChannelPayer(contract, channel, clientKey).pay(BigInteger.ONE),
              id -> "x")).reason());
      assertEquals(2, work.get(), "work ran once per paid request");

      // Ten copies of one request at once: the work runs once, paid once.
      Voucher burst = payer.pay(BigInteger.valueOf(1_000));
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
      java.util.List<java.util.concurrent.Future<BigInteger>> charges = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < 10; i++) {
        charges.add(pool.submit(() -> {
          go.await();
          try {
            return bot.serve("r-burst", "translate", burst, id -> {
              work.incrementAndGet();
              return "burst";
            }).charged();
          } catch (VoucherException e) {
            return BigInteger.valueOf(-1); // refused: being served already
          }
        }));
      }
      go.countDown();
      BigInteger total = BigInteger.ZERO;
      for (java.util.concurrent.Future<BigInteger> charge : charges) {
        BigInteger one = charge.get(30, TimeUnit.SECONDS);
        total = total.add(one.max(BigInteger.ZERO));
      }
      pool.shutdown();
      assertEquals(BigInteger.valueOf(1_000), total, "charged once");
      assertEquals(3, work.get(), "the burst ran the work once");

      // A channel to someone else, and one expiring too soon.
      ChannelState foreign = client.channels(contract).open("elsewhere", otherKey.address(), token, new BigDecimal("1"),
          chainNow.plus(Duration.ofHours(2))).get(60, TimeUnit.SECONDS);
      assertEquals(PaymentException.Reason.INVALID_ADDRESS, assertThrows(PaymentException.class,
          () -> bot.serve("r4", "translate", new ChannelPayer(contract, foreign, clientKey).pay(BigInteger.valueOf(1_000)), id -> "x")).reason());
      ChannelState brief = client.channels(contract).open("brief", serviceKey.address(), token, new BigDecimal("1"),
          chainNow.plus(Duration.ofMinutes(5))).get(60, TimeUnit.SECONDS);
      assertEquals(PaymentException.Reason.REQUEST_EXPIRED, assertThrows(PaymentException.class,
          () -> bot.serve("r5", "translate", new ChannelPayer(contract, brief, clientKey).pay(BigInteger.valueOf(1_000)), id -> "x")).reason());

      // Closed by the service: vouchers of it are worth nothing any more.
      service.channels(contract).close(serviceJournal.highest(channel.channelId()).orElseThrow()).get(60, TimeUnit.SECONDS);
      bot.forget(channel.channelId());
      assertEquals(PaymentException.Reason.UNKNOWN_PAYMENT,
          assertThrows(PaymentException.class, () -> bot.serve("r6", "translate", payer.pay(BigInteger.valueOf(1_000)), id -> "x")).reason());
      assertEquals(3, work.get());
    }
  }
}
