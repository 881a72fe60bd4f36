package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipient's checks on their own, against a durable store, without a chain. */
class ChannelReceiverTest {
  private static final ChannelContract CONTRACT = ChannelContract.at(EvmAddress.fromHex("0x" + "c0".repeat(20)), 31337);
  private static HdWallet wallet;
  private static WalletKey sender;
  private static ChannelState channel;

  @BeforeAll
  static void keys() throws Exception {
    wallet = HdWallet.of(Mnemonic.parse("test test test test test test test test test test test junk"));
    sender = wallet.account(1);
    channel = new ChannelState(Hash32.fromHex("0c".repeat(32)), sender.address(), wallet.account(2).address(), null,
        BigInteger.valueOf(10_000), Instant.parse("2030-01-01T00:00:00Z"));
  }

  @AfterAll
  static void close() {
    wallet.close();
  }

  @Test
  void aRetriedRequestWithItsKeptVoucherIsAnsweredAgainButPaidOnce(@TempDir Path dir) throws Exception {
    ChannelPayer payer = new ChannelPayer(CONTRACT, channel, sender);
    Voucher first = payer.pay(BigInteger.valueOf(100));
    try (SqliteWalletJournal store = SqliteWalletJournal.open(dir.resolve("s.db"))) {
      ChannelReceiver receiver = new ChannelReceiver(CONTRACT, channel, store);
      ChannelReceiver.Accepted paid = receiver.accept(first, BigInteger.valueOf(100), "req-1");
      assertEquals(BigInteger.valueOf(100), paid.increment());
      assertFalse(paid.repeated());
    }
    // After a restart: the same request with the same voucher is answered again for nothing more...
    try (SqliteWalletJournal store = SqliteWalletJournal.open(dir.resolve("s.db"))) {
      ChannelReceiver restarted = new ChannelReceiver(CONTRACT, channel, store);
      assertEquals(BigInteger.valueOf(100), restarted.accepted(), "resumes from the kept voucher");
      ChannelReceiver.Accepted again = restarted.accept(first, BigInteger.valueOf(100), "req-1");
      assertTrue(again.repeated());
      assertEquals(BigInteger.ZERO, again.increment());
      assertEquals(null, again.answer(), "the crash came before an answer was kept: the work is done once more");
      restarted.answered(first, "the answer");
      assertEquals("the answer", restarted.accept(first, BigInteger.valueOf(100), "req-1").answer(), "a later retry gets the kept answer");
      // ...but the voucher pays for nothing else.
      assertEquals(VoucherException.Reason.NOT_INCREASING,
          assertThrows(VoucherException.class, () -> restarted.accept(first, BigInteger.valueOf(100), "req-2")).reason());
      assertEquals(VoucherException.Reason.UNDERPAID,
          assertThrows(VoucherException.class, () -> restarted.accept(payer.pay(BigInteger.valueOf(50)), BigInteger.valueOf(100), "req-2")).reason());
      assertEquals(BigInteger.valueOf(100), restarted.accepted(), "an underpaying voucher is not kept");
    }
  }

  @Test
  void aTopUpRaisesWhatVouchersMayReach() throws Exception {
    ChannelPayer payer = new ChannelPayer(CONTRACT, channel, sender);
    ChannelReceiver receiver = new ChannelReceiver(CONTRACT, channel, VoucherStore.inMemory());
    receiver.accept(payer.pay(BigInteger.valueOf(9_000)));
    assertEquals(VoucherException.Reason.ABOVE_DEPOSIT, assertThrows(VoucherException.class, () -> payer.pay(BigInteger.valueOf(2_000))).reason());
    ChannelState toppedUp = new ChannelState(channel.channelId(), channel.sender(), channel.recipient(), null, BigInteger.valueOf(20_000),
        channel.expiry());
    payer.update(toppedUp);
    receiver.update(toppedUp);
    assertEquals(BigInteger.valueOf(2_000), receiver.accept(payer.pay(BigInteger.valueOf(2_000))).increment());
    // A reorganization that undid the top-up: the receiver follows, and refuses what the old deposit cannot back.
    receiver.update(channel);
    assertEquals(VoucherException.Reason.ABOVE_DEPOSIT, assertThrows(VoucherException.class, () -> receiver.accept(payer.pay(BigInteger.ONE))).reason());
    ChannelState other = new ChannelState(Hash32.fromHex("0d".repeat(32)), channel.sender(), channel.recipient(), null, BigInteger.ONE,
        channel.expiry());
    assertThrows(IllegalArgumentException.class, () -> receiver.update(other), "another channel");
  }

