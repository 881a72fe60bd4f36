package io.chainseal.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.EvmSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The transcript is canonical (the order votes arrived in does not matter) and its root moves with any change. */
class TallyTranscriptTest {
  private static final Instant START = Instant.ofEpochSecond(1_800_000_000L);

  private static EvmSigner signer(int n) {
    byte[] secret = new byte[32];
    secret[0] = 7;
    secret[30] = (byte) (n >> 8);
    secret[31] = (byte) n;
    return EvmSigner.of(SigningKey.secp256k1(secret));
  }

  @Test
  void theRootIsCanonicalAndMovesWithAnyVoteOrOutcome() {
    EvmSigner author = signer(1000);
    Map<EvmAddress, BigInteger> weights = new HashMap<>();
    List<EvmSigner> voters = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      EvmSigner voter = signer(i);
      voters.add(voter);
      weights.put(voter.address(), BigInteger.valueOf(i % 5)); // some weigh nothing
    }
    WeightStrategy strategy = WeightStrategy.fixed(weights);
    Proposal proposal = new Proposal(31337, "room-1", "Colour", Hash32.fromHex("0c".repeat(32)), List.of("red", "green", "blue"),
        VotingType.RANKED_CHOICE, START, START.plusSeconds(600), 5, strategy.id(), BigInteger.valueOf(3), author.address());
    SignedProposal signed = proposal.sign(author);
    Random random = new Random(7);
    List<SignedVote> votes = new ArrayList<>();
    for (EvmSigner voter : voters) {
      List<Integer> ranking = new ArrayList<>(List.of(0, 1, 2));
      Collections.shuffle(ranking, random);
      votes.add(new Vote(31337, proposal.id(), "room-1", ranking, List.of(), START.plusSeconds(random.nextInt(700)), voter.address())
          .sign(voter));
    }
    TallyTranscript transcript = TallyTranscript.of(signed, VoteCount.count(proposal, votes, strategy));
    assertEquals(votes.size(), transcript.entries().size());
    assertTrue(transcript.entries().stream().anyMatch(e -> e.rejection() == VoteRejection.LATE));
    assertTrue(transcript.entries().stream().anyMatch(e -> e.rejection() == VoteRejection.ZERO_WEIGHT));

    List<SignedVote> reversed = new ArrayList<>(votes);
    Collections.reverse(reversed);
    TallyTranscript again = TallyTranscript.of(signed, VoteCount.count(proposal, reversed, strategy));
    assertEquals(transcript, again, "the same transcript whatever order the votes arrived in");
    assertEquals(transcript.root(), again.root());
    assertEquals(transcript.envelope().commit(transcript.salt()), again.envelope().commit(again.salt()));

    // One vote fewer, or one outcome changed: another root.
    List<SignedVote> fewer = votes.subList(1, votes.size());
    assertNotEquals(transcript.root(), TallyTranscript.of(signed, VoteCount.count(proposal, fewer, strategy)).root());
    List<TallyTranscript.Entry> entries = new ArrayList<>(transcript.entries());
    int counted = entries.indexOf(entries.stream().filter(TallyTranscript.Entry::counted).findFirst().orElseThrow());
    TallyTranscript.Entry entry = entries.get(counted);
    entries.set(counted, new TallyTranscript.Entry(entry.vote(), entry.weight().add(BigInteger.ONE), null));
    assertNotEquals(transcript.root(), new TallyTranscript(signed, entries, transcript.result()).root());
  }
}
