package io.chainseal.governance;

import static io.chainseal.governance.OnChainGovernorTest.signer;
import static io.chainseal.governance.OnChainGovernorTest.transferCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.chain.internal.Transactions;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ERC20Votes and ERC-20 weights on a real chain: at the snapshot, in batches, with the warnings a UI shows; and an independent wallet's signatures. */
@WithLocalChain
@Tag("slow")
class TokenWeightsTest {
  /** {@code chain}, counting the calls made through it by method name. */
  static ChainClient counting(ChainClient chain, Map<String, AtomicInteger> calls) {
    return (ChainClient) Proxy.newProxyInstance(ChainClient.class.getClassLoader(), new Class<?>[] {ChainClient.class}, (proxy, method, args) -> {
      calls.computeIfAbsent(method.getName(), name -> new AtomicInteger()).incrementAndGet();
      try {
        return method.invoke(chain, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  private static void send(ChainClient chain, EvmSigner from, EvmAddress token, EvmAddress to, long amount) {
    Transactions.sendAndWait(chain, new TransactionSigner(from, chain.chainId()), token, transferCall(to, amount), Duration.ofSeconds(30));
  }

  @Test
  void delegatedVotesCountAtTheSnapshotAndVotersAreWarned(LocalChain local) {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      EvmSigner deployer = signer(local, 1);
      EvmSigner alice = signer(local, 2);
      EvmSigner bob = signer(local, 3);
      EvmSigner carol = signer(local, 4);
      EvmAddress aliceSecond = signer(local, 5).address();
      OnChainGovernor governor = OnChainGovernor.deploy(chain, deployer, new OnChainGovernor.Settings("Weights", "Weights", "W",
          BigInteger.valueOf(10_000), deployer.address(), 0, 10, 0, Duration.ZERO));
      EvmAddress token = governor.token();
      send(chain, deployer, token, alice.address(), 100);
      send(chain, deployer, token, bob.address(), 50);
      send(chain, deployer, token, carol.address(), 70);
      governor.delegate(alice, alice.address());
      governor.delegate(bob, bob.address());
      // Carol never delegates: her 70 tokens carry no votes.
      long snapshot = chain.blockNumber();
      local.mine();
      // After the snapshot: Alice sends everything to her second address (which delegates to itself), Bob gets more.
      send(chain, alice, token, aliceSecond, 100);
      governor.delegate(signer(local, 5), aliceSecond);
      send(chain, deployer, token, bob.address(), 500);

      WeightStrategy votes = WeightStrategy.erc20Votes(chain, token);
      List<EvmAddress> voters = List.of(alice.address(), aliceSecond, bob.address(), carol.address());
      Map<EvmAddress, BigInteger> weights = votes.weights(voters, snapshot);
      assertEquals(BigInteger.valueOf(100), weights.get(alice.address()));
      assertEquals(BigInteger.ZERO, weights.get(aliceSecond), "tokens moved after the snapshot do not vote again");
      assertEquals(BigInteger.valueOf(50), weights.get(bob.address()));
      assertEquals(BigInteger.ZERO, weights.get(carol.address()), "undelegated tokens do not vote");

      Map<EvmAddress, Set<WeightWarning>> warnings = votes.warnings(voters, snapshot);
      assertEquals(Set.of(WeightWarning.NOT_DELEGATED), warnings.get(carol.address()));
      assertEquals(Set.of(WeightWarning.ACQUIRED_AFTER_SNAPSHOT), warnings.get(bob.address()));
      assertEquals(Set.of(WeightWarning.ACQUIRED_AFTER_SNAPSHOT), warnings.get(aliceSecond));
      assertEquals(null, warnings.get(alice.address()), "nothing to say to Alice");

      // The same with plain balances, and combined: group members only, then the sum of two strategies.
      WeightStrategy balances = WeightStrategy.erc20Balance(chain, token);
      assertEquals(BigInteger.valueOf(70), balances.weights(voters, snapshot).get(carol.address()));
      WeightStrategy membersOnly = votes.onlyMembers(Set.of(alice.address(), carol.address()));
      assertEquals(Map.of(alice.address(), BigInteger.valueOf(100), aliceSecond, BigInteger.ZERO, bob.address(), BigInteger.ZERO,
          carol.address(), BigInteger.ZERO), membersOnly.weights(voters, snapshot));
      WeightStrategy both = WeightStrategy.sum(List.of(votes, WeightStrategy.fixed(Map.of(carol.address(), BigInteger.ONE))));
      assertEquals(BigInteger.valueOf(1), both.weights(voters, snapshot).get(carol.address()));
      assertEquals(BigInteger.valueOf(100), both.weights(voters, snapshot).get(alice.address()));
      assertTrue(both.id().contains(votes.id()) && !both.id().equals(votes.id()));

      // The same token address on another chain is another strategy: a proposal names one of them.
      ChainClient mainnet = (ChainClient) Proxy.newProxyInstance(ChainClient.class.getClassLoader(), new Class<?>[] {ChainClient.class},
          (proxy, method, args) -> method.getName().equals("chainId") ? 1L : method.invoke(chain, args));
      assertTrue(votes.id().startsWith("erc20-votes:" + chain.chainId() + ":"), votes.id());
      assertNotEquals(votes.id(), WeightStrategy.erc20Votes(mainnet, token).id());

      ChainException future = assertThrows(ChainException.class, () -> votes.weights(voters, chain.blockNumber() + 5));
      assertTrue(future.getMessage().contains("not mined yet"), future.getMessage());
    }
  }

  @Test
  void weightsOfManyVotersTakeAFewBatchedRoundTrips(LocalChain local) {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      EvmSigner deployer = signer(local, 1);
      OnChainGovernor governor = OnChainGovernor.deploy(chain, deployer, new OnChainGovernor.Settings("Many", "Many", "M",
          BigInteger.valueOf(10_000), deployer.address(), 0, 10, 0, Duration.ZERO));
      List<EvmAddress> holders = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        EvmAddress holder = signer(local, 2 + i).address();
        holders.add(holder);
        send(chain, deployer, governor.token(), holder, 10 + i);
      }
      long snapshot = chain.blockNumber();
      List<EvmAddress> voters = new ArrayList<>(holders);
      for (int i = 0; voters.size() < 1_200; i++) {
        byte[] bytes = new byte[20];
        bytes[0] = (byte) 0xAB;
        bytes[18] = (byte) (i >> 8);
        bytes[19] = (byte) i;
        voters.add(EvmAddress.of(bytes));
      }
      Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
      Map<EvmAddress, BigInteger> weights = WeightStrategy.erc20Balance(counting(chain, calls), governor.token()).weights(voters, snapshot);
      assertEquals(1_200, weights.size());
      for (int i = 0; i < 5; i++) {
        assertEquals(BigInteger.valueOf(10 + i), weights.get(holders.get(i)), "each answer is its own voter's");
      }
      assertEquals(BigInteger.ZERO, weights.get(voters.get(700)));
      assertEquals(1, calls.get("callAll").get(), "one batched request for all");
      assertEquals(null, calls.get("call"), "never one call per voter");
      // 1,200 calls at most 500 per JSON-RPC batch: 3 round trips, whose answers equal single calls.
      List<ChainClient.ContractCall> many = new ArrayList<>();
      for (EvmAddress voter : voters) {
        many.add(new ChainClient.ContractCall(governor.token(), Calls.balanceOf(voter)));
      }
      List<byte[]> batched = chain.callAll(many, snapshot);
      for (int i : new int[] {0, 4, 499, 500, 1_199}) {
        assertEquals(new BigInteger(1, chain.call(governor.token(), many.get(i).data(), snapshot)), new BigInteger(1, batched.get(i)));
      }
    }
  }

  @Test
  void votesAndProposalsSignedByAnIndependentWalletAreAccepted(LocalChain local) throws Exception {
    // Anvil's eth_signTypedData_v4 (Rust, alloy's EIP-712 encoder) stands for a browser wallet: it signs the exported JSON.
    ObjectMapper json = new ObjectMapper();
    EvmAddress voter = EvmAddress.fromHex(local.account(2).address());
    EvmAddress author = EvmAddress.fromHex(local.account(3).address());
    Instant start = Instant.ofEpochSecond(1_800_000_000L);
    Proposal proposal = new Proposal(local.chainId(), "room-9", "Adopt the charter", Hash32.fromHex("0d".repeat(32)),
        List.of("adopt", "reject", "amend"), VotingType.WEIGHTED, start, start.plusSeconds(7200), 3, "fixed:00", BigInteger.ONE, author);
    EcdsaSignature authorSig = EcdsaSignature.ofHex(local.rpc("eth_signTypedData_v4", author.lowercase(),
        json.readTree(proposal.typedDataJson())).asText());
    assertTrue(new SignedProposal(proposal, authorSig).isAuthentic());

    Vote vote = new Vote(local.chainId(), proposal.id(), "room-9", List.of(0, 2), List.of(3L, 1L), start.plusSeconds(60), voter);
    EcdsaSignature walletSig = EcdsaSignature.ofHex(local.rpc("eth_signTypedData_v4", voter.lowercase(),
        json.readTree(vote.typedDataJson())).asText());
    SignedVote fromWallet = new SignedVote(vote, walletSig);
    assertEquals(Optional.empty(), fromWallet.check(local.chainId(), proposal.id(), "room-9"));
    EvmSigner sdk = signer(local, 2);
    assertEquals(vote.sign(sdk).signature(), fromWallet.signature().normalized(), "the SDK's signature is the wallet's");
    // Tampered after signing: refused with a reason.
    Vote changed = new Vote(local.chainId(), proposal.id(), "room-9", List.of(0, 2), List.of(1L, 3L), start.plusSeconds(60), voter);
    assertEquals(Optional.of(VoteRejection.BAD_SIGNATURE), new SignedVote(changed, walletSig).check(local.chainId(), proposal.id(), "room-9"));
  }

  /** Call data helpers. */
  static final class Calls {
    static byte[] balanceOf(EvmAddress holder) {
      return org.web3j.utils.Numeric.hexStringToByteArray(org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(
          "balanceOf", List.of(new org.web3j.abi.datatypes.Address(holder.lowercase())), List.of())));
    }
  }
}