  @Test
  void highSSignaturesAreRefusedAsTheContractWould() throws Exception {
    ChannelReceiver receiver = new ChannelReceiver(CONTRACT, channel, VoucherStore.inMemory());
    Voucher honest = new ChannelPayer(CONTRACT, channel, sender).pay(BigInteger.TEN);
    io.chainseal.chain.EcdsaSignature low = honest.signature();
    Voucher flipped = new Voucher(honest.channelId(), honest.cumulativeAmount(), new io.chainseal.chain.EcdsaSignature(low.r(),
        io.chainseal.core.internal.Secp256k1.N.subtract(low.s()), low.recoveryId() ^ 1));
    assertEquals(VoucherException.Reason.BAD_SIGNATURE, assertThrows(VoucherException.class, () -> receiver.accept(flipped)).reason());
    assertEquals(BigInteger.TEN, receiver.accept(honest).increment());
    // Verified against the kept public key from now on: a forged one still fails.
    Voucher forged = new Voucher(honest.channelId(), BigInteger.valueOf(20), honest.signature());
    assertEquals(VoucherException.Reason.BAD_SIGNATURE, assertThrows(VoucherException.class, () -> receiver.accept(forged)).reason());
  }

  @Test
  void aVoucherWithTheOtherRecoveryIdIsRefusedBeforeAndAfterTheKeyTable() throws Exception {
    ChannelReceiver receiver = new ChannelReceiver(CONTRACT, channel, VoucherStore.inMemory());
    ChannelPayer payer = new ChannelPayer(CONTRACT, channel, sender);
    for (int i = 0; i < 40; i++) {
      Voucher honest = payer.pay(BigInteger.TEN);
      io.chainseal.chain.EcdsaSignature signature = honest.signature();
      // Same r and s, the other v: plain ECDSA verification accepts it, ecrecover (and the contract) does not.
      Voucher flipped = new Voucher(honest.channelId(), honest.cumulativeAmount().add(BigInteger.valueOf(1_000)),
          new io.chainseal.chain.EcdsaSignature(signature.r(), signature.s(), signature.recoveryId() ^ 1));
      Voucher flippedSame = new Voucher(honest.channelId(), honest.cumulativeAmount(),
          new io.chainseal.chain.EcdsaSignature(signature.r(), signature.s(), signature.recoveryId() ^ 1));
      assertEquals(VoucherException.Reason.BAD_SIGNATURE, assertThrows(VoucherException.class, () -> receiver.accept(flippedSame)).reason(),
          "voucher " + i);
      assertEquals(VoucherException.Reason.BAD_SIGNATURE, assertThrows(VoucherException.class, () -> receiver.accept(flipped)).reason());
      receiver.accept(honest);
    }
    assertEquals(BigInteger.valueOf(400), receiver.accepted());
  }

  @Test
  void aJournalWrittenBeforeVouchersNotedTheirRequestIsUpgraded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("old.db");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); java.sql.Statement statement = c.createStatement()) {
      statement.execute("CREATE TABLE vouchers (channel_id BLOB PRIMARY KEY, cumulative TEXT NOT NULL, signature BLOB NOT NULL)");
    }
    try (SqliteWalletJournal store = SqliteWalletJournal.open(file)) {
      ChannelReceiver receiver = new ChannelReceiver(CONTRACT, channel, store);
      Voucher voucher = new ChannelPayer(CONTRACT, channel, sender).pay(BigInteger.valueOf(5));
      receiver.accept(voucher, BigInteger.valueOf(5), "req-1");
      receiver.answered(voucher, "five");
      assertEquals("five", store.kept(channel.channelId()).orElseThrow().answer());
    }
  }
}
