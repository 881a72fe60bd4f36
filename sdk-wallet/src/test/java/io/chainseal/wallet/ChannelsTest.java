package io.chainseal.wallet;

import io.chainseal.chain.TypedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payment channels on a real node: every path of the contract (open, top-up, extend, close with a
 * voucher, reclaim after expiry, and each refusal), and 10,000 vouchers through one channel settled
 * for exactly their total. Balances are read from the chain.
 */
@WithLocalChain(blockTimeMillis = 200)
@Tag("slow")
class ChannelsTest {
  @TempDir
  static Path dir;
  private static HdWallet wallet;
  private static ChainClient chain;
  private static Token token;
  private static ChannelContract contract;
  private static WalletKey senderKey;
  private static WalletKey recipientKey;
  private static WalletKey otherKey;
  private static Payments sender;
  private static Payments recipient;

  @BeforeAll
  static void setUp(LocalChain local) throws Exception {
    wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
    chain = ChainClient.http(local.rpcUrl());
    try (WalletKey deployer = wallet.account(0)) {
      contract = ChannelContract.deploy(chain, deployer);
    }
    token = Erc20.token(chain, local.deployToken(local.account(1), "Test Dollar", "TUSD", 6, BigInteger.TEN.pow(12)));
    senderKey = wallet.account(1);
    recipientKey = wallet.account(2);
    otherKey = wallet.account(3);
    sender = Payments.builder().chain(chain).signer(senderKey).journal(SqliteWalletJournal.open(dir.resolve("sender.db"))).confirmations(1).build();
    recipient = Payments.builder().chain(chain).signer(recipientKey).journal(SqliteWalletJournal.open(dir.resolve("recipient.db")))
        .confirmations(1).build();
  }

  @AfterAll
  static void tearDown() {
    sender.close();
    recipient.close();
    chain.close();
    wallet.close();
  }

  private static BigInteger tokens(EvmAddress who) throws PaymentException {
    return Erc20.balanceOf(chain, token.contractAddress().orElseThrow(), who);
  }

  @Test
  void voucherDigestsAgreeWithTheContractAndWithWeb3jsEip712Encoder() {
    Hash32 id = Hash32.fromHex("12".repeat(32));
    BigInteger amount = new BigInteger("123456789012345678901234567890");
    Hash32 local = Voucher.digest(31337, contract.address(), id, amount);
    assertEquals(contract.voucherDigestOnChain(chain, id, amount), local);
    assertEquals(TypedData.digest(Voucher.typedDataJson(31337, contract.address(), id, amount)), local);
    assertEquals(contract.channelId(senderKey.address(), recipientKey.address(), token, Hash32.fromHex("34".repeat(32))),
        onChainChannelId(senderKey.address(), recipientKey.address(), token.contract(), Hash32.fromHex("34".repeat(32))));
  }

