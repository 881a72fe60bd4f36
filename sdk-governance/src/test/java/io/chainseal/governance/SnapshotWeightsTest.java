package io.chainseal.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.chain.internal.Transactions;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** Weights are read at the snapshot block: tokens moved afterwards change nothing, and cannot vote twice. */
@WithLocalChain
@Tag("slow")
class SnapshotWeightsTest {
  private static SigningKey key(LocalChain local, int index) {
    return local.account(index).signingKey();
  }

  private static void transfer(ChainClient chain, SigningKey from, EvmAddress token, EvmAddress to, long amount) {
    byte[] data = Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("transfer",
        List.of(new Address(to.lowercase()), new Uint256(BigInteger.valueOf(amount))), List.of())));
    Transactions.sendAndWait(chain, new TransactionSigner(from, chain.chainId()), token, data, Duration.ofSeconds(30));
  }

  @Test
  void tokensMovedAfterTheSnapshotChangeNoWeightAndCannotVoteTwice(LocalChain local) {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      SigningKey treasury = key(local, 1);
      SigningKey alice = key(local, 2);
      EvmAddress bob = key(local, 3).id().address();
      EvmAddress aliceSecond = key(local, 4).id().address();
      EvmAddress token = local.deployToken(local.account(1), "Vote", "VOTE", 18, BigInteger.valueOf(1_000));
      transfer(chain, treasury, token, alice.id().address(), 100);
      transfer(chain, treasury, token, bob, 50);
      long snapshot = chain.blockNumber();
      // After the snapshot: Alice moves everything to her second address, and Bob is sent more.
      transfer(chain, alice, token, aliceSecond, 100);
      transfer(chain, treasury, token, bob, 500);

      WeightStrategy balances = WeightStrategy.erc20Balance(chain, token);
      Map<EvmAddress, BigInteger> atSnapshot = balances.weights(List.of(alice.id().address(), aliceSecond, bob), snapshot);
      assertEquals(BigInteger.valueOf(100), atSnapshot.get(alice.id().address()));
      assertEquals(BigInteger.ZERO, atSnapshot.get(aliceSecond), "tokens received after the snapshot weigh nothing");
      assertEquals(BigInteger.valueOf(50), atSnapshot.get(bob), "nor do tokens bought after it");
      Map<EvmAddress, BigInteger> now = balances.weights(List.of(alice.id().address(), aliceSecond, bob), chain.blockNumber());
      assertEquals(BigInteger.valueOf(100), now.get(aliceSecond), "(they are there now)");
      assertEquals(BigInteger.valueOf(550), now.get(bob));

      // Alice votes with both addresses: only the weight she had at the snapshot counts, once.
      BigInteger total = atSnapshot.get(alice.id().address()).add(atSnapshot.get(aliceSecond));
      assertEquals(BigInteger.valueOf(100), total);
      assertEquals(Map.of(bob, BigInteger.TEN, aliceSecond, BigInteger.ZERO),
          WeightStrategy.fixed(Map.of(bob, BigInteger.TEN)).weights(List.of(bob, aliceSecond), snapshot));
    }
  }
}
