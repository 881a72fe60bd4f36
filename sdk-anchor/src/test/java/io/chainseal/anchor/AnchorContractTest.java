package io.chainseal.anchor;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.internal.Transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithLocalChain
@Tag("slow")
class AnchorContractTest {
  private static final Hash32 ZERO = Hash32.of(new byte[32]);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static ChainClient chain;

  @BeforeAll
  static void connect(LocalChain local) {
    chain = ChainClient.http(local.rpcUrl());
  }

  @AfterAll
  static void disconnect() {
    chain.close();
  }

  /** Roots are SHA-256 outputs: every calldata byte nonzero, the expensive case. */
  private static Hash32 randomRoot() {
    byte[] bytes = new byte[32];
    do {
      RANDOM.nextBytes(bytes);
    } while (containsZero(bytes));
    return Hash32.of(bytes);
  }

  private static boolean containsZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return true;
      }
    }
    return false;
  }

  static ChainReceipt anchor(AnchorContract contract, SigningKey key, Hash32 root, long size, long sequence, Hash32 previous) {
    TransactionSigner signer = new TransactionSigner(key, chain.chainId());
    return Transactions.sendAndWait(chain, signer, contract.address(), contract.encodeAnchor(root, size, sequence, previous),
        Duration.ofSeconds(30));
  }

  @Test
  void anchorsChainToTheirPredecessorAndCostAtMost30000Gas(LocalChain local) {
    SigningKey operator = TestKeys.of(local.account(1));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    Hash32 previous = ZERO;
    for (int sequence = 1; sequence <= 5; sequence++) {
      long size = sequence == 3 ? 1 : 10_000L * sequence;
      Hash32 root = randomRoot();
      ChainReceipt receipt = anchor(contract, operator, root, size, sequence, previous);
      assertTrue(receipt.success());
      AnchoredEvent event = receipt.logs().stream().flatMap(l -> contract.decode(l).stream()).findFirst().orElseThrow();
      assertEquals(operator.id().address(), event.publisher());
      assertEquals(root, event.root());
      assertEquals(sequence, event.sequence());
      assertEquals(size, event.treeSize());
      assertEquals(previous, event.previousRoot());
      assertTrue(receipt.gasUsed().compareTo(BigInteger.valueOf(30_000)) <= 0, "anchor " + sequence + " used " + receipt.gasUsed());
      previous = root;
    }
  }

  @Test
  void emptyBatchesAndSequenceZeroAreRejected(LocalChain local) {
    SigningKey operator = TestKeys.of(local.account(2));
    AnchorContract contract = AnchorContract.deploy(chain, TestKeys.of(local.account(0)), false);
    assertThrows(ChainException.class, () -> anchor(contract, operator, randomRoot(), 0, 1, ZERO), "empty batch");
    assertThrows(ChainException.class, () -> anchor(contract, operator, randomRoot(), 1, 0, ZERO), "sequence 0");
  }

  @Test
  void restrictedContractsAcceptOnlyAllowedPublishers(LocalChain local) {
    SigningKey owner = TestKeys.of(local.account(0));
    SigningKey operator = TestKeys.of(local.account(3));
    AnchorContract contract = AnchorContract.deploy(chain, owner, true);
    assertThrows(ChainException.class, () -> anchor(contract, operator, randomRoot(), 1, 1, ZERO));
    Transactions.sendAndWait(chain, new TransactionSigner(owner, chain.chainId()), contract.address(),
        contract.encodeSetPublisher(operator.id().address(), true), Duration.ofSeconds(30));
    ChainReceipt receipt = anchor(contract, operator, randomRoot(), 1, 1, ZERO);
    assertTrue(receipt.gasUsed().compareTo(BigInteger.valueOf(30_000)) <= 0, "used " + receipt.gasUsed());
    assertThrows(ChainException.class, () -> Transactions.sendAndWait(chain, new TransactionSigner(operator, chain.chainId()),
        contract.address(), contract.encodeSetPublisher(operator.id().address(), false), Duration.ofSeconds(30)), "not the owner");
  }
}
