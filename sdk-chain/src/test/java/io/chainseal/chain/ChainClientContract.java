package io.chainseal.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * What every {@link ChainClient} must do, run against each implementation: the real Web3j client on
 * Anvil and the in-memory {@link FakeChain}, so the fast tests that use the fake stand on the same
 * behaviour as the real node. Node errors must arrive as typed {@link ChainException.Kind}s.
 *
 * <p>The log emitter is the testkit's {@code ImpostorAnchor}: {@code forge(publisher, root, treeSize,
 * sequence, previousRoot)} emits {@code Anchored} with topics (signature, publisher, root, sequence).
 */
public abstract class ChainClientContract {
  static final Hash32 ANCHORED = Hash32.fromHex(Hash.sha3String("Anchored(address,bytes32,uint64,uint64,bytes32)"));

  /** The client under test. */
  protected abstract ChainClient client();

  /** A key with funds on the chain. */
  protected abstract SigningKey funded();

  /** The address of a deployed log emitter (ImpostorAnchor or an equivalent program). */
  protected abstract EvmAddress emitter();

  protected abstract void mine();

  protected abstract void automine(boolean on);

  static byte[] forge(EvmAddress publisher, Hash32 root, long sequence) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("forge", List.of(new Address(publisher.lowercase()),
        new Bytes32(root.bytes()), new Uint64(BigInteger.ONE), new Uint64(BigInteger.valueOf(sequence)),
        new Bytes32(new byte[32])), List.of())));
  }

  static Hash32 word(long value) {
    byte[] bytes = new byte[32];
    for (int i = 0; i < 8; i++) {
      bytes[31 - i] = (byte) (value >>> (8 * i));
    }
    return Hash32.of(bytes);
  }

  private TransactionSigner signer() {
    return new TransactionSigner(funded(), client().chainId());
  }

  private TransactionSigner.Signed sign(long nonce, byte[] data, BigInteger maxFee, BigInteger tip) {
    return signer().sign(nonce, emitter(), data, BigInteger.valueOf(100_000), maxFee, tip);
  }

  private TransactionSigner.Signed sign(long nonce, byte[] data) {
    FeeQuote fees = FeeQuote.current(client(), FeeQuote.DEFAULT_MAX_FEE_CAP);
    return sign(nonce, data, fees.maxFeePerGas(), fees.maxPriorityFeePerGas());
  }

  private long nextNonce() {
    return client().transactionCount(funded().id().address(), true);
  }

  private ChainReceipt sendAndMine(byte[] data) {
    TransactionSigner.Signed signed = sign(nextNonce(), data);
    assertEquals(signed.hash(), client().sendRawTransaction(signed.raw()));
    mine();
    return client().receipt(signed.hash()).orElseThrow(() -> new AssertionError("no receipt after mining"));
  }

  @Test
  void reportsItsChainIdAndAHeadWithItsHash() {
    assertTrue(client().chainId() > 0);
    ChainBlock head = client().block(BlockTag.LATEST).orElseThrow();
    assertEquals(head, client().block(head.number()).orElseThrow());
    ChainBlock finalized = client().block(BlockTag.FINALIZED).orElseThrow();
    assertTrue(finalized.number() <= head.number());
    assertTrue(client().block(head.number() + 1_000).isEmpty(), "no block above the head");
  }

  @Test
  void aCountAtABlockSeesOnlyWhatWasMinedUpToIt() {
    EvmAddress me = funded().id().address();
    long before = client().transactionCount(me, false);
    ChainReceipt receipt = sendAndMine(forge(me, Hash32.fromHex("a7".repeat(32)), 3));
    assertEquals(before, client().transactionCount(me, receipt.blockNumber() - 1), "not yet mined at the block before");
    assertEquals(before + 1, client().transactionCount(me, receipt.blockNumber()), "mined at its block");
    assertEquals(before + 1, client().transactionCount(me, false));
  }

  @Test
  void minedTransactionHasAReceiptWithItsLogsInACanonicalBlock() {
    EvmAddress publisher = funded().id().address();
    Hash32 root = Hash32.fromHex("a1".repeat(32));
    ChainReceipt receipt = sendAndMine(forge(publisher, root, 7));
    assertTrue(receipt.success());
    assertEquals(publisher, receipt.from());
    assertEquals(client().block(receipt.blockNumber()).orElseThrow().hash(), receipt.blockHash());
    ChainLog log = receipt.logs().get(0);
    assertEquals(emitter(), log.address());
    assertEquals(List.of(ANCHORED, Hash32.fromHex("00".repeat(12) + publisher.lowercase().substring(2)), root, word(7)),
        log.topics());
    assertEquals(receipt.blockNumber(), log.blockNumber());
    assertEquals(receipt.transactionHash(), log.transactionHash());
    assertTrue(client().receipt(Hash32.fromHex("ee".repeat(32))).isEmpty(), "unknown transaction: no receipt");
  }

  @Test
  void logsAreFilteredByTopicsAndBlockRange() {
    EvmAddress publisher = funded().id().address();
    long first = sendAndMine(forge(publisher, Hash32.fromHex("b1".repeat(32)), 101)).blockNumber();
    long second = sendAndMine(forge(publisher, Hash32.fromHex("b2".repeat(32)), 102)).blockNumber();
    List<Set<Hash32>> one = List.of(Set.of(ANCHORED), Set.of(), Set.of(), Set.of(word(101)));
    List<Set<Hash32>> both = List.of(Set.of(ANCHORED), Set.of(), Set.of(), Set.of(word(101), word(102)));
    assertEquals(1, client().logs(emitter(), one, 0, second).size());
    assertEquals(2, client().logs(emitter(), both, 0, second).size());
    assertEquals(1, client().logs(emitter(), both, first, first).size(), "the range bounds the answer");
    assertEquals(0, client().logs(emitter(), List.of(Set.of(Hash32.fromHex("00".repeat(32)))), 0, second).size());
  }

  @Test
  void aUsedNonceIsNonceTooLow() {
    long nonce = nextNonce();
    sendAndMine(forge(funded().id().address(), Hash32.fromHex("c1".repeat(32)), 1));
    TransactionSigner.Signed again = sign(nonce, forge(funded().id().address(), Hash32.fromHex("c2".repeat(32)), 1));
    ChainException e = assertThrows(ChainException.class, () -> client().sendRawTransaction(again.raw()));
    assertEquals(ChainException.Kind.NONCE_TOO_LOW, e.kind(), e.getMessage());
  }

  @Test
  void feesBelowTheBaseFeeAreFeeTooLow() {
    TransactionSigner.Signed cheap = sign(nextNonce(), forge(funded().id().address(), Hash32.fromHex("d1".repeat(32)), 1),
        BigInteger.ONE, BigInteger.ONE);
    ChainException e = assertThrows(ChainException.class, () -> client().sendRawTransaction(cheap.raw()));
    assertEquals(ChainException.Kind.FEE_TOO_LOW, e.kind(), e.getMessage());
  }

  @Test
  void pendingTransactionsAreReplacedOnlyForHigherFeesAndKnownOnesAreNotDoubled() {
    automine(false);
    try {
      long nonce = nextNonce();
      EvmAddress me = funded().id().address();
      FeeQuote fees = FeeQuote.current(client(), FeeQuote.DEFAULT_MAX_FEE_CAP);
      TransactionSigner.Signed first = sign(nonce, forge(me, Hash32.fromHex("e1".repeat(32)), 1), fees.maxFeePerGas(),
          fees.maxPriorityFeePerGas());
      assertEquals(first.hash(), client().sendRawTransaction(first.raw()));
      assertEquals(first.hash(), client().sendRawTransaction(first.raw()), "the same transaction again: known");
      assertEquals(nonce + 1, client().transactionCount(me, true), "pending counts");
      assertEquals(nonce, client().transactionCount(me, false), "mined does not");
      TransactionSigner.Signed same = sign(nonce, forge(me, Hash32.fromHex("e2".repeat(32)), 1), fees.maxFeePerGas(),
          fees.maxPriorityFeePerGas());
      ChainException e = assertThrows(ChainException.class, () -> client().sendRawTransaction(same.raw()));
      assertEquals(ChainException.Kind.REPLACEMENT_UNDERPRICED, e.kind(), e.getMessage());
      TransactionSigner.Signed higher = sign(nonce, forge(me, Hash32.fromHex("e3".repeat(32)), 1),
          fees.maxFeePerGas().multiply(BigInteger.TWO), fees.maxPriorityFeePerGas().multiply(BigInteger.TWO));
      assertEquals(higher.hash(), client().sendRawTransaction(higher.raw()));
      mine();
      assertTrue(client().receipt(higher.hash()).isPresent(), "the replacement is mined");
      assertTrue(client().receipt(first.hash()).isEmpty(), "the replaced one never is");
      assertNotEquals(first.hash(), higher.hash());
      assertEquals(nonce + 1, client().transactionCount(me, false));
    } finally {
      automine(true);
    }
  }
}