  private static Hash32 onChainChannelId(EvmAddress from, EvmAddress to, EvmAddress tokenAddress, Hash32 salt) {
    byte[] call = org.web3j.utils.Numeric.hexStringToByteArray(org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(
        "channelId", java.util.List.of(new org.web3j.abi.datatypes.Address(from.lowercase()), new org.web3j.abi.datatypes.Address(to.lowercase()),
            new org.web3j.abi.datatypes.Address(tokenAddress.lowercase()), new org.web3j.abi.datatypes.generated.Bytes32(salt.bytes())),
        java.util.List.of())));
    return Hash32.of(chain.call(contract.address(), call));
  }

  @Test
  void tenThousandVouchersSettleForExactlyTheirTotal() throws Exception {
    Channels channels = sender.channels(contract);
    BigInteger senderBefore = tokens(senderKey.address());
    BigInteger recipientBefore = tokens(recipientKey.address());
    ChannelState channel = channels.open("micro-1", recipientKey.address(), token, new BigDecimal("100"), chainTime().plus(Duration.ofHours(1)))
        .get(60, TimeUnit.SECONDS);
    assertEquals(BigInteger.valueOf(100_000_000), channel.deposit());
    assertEquals(senderBefore.subtract(channel.deposit()), tokens(senderKey.address()), "the deposit is locked");

    ChannelPayer payer = new ChannelPayer(contract, channel, senderKey);
    ChannelReceiver receiver = new ChannelReceiver(contract, contract.state(chain, channel.channelId()).orElseThrow(), VoucherStore.inMemory());
    BigInteger total = BigInteger.ZERO;
    String halfway = null;
    for (int i = 0; i < 10_000; i++) {
      BigInteger price = BigInteger.valueOf(1_000 + i % 7);
      String inChat = payer.pay(price).encode();
      if (i == 5_000) {
        halfway = inChat;
      }
      ChannelReceiver.Accepted accepted = receiver.accept(Voucher.decode(inChat), price);
      assertEquals(price, accepted.increment());
      total = total.add(price);
    }
    assertEquals(total, receiver.accepted());
    // A replayed older voucher pays nothing.
    Voucher replayed = Voucher.decode(halfway);
    assertEquals(VoucherException.Reason.NOT_INCREASING, assertThrows(VoucherException.class, () -> receiver.accept(replayed)).reason());

    Voucher last = receiver.highest().orElseThrow();
    ChainReceipt closed = recipient.channels(contract).close(last).get(60, TimeUnit.SECONDS);
    assertTrue(closed.success());
    assertEquals(recipientBefore.add(total), tokens(recipientKey.address()), "the recipient received exactly the total");
    assertEquals(senderBefore.subtract(channel.deposit()), tokens(senderKey.address()), "the rest waits for the sender to withdraw it");
    assertEquals(channel.deposit().subtract(total), channels.owed(token));
    channels.withdraw("micro-1-refund", token).get(60, TimeUnit.SECONDS);
    assertEquals(senderBefore.subtract(total), tokens(senderKey.address()), "the sender got the rest back");
    assertEquals(BigInteger.ZERO, channels.owed(token));
    assertTrue(contract.state(chain, channel.channelId()).isEmpty(), "closed");
    // Closing again is the same operation: nothing more moves.
    assertEquals(closed.transactionHash(), recipient.channels(contract).close(last).get(60, TimeUnit.SECONDS).transactionHash());
    assertEquals(recipientBefore.add(total), tokens(recipientKey.address()));
    // The old voucher cannot be played on chain again either.
    assertReverts(recipientKey.address(), contract.encodeClose(replayed));
    System.out.printf("channel: 10,000 vouchers, %s smallest units paid, one closing transaction (gas %s)%n", total, closed.gasUsed());
  }

  @Test
  void vouchersOverTheDepositOfAnotherSignerChannelChainOrContractAreRefused() throws Exception {
    Channels channels = sender.channels(contract);
    Instant expiry = chainTime().plus(Duration.ofHours(1));
    ChannelState channel = channels.open("refusals", recipientKey.address(), Token.ETH, new BigDecimal("0.01"), expiry).get(60, TimeUnit.SECONDS);
    ChannelState second = channels.open("refusals-2", recipientKey.address(), Token.ETH, new BigDecimal("0.01"), expiry).get(60, TimeUnit.SECONDS);
    ChannelReceiver receiver = new ChannelReceiver(contract, channel, VoucherStore.inMemory());
    ChannelPayer payer = new ChannelPayer(contract, channel, senderKey);
    receiver.accept(payer.pay(BigInteger.valueOf(1_000)));
    BigInteger next = BigInteger.valueOf(2_000);

    ChannelState inflated = new ChannelState(channel.channelId(), channel.sender(), channel.recipient(), null,
        channel.deposit().multiply(BigInteger.TEN), expiry);
    Voucher overDeposit = new ChannelPayer(contract, inflated, senderKey).pay(channel.deposit().add(BigInteger.ONE));
    assertEquals(VoucherException.Reason.ABOVE_DEPOSIT, assertThrows(VoucherException.class, () -> receiver.accept(overDeposit)).reason());
    assertEquals(VoucherException.Reason.ABOVE_DEPOSIT,
        assertThrows(VoucherException.class, () -> payer.pay(channel.deposit())).reason(), "the payer refuses to sign it too");

    Voucher byOther = new Voucher(channel.channelId(), next, otherKey.signChecked(Voucher.digest(31337, contract.address(), channel.channelId(), next)));
    assertEquals(VoucherException.Reason.BAD_SIGNATURE, assertThrows(VoucherException.class, () -> receiver.accept(byOther)).reason());

    Voucher otherChannel = new ChannelPayer(contract, second, senderKey).pay(next);
    assertEquals(VoucherException.Reason.WRONG_CHANNEL, assertThrows(VoucherException.class, () -> receiver.accept(otherChannel)).reason());

    Voucher otherChain = new Voucher(channel.channelId(), next, senderKey.signChecked(Voucher.digest(1, contract.address(), channel.channelId(), next)));
    assertEquals(VoucherException.Reason.BAD_SIGNATURE, assertThrows(VoucherException.class, () -> receiver.accept(otherChain)).reason());
    Voucher otherContract = new Voucher(channel.channelId(), next,
        senderKey.signChecked(Voucher.digest(31337, EvmAddress.fromHex("0x" + "ab".repeat(20)), channel.channelId(), next)));
    assertEquals(VoucherException.Reason.BAD_SIGNATURE, assertThrows(VoucherException.class, () -> receiver.accept(otherContract)).reason());
    // The contract agrees: none of them closes the channel.
    for (Voucher bad : new Voucher[] {overDeposit, byOther, otherChain, otherContract}) {
      assertReverts(recipientKey.address(), contract.encodeClose(bad));
    }
    assertEquals(BigInteger.valueOf(1_000), receiver.accepted(), "nothing refused was counted");
    assertEquals(FormatException.class, assertThrows(FormatException.class, () -> Voucher.decode("csv1.AAAA")).getClass());
  }

  @Test
  void topUpExtendAndReclaimAfterExpiryWithEachRefusal(LocalChain local) throws Exception {
    Channels channels = sender.channels(contract);
    Instant expiry = Instant.ofEpochSecond(chain.block(chain.blockNumber()).orElseThrow().timestamp().getEpochSecond() + 3_600);
    ChannelState channel = channels.open("lifecycle", recipientKey.address(), Token.ETH, new BigDecimal("1"), expiry).get(60, TimeUnit.SECONDS);
    Hash32 id = channel.channelId();
    channels.topUp("lifecycle-topup-1", id, new BigDecimal("0.5")).get(60, TimeUnit.SECONDS);
    assertEquals(new BigInteger("1500000000000000000"), contract.state(chain, id).orElseThrow().deposit());
    channels.extend("lifecycle-extend-1", id, expiry.plusSeconds(3_600)).get(60, TimeUnit.SECONDS);
    assertEquals(expiry.plusSeconds(3_600), contract.state(chain, id).orElseThrow().expiry());

    assertReverts(senderKey.address(), contract.encodeExtend(id, expiry), "an earlier expiry");
    assertReverts(otherKey.address(), contract.encodeExtend(id, expiry.plusSeconds(9_999)), "not the sender");
    assertReverts(senderKey.address(), contract.encodeReclaim(id), "not expired");
    Voucher voucher = new ChannelPayer(contract, contract.state(chain, id).orElseThrow(), senderKey).pay(BigInteger.TEN);
    assertReverts(otherKey.address(), contract.encodeClose(voucher), "not the recipient");

    local.increaseTime(Duration.ofHours(3));
    local.mine();
    BigInteger before = chain.balance(senderKey.address());
    ChainReceipt reclaimed = channels.reclaim(id).get(60, TimeUnit.SECONDS);
    BigInteger gas = reclaimed.gasUsed().multiply(reclaimed.effectiveGasPrice());
    assertEquals(before.add(new BigInteger("1500000000000000000")).subtract(gas), chain.balance(senderKey.address()), "the whole deposit back");
    assertTrue(contract.state(chain, id).isEmpty());
    assertReverts(recipientKey.address(), contract.encodeClose(voucher), "reclaimed: the voucher is worth nothing");
  }

  @Test
  void openingIsRefusedBeforeAnythingIsSentWhenFundsAreShort() {
    Channels channels = sender.channels(contract);
    Instant expiry = chainTime().plus(Duration.ofHours(1));
    assertEquals(PaymentException.Reason.INSUFFICIENT_BALANCE, assertThrows(PaymentException.class,
        () -> channels.open("too-big", recipientKey.address(), token, new BigDecimal("100000000"), expiry)).reason());
    assertEquals(PaymentException.Reason.INVALID_AMOUNT, assertThrows(PaymentException.class,
        () -> channels.open("zero", recipientKey.address(), Token.ETH, BigDecimal.ZERO, expiry)).reason());
    assertEquals(PaymentException.Reason.INVALID_ADDRESS, assertThrows(PaymentException.class,
        () -> channels.open("self", senderKey.address(), Token.ETH, BigDecimal.ONE, expiry)).reason());
    assertEquals(PaymentException.Reason.INVALID_EXPIRY, assertThrows(PaymentException.class,
        () -> channels.open("past", recipientKey.address(), Token.ETH, BigDecimal.ONE, chainTime().minusSeconds(5))).reason());
  }

  @Test
  void theWatcherSettlesAChannelBeforeItExpires(LocalChain local) throws Exception {
    Instant chainNow = chain.block(chain.blockNumber()).orElseThrow().timestamp();
    ChannelState channel = sender.channels(contract).open("watched", recipientKey.address(), token, new BigDecimal("3"),
        chainNow.plus(Duration.ofHours(2))).get(60, TimeUnit.SECONDS);
    VoucherStore store = VoucherStore.inMemory();
    ChannelReceiver receiver = new ChannelReceiver(contract, channel, store);
    ChannelPayer payer = new ChannelPayer(contract, channel, senderKey);
    for (int i = 0; i < 20; i++) {
      receiver.accept(payer.pay(BigInteger.valueOf(50_000)));
    }
    BigInteger before = tokens(recipientKey.address());
    try (ChannelWatcher watcher = new ChannelWatcher(recipient.channels(contract), store, Duration.ofHours(1), Duration.ofSeconds(30))) {
      watcher.watch(channel);
      assertTrue(watcher.settleDue().isEmpty(), "two hours left: nothing to do yet");
      local.increaseTime(Duration.ofMinutes(90));
      local.mine();
      var closings = watcher.settleDue();
      assertEquals(1, closings.size(), "half an hour left, inside the one-hour margin");
      assertTrue(closings.get(0).get(60, TimeUnit.SECONDS).success());
      assertTrue(watcher.watching().isEmpty());
    }
    assertEquals(before.add(BigInteger.valueOf(1_000_000)), tokens(recipientKey.address()), "settled for the highest voucher");
    assertTrue(contract.state(chain, channel.channelId()).isEmpty());
  }

  private static Instant chainTime() {
    return chain.block(chain.blockNumber()).orElseThrow().timestamp();
  }

  private static void assertReverts(EvmAddress from, byte[] data) {
    assertReverts(from, data, "");
  }

  private static void assertReverts(EvmAddress from, byte[] data, String why) {
    ChainException e = assertThrows(ChainException.class, () -> chain.estimateGas(from, contract.address(), data), why);
    assertEquals(ChainException.Kind.REVERTED, e.kind(), why + ": " + e.getMessage());
  }
}
