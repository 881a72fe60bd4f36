package io.chainseal.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.TypedData;
import io.chainseal.core.EvmAddress;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** OpenZeppelin's Governor with an ERC20Votes token and a timelock, end to end through the Java client. */
@WithLocalChain
@Tag("slow")
class OnChainGovernorTest {
  static EvmSigner signer(LocalChain local, int index) {
    return EvmSigner.of(local.account(index).signingKey());
  }

  static BigInteger balanceOf(ChainClient chain, EvmAddress token, EvmAddress holder) {
    return new BigInteger(1, chain.call(token, Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("balanceOf",
        List.of(new Address(holder.lowercase())), List.of())))));
  }

  static byte[] transferCall(EvmAddress to, long amount) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("transfer",
        List.of(new Address(to.lowercase()), new Uint256(BigInteger.valueOf(amount))), List.of())));
  }

  @Test
  void proposeVoteReachQuorumQueueAndExecute(LocalChain local) {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      EvmSigner deployer = signer(local, 1);
      EvmSigner alice = signer(local, 2);
      EvmSigner bob = signer(local, 3);
      EvmSigner relayer = signer(local, 4);
      EvmAddress grantee = signer(local, 5).address();
      OnChainGovernor governor = OnChainGovernor.deploy(chain, deployer, new OnChainGovernor.Settings("Room 42 Council", "Room 42",
          "R42", BigInteger.valueOf(1_000), alice.address(), 1, 10, 40, Duration.ofHours(1)));
      EvmAddress token = governor.token();
      // Alice keeps 500, Bob gets 300, the timelock (the group's treasury) 200; each voter delegates to themselves.
      io.chainseal.chain.internal.Transactions.sendAndWait(chain, new io.chainseal.chain.internal.TransactionSigner(alice, chain.chainId()),
          token, transferCall(bob.address(), 300), Duration.ofSeconds(30));
      io.chainseal.chain.internal.Transactions.sendAndWait(chain, new io.chainseal.chain.internal.TransactionSigner(alice, chain.chainId()),
          token, transferCall(governor.timelock(), 200), Duration.ofSeconds(30));
      governor.delegate(alice, alice.address());
      governor.delegate(bob, bob.address());

      // The treasury (the timelock) also holds ether: the grant sends 1 ether besides the tokens.
      BigInteger oneEther = BigInteger.TEN.pow(18);
      local.rpc("anvil_setBalance", governor.timelock().lowercase(), "0x" + oneEther.toString(16));
      BigInteger granteeEther = chain.balance(grantee);
      List<OnChainGovernor.Action> grant = List.of(new OnChainGovernor.Action(token, BigInteger.ZERO, transferCall(grantee, 150)),
          new OnChainGovernor.Action(grantee, oneEther, new byte[0]));
      String description = "Grant 150 R42 to the meetup organiser";
      BigInteger id = governor.propose(alice, grant, description);
      assertEquals(OnChainGovernor.State.PENDING, governor.state(id));
      assertThrows(ChainException.class, () -> governor.propose(alice, grant, description), "the same proposal twice");
      local.mine(2);
      assertEquals(OnChainGovernor.State.ACTIVE, governor.state(id));

      // Alice votes herself; Bob signs a ballot (what a wallet does from the JSON) and a relayer sends it.
      governor.castVote(alice, id, OnChainGovernor.Support.FOR);
      TypedData ballot = governor.ballot(id, OnChainGovernor.Support.AGAINST, bob.address());
      EcdsaSignature bobs = bob.signChecked(ballot.digest());
      governor.castVoteBySig(relayer, id, OnChainGovernor.Support.AGAINST, bob.address(), bobs);
      assertThrows(ChainException.class, () -> governor.castVote(bob, id, OnChainGovernor.Support.FOR), "a second vote");
      assertEquals(List.of(BigInteger.valueOf(300), BigInteger.valueOf(500), BigInteger.ZERO), governor.votes(id));

      while (local.blockNumber() <= governor.deadlineBlock(id)) {
        local.mine();
      }
      // 500 For of a 1,000 supply: the 40 % quorum is reached, and For beats Against.
      assertEquals(OnChainGovernor.State.SUCCEEDED, governor.state(id));
      governor.queue(relayer, grant, description);
      assertEquals(OnChainGovernor.State.QUEUED, governor.state(id));
      assertThrows(ChainException.class, () -> governor.execute(relayer, grant, description), "the timelock's delay has not passed");
      local.increaseTime(Duration.ofHours(1).plusSeconds(1));
      local.mine();
      governor.execute(relayer, grant, description);
      assertEquals(OnChainGovernor.State.EXECUTED, governor.state(id));
      assertEquals(BigInteger.valueOf(150), balanceOf(chain, token, grantee));
      assertEquals(BigInteger.valueOf(50), balanceOf(chain, token, governor.timelock()));
      assertEquals(granteeEther.add(oneEther), chain.balance(grantee), "the ether came from the treasury");
      assertEquals(BigInteger.ZERO, chain.balance(governor.timelock()));

      OnChainGovernor found = OnChainGovernor.at(chain, governor.address());
      assertEquals(governor.token(), found.token());
      assertEquals(governor.timelock(), found.timelock());
      assertEquals(OnChainGovernor.State.EXECUTED, found.state(id));
    }
  }

  @Test
  void aProposalWithoutQuorumIsDefeatedAndCannotBeQueued(LocalChain local) {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      EvmSigner deployer = signer(local, 1);
      EvmSigner alice = signer(local, 2);
      OnChainGovernor governor = OnChainGovernor.deploy(chain, deployer, new OnChainGovernor.Settings("Small Council", "Small", "SML",
          BigInteger.valueOf(1_000), deployer.address(), 1, 5, 40, Duration.ZERO));
      io.chainseal.chain.internal.Transactions.sendAndWait(chain, new io.chainseal.chain.internal.TransactionSigner(deployer, chain.chainId()),
          governor.token(), transferCall(alice.address(), 100), Duration.ofSeconds(30));
      governor.delegate(alice, alice.address());
      List<OnChainGovernor.Action> nothing = List.of(new OnChainGovernor.Action(governor.token(), BigInteger.ZERO,
          transferCall(alice.address(), 0)));
      BigInteger id = governor.propose(alice, nothing, "A small idea");
      local.mine(2);
      governor.castVote(alice, id, OnChainGovernor.Support.FOR); // 100 of 1,000: below the 40 % quorum
      while (local.blockNumber() <= governor.deadlineBlock(id)) {
        local.mine();
      }
      assertEquals(OnChainGovernor.State.DEFEATED, governor.state(id));
      ChainException refused = assertThrows(ChainException.class, () -> governor.queue(alice, nothing, "A small idea"));
      assertTrue(refused.kind() == ChainException.Kind.REVERTED || refused.kind() == ChainException.Kind.REJECTED, refused.toString());
    }
  }
}
