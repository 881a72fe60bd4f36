package io.chainseal.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.EvmSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The counting rules over a set of signed votes, each rejected vote with its reason. */
class VoteCountTest {
  private static final Instant END = Instant.ofEpochSecond(1_800_000_000L);
  private static final Instant START = END.minusSeconds(86_400);

  private static Proposal proposal(WeightStrategy weights) {
    return new Proposal(31337, "room-7", "Lunch", Hash32.fromHex("b0".repeat(32)), List.of("pizza", "sushi", "salad"),
        VotingType.SINGLE_CHOICE, START, END, 100, weights.id(), BigInteger.valueOf(10), signer(9).address());
  }

  private static EvmSigner signer(int n) {
    byte[] secret = new byte[32];
    secret[31] = (byte) n;
    secret[0] = 1;
    return EvmSigner.of(SigningKey.secp256k1(secret));
  }

  private static SignedVote vote(Hash32 id, EvmSigner voter, int choice, long secondsBeforeEnd) {
    return new Vote(31337, id, "room-7", List.of(choice), List.of(), END.minusSeconds(secondsBeforeEnd), voter.address()).sign(voter);
  }

  @Test
  void countsTheLatestValidVoteOfEachWeightedVoterAndSaysWhyTheOthersDoNot() {
    EvmSigner alice = signer(1);
    EvmSigner bob = signer(2);
    EvmSigner carol = signer(3);
    EvmSigner dave = signer(4);
    EvmSigner eve = signer(5);
    EvmSigner frank = signer(6);
    EvmSigner gina = signer(7);
    WeightStrategy weights = WeightStrategy.fixed(Map.of(alice.address(), BigInteger.valueOf(6), bob.address(), BigInteger.valueOf(5),
        carol.address(), BigInteger.valueOf(9), dave.address(), BigInteger.valueOf(9), frank.address(), BigInteger.valueOf(9),
        gina.address(), BigInteger.valueOf(9)));
    Proposal proposal = proposal(weights);
    Hash32 id = proposal.id();
    SignedVote aliceFirst = vote(id, alice, 0, 300);
    SignedVote aliceChanged = vote(id, alice, 1, 100);  // counts: her latest
    SignedVote bobVote = vote(id, bob, 1, 50);
    SignedVote carolLate = vote(id, carol, 0, -1);      // one second after the end
    SignedVote daveUnknown = vote(id, dave, 7, 10);     // there are 3 choices
    SignedVote eveVote = vote(id, eve, 0, 10);          // no tokens at the snapshot
    SignedVote frankForged = new SignedVote(
        new Vote(31337, id, "room-7", List.of(2), List.of(), END.minusSeconds(5), frank.address()), eve.signChecked(
            new Vote(31337, id, "room-7", List.of(2), List.of(), END.minusSeconds(5), frank.address()).digest()));
    SignedVote otherGroup = new Vote(31337, id, "room-8", List.of(0), List.of(), END.minusSeconds(5), bob.address()).sign(bob);
    SignedVote ginaEarly = vote(id, gina, 0, 86_401);  // one second before the start
    List<SignedVote> votes = List.of(aliceChanged, bobVote, carolLate, daveUnknown, eveVote, frankForged, otherGroup, aliceFirst, ginaEarly);

    VoteCount.Result result = VoteCount.count(proposal, votes, weights);
    // Counted: Alice (6, choice 1) and Bob (5, choice 1): B 11 of 11 voting weight; quorum 10 reached.
    assertEquals(0, new BigDecimal(11).compareTo(result.tally().totals().get(1)));
    assertEquals(List.of(1), result.tally().winners());
    assertTrue(result.tally().decided());
    Map<EvmAddress, VoteRejection> reasons = result.rejected().stream()
        .collect(Collectors.toMap(r -> r.vote().vote().voter(), VoteCount.Rejected::reason, (a, b) -> a));
    assertEquals(VoteRejection.SUPERSEDED, reasons.get(alice.address()));
    assertEquals(VoteRejection.LATE, reasons.get(carol.address()));
    assertEquals(VoteRejection.UNKNOWN_CHOICE, reasons.get(dave.address()));
    assertEquals(VoteRejection.ZERO_WEIGHT, reasons.get(eve.address()));
    assertEquals(VoteRejection.BAD_SIGNATURE, reasons.get(frank.address()));
    assertEquals(VoteRejection.WRONG_GROUP, reasons.get(bob.address()));
    assertEquals(VoteRejection.EARLY, reasons.get(gina.address()));
    assertEquals(2, result.counted().size());
    assertEquals(votes.size(), result.counted().size() + result.rejected().size(), "every vote is accounted for");

    // The order votes arrive in changes nothing.
    List<SignedVote> shuffled = new java.util.ArrayList<>(votes);
    Collections.reverse(shuffled);
    assertEquals(result.tally(), VoteCount.count(proposal, shuffled, weights).tally());
  }

