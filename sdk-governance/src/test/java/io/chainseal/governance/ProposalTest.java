package io.chainseal.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.TypedData;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/** Proposals are EIP-712 typed data signed by their author; the id is the digest, so it binds every field. */
class ProposalTest {
  private static final byte[] SECRET = HexFormat.of().parseHex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  private static final EvmSigner AUTHOR = EvmSigner.of(SigningKey.secp256k1(SECRET));
  private static final Instant START = Instant.ofEpochSecond(1_800_000_000L);

  static Proposal proposal(String title, BigInteger quorum) {
    return new Proposal(31337, "room-42", title, Hash32.fromHex("0b".repeat(32)), List.of("yes", "no", "later"), VotingType.APPROVAL,
        START, START.plusSeconds(3600), 12, "fixed:00", quorum, AUTHOR.address());
  }

  @Test
  void theAuthorsSignatureVerifiesAndAWalletSigningTheJsonProducesTheSame() throws Exception {
    Proposal proposal = proposal("Move the meetup", BigInteger.TEN);
    SignedProposal signed = proposal.sign(AUTHOR);
    assertTrue(signed.isAuthentic());
    assertEquals(proposal.id(), TypedData.digest(proposal.typedDataJson()));
    Sign.SignatureData wallet = Sign.signTypedData(proposal.typedDataJson(), ECKeyPair.create(SECRET));
    byte[] rsv = new byte[65];
    System.arraycopy(wallet.getR(), 0, rsv, 0, 32);
    System.arraycopy(wallet.getS(), 0, rsv, 32, 32);
    rsv[64] = wallet.getV()[0];
    assertEquals(signed.signature(), EcdsaSignature.of(rsv));
    assertTrue(proposal.typedDataJson().contains("\"choices\":[\"yes\",\"no\",\"later\"]"), proposal.typedDataJson());
  }

  @Test
  void changingAnyFieldChangesTheIdAndBreaksTheSignature() throws Exception {
    Proposal proposal = proposal("Move the meetup", BigInteger.TEN);
    SignedProposal signed = proposal.sign(AUTHOR);
    Proposal lowerQuorum = proposal("Move the meetup", BigInteger.ONE);
    Proposal retitled = proposal("Cancel the meetup", BigInteger.TEN);
    assertNotEquals(proposal.id(), lowerQuorum.id());
    assertNotEquals(proposal.id(), retitled.id());
    assertFalse(new SignedProposal(lowerQuorum, signed.signature()).isAuthentic());
    assertFalse(new SignedProposal(retitled, signed.signature()).isAuthentic());
    Proposal onMainnet = new Proposal(1, "room-42", "Move the meetup", Hash32.fromHex("0b".repeat(32)), List.of("yes", "no", "later"),
        VotingType.APPROVAL, START, START.plusSeconds(3600), 12, "fixed:00", BigInteger.TEN, AUTHOR.address());
    assertNotEquals(proposal.id(), onMainnet.id(), "the domain binds the chain");
    assertThrows(IllegalArgumentException.class, () -> proposal.sign(EvmSigner.of(SigningKey.secp256k1(HexFormat.of().parseHex(
        "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")))));
  }

  @Test
  void refusesProposalsThatCannotBeCounted() {
    Hash32 body = Hash32.fromHex("0b".repeat(32));
    assertThrows(IllegalArgumentException.class, () -> new Proposal(31337, "room", "t", body, List.of("only"), VotingType.SINGLE_CHOICE,
        START, START.plusSeconds(1), 1, "fixed:00", BigInteger.ONE, AUTHOR.address()), "one choice");
    assertThrows(IllegalArgumentException.class, () -> new Proposal(31337, "room", "t", body, List.of("a", "b"), VotingType.SINGLE_CHOICE,
        START, START, 1, "fixed:00", BigInteger.ONE, AUTHOR.address()), "ends when it starts");
    assertThrows(IllegalArgumentException.class, () -> new Proposal(31337, "room", "t", body, List.of("a", "b"), VotingType.SINGLE_CHOICE,
        START, START.plusSeconds(1), 1, "fixed:00", BigInteger.ONE.negate(), AUTHOR.address()), "negative quorum");
    assertThrows(IllegalArgumentException.class, () -> new Proposal(31337, "", "t", body, List.of("a", "b"), VotingType.SINGLE_CHOICE,
        START, START.plusSeconds(1), 1, "fixed:00", BigInteger.ONE, AUTHOR.address()), "no group");
  }
}
