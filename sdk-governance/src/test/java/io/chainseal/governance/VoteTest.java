package io.chainseal.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.TypedData;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import io.chainseal.core.internal.Secp256k1;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/** Votes as EIP-712 typed data: signed by the SDK or by Web3j from the exported JSON, and every way to tamper refused. */
class VoteTest {
  private static final byte[] SECRET = HexFormat.of().parseHex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  private static final EvmSigner VOTER = EvmSigner.of(SigningKey.secp256k1(SECRET));
  private static final EvmSigner OTHER = EvmSigner.of(SigningKey.secp256k1(HexFormat.of().parseHex(
      "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")));
  private static final Hash32 PROPOSAL = Hash32.fromHex("70".repeat(32));

  private static Vote vote(List<Integer> choices, List<Long> shares) {
    return new Vote(31337, PROPOSAL, "room-42", choices, shares, Instant.ofEpochSecond(1_800_000_000L), VOTER.address());
  }

  @Test
  void aVoteSignedFromItsJsonByAnotherLibraryIsTheSameAndIsAccepted() throws Exception {
    Vote vote = vote(List.of(0, 2), List.of(3L, 1L));
    SignedVote ours = vote.sign(VOTER);
    assertEquals(Optional.empty(), ours.check(31337, PROPOSAL, "room-42"));
    // What a browser wallet does: sign the eth_signTypedData_v4 JSON. Here Web3j's own signTypedData, from the JSON alone.
    Sign.SignatureData theirs = Sign.signTypedData(vote.typedDataJson(), ECKeyPair.create(SECRET));
    byte[] rsv = new byte[65];
    System.arraycopy(theirs.getR(), 0, rsv, 0, 32);
    System.arraycopy(theirs.getS(), 0, rsv, 32, 32);
    rsv[64] = theirs.getV()[0];
    SignedVote fromWallet = new SignedVote(vote, EcdsaSignature.of(rsv));
    assertEquals(ours.signature(), fromWallet.signature(), "deterministic signatures (RFC 6979) over the same digest");
    assertEquals(Optional.empty(), fromWallet.check(31337, PROPOSAL, "room-42"));
    assertEquals(vote.digest(), TypedData.digest(vote.typedDataJson()));
  }

  @Test
  void votersAreRecoveredInLibsecp256k1ThatThisModuleBrings() {
    // A tally recovers one key per vote; this module depends on the native binding so that it is fast
    // by default (chainseal-core falls back to Bouncy Castle without it).
    assertEquals("libsecp256k1", Secp256k1.recoveryImplementation());
    SignedVote signed = vote(List.of(1), List.of()).sign(VOTER);
    assertEquals(Optional.empty(), signed.check(31337, PROPOSAL, "room-42"));
  }

  @Test
  void theSystemPropertyKeepsRecoveryInBouncyCastle() throws Exception {
    // A child JVM on this test's class path: the choice is made once per JVM, when first needed.
    String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");
    for (String setting : new String[] {"false", "true"}) {
      Process child = new ProcessBuilder(javaBinary, "-Dchainseal.secp256k1.native=" + setting, "-cp", classPath,
          RecoveryImplementationMain.class.getName()).redirectErrorStream(true).start();
      boolean exited = child.waitFor(2, java.util.concurrent.TimeUnit.MINUTES); // a few lines of output: no full pipe
      if (!exited) {
        child.destroyForcibly(); // the child this test started, by its handle
      }
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(exited, "the child JVM did not exit: " + output);
      assertEquals(0, child.exitValue(), output);
      assertTrue(output.contains("recovery=" + ("false".equals(setting) ? "Bouncy Castle" : "libsecp256k1")), output);
    }
  }