  @Test
  void refusesToCountWithAnotherStrategyThanTheProposalNames() {
    WeightStrategy named = WeightStrategy.fixed(Map.of(signer(1).address(), BigInteger.ONE));
    WeightStrategy other = WeightStrategy.fixed(Map.of(signer(1).address(), BigInteger.TWO));
    Proposal proposal = proposal(named);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> VoteCount.count(proposal, List.of(), other));
    assertTrue(e.getMessage().contains(named.id()), e.getMessage());
    assertEquals(BigInteger.ZERO, VoteCount.count(proposal, List.of(), named).tally().votingWeight());
  }

  /** A second valid signature of the same vote, with a random nonce (low s, the recovery id that gives the voter). */
  private static SignedVote resigned(SignedVote vote, byte[] secret) {
    org.bouncycastle.crypto.signers.ECDSASigner ecdsa = new org.bouncycastle.crypto.signers.ECDSASigner();
    ecdsa.init(true, new org.bouncycastle.crypto.params.ParametersWithRandom(new org.bouncycastle.crypto.params.ECPrivateKeyParameters(
        new BigInteger(1, secret), io.chainseal.core.internal.Secp256k1.DOMAIN), new java.security.SecureRandom()));
    BigInteger[] rs = ecdsa.generateSignature(vote.vote().digest().bytes());
    BigInteger n = io.chainseal.core.internal.Secp256k1.N;
    BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
    for (int v = 0; v < 2; v++) {
      io.chainseal.chain.EcdsaSignature signature = new io.chainseal.chain.EcdsaSignature(rs[0], s, v);
      if (signature.recover(vote.vote().digest()).filter(vote.vote().voter()::equals).isPresent()) {
        return new SignedVote(vote.vote(), signature);
      }
    }
    throw new AssertionError("no recovery id gives the voter");
  }

  @Test
  void twoSignaturesOfOneVoteCountTheSameWhicheverArrivesFirst() {
    byte[] secret = new byte[32];
    secret[0] = 1;
    secret[31] = 1;
    EvmSigner alice = signer(1);
    WeightStrategy weights = WeightStrategy.fixed(Map.of(alice.address(), BigInteger.valueOf(6)));
    Proposal proposal = proposal(weights);
    SignedVote first = vote(proposal.id(), alice, 2, 60);
    SignedVote second = resigned(first, secret);
    org.junit.jupiter.api.Assertions.assertNotEquals(first.signature(), second.signature());
    assertEquals(java.util.Optional.empty(), second.check(31337, proposal.id(), "room-7"), "both are valid");
    SignedProposal signed = proposal.sign(signer(9));
    TallyTranscript one = TallyTranscript.of(signed, VoteCount.count(proposal, List.of(first, second), weights));
    TallyTranscript other = TallyTranscript.of(signed, VoteCount.count(proposal, List.of(second, first), weights));
    assertEquals(one, other, "the same vote counts, the other is superseded, in either order");
    assertEquals(one.root(), other.root());
  }

  @Test
  void refusesTextThatSignsDifferentlyFromWalletToWallet() {
    EvmSigner alice = signer(1);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Vote(31337, Hash32.fromHex("00".repeat(32)),
        "room-\uD800", List.of(0), List.of(), END, alice.address()));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Proposal(31337, "room-7", "Lunch \uDC00",
        Hash32.fromHex("b0".repeat(32)), List.of("a", "b"), VotingType.SINGLE_CHOICE, START, END, 1, "fixed:00", BigInteger.ONE,
        alice.address()));
    assertEquals("room-\uD83D\uDE00", new Vote(31337, Hash32.fromHex("00".repeat(32)), "room-\uD83D\uDE00", List.of(0), List.of(), END,
        alice.address()).group(), "a surrogate pair is fine");
  }
}
