package io.chainseal.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.EvmSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tally of 10,000 voters, anchored through sdk-anchor, recounted by TallyVerifier; one changed vote fails it. */
@WithLocalChain
@Tag("slow")
class AnchoredTallyTest {
  private static final int VOTERS = 10_000;
  /** Voting ran from two days ago to yesterday: the anchor (now) comes after its end. */
  private static final Instant START = Instant.ofEpochSecond(Instant.now().getEpochSecond() - 2 * 86_400);

  @TempDir
  Path dir;

  private static EvmSigner voter(int n) {
    byte[] secret = new byte[32];
    secret[0] = 0x11;
    secret[29] = (byte) (n >> 16);
    secret[30] = (byte) (n >> 8);
    secret[31] = (byte) n;
    return EvmSigner.of(SigningKey.secp256k1(secret));
  }

  @Test
  void tenThousandVotesAreAnchoredAndRecountedAndOneChangedVoteFailsTheCheck(LocalChain local) throws Exception {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      SigningKey operator = local.account(1).signingKey();
      EvmSigner author = EvmSigner.of(local.account(2).signingKey());
      List<EvmSigner> voters = IntStream.range(0, VOTERS).parallel().mapToObj(AnchoredTallyTest::voter).toList();
      Map<EvmAddress, BigInteger> weights = new HashMap<>();
      for (int i = 0; i < VOTERS; i++) {
        weights.put(voters.get(i).address(), BigInteger.valueOf(1 + i % 7));
      }
      WeightStrategy strategy = WeightStrategy.fixed(weights);
      Proposal proposal = new Proposal(chain.chainId(), "town-square", "Budget 2027", Hash32.fromHex("0e".repeat(32)),
          List.of("plan A", "plan B", "plan C"), VotingType.SINGLE_CHOICE, START, START.plusSeconds(86_400), chain.blockNumber(),
          strategy.id(), BigInteger.valueOf(20_000), author.address());
      SignedProposal signed = proposal.sign(author);
      List<SignedVote> votes = IntStream.range(0, VOTERS).parallel().mapToObj(i -> new Vote(chain.chainId(), proposal.id(), "town-square",
          List.of(i % 3 == 0 ? 0 : i % 5 == 0 ? 2 : 1), List.of(), START.plusSeconds(i), voters.get(i).address()).sign(voters.get(i)))
          .toList();
      TallyTranscript transcript = TallyTranscript.of(signed, VoteCount.count(proposal, votes, strategy));
      assertEquals(VOTERS, transcript.entries().stream().filter(TallyTranscript.Entry::counted).count());
      assertEquals(List.of(1), transcript.result().winners());

      // A second proposal still open: its count, anchored now, is an interim one.
      Proposal open = new Proposal(chain.chainId(), "town-square", "Open question", Hash32.fromHex("0f".repeat(32)), List.of("yes", "no"),
          VotingType.SINGLE_CHOICE, START, Instant.now().plusSeconds(86_400), chain.blockNumber(), strategy.id(), BigInteger.ONE,
          author.address());
      SignedProposal openSigned = open.sign(author);
      TallyTranscript interim = TallyTranscript.of(openSigned, VoteCount.count(open, List.of(new Vote(chain.chainId(), open.id(),
          "town-square", List.of(0), List.of(), START.plusSeconds(5), voters.get(0).address()).sign(voters.get(0))), strategy));

      AnchorContract contract = AnchorContract.deploy(chain, operator, false);
      MessageProof proof;
      MessageProof interimProof;
      try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("anchor.db"));
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
              .batchPolicy(new BatchPolicy(100, Duration.ofMillis(200))).confirmations(1).build()) {
        var pendingInterim = interim.anchor(anchorer);
        var pending = transcript.anchor(anchorer);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
          try {
            proof = pending.proof().get(1, TimeUnit.SECONDS);
            interimProof = pendingInterim.proof().get(1, TimeUnit.SECONDS);
            break;
          } catch (java.util.concurrent.TimeoutException e) {
            if (System.nanoTime() > deadline) {
              throw new AssertionError("the tally was not anchored within 2 minutes", e);
            }
            local.mine(); // the testkit's chain mines on demand: give the anchor its confirmation
          }
        }
      }
      TrustSettings trust = TrustSettings.builder().chainId(chain.chainId())
          .trustContract(contract.address(), contract.deploymentBlock().orElse(0)).trustPublisher(operator.id().address())
          .confirmations(1).build();
      TallyVerifier verifier = TallyVerifier.of(ProvenanceVerifier.builder(chain).trust(trust).build());

      TallyVerification verdict = verifier.verify(transcript, strategy, proof);
      assertEquals(TallyVerification.Status.VERIFIED, verdict.status(), verdict.reason());
      assertTrue(verdict.anchor().orElseThrow().isVerifiedByTrustedPublisher());

      TallyVerification early = verifier.verify(interim, strategy, interimProof);
      assertEquals(TallyVerification.Status.ANCHORED_BEFORE_END, early.status(), early.reason());

      // One vote changed in the transcript (its choice, keeping the voter's signature): the recount finds it.
      List<TallyTranscript.Entry> entries = new ArrayList<>(transcript.entries());
      TallyTranscript.Entry first = entries.get(0);
      Vote original = first.vote().vote();
      Vote changed = new Vote(original.chainId(), original.proposal(), original.group(), List.of((original.choices().get(0) + 1) % 3),
          List.of(), original.timestamp(), original.voter());
      entries.set(0, new TallyTranscript.Entry(new io.chainseal.governance.SignedVote(changed, first.vote().signature()), first.weight(), null));
      TallyVerification tampered = verifier.verify(new TallyTranscript(signed, entries, transcript.result()), strategy, proof);
      assertEquals(TallyVerification.Status.RECOUNT_DIFFERS, tampered.status(), tampered.reason());
      assertTrue(tampered.reason().contains(original.voter().toString()) || tampered.reason().contains("vote"), tampered.reason());

      // A vote dropped, with the result "fixed" to match: the recount agrees with itself, but the root is not the anchored one.
      List<SignedVote> fewer = transcript.votes().subList(1, VOTERS);
      TallyTranscript rewritten = TallyTranscript.of(signed, VoteCount.count(proposal, fewer, strategy));
      TallyVerification dropped = verifier.verify(rewritten, strategy, proof);
      assertEquals(TallyVerification.Status.NOT_ANCHORED, dropped.status(), dropped.reason());

      // Another strategy than the proposal's, or a proposal whose terms were changed after signing.
      assertEquals(TallyVerification.Status.WRONG_STRATEGY, verifier.verify(transcript, WeightStrategy.fixed(Map.of()), proof).status());
      Proposal lowered = new Proposal(proposal.chainId(), proposal.group(), proposal.title(), proposal.body(), proposal.choices(),
          proposal.type(), proposal.start(), proposal.end(), proposal.snapshotBlock(), proposal.weights(), BigInteger.ONE, proposal.author());
      TallyVerification forged = verifier.verify(new TallyTranscript(new SignedProposal(lowered, signed.signature()), transcript.entries(),
          transcript.result()), strategy, proof);
      assertEquals(TallyVerification.Status.PROPOSAL_NOT_AUTHENTIC, forged.status(), forged.reason());
      assertFalse(verifier.verify(null, strategy, proof).isVerified());
    }
  }
}