  @Test
  void tamperedAndMisdirectedVotesAreRefusedWithAReason() {
    SignedVote signed = vote(List.of(1), List.of()).sign(VOTER);
    SignedVote otherChoice = new SignedVote(vote(List.of(0), List.of()), signed.signature());
    assertEquals(Optional.of(VoteRejection.BAD_SIGNATURE), otherChoice.check(31337, PROPOSAL, "room-42"));
    assertEquals(Optional.of(VoteRejection.WRONG_PROPOSAL), signed.check(31337, Hash32.fromHex("71".repeat(32)), "room-42"));
    assertEquals(Optional.of(VoteRejection.WRONG_GROUP), signed.check(31337, PROPOSAL, "room-43"));
    assertEquals(Optional.of(VoteRejection.WRONG_CHAIN), signed.check(1, PROPOSAL, "room-42"));
    // Replayed on another chain: the same fields with chain id 1 hash differently, so the signature is not the voter's there.
    Vote onMainnet = new Vote(1, PROPOSAL, "room-42", List.of(1), List.of(), Instant.ofEpochSecond(1_800_000_000L), VOTER.address());
    assertEquals(Optional.of(VoteRejection.BAD_SIGNATURE), new SignedVote(onMainnet, signed.signature()).check(1, PROPOSAL, "room-42"));
    // Someone else's signature on the voter's vote.
    SignedVote forged = new SignedVote(vote(List.of(1), List.of()), OTHER.signChecked(vote(List.of(1), List.of()).digest()));
    assertEquals(Optional.of(VoteRejection.BAD_SIGNATURE), forged.check(31337, PROPOSAL, "room-42"));
    assertThrows(IllegalArgumentException.class, () -> vote(List.of(1), List.of()).sign(OTHER), "a signer signs only its own vote");
  }

  @Test
  void aVoteTravelsAsJsonAndAChangedCopyNoLongerChecks() throws Exception {
    SignedVote signed = vote(List.of(0, 2), List.of(3L, 1L)).sign(VOTER);
    SignedVote back = SignedVote.fromJson(signed.toJson());
    assertEquals(signed, back);
    assertEquals(java.util.Optional.empty(), back.check(31337, PROPOSAL, "room-42"));
    SignedVote changed = SignedVote.fromJson(signed.toJson().replace("\"choices\":[0,2]", "\"choices\":[1,2]"));
    assertEquals(java.util.Optional.of(VoteRejection.BAD_SIGNATURE), changed.check(31337, PROPOSAL, "room-42"));
    io.chainseal.core.FormatException unknown = assertThrows(io.chainseal.core.FormatException.class,
        () -> SignedVote.fromJson(signed.toJson().replace("\"group\"", "\"extra\":1,\"group\"")));
    assertEquals("extra", unknown.field());
    assertThrows(io.chainseal.core.FormatException.class, () -> SignedVote.fromJson("{\"type\":\"chainseal.vote\"}"));
    assertThrows(io.chainseal.core.FormatException.class, () -> SignedVote.fromJson("[1"));
  }

  @Test
  void votesBecomeTheBallotsTheirTypeCounts() {
    assertEquals(Ballot.single(2), vote(List.of(2), List.of()).ballot(VotingType.SINGLE_CHOICE));
    assertEquals(Ballot.weighted(Map.of(0, 3L, 2, 1L)), vote(List.of(0, 2), List.of(3L, 1L)).ballot(VotingType.WEIGHTED));
    assertEquals(Ballot.ranked(List.of(2, 0, 1)), vote(List.of(2, 0, 1), List.of()).ballot(VotingType.RANKED_CHOICE));
    assertThrows(IllegalArgumentException.class, () -> vote(List.of(0, 1), List.of()).ballot(VotingType.SINGLE_CHOICE));
    assertThrows(IllegalArgumentException.class, () -> vote(List.of(0, 1), List.of(1L)), "a share per choice");
    assertTrue(vote(List.of(0), List.of()).typedDataJson().contains("\"primaryType\":\"Vote\""));
  }

  @Test
  void theDirectDigestEqualsWeb3jsEncodingOfTheJsonOnRandomVotes() {
    java.util.Random random = new java.util.Random(712);
    String[] groups = {"room-42", "", "Gruppe Größe", "群组", "a\"quote", "x".repeat(300)};
    for (int n = 0; n < 300; n++) {
      int size = 1 + random.nextInt(6);
      List<Integer> choices = new java.util.ArrayList<>();
      List<Long> shares = new java.util.ArrayList<>();
      for (int i = 0; i < size; i++) {
        choices.add(random.nextInt(Integer.MAX_VALUE));
        shares.add(1 + (random.nextLong() & Long.MAX_VALUE) % Long.MAX_VALUE);
      }
      byte[] id = new byte[32];
      random.nextBytes(id);
      Vote vote = new Vote(1 + (random.nextLong() & 0xFFFF_FFFFL), Hash32.of(id), groups[n % groups.length], choices,
          random.nextBoolean() ? shares : List.of(), Instant.ofEpochSecond(random.nextLong() & 0xFF_FFFF_FFFFL), VOTER.address());
      assertEquals(TypedData.digest(vote.typedDataJson()), vote.digest(), vote.toString());
    }
  }
}
